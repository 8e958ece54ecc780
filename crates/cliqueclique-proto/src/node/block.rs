//! Blocking: the node's user refuses another node altogether (`docs/protocol.md` §8.2).
//!
//! A blocked node's documents are never stored, relayed or offered onward: a push or offer of
//! one is declined whoever relays it, and one already held stops being wanted, so it leaves
//! through garbage collection (goodbyes to its other neighbours, then removal).
//! Every link to the blocked node is dropped with a `Decline` carrying a new serial, so that the
//! blocked node drops its side at once and stops pushing; later traffic from it is answered only
//! with declines (and goodbye acknowledgements), so no link to it is ever kept again.
//! The set of blocked nodes is the user's, persisted through [`Store::set_blocked`] and read when
//! the node starts; nothing about it travels to other nodes.
//!
//! A forum's bans (`docs/protocol.md` §8.4) reuse the same decline for new documents of a banned
//! author below that forum; the driver derives them from the forum's moderation documents.

use super::Node;
use crate::command::{CommandError, Outcome};
use crate::message::Part;
use crate::store::Store;
use crate::subscription::serial_floor;
use crate::time::Time;
use cliqueclique_doc::{DocId, Document, NodeId};
use std::collections::BTreeSet;

impl<S: Store> Node<S> {
    /// Whether the user blocked `node`.
    pub fn is_blocked(&self, node: &NodeId) -> bool {
        self.blocked.contains(node)
    }

    /// The nodes the user blocked.
    pub fn blocked(&self) -> &BTreeSet<NodeId> {
        &self.blocked
    }

    /// Whether `doc` is held and authored by a blocked node.
    pub(super) fn authored_by_blocked(&self, doc: &DocId) -> bool {
        !self.blocked.is_empty()
            && self
                .subs
                .get(doc)
                .and_then(|s| s.meta)
                .is_some_and(|m| self.blocked.contains(&m.author))
    }

    /// Whether `document`'s author is banned from a forum it would be posted in: its parent or a
    /// document above that (`Command::SetForumBans`).
    pub(super) fn banned_in_forum(&self, document: &Document) -> bool {
        let Some(parent) = document.semantic_parent() else {
            return false;
        };
        let banned_in = |forum: &DocId| {
            self.forum_bans
                .get(forum)
                .is_some_and(|nodes| nodes.contains(&document.author()))
        };
        !self.forum_bans.is_empty()
            && (banned_in(&parent) || self.ancestors(&parent).iter().any(banned_in))
    }

    /// Sets the nodes banned from `forum`.
    pub(super) fn set_forum_bans(&mut self, forum: DocId, nodes: BTreeSet<NodeId>) -> Outcome {
        if nodes.is_empty() {
            self.forum_bans.remove(&forum);
        } else {
            self.forum_bans.insert(forum, nodes);
        }
        Outcome::Done
    }

    /// Blocks `peer`: drops every link to it and lets go of the documents it authored.
    pub(super) fn block(&mut self, peer: NodeId) -> Result<Outcome, CommandError> {
        if peer == self.id {
            return Err(CommandError::SelfPeer);
        }
        if self.blocked.insert(peer) {
            self.store.set_blocked(&peer, true);
        }
        for doc in self.docs_shared_with(&peer) {
            let held = self.subs.get(&doc).is_some_and(|s| s.has_body());
            self.drop_with_decline(doc, peer, held, Vec::new());
        }
        // Its documents stop being wanted (settle) and are collected.
        let authored: Vec<DocId> = self
            .subs
            .values()
            .filter(|s| s.meta.is_some_and(|m| m.author == peer))
            .map(|s| s.doc)
            .collect();
        self.dirty.extend(authored);
        Ok(Outcome::Done)
    }

    /// Unblocks `peer`: its documents and links are accepted again from now on.
    pub(super) fn unblock(&mut self, peer: NodeId) -> Outcome {
        if self.blocked.remove(&peer) {
            self.store.set_blocked(&peer, false);
        }
        Outcome::Done
    }

    /// Answers a part from a blocked node: updates are declined, goodbyes acknowledged, and
    /// everything else ignored, so that no link to it is kept and none of its state is taken.
    pub(super) fn on_part_from_blocked(&mut self, now: Time, from: NodeId, part: Part) {
        match part {
            Part::Update { doc, .. } => self.decline_blocked(now, from, doc, None),
            Part::Goodbye { doc, .. } => self.queue(from, Part::GoodbyeAck { doc }),
            _ => {}
        }
    }

    /// Declines `doc` to `from`: a document whose author is blocked, or any update of a blocked
    /// node. `parent` is the document's semantic parent, when known, whose serial the decline
    /// carries so that the pusher does not take it for a stale one.
    pub(super) fn decline_blocked(
        &mut self,
        now: Time,
        from: NodeId,
        doc: DocId,
        parent: Option<DocId>,
    ) {
        let serial = if self.subs.contains_key(&doc) {
            let had_link = self
                .subs
                .get(&doc)
                .is_some_and(|s| s.links.contains_key(&from));
            self.remove_link(doc, from);
            if had_link {
                self.bump_serial(doc)
            } else {
                self.subs.get(&doc).map_or(0, |s| s.serial)
            }
        } else {
            serial_floor(now)
        };
        let parent_serial = parent
            .and_then(|p| self.subs.get(&p))
            .map_or(0, |s| s.serial);
        self.queue(
            from,
            Part::Decline {
                doc,
                serial,
                held: false,
                parent_serial,
                suggestions: Vec::new(),
            },
        );
    }
}
