//! The contents of a held document as the API shows it, and which way a link document shows
//! one document under another.

use super::{AuthorView, PartView};
use cliqueclique_doc::{DocId, LinkDirection, Moderation, NodeId, Revision};
use serde::{Deserialize, Serialize};

/// The contents of a held document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contents {
    /// The subject line.
    pub subject: String,
    /// The author.
    pub author: NodeId,
    /// The author's display name (as the author claims).
    pub author_name: String,
    /// The author as this node sees it: fingerprint, petname, marks, name collisions.
    pub author_info: AuthorView,
    /// The date, unix seconds, as the author claims.
    pub date: u64,
    /// The structural parent.
    pub parent: Option<DocId>,
    /// The structural child (link documents).
    pub child: Option<DocId>,
    /// Which way a link document points (`natural` or `reversed` in JSON).
    pub link: Option<LinkDirection>,
    /// The main content's MIME type.
    pub content_type: String,
    /// The main content as text, when it is text.
    pub body: Option<String>,
    /// The main content as base64, when it is not text.
    pub body_base64: Option<String>,
    /// The MIME parts.
    pub parts: Vec<PartView>,
    /// The size of the signed document in bytes.
    pub size: usize,
    /// The earlier document of its author this one retracts or supersedes
    /// (`{"kind": "retracts"|"supersedes", "target": id}`); such a document is not a post of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<Revision>,
    /// The moderation decision it makes in its forum (`{"action": "hide", "target": id}`); such a
    /// document is not a post of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation: Option<Moderation>,
}

impl Contents {
    /// For a link document, the document it shows under the other: its structural child if the
    /// link is natural, its structural parent if reversed. `None` for other documents.
    pub fn attaches(&self) -> Option<DocId> {
        match self.link? {
            LinkDirection::Natural => self.child,
            LinkDirection::Reversed => self.parent,
        }
    }

    /// The document it is shown under: for a reversed link document its structural child,
    /// else its structural parent.
    pub fn shown_under(&self) -> Option<DocId> {
        match self.link {
            Some(LinkDirection::Reversed) => self.child,
            _ => self.parent,
        }
    }
}
