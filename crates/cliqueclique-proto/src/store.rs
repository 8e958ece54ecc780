//! The storage contract of one node, and [`MemStore`], its in-memory implementation.
//!
//! The core keeps its hot state in memory (one object per subscription, an identity map) and
//! writes every changed subscription through to the store at the end of each `handle_*` call.
//! A driver that wraps each call in a transaction and sends the call's output only after the
//! commit guarantees that nothing acknowledged to a peer is lost by a crash.
//! Document bodies live only in the store and are read when they are sent.
//!
//! The trait is synchronous so that the core stays deterministic; the daemon runs its SQLite
//! implementation on the node's own thread.

use crate::node::Retraction;
use crate::subscription::{Flags, Subscription};
use bytes::Bytes;
use cliqueclique_doc::{ContactCard, DocId, Document, NodeId};
use std::collections::BTreeMap;

/// Persistent state of one node.
pub trait Store {
    /// The exact bytes of a held document.
    ///
    /// Only bytes that [`Store::put_document`] was given: the node parses them again without
    /// verifying their signature (`Document::parse_already_verified`).
    fn document(&self, id: &DocId) -> Option<Bytes>;
    /// Stores a verified document (idempotent: storing it twice keeps one copy).
    ///
    /// Taking a [`Document`], not bytes, is what makes every stored body a verified one.
    fn put_document(&mut self, doc: &Document);
    /// Removes a document body.
    fn remove_document(&mut self, id: &DocId);
    /// Every persisted subscription, read once when the node starts.
    fn subscriptions(&self) -> Vec<Subscription>;
    /// Writes one subscription (insert or replace).
    fn put_subscription(&mut self, sub: &Subscription);
    /// Removes one subscription.
    fn remove_subscription(&mut self, doc: &DocId);
    /// User flags remembered for a document that is no longer held.
    fn remembered_flags(&self, doc: &DocId) -> Option<Flags>;
    /// Remembers (or, with default flags, forgets) a user's flags for a document that is not held.
    fn remember_flags(&mut self, doc: &DocId, flags: Flags);
    /// Every known contact card, read once when the node starts.
    fn cards(&self) -> Vec<ContactCard>;
    /// Stores a verified contact card, replacing an older one of the same node.
    fn put_card(&mut self, card: &ContactCard);
    /// Forgets the card of `node`, if any.
    fn remove_card(&mut self, node: &NodeId);
    /// The nodes this node's user blocked, read once when the node starts.
    fn blocked(&self) -> Vec<NodeId>;
    /// Records that the user blocked `peer` (`true`) or unblocked it (`false`).
    fn set_blocked(&mut self, peer: &NodeId, blocked: bool);
    /// Every retraction this node learnt of, read once when the node starts.
    fn retractions(&self) -> Vec<Retraction>;
    /// Keeps a retraction for good (idempotent: the first one of a target by one signer stays).
    fn put_retraction(&mut self, retraction: &Retraction);
}

/// A store in memory: for the simulator and tests.
///
/// Subscriptions are kept serialized, exactly as a database would keep them, so that a
/// simulated restart exercises the same decode path as a real one.
#[derive(Clone, Debug, Default)]
pub struct MemStore {
    documents: BTreeMap<DocId, Bytes>,
    subscriptions: BTreeMap<DocId, Vec<u8>>,
    flags: BTreeMap<DocId, Flags>,
    cards: BTreeMap<NodeId, ContactCard>,
    blocked: std::collections::BTreeSet<NodeId>,
    retractions: BTreeMap<(DocId, NodeId), Retraction>,
}

impl MemStore {
    /// Number of document bodies held.
    pub fn n_documents(&self) -> usize {
        self.documents.len()
    }

    /// Ids of the held documents.
    pub fn document_ids(&self) -> impl Iterator<Item = &DocId> {
        self.documents.keys()
    }

    /// Bytes held in serialized subscription records.
    pub fn subscription_bytes(&self) -> usize {
        self.subscriptions.values().map(Vec::len).sum()
    }
}

impl Store for MemStore {
    fn document(&self, id: &DocId) -> Option<Bytes> {
        self.documents.get(id).cloned()
    }

    fn put_document(&mut self, doc: &Document) {
        self.documents
            .entry(doc.id())
            .or_insert_with(|| doc.bytes().clone());
    }

    fn remove_document(&mut self, id: &DocId) {
        self.documents.remove(id);
    }

    fn subscriptions(&self) -> Vec<Subscription> {
        let mut subs = Vec::with_capacity(self.subscriptions.len());
        for (doc, bytes) in &self.subscriptions {
            match Subscription::decode_record(bytes) {
                Ok(sub) => subs.push(sub),
                Err(e) => tracing::error!(%doc, %e, "skipping an unreadable subscription record"),
            }
        }
        subs
    }

    fn put_subscription(&mut self, sub: &Subscription) {
        self.subscriptions.insert(sub.doc, sub.encode_record());
    }

    fn remove_subscription(&mut self, doc: &DocId) {
        self.subscriptions.remove(doc);
    }

    fn remembered_flags(&self, doc: &DocId) -> Option<Flags> {
        self.flags.get(doc).copied()
    }

    fn remember_flags(&mut self, doc: &DocId, flags: Flags) {
        if flags == Flags::default() {
            self.flags.remove(doc);
        } else {
            self.flags.insert(*doc, flags);
        }
    }

    fn cards(&self) -> Vec<ContactCard> {
        self.cards.values().cloned().collect()
    }

    fn put_card(&mut self, card: &ContactCard) {
        let id = card.node_id();
        match self.cards.get(&id) {
            Some(old) if old.issued_at > card.issued_at => {}
            _ => {
                self.cards.insert(id, card.clone());
            }
        }
    }

    fn remove_card(&mut self, node: &NodeId) {
        self.cards.remove(node);
    }

    fn blocked(&self) -> Vec<NodeId> {
        self.blocked.iter().copied().collect()
    }

    fn set_blocked(&mut self, peer: &NodeId, blocked: bool) {
        if blocked {
            self.blocked.insert(*peer);
        } else {
            self.blocked.remove(peer);
        }
    }

    fn retractions(&self) -> Vec<Retraction> {
        self.retractions.values().copied().collect()
    }

    fn put_retraction(&mut self, retraction: &Retraction) {
        self.retractions
            .entry((retraction.target, retraction.author))
            .or_insert(*retraction);
    }
}
