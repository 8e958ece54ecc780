//! Notifications of one local node: the replies to its documents and the documents that mention
//! its name (`@name`), newest first, each read or unread as the document is.
//!
//! Replies are found below the node's own documents (their children; new threads in a forum
//! are no replies to its creator); mentions through the full-text index, then checked in the
//! text. Both only among the documents the node holds: the threads it follows, and the replies
//! to its documents, which always reach their author. Documents by the node itself, by muted or blocked
//! authors, hidden by the forum's moderation, and edits, retractions, moderation decisions and
//! link documents are no notifications.

use super::Actor;
use super::people::{Authors, forum_root};
use crate::api::{Notification, NotificationKind, Notifications};
use crate::error::ApiError;
use cliqueclique_doc::{DocId, Document, NodeId};
use cliqueclique_store::{Column, Term};
use std::collections::BTreeMap;

/// The most notifications one answer lists (the unread count covers them all).
pub const MAX_NOTIFICATIONS: usize = 200;

/// The most documents the index may name for a mention (the rest are not considered).
const MAX_MENTION_MATCHES: usize = 10_000;

impl Actor {
    /// The notifications of local node `id`, newest first, at most `limit` listed.
    pub fn notifications(&mut self, id: NodeId, limit: usize) -> Result<Notifications, ApiError> {
        let node = &self.nodes[&id].node;
        let mut found: BTreeMap<DocId, NotificationKind> = BTreeMap::new();
        // A new thread in a forum is no reply to its creator: forum roots are left out.
        let replied = node
            .subscriptions()
            .filter(|s| s.flags.own && s.has_body() && s.meta.and_then(|m| m.parent).is_some());
        for sub in replied {
            for child in node.children(&sub.doc) {
                found.insert(*child, NotificationKind::Reply);
            }
        }
        let name = node.card().name.trim().to_owned();
        if name.chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
            let terms = [Column::Body, Column::Subject].map(|column| Term {
                text: name.clone(),
                prefix: false,
                column: Some(column),
            });
            for term in terms {
                let hits = self
                    .db
                    .search(&id, std::slice::from_ref(&term), MAX_MENTION_MATCHES)
                    .map_err(|e| ApiError::Internal(format!("the search index failed: {e}")))?;
                for doc in hits {
                    found.entry(doc).or_insert(NotificationKind::Mention);
                }
            }
        }

        let mut forums: BTreeMap<DocId, Authors> = BTreeMap::new();
        let mut items = Vec::new();
        for (doc, kind) in found {
            let Some(d) = node.document(&doc) else {
                continue;
            };
            if d.author() == id
                || d.revision().is_some()
                || d.moderation().is_some()
                || d.link().is_some()
                || (kind == NotificationKind::Mention && !mentions(&d, &name))
            {
                continue;
            }
            let authors = forums
                .entry(forum_root(node, &doc))
                .or_insert_with_key(|root| Authors::in_forum(node, root));
            let author = authors.view(d.author(), d.author_name());
            if author.muted || author.blocked || authors.hidden_by(&doc).is_some() {
                continue;
            }
            let ancestors = super::people::ancestry(node, &doc);
            items.push(Notification {
                doc,
                kind,
                subject: d.subject().to_owned(),
                author_info: author,
                date: d.date(),
                read: node.flags(&doc).unwrap_or_default().read,
                // Shown in its whole thread: the topic below the forum's root.
                thread: ancestors.get(1).copied().unwrap_or(doc),
            });
        }
        items.sort_by_key(|n| std::cmp::Reverse((n.date, n.doc)));
        let unread = items.iter().filter(|n| !n.read).count();
        let total = items.len();
        items.truncate(limit.min(MAX_NOTIFICATIONS));
        Ok(Notifications {
            name,
            unread,
            total,
            items,
        })
    }
}

/// Whether `doc`'s subject or text names `@name` (ignoring case, not as part of a longer word).
fn mentions(doc: &Document, name: &str) -> bool {
    let needle = format!("@{}", name.to_lowercase());
    let text = format!("{}\n{}", doc.subject(), doc.body_text().unwrap_or_default()).to_lowercase();
    text.match_indices(&needle).any(|(at, _)| {
        text[at + needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cliqueclique_doc::{DocumentBuilder, Identity};

    fn doc(subject: &str, body: &str) -> Document {
        let identity = Identity::generate(&mut rand::rng());
        DocumentBuilder::new(subject)
            .text(body)
            .author_name("cleo")
            .build(&identity)
    }

    #[test]
    fn a_mention_is_the_name_after_an_at_sign_as_a_whole_word() {
        assert!(mentions(&doc("hi", "Thanks @Ann, good point."), "ann"));
        assert!(mentions(&doc("@ann: a question", ""), "ann"));
        assert!(mentions(&doc("x", "ask @ann"), "ann"));
        assert!(!mentions(&doc("x", "Ann says hi"), "ann"), "no at sign");
        assert!(
            !mentions(&doc("x", "@annabel and @ann_b"), "ann"),
            "a longer name"
        );
        assert!(!mentions(&doc("x", "mail ann@example.org"), "ann"));
    }
}
