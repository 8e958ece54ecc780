//! Names and their keys: what a directory sorts and searches by.
//!
//! A name is free text chosen by its publisher (for example a document's subject). It is
//! normalized the way document headers are (control characters become spaces, whitespace runs
//! become one space, the ends are trimmed), so that what a reader parses back is exactly what
//! was published. Its *key* is the normalized name in lower case: prefix search ignores case,
//! and each level of the tree adds one character of the key.

/// The longest name accepted, in characters: it bounds the depth of the tree.
pub const MAX_NAME_CHARS: usize = 200;

/// Why a name (or a prefix) was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Nothing is left after normalization.
    #[error("a name must contain at least one visible character")]
    Empty,
    /// Longer than [`MAX_NAME_CHARS`].
    #[error("a name has at most {max} characters, this one has {len}")]
    TooLong {
        /// Its length in characters after normalization.
        len: usize,
        /// The limit.
        max: usize,
    },
}

/// A normalized name and its key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name {
    key: String,
    display: String,
}

impl Name {
    /// Normalizes a name; refuses an empty or too long one.
    pub fn new(raw: &str) -> Result<Name, NameError> {
        let display = normalize(raw);
        if display.is_empty() {
            return Err(NameError::Empty);
        }
        let len = display.chars().count();
        if len > MAX_NAME_CHARS {
            return Err(NameError::TooLong {
                len,
                max: MAX_NAME_CHARS,
            });
        }
        Ok(Name {
            key: key_of(&display),
            display,
        })
    }

    /// The name as published.
    pub fn as_str(&self) -> &str {
        &self.display
    }

    /// The key: the lower-case name, one tree level per character.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display)
    }
}

/// The key of a prefix typed by a user: normalized and lower-cased like a name, except that a
/// single trailing space is kept (so "new " finds "new york" but not "newark"). An empty prefix
/// lists the whole directory.
pub fn prefix_key(raw: &str) -> Result<String, NameError> {
    let trailing_space = raw.ends_with(char::is_whitespace) && !raw.trim().is_empty();
    let mut key = key_of(&normalize(raw));
    if trailing_space {
        key.push(' ');
    }
    let len = key.chars().count();
    if len > MAX_NAME_CHARS {
        return Err(NameError::TooLong {
            len,
            max: MAX_NAME_CHARS,
        });
    }
    Ok(key)
}

/// The first `n` characters of a key.
pub(crate) fn take_chars(key: &str, n: usize) -> &str {
    match key.char_indices().nth(n) {
        Some((at, _)) => &key[..at],
        None => key,
    }
}

/// The character of `key` at position `n`, if any.
pub(crate) fn char_at(key: &str, n: usize) -> Option<char> {
    key.chars().nth(n)
}

/// Lower case, character by character, so that a key never has fewer characters than its
/// name's prefixes would suggest (a character whose lower case is several characters keeps
/// all of them).
fn key_of(display: &str) -> String {
    display.chars().flat_map(char::to_lowercase).collect()
}

/// The header normalization of `cliqueclique-doc`: controls to spaces, whitespace runs to one
/// space, ends trimmed.
fn normalize(raw: &str) -> String {
    let spaced: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}
