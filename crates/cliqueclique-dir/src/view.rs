//! What the directory reads from a node: held documents, their children, subscription flags.
//!
//! [`View`] is implemented for the protocol core's [`Node`]; tests and other drivers may
//! implement it over anything that holds documents.

use cliqueclique_doc::{DocId, Document};
use cliqueclique_proto::{Node, Store};

/// How a node holds one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// Not held and not being fetched.
    Absent,
    /// Being fetched: subscribed, the body has not arrived.
    Fetching,
    /// Held; whether this node's user is subscribed to it (new children are pushed here).
    Held {
        /// The subscription flag.
        subscribed: bool,
    },
}

/// Read access to what one node holds.
pub trait View {
    /// A held document, verified.
    fn document(&self, id: &DocId) -> Option<Document>;
    /// The held documents that travel with `id` to its subscribers: its comments, the link
    /// documents under it and the documents they attach.
    fn children(&self, id: &DocId) -> Vec<DocId>;
    /// How `id` is held.
    fn holding(&self, id: &DocId) -> Holding;
    /// The held documents this node authored.
    fn authored(&self) -> Vec<DocId>;
}

impl<S: Store> View for Node<S> {
    fn document(&self, id: &DocId) -> Option<Document> {
        Node::document(self, id)
    }

    fn children(&self, id: &DocId) -> Vec<DocId> {
        Node::children(self, id).copied().collect()
    }

    fn holding(&self, id: &DocId) -> Holding {
        match self.subscription(id) {
            None => Holding::Absent,
            Some(sub) if !sub.has_body() => Holding::Fetching,
            Some(sub) => Holding::Held {
                subscribed: sub.flags.subscribed,
            },
        }
    }

    fn authored(&self) -> Vec<DocId> {
        self.subscriptions()
            .filter(|sub| sub.flags.own && sub.has_body())
            .map(|sub| sub.doc)
            .collect()
    }
}
