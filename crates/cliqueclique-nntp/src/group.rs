//! Newsgroup names: how a forum is named as a group, which names are valid, and wildmats
//! (RFC 3977 §4), the patterns `LIST`, `NEWNEWS` and newsreaders use to pick groups.
//!
//! A forum published in a directory is named after its directory name, lower-cased, with
//! spaces and other characters that cannot appear in a group name turned into `-`; any other
//! forum is `cc.` and the first [`ID_PREFIX_CHARS`] characters of its root id. A local rename
//! overrides both.

use cliqueclique_doc::DocId;

/// How many characters of the root id name an unpublished forum.
pub const ID_PREFIX_CHARS: usize = 12;

/// The longest group name.
pub const MAX_GROUP_NAME: usize = 64;

/// The group name of a forum: from its published directory name if that gives a valid one,
/// else (`published` is `None`) from its root id. Fits [`cliqueclique_daemon::handle::NewsRules::name`].
pub fn group_name(published: Option<&str>, root: &DocId) -> Option<String> {
    match published {
        Some(name) => {
            let mut out = String::new();
            for c in name.chars().flat_map(char::to_lowercase) {
                let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '_' | '-') {
                    c
                } else {
                    '-'
                };
                if !(c == '-' && out.ends_with('-')) {
                    out.push(c);
                }
            }
            let out: String = out
                .trim_matches(['-', '.'])
                .chars()
                .take(MAX_GROUP_NAME)
                .collect();
            valid_name(&out).then_some(out)
        }
        None => Some(format!("cc.{}", &root.to_string()[..ID_PREFIX_CHARS])),
    }
}

/// Whether `name` can be a group name here: 1 to [`MAX_GROUP_NAME`] characters of lower-case
/// letters, digits and `.+_-`, not starting or ending with a dot and without two dots in a row.
/// (RFC 3977 allows more; these are the names every newsreader handles.)
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_GROUP_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._+-".contains(&b))
        && !name.starts_with('.')
        && !name.ends_with('.')
        && !name.contains("..")
}

/// Whether `text` matches the wildmat `pattern`: comma-separated patterns of `*`, `?` and
/// literal characters, where a pattern starting with `!` excludes; the last pattern that
/// matches decides.
pub fn wildmat(pattern: &str, text: &str) -> bool {
    let mut matched = false;
    for part in pattern.split(',') {
        let (negated, part) = match part.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, part),
        };
        if glob(part.as_bytes(), text.as_bytes()) {
            matched = !negated;
        }
    }
    matched
}

/// `*` and `?` globbing without backtracking blow-up (one remembered star).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}
