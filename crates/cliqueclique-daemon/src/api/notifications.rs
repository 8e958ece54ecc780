//! The notifications of one local node (`GET /api/nodes/{node}/notifications`).

use super::AuthorView;
use cliqueclique_doc::DocId;
use serde::{Deserialize, Serialize};

/// `GET /api/nodes/{node}/notifications`: replies to the node's documents and mentions of its
/// name, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    /// The name mentions are looked for as (`@name`): the node's own.
    pub name: String,
    /// How many are unread (of all, not only those listed).
    pub unread: usize,
    /// How many there are.
    pub total: usize,
    /// The newest ones.
    pub items: Vec<Notification>,
}

/// One reply or mention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// The reply or the document that mentions the node.
    pub doc: DocId,
    /// Which of the two.
    pub kind: NotificationKind,
    /// Its subject.
    pub subject: String,
    /// Its author.
    pub author_info: AuthorView,
    /// Its date.
    pub date: u64,
    /// It is marked read.
    pub read: bool,
    /// The thread to show it in: the topic below the forum's root (itself if it is one).
    pub thread: DocId,
}

/// Why a document is a notification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// It answers one of the node's documents.
    Reply,
    /// It names the node as `@name`.
    Mention,
}
