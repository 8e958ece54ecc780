//! Threads: a document and everything below it, at any depth, through parents and link documents.
//!
//! A node *follows* a thread when its user set `subscribed` and `thread` on the thread's top
//! document; the thread set of that document (followers and the relays between them and its
//! center, advertising `THREAD`) is connected like its subscribing set, and every held document
//! below the top travels along that one tree (docs/protocol.md §6.1). This module answers the
//! questions that needs: which documents lie above or below one, which followed thread a push to
//! a neighbour belongs to, how many documents a thread has here (the tally, with a digest), and
//! whether a pushed document whose parents have not arrived yet may be kept on a sender's claim.

use super::Node;
use crate::message::{Advert, ThreadClaim};
use crate::store::Store;
use cliqueclique_doc::{DocId, NodeId};
use std::collections::BTreeSet;

/// How many ancestors or descendants a walk visits at most: bounds the work an outsider's
/// documents can cause (a thread deeper or wider than this is served only in part).
pub const MAX_THREAD_WALK: usize = 100_000;

/// How long a whole-thread fetch (`Command::Fetch`) keeps the thread coming.
pub const FETCH_HOLD: std::time::Duration = std::time::Duration::from_secs(600);

/// How far up a walk goes at most.
pub const MAX_THREAD_DEPTH: usize = 1_024;

/// What a node knows about the completeness of the thread below one of its documents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThreadStatus {
    /// Documents held below it.
    pub below: u32,
    /// The largest count a neighbour claimed, if any claimed one.
    pub claimed: Option<u32>,
    /// Documents known to exist below it but not here: referenced by a held link, or claimed by
    /// a neighbour beyond what is held (at least one when the counts agree but the sets differ).
    pub missing: u32,
}

impl ThreadStatus {
    /// Whether nothing is known to be missing.
    pub fn complete(&self) -> bool {
        self.missing == 0
    }
}

impl<S: Store> Node<S> {
    /// The documents above `doc`: its semantic parents and theirs, and the thread a document
    /// held on a claim was pushed along, nearest first, each once. A retracted document that is
    /// no longer held leads to the parent its retraction names.
    pub(super) fn ancestors(&self, doc: &DocId) -> Vec<DocId> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        let mut frontier = vec![*doc];
        for _ in 0..MAX_THREAD_DEPTH {
            let mut next = Vec::new();
            for d in frontier {
                let via = self.subs.get(&d).and_then(|s| s.thread_via);
                // A retracted document that is gone still stands between its replies and the
                // threads above it, at the parent its retraction names.
                let gone = !self.subs.contains_key(&d);
                let retracted = self
                    .retractions_of(&d)
                    .filter(|_| gone)
                    .filter_map(|r| r.parent);
                let parents = self.parents.get(&d).into_iter().flatten().copied();
                for p in parents.chain(via).chain(retracted) {
                    let p = &p;
                    if *p != *doc && seen.insert(*p) {
                        out.push(*p);
                        next.push(*p);
                    }
                }
            }
            if next.is_empty() || out.len() >= MAX_THREAD_WALK {
                break;
            }
            frontier = next;
        }
        out
    }

    /// The documents below `doc` that this node knows of (held, or attached by a held link),
    /// including those held on a claim of its thread, each once.
    pub(super) fn descendants(&self, doc: &DocId) -> Vec<DocId> {
        let mut seen = BTreeSet::from([*doc]);
        let mut out = Vec::new();
        let mut stack = vec![*doc];
        while let Some(d) = stack.pop() {
            let claimed = self.claimed.get(&d).into_iter().flatten();
            for c in self.children.get(&d).into_iter().flatten().chain(claimed) {
                if seen.insert(*c) {
                    out.push(*c);
                    stack.push(*c);
                    if out.len() >= MAX_THREAD_WALK {
                        return out;
                    }
                }
            }
        }
        out
    }

    /// Whether some document above `doc` is in its thread set here.
    pub(super) fn in_followed_thread(&self, doc: &DocId) -> bool {
        self.ancestors(doc)
            .iter()
            .any(|a| self.subs.get(a).is_some_and(|s| s.derived.thread))
    }

    /// The held documents below `doc`, counted, and the XOR of their ids' first eight bytes,
    /// remembered until the held documents change.
    pub(super) fn tally(&mut self, doc: &DocId) -> (u32, [u8; 8]) {
        if let Some(t) = self.tallies.get(doc) {
            return *t;
        }
        let tally = self.count_below(doc);
        self.tallies.insert(*doc, tally);
        tally
    }

    /// [`Node::tally`], computed afresh.
    fn count_below(&self, doc: &DocId) -> (u32, [u8; 8]) {
        let mut count = 0u32;
        let mut digest = [0u8; 8];
        for d in self.descendants(doc) {
            if self.subs.get(&d).is_some_and(|s| s.has_body()) {
                count += 1;
                for (x, y) in digest.iter_mut().zip(d.as_bytes()) {
                    *x ^= y;
                }
            }
        }
        (count, digest)
    }

    /// What travels with the body of `doc` sent to `peer`: the followed thread whose tree the
    /// push follows, or else the document's own tally when replies to it are held.
    pub(super) fn claim_for(&mut self, doc: &DocId, peer: &NodeId) -> Option<ThreadClaim> {
        let root = self
            .thread_pushed_along(doc, peer)
            .or_else(|| self.children.contains_key(doc).then_some(*doc))?;
        self.claim_of(root)
    }

    /// What travels with an offer of `doc` without its body along a followed thread's tree: the
    /// thread, so that a neighbour holding the document without its parents keeps it.
    pub(super) fn offer_claim_for(&mut self, doc: &DocId, peer: &NodeId) -> Option<ThreadClaim> {
        let root = self.thread_pushed_along(doc, peer)?;
        self.claim_of(root)
    }

    /// The followed thread above `doc` on whose tree `peer` is a neighbour that follows it.
    fn thread_pushed_along(&self, doc: &DocId, peer: &NodeId) -> Option<DocId> {
        self.ancestors(doc).into_iter().find(|a| {
            self.subs
                .get(a)
                .is_some_and(|s| s.derived.thread && s.tree_targets(Advert::THREAD).contains(peer))
        })
    }

    /// The followed thread above `doc` along whose tree `peer` is a neighbour, and the serial of
    /// the peer's newest advert for it.
    pub(super) fn thread_serial_along(&self, doc: &DocId, peer: &NodeId) -> Option<(DocId, u64)> {
        let top = self.thread_pushed_along(doc, peer)?;
        let serial = self.subs.get(&top)?.links.get(peer)?.peer_serial;
        Some((top, serial))
    }

    /// This node's tally below `root`, as a claim.
    fn claim_of(&mut self, root: DocId) -> Option<ThreadClaim> {
        let (below, digest) = self.tally(&root);
        Some(ThreadClaim {
            root,
            below,
            digest,
        })
    }

    /// Whether a document pushed without being asked belongs to a thread followed here.
    ///
    /// `Some(None)`: a document above it is in a thread set here. `Some(Some(root))`: its
    /// parents have not arrived, and the sender claims it below `root`, which is followed here;
    /// it is kept on that claim until its parents show where it hangs. `None`: neither.
    pub(super) fn thread_admits(
        &self,
        doc: DocId,
        semantic_parent: Option<DocId>,
        claim: Option<&ThreadClaim>,
    ) -> Option<Option<DocId>> {
        let mut above: Vec<DocId> = self
            .parents
            .get(&doc)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        above.extend(semantic_parent);
        let mut broken = false;
        for p in above.clone() {
            match self.subs.get(&p) {
                Some(s) if s.has_body() => above.extend(self.ancestors(&p)),
                _ => broken = true,
            }
        }
        let follows = |d: &DocId| self.subs.get(d).is_some_and(|s| s.derived.thread);
        if above.iter().any(follows) {
            return Some(None);
        }
        let root = claim.map(|c| c.root)?;
        // A held chain that ends without reaching the claimed thread shows the claim is false.
        let chain_broken = broken
            || above
                .iter()
                .any(|a| self.subs.get(a).is_none_or(|s| !s.has_body()));
        (chain_broken && follows(&root)).then_some(Some(root))
    }

    /// A thread tree neighbour lacks `doc`, which this node is sending it: it may have let it go
    /// (a restart, a lapse of interest) and said goodbye to the documents below it then, which
    /// nothing would offer it again, since the thread's tree did not change. So they are offered
    /// now, without their bodies (§6.1).
    pub(super) fn offer_below_along_thread(&mut self, doc: DocId, peer: NodeId) {
        if self.thread_pushed_along(&doc, &peer).is_none() {
            return;
        }
        for d in self.descendants(&doc) {
            self.offer(d, &[peer], false);
        }
    }

    /// Keeps a document offered without its body along a followed thread's tree on the offer's
    /// claim, as a pushed body would be kept (§6.1): it is held here, but its parents are not, so
    /// nothing else makes it wanted.
    pub(super) fn keep_on_offered_claim(&mut self, doc: DocId, claim: &ThreadClaim) {
        let Some(sub) = self.subs.get(&doc) else {
            return;
        };
        if !sub.has_body() || sub.thread_via.is_some() {
            return;
        }
        let parent = sub.meta.and_then(|m| m.parent);
        if let Some(Some(root)) = self.thread_admits(doc, parent, Some(claim)) {
            self.set_thread_via(doc, Some(root));
        }
    }

    /// Keeps `doc` on the claim that it lies below `root`, or (with `None`) drops the claim.
    pub(super) fn set_thread_via(&mut self, doc: DocId, root: Option<DocId>) {
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        if sub.thread_via == root {
            return;
        }
        if let Some(old) = sub.thread_via.take()
            && let Some(set) = self.claimed.get_mut(&old)
        {
            set.remove(&doc);
            if set.is_empty() {
                self.claimed.remove(&old);
            }
        }
        sub.thread_via = root;
        if let Some(root) = root {
            self.claimed.entry(root).or_default().insert(doc);
        }
        self.tallies.clear();
        self.persist.insert(doc);
        self.dirty.insert(doc);
    }

    /// Drops the claim a document is kept on once its parents are here (or ends the claim of a
    /// document whose held parents show it does not lie in the claimed thread).
    pub(super) fn review_thread_via(&mut self, doc: DocId) {
        let Some(root) = self.subs.get(&doc).and_then(|s| s.thread_via) else {
            return;
        };
        let mut broken = false;
        let mut reaches = false;
        let mut stack: Vec<DocId> = self
            .parents
            .get(&doc)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(p) = stack.pop() {
            if !seen.insert(p) || seen.len() > MAX_THREAD_WALK {
                continue;
            }
            if p == root {
                reaches = true;
                break;
            }
            match self.subs.get(&p) {
                Some(s) if s.has_body() => {
                    stack.extend(self.parents.get(&p).into_iter().flatten().copied());
                    if let Some(via) = s.thread_via {
                        stack.push(via);
                    }
                }
                _ => broken = true,
            }
        }
        let no_parent_yet = self.parents.get(&doc).is_none_or(|p| p.is_empty());
        if reaches || (!broken && !no_parent_yet) {
            self.set_thread_via(doc, None);
        }
    }

    /// Records a neighbour's tally of the thread below `claim.root`, keeping the largest.
    pub(super) fn learn_claim(&mut self, claim: &ThreadClaim) {
        if let Some(sub) = self.subs.get_mut(&claim.root) {
            let better = sub
                .claimed_tally
                .is_none_or(|(below, _)| claim.below >= below);
            if better {
                sub.claimed_tally = Some((claim.below, claim.digest));
            }
        }
    }

    /// The thread a post to `doc` belongs to: the topmost held document below a forum root
    /// (a document without parent), or `doc` itself when it is a root. Its author follows it.
    pub fn thread_of(&self, doc: &DocId) -> DocId {
        let parent = |d: &DocId| self.subs.get(d).and_then(|s| s.meta).and_then(|m| m.parent);
        let mut cur = *doc;
        for _ in 0..MAX_THREAD_DEPTH {
            let Some(p) = parent(&cur) else {
                return cur;
            };
            let held = self.subs.get(&p).is_some_and(|s| s.has_body());
            if !held || parent(&p).is_none() {
                return cur;
            }
            cur = p;
        }
        cur
    }

    /// How complete the thread below `doc` is here, as far as this node and its neighbours know.
    pub fn thread_status(&self, doc: &DocId) -> ThreadStatus {
        let (below, digest) = self
            .tallies
            .get(doc)
            .copied()
            .unwrap_or_else(|| self.count_below(doc));
        let descendants = self.descendants(doc);
        let known_missing = descendants
            .iter()
            .filter(|d| self.subs.get(d).is_none_or(|s| !s.has_body()))
            .count() as u32;
        // Documents retracted and gone since a neighbour counted them are not missing: a claim
        // that counts them as well as what is held is complete, and one whose digest differs
        // only proves something missing while no retracted document could explain it.
        let mut gone = BTreeSet::new();
        for r in self.retractions() {
            let under = r
                .parent
                .is_some_and(|p| p == *doc || descendants.contains(&p));
            if under && !self.subs.contains_key(&r.target) {
                gone.insert(r.target);
            }
        }
        let retracted = gone.len() as u32;
        let claim = self.subs.get(doc).and_then(|s| s.claimed_tally);
        let claimed_missing = match claim {
            Some((c, _)) if c > below + retracted => c - below - retracted,
            Some((c, d)) if c == below && d != digest && retracted == 0 => 1,
            _ => 0,
        };
        ThreadStatus {
            below,
            claimed: claim.map(|(c, _)| c),
            missing: known_missing.max(claimed_missing),
        }
    }
}
