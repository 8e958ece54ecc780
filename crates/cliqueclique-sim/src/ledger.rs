//! The documents the simulator posted, and what it observed about each of them.
//!
//! For every posted document the ledger keeps its place in the forum (root, thread or comment,
//! its parent, its author), how often its body was sent and how often it arrived, and for every
//! node the hop count of its first copy: the poster has 0, a node that first receives the body
//! from `m` has `hops(m) + 1`. It also flags a body stored twice by one node without a removal in
//! between, which would break exactly-once storage.

use cliqueclique_doc::DocId;
use cliqueclique_proto::Time;
use serde::Serialize;
use std::collections::BTreeMap;

/// The hop count of a node that never received the document.
pub const NO_HOPS: u32 = u32::MAX;
/// The hop count of a node that received the document from a node whose own count is unknown.
pub const UNKNOWN_HOPS: u32 = u32::MAX - 1;

/// The role of a posted document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// The forum root.
    Root,
    /// The thread, a child of the root.
    Thread,
    /// A comment: a reply to the thread or to another comment.
    Comment,
}

/// One posted document and its observed figures.
#[derive(Clone, Debug)]
pub struct Tracked {
    /// The document.
    pub id: DocId,
    /// Its role.
    pub kind: DocKind,
    /// A readable name for reports ("root", "thread", "comment 17").
    pub label: String,
    /// Its semantic parent.
    pub parent: Option<DocId>,
    /// The index of the posting node.
    pub author: usize,
    /// When it was posted.
    pub posted_at: Time,
    /// Update parts carrying its body handed to the network (lost ones included).
    pub bodies_sent: u64,
    /// Update parts carrying its body that reached a running node (network duplicates excluded).
    pub bodies_arrived: u64,
    /// Per node: hop count of its first copy, or [`NO_HOPS`].
    pub hops: Vec<u32>,
    /// Per node: whether the node reported storing the body and has not removed it since.
    held: Vec<bool>,
}

/// All posted documents, indexed by id.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    docs: Vec<Tracked>,
    index: BTreeMap<DocId, usize>,
    n_nodes: usize,
    duplicates: Vec<(usize, usize)>,
}

impl Ledger {
    /// An empty ledger for `n_nodes` nodes.
    pub fn new(n_nodes: usize) -> Ledger {
        Ledger {
            n_nodes,
            ..Ledger::default()
        }
    }

    /// Records a document about to be posted by `author`; returns its position.
    pub fn track(
        &mut self,
        id: DocId,
        kind: DocKind,
        label: String,
        parent: Option<DocId>,
        author: usize,
        now: Time,
    ) -> usize {
        if let Some(&i) = self.index.get(&id) {
            return i;
        }
        let i = self.docs.len();
        let mut hops = vec![NO_HOPS; self.n_nodes];
        let mut held = vec![false; self.n_nodes];
        hops[author] = 0;
        held[author] = true;
        self.docs.push(Tracked {
            id,
            kind,
            label,
            parent,
            author,
            posted_at: now,
            bodies_sent: 0,
            bodies_arrived: 0,
            hops,
            held,
        });
        self.index.insert(id, i);
        i
    }

    /// Forgets a document whose post was refused.
    pub fn untrack(&mut self, id: &DocId) {
        if let Some(i) = self.index.remove(id) {
            debug_assert_eq!(
                i + 1,
                self.docs.len(),
                "only the last tracked document can be untracked"
            );
            self.docs.pop();
        }
    }

    /// Forgets a document wherever it was tracked: its author retracted it, so no node owes it
    /// any more.
    pub fn forget(&mut self, id: &DocId) {
        let Some(i) = self.index.remove(id) else {
            return;
        };
        self.docs.remove(i);
        for position in self.index.values_mut() {
            if *position > i {
                *position -= 1;
            }
        }
        self.duplicates.retain(|&(_, d)| d != i);
        for (_, d) in &mut self.duplicates {
            if *d > i {
                *d -= 1;
            }
        }
    }

    /// The position of a tracked document.
    pub fn position(&self, id: &DocId) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// A tracked document.
    pub fn get(&self, id: &DocId) -> Option<&Tracked> {
        self.position(id).map(|i| &self.docs[i])
    }

    /// All tracked documents, in posting order.
    pub fn docs(&self) -> &[Tracked] {
        &self.docs
    }

    /// The tracked comments, in posting order.
    pub fn comments(&self) -> impl Iterator<Item = &Tracked> {
        self.docs.iter().filter(|d| d.kind == DocKind::Comment)
    }

    /// The tracked documents above `id`, nearest first (its parent, the parent's parent, ...).
    pub fn ancestors(&self, id: &DocId) -> Vec<DocId> {
        let mut out = Vec::new();
        let mut cur = self.get(id).and_then(|t| t.parent);
        while let Some(p) = cur {
            if out.contains(&p) {
                break;
            }
            out.push(p);
            cur = self.get(&p).and_then(|t| t.parent);
        }
        out
    }

    /// How many comments lie between `id` and the thread (a child of the root): 1 for a comment
    /// on the thread, 0 for the root and the thread.
    pub fn depth(&self, id: &DocId) -> usize {
        self.ancestors(id).len().saturating_sub(1)
    }

    /// A readable name for any document.
    pub fn label(&self, id: &DocId) -> String {
        match self.get(id) {
            Some(t) => format!("{}({})", t.label, id.short()),
            None => id.short(),
        }
    }

    /// Counts an Update part carrying the body of `id` handed to the network.
    pub fn body_sent(&mut self, id: &DocId) {
        if let Some(i) = self.position(id) {
            self.docs[i].bodies_sent += 1;
        }
    }

    /// Counts an Update part carrying the body of `id` that reached a running node.
    pub fn body_arrived(&mut self, id: &DocId) {
        if let Some(i) = self.position(id) {
            self.docs[i].bodies_arrived += 1;
        }
    }

    /// Records that `node` stored the body of `id`, first received from `from`.
    pub fn arrived(&mut self, node: usize, id: &DocId, from: Option<usize>) {
        let Some(i) = self.position(id) else {
            return;
        };
        let doc = &mut self.docs[i];
        if doc.held[node] {
            self.duplicates.push((node, i));
        }
        doc.held[node] = true;
        if doc.hops[node] == NO_HOPS {
            let upstream = from.map_or(NO_HOPS, |m| doc.hops[m]);
            doc.hops[node] = if upstream >= UNKNOWN_HOPS {
                UNKNOWN_HOPS
            } else {
                upstream + 1
            };
        }
    }

    /// Records that `node` removed the body of `id`.
    pub fn removed(&mut self, node: usize, id: &DocId) {
        if let Some(i) = self.position(id) {
            self.docs[i].held[node] = false;
        }
    }

    /// Records that `node` lost its memory of what it held (it left for good).
    pub fn forget_node(&mut self, node: usize) {
        for doc in &mut self.docs {
            doc.held[node] = false;
        }
    }

    /// Bodies stored twice by one node without a removal in between: (node, document).
    pub fn duplicate_arrivals(&self) -> impl Iterator<Item = (usize, &Tracked)> {
        self.duplicates.iter().map(|&(n, d)| (n, &self.docs[d]))
    }
}
