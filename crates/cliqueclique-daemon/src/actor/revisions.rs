//! Retractions and edits as a node shows them: whether a document's author retracted it, and
//! its versions, oldest first, so that views show the newest one marked edited.
//!
//! Edits and retractions are documents under the same parent as the document they revise (under
//! the document itself for a top document), signed by its author; `cliqueclique-doc`'s
//! `Revision` names the target. Only revisions by the target's author count. The newest version
//! is the last by (date, id), so every holder picks the same whatever order they arrived in.

use cliqueclique_doc::{DocId, Document, NodeId};
use cliqueclique_proto::{Node, Store};

/// What the author did to a document after writing it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Revised {
    /// The author retracted it.
    pub retracted: bool,
    /// Its edits by the same author, oldest first (empty if never edited or retracted).
    pub edits: Vec<Document>,
}

impl Revised {
    /// The newest edit, if any.
    pub fn newest(&self) -> Option<&Document> {
        self.edits.last()
    }
}

/// The author of `doc` as far as `node` knows it: from the body, or from the metadata kept
/// while a retracted body is being let go.
fn author_of<S: Store>(node: &Node<S>, doc: &DocId, document: Option<&Document>) -> Option<NodeId> {
    document.map(Document::author).or_else(|| {
        node.subscription(doc)
            .and_then(|s| s.meta)
            .map(|meta| meta.author)
    })
}

/// Whether `doc` (whose body is `document`, if held) was retracted by its author. A document
/// that is gone and whose author is not known counts as retracted if any retraction names it.
pub(crate) fn is_retracted<S: Store>(
    node: &Node<S>,
    doc: &DocId,
    document: Option<&Document>,
) -> bool {
    match author_of(node, doc, document) {
        Some(author) => node.retraction(doc, &author).is_some(),
        None => node.retractions_of(doc).next().is_some(),
    }
}

/// Whether `node` knows `doc` only as retracted: no subscription left, but a retraction.
pub(crate) fn known_only_as_retracted<S: Store>(node: &Node<S>, doc: &DocId) -> bool {
    node.subscription(doc).is_none() && node.retractions_of(doc).next().is_some()
}

/// The retraction and edits of `doc`, looked up among its siblings by the same author.
pub(crate) fn revised<S: Store>(
    node: &Node<S>,
    doc: DocId,
    document: Option<&Document>,
) -> Revised {
    if is_retracted(node, &doc, document) {
        return Revised {
            retracted: true,
            edits: Vec::new(),
        };
    }
    let Some(original) = document else {
        return Revised::default();
    };
    let author = original.author();
    let under = original.semantic_parent().unwrap_or(doc);
    let edits = node
        .children(&under)
        .filter(|c| **c != doc)
        .filter(|c| {
            node.subscription(c)
                .and_then(|s| s.meta)
                .is_some_and(|meta| meta.author == author)
        })
        .filter_map(|c| node.document(c))
        .filter(|d| d.supersedes() == Some(doc));
    Revised {
        retracted: false,
        edits: sorted(edits),
    }
}

/// Edits of one document, oldest first by (date, id).
pub(crate) fn sorted(edits: impl IntoIterator<Item = Document>) -> Vec<Document> {
    let mut edits: Vec<Document> = edits.into_iter().collect();
    edits.sort_by_key(|d| (d.date(), d.id()));
    edits
}
