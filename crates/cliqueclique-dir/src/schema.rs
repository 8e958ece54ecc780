//! The three kinds of directory documents, how they are written and how they are read back.
//!
//! All are ordinary signed documents; the directory is only a convention over their headers:
//!
//! | kind | `X-Cc-Dir` | structure | other headers |
//! |---|---|---|---|
//! | directory root | `directory` | no parent; subject = title | — |
//! | level (a prefix) | `level` | parent = the level one character shorter (or the root) | `X-Cc-Dir-Root`, `X-Cc-Dir-Prefix` |
//! | name (a leaf) | `name` | link document, natural, from a level to the named document | `X-Cc-Dir-Root`, `X-Cc-Dir-Name` |
//!
//! Prefixes and names are written as JSON strings so that header normalization cannot change
//! them (a prefix may end in a space). Levels and name links are dated 0: the same author
//! publishing the same level or name twice writes the same bytes, hence the same document id,
//! so a retried step never creates a duplicate of its own.

use cliqueclique_doc::{DocId, Document, DocumentBuilder, Identity, LinkDirection};

use crate::name::{Name, take_chars};

/// The header naming the kind of a directory document.
pub const HEADER_KIND: &str = "X-Cc-Dir";
/// The header naming the directory a level or name belongs to.
pub const HEADER_ROOT: &str = "X-Cc-Dir-Root";
/// The header holding a level's prefix (a JSON string).
pub const HEADER_PREFIX: &str = "X-Cc-Dir-Prefix";
/// The header holding a published name (a JSON string).
pub const HEADER_NAME: &str = "X-Cc-Dir-Name";

const KIND_ROOT: &str = "directory";
const KIND_LEVEL: &str = "level";
const KIND_NAME: &str = "name";

/// What a document is to a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// The root of a directory.
    Root {
        /// Its title (the subject).
        title: String,
    },
    /// A level: every name below it starts with `prefix`.
    Level {
        /// The directory.
        root: DocId,
        /// The level above (the root for one-character prefixes).
        parent: DocId,
        /// The key prefix, one character longer than the parent's.
        prefix: String,
    },
    /// A name published at a level, pointing at the named document.
    Name {
        /// The directory.
        root: DocId,
        /// The level it was published at.
        level: DocId,
        /// The name.
        name: Name,
        /// The named document.
        target: DocId,
    },
}

impl Entry {
    /// Reads a document's directory role; `None` for ordinary documents and for malformed
    /// directory documents (which lookups then ignore).
    pub fn of(doc: &Document) -> Option<Entry> {
        let kind = doc.header(HEADER_KIND)?;
        match kind.as_str() {
            KIND_ROOT => (doc.parent().is_none()).then(|| Entry::Root {
                title: doc.subject().to_owned(),
            }),
            KIND_LEVEL => {
                let root = doc.header(HEADER_ROOT)?.parse().ok()?;
                let prefix: String = serde_json::from_str(&doc.header(HEADER_PREFIX)?).ok()?;
                let parent = doc.parent()?;
                (doc.link().is_none() && !prefix.is_empty()).then_some(Entry::Level {
                    root,
                    parent,
                    prefix,
                })
            }
            KIND_NAME => {
                let root = doc.header(HEADER_ROOT)?.parse().ok()?;
                let raw: String = serde_json::from_str(&doc.header(HEADER_NAME)?).ok()?;
                let name = Name::new(&raw).ok()?;
                if name.as_str() != raw || doc.link() != Some(LinkDirection::Natural) {
                    return None;
                }
                Some(Entry::Name {
                    root,
                    level: doc.parent()?,
                    name,
                    target: doc.child()?,
                })
            }
            _ => None,
        }
    }
}

/// Writes the root document of a new directory.
pub fn root_document(identity: &Identity, title: &str, description: &str, date: u64) -> Document {
    DocumentBuilder::new(title)
        .header(HEADER_KIND, KIND_ROOT)
        .text(description)
        .date(date)
        .build(identity)
}

/// Writes the level for `key`'s first `len` characters below `parent`.
pub fn level_document(
    identity: &Identity,
    root: DocId,
    parent: DocId,
    key: &str,
    len: usize,
) -> Document {
    let prefix = take_chars(key, len);
    DocumentBuilder::new(format!("directory level {prefix}"))
        .parent(parent)
        .header(HEADER_KIND, KIND_LEVEL)
        .header(HEADER_ROOT, root.to_string())
        .header(HEADER_PREFIX, json(prefix))
        .build(identity)
}

/// Writes the link that publishes `target` under `name` at `level`.
pub fn name_document(
    identity: &Identity,
    root: DocId,
    level: DocId,
    name: &Name,
    target: DocId,
) -> Document {
    DocumentBuilder::new(name.as_str())
        .link(level, target, LinkDirection::Natural)
        .header(HEADER_KIND, KIND_NAME)
        .header(HEADER_ROOT, root.to_string())
        .header(HEADER_NAME, json(name.as_str()))
        .build(identity)
}

fn json(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}
