//! Retraction: an author withdraws one of their documents (`docs/protocol.md` §8.3).
//!
//! A retraction is an ordinary document carrying `X-Cc-Retracts` (`cliqueclique-doc`'s
//! `Revision`), posted under the retracted document's parent so that it travels wherever the
//! retracted document travels. When a node stores one, it records a [`Retraction`] (kept in the
//! store, so it outlives the retraction document itself) and, if the target is by the same
//! author, drops the target's body at once and lets the target go, like a blocked author's
//! documents (`block.rs`): it stops being wanted and leaves through garbage collection. The edits
//! of the target by the same author go with it. From then on the target and its edits are
//! declined whoever offers them, so a holder that receives the target late does not bring it
//! back. A retraction of someone else's document changes nothing: the authors are compared when
//! both are known, and a target that arrives with another author is accepted as usual.

use super::Node;
use crate::command::CommandError;
use crate::store::Store;
use cliqueclique_doc::{DocId, Document, NodeId};
use serde::{Deserialize, Serialize};

/// What a node remembers of a retraction, for as long as it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retraction {
    /// The document withdrawn (the original, or one of its edits).
    pub target: DocId,
    /// The retraction document.
    pub by: DocId,
    /// Its author: the retraction applies only to a target by the same author.
    pub author: NodeId,
    /// The target's semantic parent as the retraction states it (`None` for a top document), so
    /// that the documents below a retracted one still find the threads above it.
    pub parent: Option<DocId>,
}

impl<S: Store> Node<S> {
    /// The retraction of `doc` signed by `author`, if this node knows of one.
    pub fn retraction(&self, doc: &DocId, author: &NodeId) -> Option<&Retraction> {
        self.retracted.get(&(*doc, *author))
    }

    /// Every retraction of `doc` this node knows of, whoever signed them (only one signed by
    /// the document's author counts; the author is not known once the document is gone).
    pub fn retractions_of(&self, doc: &DocId) -> impl Iterator<Item = &Retraction> {
        let first = (*doc, NodeId([0; 32]));
        let last = (*doc, NodeId([0xff; 32]));
        self.retracted.range(first..=last).map(|(_, r)| r)
    }

    /// Every retraction this node knows of, by target.
    pub fn retractions(&self) -> impl Iterator<Item = &Retraction> {
        self.retracted.values()
    }

    /// Whether `doc` by `author` was retracted by its author.
    pub(super) fn is_retracted(&self, doc: &DocId, author: &NodeId) -> bool {
        self.retracted.contains_key(&(*doc, *author))
    }

    /// Whether a received document must be declined: retracted by its author, or an edit of a
    /// document its author retracted.
    pub(super) fn refuses_retracted(&self, document: &Document) -> bool {
        !self.retracted.is_empty()
            && (self.is_retracted(&document.id(), &document.author())
                || document
                    .supersedes()
                    .is_some_and(|target| self.is_retracted(&target, &document.author())))
    }

    /// Whether `doc` is held (or its metadata is) and retracted by its author.
    pub(super) fn retracted_held(&self, doc: &DocId) -> bool {
        !self.retracted.is_empty()
            && self
                .subs
                .get(doc)
                .and_then(|s| s.meta)
                .is_some_and(|m| self.is_retracted(doc, &m.author))
    }

    /// Checks that this node may post a revision of `target`: it holds it, wrote it, and did not
    /// retract it.
    pub(super) fn check_revision(&self, target: DocId) -> Result<(), CommandError> {
        if self.is_retracted(&target, &self.id) {
            return Err(CommandError::Retracted(target));
        }
        match self.subs.get(&target).and_then(|s| s.meta) {
            None => Err(CommandError::MissingReference(target)),
            Some(meta) if meta.author != self.id => Err(CommandError::NotYours {
                doc: target,
                author: meta.author,
            }),
            Some(_) => Ok(()),
        }
    }

    /// Records the retraction `document` makes, if it makes one, and applies it to what is held.
    pub(super) fn learn_retraction(&mut self, document: &Document) {
        let Some(target) = document.retracts() else {
            return;
        };
        let author = document.author();
        let parent = document.semantic_parent().filter(|p| *p != target);
        let record = Retraction {
            target,
            by: document.id(),
            author,
            parent,
        };
        self.record_retraction(record);
        // The edits of the target by the same author are siblings of it (or, for a top
        // document, its comments), all withdrawn with it.
        let siblings_of = document.semantic_parent().unwrap_or(target);
        let candidates: Vec<DocId> = self
            .children(&siblings_of)
            .filter(|c| {
                self.subs
                    .get(c)
                    .and_then(|s| s.meta)
                    .is_some_and(|m| m.author == author)
            })
            .copied()
            .collect();
        for candidate in candidates {
            if self
                .document(&candidate)
                .is_some_and(|d| d.supersedes() == Some(target))
            {
                self.record_retraction(Retraction {
                    target: candidate,
                    ..record
                });
            }
        }
    }

    /// Keeps `record` and drops the target's body if held and by the same author. Records are
    /// kept per target and signer, so that a forged retraction cannot stand in the way of the
    /// author's own.
    fn record_retraction(&mut self, record: Retraction) {
        let key = (record.target, record.author);
        if self.retracted.contains_key(&key) {
            return;
        }
        self.store.put_retraction(&record);
        self.retracted.insert(key, record);
        if self.retracted_held(&record.target) {
            // The body goes now; the subscription leaves through garbage collection.
            self.remove_body(&record.target);
            self.dirty.insert(record.target);
        }
    }
}
