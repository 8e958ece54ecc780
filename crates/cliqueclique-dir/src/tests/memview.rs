//! A [`View`] over documents held in memory, without any network: every document is held,
//! subscribed and settled. For testing the tree logic alone.

use std::collections::{BTreeMap, BTreeSet};

use cliqueclique_doc::{DocId, Document, NodeId};

use crate::view::{Holding, View};

#[derive(Default)]
pub struct MemView {
    pub me: Option<NodeId>,
    docs: BTreeMap<DocId, Document>,
    children: BTreeMap<DocId, BTreeSet<DocId>>,
}

impl MemView {
    pub fn add(&mut self, doc: Document) {
        if let Some(parent) = doc.semantic_parent() {
            self.children.entry(parent).or_default().insert(doc.id());
            if let Some(child) = doc.semantic_child() {
                self.children.entry(parent).or_default().insert(child);
            }
        }
        self.docs.insert(doc.id(), doc);
    }

    pub fn docs(&self) -> impl Iterator<Item = &Document> {
        self.docs.values()
    }
}

impl View for MemView {
    fn document(&self, id: &DocId) -> Option<Document> {
        self.docs.get(id).cloned()
    }

    fn children(&self, id: &DocId) -> Vec<DocId> {
        self.children
            .get(id)
            .into_iter()
            .flatten()
            .copied()
            .collect()
    }

    fn holding(&self, id: &DocId) -> Holding {
        if self.docs.contains_key(id) {
            Holding::Held { subscribed: true }
        } else {
            Holding::Absent
        }
    }

    fn authored(&self) -> Vec<DocId> {
        self.docs
            .values()
            .filter(|d| Some(d.author()) == self.me)
            .map(Document::id)
            .collect()
    }
}
