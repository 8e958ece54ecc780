//! Proof of work per forum (`docs/protocol.md` §8.5): the driver hands the core the difficulty a
//! forum's owner set, as it read it from the forum's moderation documents, with the nodes exempt
//! from it (the owner and the moderators). A new document below that forum whose id does not
//! start with that many zero bits is declined before anything is stored, whoever offers it, like
//! a banned author's (§8.4); a post or an import of one is refused. Documents already held stay.
//! The check costs nothing: the id is the hash the node computed to accept the body at all.

use super::Node;
use crate::command::{CommandError, Outcome};
use crate::store::Store;
use cliqueclique_doc::document::work;
use cliqueclique_doc::{DocId, Document, NodeId};
use std::collections::BTreeSet;

/// The proof of work one forum requires.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct ForumWork {
    /// Leading zero bits every new document's id must have.
    bits: u8,
    /// Authors whose documents need none.
    exempt: BTreeSet<NodeId>,
}

impl<S: Store> Node<S> {
    /// Sets the proof of work `forum` requires; 0 bits lifts it.
    pub(super) fn set_forum_work(
        &mut self,
        forum: DocId,
        bits: u8,
        exempt: BTreeSet<NodeId>,
    ) -> Outcome {
        if bits == 0 {
            self.forum_work.remove(&forum);
        } else {
            self.forum_work.insert(forum, ForumWork { bits, exempt });
        }
        Outcome::Done
    }

    /// The most work a forum that `document` would be posted in requires of it: its parent or a
    /// document above that, unless its author is exempt there; 0 when none.
    pub fn work_required(&self, document: &Document) -> u8 {
        if self.forum_work.is_empty() {
            return 0;
        }
        let Some(parent) = document.semantic_parent() else {
            return 0;
        };
        let author = document.author();
        let required = |forum: &DocId| {
            self.forum_work
                .get(forum)
                .filter(|w| !w.exempt.contains(&author))
                .map_or(0, |w| w.bits)
        };
        self.ancestors(&parent)
            .iter()
            .chain(std::iter::once(&parent))
            .map(required)
            .max()
            .unwrap_or(0)
    }

    /// Whether `document` lacks the work its forum requires.
    pub(super) fn lacks_work(&self, document: &Document) -> bool {
        let bits = self.work_required(document);
        bits > 0 && !work::meets(&document.id(), bits)
    }

    /// Refuses to post or import `document` without its forum's work.
    pub(super) fn check_work(&self, document: &Document) -> Result<(), CommandError> {
        if self.lacks_work(document) {
            return Err(CommandError::MissingWork {
                doc: document.id(),
                bits: self.work_required(document),
            });
        }
        Ok(())
    }
}
