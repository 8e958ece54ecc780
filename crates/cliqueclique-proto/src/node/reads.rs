//! Documents kept while the driver reads: one page reads the same documents several times (the
//! thread, the forum's authors, its moderation), and each is parsed once.
//!
//! The driver opens a reading with [`Node::remember_reads`] and closes it with
//! [`Node::forget_reads`]; in between, [`Node::document`] keeps what it parsed, at most
//! [`MAX_KEPT`] documents. A document is immutable and named by its hash, so a kept one never
//! goes stale; one whose body the node lets go is forgotten at once, so a reading never shows a
//! document the node no longer holds. Outside a reading nothing is kept.

use super::Node;
use crate::store::Store;
use cliqueclique_doc::{DocId, Document};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The most documents one reading keeps; later ones are parsed on every read.
const MAX_KEPT: usize = 20_000;

/// The documents of the current reading, if one is open.
#[derive(Default)]
pub(super) struct Reads(RefCell<Option<BTreeMap<DocId, Document>>>);

impl Reads {
    /// The kept document `doc`.
    pub(super) fn get(&self, doc: &DocId) -> Option<Document> {
        self.0.borrow().as_ref()?.get(doc).cloned()
    }

    /// Keeps `document` if a reading is open and has room.
    pub(super) fn keep(&self, document: &Document) {
        if let Some(kept) = self.0.borrow_mut().as_mut()
            && kept.len() < MAX_KEPT
        {
            kept.insert(document.id(), document.clone());
        }
    }

    /// Forgets `doc`, whose body the node let go.
    pub(super) fn forget(&mut self, doc: &DocId) {
        if let Some(kept) = self.0.get_mut() {
            kept.remove(doc);
        }
    }
}

impl<S: Store> Node<S> {
    /// Opens a reading: [`Node::document`] keeps what it parses until [`Node::forget_reads`].
    pub fn remember_reads(&mut self) {
        *self.reads.0.get_mut() = Some(BTreeMap::new());
    }

    /// Closes the reading: drops the documents kept since [`Node::remember_reads`].
    pub fn forget_reads(&mut self) {
        *self.reads.0.get_mut() = None;
    }

    /// Lets the body of `doc` go: from the store, and from the current reading.
    pub(super) fn remove_body(&mut self, doc: &DocId) {
        self.store.remove_document(doc);
        self.reads.forget(doc);
    }
}
