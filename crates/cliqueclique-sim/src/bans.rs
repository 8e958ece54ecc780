//! Forum bans as each node's driver applies them, and what they let through.
//!
//! The daemon reads a forum's moderation decisions and hands the banned nodes to the core
//! (`Command::SetForumBans`) whenever a decision arrives (`docs/moderation.md` §4). The simulator
//! plays that part for the ban decisions it posts: when a node stores one, the node's bans for
//! that forum are set again, and the time is noted, which gives `ban_propagation_ms` (from the
//! post until the last running follower applied it).
//!
//! It also watches documents of chosen authors (a spammer's comments) and counts those a node
//! stored after it applied a ban of their author in their forum: `spam_deliveries_after_ban`,
//! which the core keeps at zero by declining them before anything is stored (§8.4 of the
//! protocol). A restarted node gets its bans again, as the daemon sets them when a node starts.

use cliqueclique_doc::{DocId, NodeId};
use cliqueclique_proto::Time;
use std::collections::{BTreeMap, BTreeSet};

/// A ban decision the simulator posted.
#[derive(Clone, Copy, Debug)]
struct Decision {
    forum: DocId,
    banned: NodeId,
    posted_at: Time,
}

/// The bans every node applies and the watched documents (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct Bans {
    decisions: BTreeMap<DocId, Decision>,
    /// Per node: the nodes it bans, per forum.
    applied: Vec<BTreeMap<DocId, BTreeSet<NodeId>>>,
    /// When each node applied each decision.
    applied_at: BTreeMap<(DocId, usize), Time>,
    /// Watched documents: their author and forum.
    watched: BTreeMap<DocId, (NodeId, DocId)>,
    /// Watched documents stored by nodes that did not ban their author.
    before_ban: u64,
    /// Watched documents stored by nodes that banned their author in their forum.
    after_ban: u64,
}

impl Bans {
    /// No bans, for `n` nodes.
    pub fn new(n: usize) -> Bans {
        Bans {
            applied: vec![BTreeMap::new(); n],
            ..Bans::default()
        }
    }

    /// Records a ban decision `id` on `banned` in `forum`, posted now.
    pub fn decided(&mut self, id: DocId, forum: DocId, banned: NodeId, now: Time) {
        self.decisions.insert(
            id,
            Decision {
                forum,
                banned,
                posted_at: now,
            },
        );
    }

    /// Watches `doc`, by `author` in `forum`.
    pub fn watch(&mut self, doc: DocId, author: NodeId, forum: DocId) {
        self.watched.insert(doc, (author, forum));
    }

    /// Node `i` stored `doc`: counts a watched one, and returns the forum and its new bans when
    /// `doc` is a ban decision the node must apply.
    pub fn arrived(
        &mut self,
        i: usize,
        doc: &DocId,
        now: Time,
    ) -> Option<(DocId, BTreeSet<NodeId>)> {
        if let Some((author, forum)) = self.watched.get(doc) {
            let banned = self.applied[i]
                .get(forum)
                .is_some_and(|nodes| nodes.contains(author));
            if banned {
                self.after_ban += 1;
            } else {
                self.before_ban += 1;
            }
        }
        self.apply(i, doc, now)
    }

    /// Node `i` applies decision `doc` (its own, or one it stored): returns the forum and the
    /// node's bans there, to hand to its core, or `None` if `doc` is no decision or was applied.
    pub fn apply(&mut self, i: usize, doc: &DocId, now: Time) -> Option<(DocId, BTreeSet<NodeId>)> {
        let decision = *self.decisions.get(doc)?;
        if self.applied_at.contains_key(&(*doc, i)) {
            return None;
        }
        self.applied_at.insert((*doc, i), now);
        let nodes = self.applied[i].entry(decision.forum).or_default();
        nodes.insert(decision.banned);
        Some((decision.forum, nodes.clone()))
    }

    /// The bans node `i` applies, per forum: what a restart hands its core again.
    pub fn applied(&self, i: usize) -> &BTreeMap<DocId, BTreeSet<NodeId>> {
        &self.applied[i]
    }

    /// Whether any ban decision was posted.
    pub fn any_decision(&self) -> bool {
        !self.decisions.is_empty()
    }

    /// For every decision, the nodes among `followers` that have not applied it (the banned
    /// node itself is not asked); empty when all have.
    pub fn missing(&self, followers: &[(usize, NodeId)]) -> Vec<(DocId, usize)> {
        let mut out = Vec::new();
        for (id, decision) in &self.decisions {
            for &(i, node) in followers {
                if node != decision.banned && !self.applied_at.contains_key(&(*id, i)) {
                    out.push((*id, i));
                }
            }
        }
        out
    }

    /// The times from a decision's post until each of `followers` applied it (ms), sorted, or
    /// `None` without decisions or while one of them has not applied a decision.
    pub fn propagation_ms(&self, followers: &[(usize, NodeId)]) -> Option<Vec<u64>> {
        if self.decisions.is_empty() || !self.missing(followers).is_empty() {
            return None;
        }
        let mut times = Vec::new();
        for (id, decision) in &self.decisions {
            for &(i, node) in followers {
                if node == decision.banned {
                    continue;
                }
                if let Some(at) = self.applied_at.get(&(*id, i)) {
                    times.push(at.since(decision.posted_at).as_millis() as u64);
                }
            }
        }
        times.sort_unstable();
        Some(times)
    }

    /// Watched documents stored by nodes that had not banned their author (or before).
    pub fn stored_before_ban(&self) -> u64 {
        self.before_ban
    }

    /// Watched documents stored by nodes after they banned their author in the forum.
    pub fn stored_after_ban(&self) -> u64 {
        self.after_ban
    }
}
