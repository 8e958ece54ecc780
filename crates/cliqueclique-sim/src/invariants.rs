//! The protocol's invariants (`docs/protocol.md` §11), checked over the running nodes.
//!
//! [`check_quiet`] runs once the network is quiet (nothing in flight, no resend due) and checks
//! everything, for every document any running node holds state for:
//!
//! - (a) each connected component of H(x) (nodes with a subscription; edges are links active on
//!   both sides between nodes that can reach each other) has exactly one center, the best
//!   candidate by `(rank, node id)`; every node follows it, its distance is its upstream's plus
//!   one, its upstream is a linked neighbour, and upstream pointers form a tree;
//! - (b) S(x) (nodes with `derived.subscribed`) contains every user subscriber, every member's
//!   upstream is a member, every member is a subscriber or has a downstream member, and S(x) is
//!   connected (within each side of a partition still in force);
//! - (c) every comment to x is stored by every member of S(x) (where it exists in that partition),
//!   and every document below x at any depth by every member of x's thread set (nodes with
//!   `derived.thread`: the followers of the thread and the relays toward its center);
//! - (d) no node keeps state it does not want, every link to a reachable node is returned, no
//!   link is still being torn down, every subscription holds its body, no node has more active
//!   links for a document than `max_peers_per_document`;
//! - (e) every stored body parses under its id, bodies and subscriptions match, and no forged body
//!   is stored anywhere.
//!
//! [`check_structure`] checks (a) and (b) for one document; convergence probes call it while the
//! network is still busy. Each violation is one readable line naming the document, the node
//! index and what is wrong.

use crate::network::Network;
use bytes::Bytes;
use cliqueclique_doc::{DocId, Document, NodeId};
use cliqueclique_proto::{LinkState, Subscription};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Checks everything; see the module documentation. `forged` are bodies no store may hold.
pub fn check_quiet(net: &Network, forged: &BTreeSet<DocId>) -> Vec<String> {
    let mut out = Vec::new();
    let holders = holders(net);
    for (doc, members) in &holders {
        let overlay = Overlay::new(net, *doc, members);
        overlay.structure(&mut out);
        overlay.links(&mut out);
    }
    comments(net, &holders, &mut out);
    stores(net, forged, &mut out);
    out
}

/// Checks (a) and (b) for one document.
pub fn check_structure(net: &Network, doc: &DocId) -> Vec<String> {
    let members: Vec<usize> = net
        .alive()
        .filter(|&i| net.node(i).is_some_and(|n| n.subscription(doc).is_some()))
        .collect();
    let mut out = Vec::new();
    Overlay::new(net, *doc, &members).structure(&mut out);
    out
}

/// The running nodes holding state for each document.
fn holders(net: &Network) -> BTreeMap<DocId, Vec<usize>> {
    let mut out: BTreeMap<DocId, Vec<usize>> = BTreeMap::new();
    for i in net.alive() {
        for sub in net.node(i).expect("alive").subscriptions() {
            out.entry(sub.doc).or_default().push(i);
        }
    }
    out
}

/// One document's overlay among the running nodes.
struct Overlay<'a> {
    net: &'a Network,
    label: String,
    /// Node index of each member.
    members: Vec<usize>,
    subs: Vec<&'a Subscription>,
    ids: Vec<NodeId>,
    /// Member position of each node index.
    pos: BTreeMap<usize, usize>,
    /// Links active on both sides, between reachable members.
    adjacent: Vec<Vec<usize>>,
}

impl<'a> Overlay<'a> {
    fn new(net: &'a Network, doc: DocId, members: &[usize]) -> Overlay<'a> {
        let subs: Vec<&Subscription> = members
            .iter()
            .map(|&i| {
                net.node(i)
                    .and_then(|n| n.subscription(&doc))
                    .expect("member")
            })
            .collect();
        let ids: Vec<NodeId> = members.iter().map(|&i| net.sim_node(i).id()).collect();
        let pos: BTreeMap<usize, usize> =
            members.iter().enumerate().map(|(p, &i)| (i, p)).collect();
        let mut adjacent = vec![Vec::new(); members.len()];
        for (p, sub) in subs.iter().enumerate() {
            for (peer, link) in &sub.links {
                if link.state != LinkState::Active {
                    continue;
                }
                let Some(q) = net.index_of(peer).and_then(|j| pos.get(&j).copied()) else {
                    continue;
                };
                if !net.reachable(members[p], members[q]) {
                    continue;
                }
                let back = subs[q].links.get(&ids[p]);
                if back.is_some_and(|l| l.state == LinkState::Active) {
                    adjacent[p].push(q);
                }
            }
        }
        Overlay {
            net,
            label: net.ledger().label(&doc),
            members: members.to_vec(),
            subs,
            ids,
            pos,
            adjacent,
        }
    }

    fn say(&self, out: &mut Vec<String>, p: usize, what: String) {
        out.push(format!(
            "doc {} node {}: {what}",
            self.label, self.members[p]
        ));
    }

    fn components(&self) -> Vec<Vec<usize>> {
        let mut seen = vec![false; self.members.len()];
        let mut out = Vec::new();
        for start in 0..self.members.len() {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            let mut component = vec![start];
            let mut queue = VecDeque::from([start]);
            while let Some(p) = queue.pop_front() {
                for &q in &self.adjacent[p] {
                    if !seen[q] {
                        seen[q] = true;
                        component.push(q);
                        queue.push_back(q);
                    }
                }
            }
            component.sort_unstable();
            out.push(component);
        }
        out
    }

    /// (a) and (b).
    fn structure(&self, out: &mut Vec<String>) {
        for component in self.components() {
            self.election(&component, out);
            self.subscribing_set(&component, out);
        }
        self.subscribing_set_connected(out);
    }

    fn election(&self, component: &[usize], out: &mut Vec<String>) {
        let in_component: BTreeSet<usize> = component.iter().copied().collect();
        let best = *component
            .iter()
            .max_by_key(|&&p| (self.subs[p].rank(self.ids[p]), self.ids[p]))
            .expect("components are not empty");
        let centers: Vec<usize> = component
            .iter()
            .copied()
            .filter(|&p| self.subs[p].route.upstream.is_none())
            .collect();
        if centers.len() != 1 {
            let names: Vec<usize> = centers.iter().map(|&p| self.members[p]).collect();
            self.say(
                out,
                component[0],
                format!(
                    "its component of {} nodes has {} centers {names:?} (best candidate: node {})",
                    component.len(),
                    centers.len(),
                    self.members[best]
                ),
            );
        } else if centers[0] != best {
            self.say(
                out,
                centers[0],
                format!(
                    "is the center of a component of {} nodes, but node {} is the better candidate",
                    component.len(),
                    self.members[best]
                ),
            );
        }
        let best_id = self.ids[best];
        for &p in component {
            let route = &self.subs[p].route;
            if route.center != best_id {
                let followed = self
                    .net
                    .index_of(&route.center)
                    .map_or_else(|| route.center.short(), |i| format!("node {i}"));
                self.say(
                    out,
                    p,
                    format!("follows center {followed}, not node {}", self.members[best]),
                );
            }
            match route.upstream {
                None => {
                    if route.dist != 0 {
                        self.say(out, p, format!("is a center at distance {}", route.dist));
                    }
                }
                Some(up) => {
                    let q = self
                        .net
                        .index_of(&up)
                        .and_then(|j| self.pos.get(&j).copied());
                    match q {
                        Some(q) if in_component.contains(&q) && self.adjacent[p].contains(&q) => {
                            let expected = self.subs[q].route.dist + 1;
                            if route.dist != expected {
                                self.say(
                                    out,
                                    p,
                                    format!(
                                        "distance {} but its upstream node {} is at {}",
                                        route.dist, self.members[q], self.subs[q].route.dist
                                    ),
                                );
                            }
                        }
                        _ => {
                            let name = self
                                .net
                                .index_of(&up)
                                .map_or_else(|| up.short(), |i| format!("node {i}"));
                            self.say(
                                out,
                                p,
                                format!(
                                    "its upstream {name} is not a linked neighbour in its component"
                                ),
                            );
                        }
                    }
                }
            }
        }
        // Upstream pointers must reach a center: follow them with a step bound.
        let mut reaches = vec![None::<bool>; self.members.len()];
        for &start in component {
            let mut path = Vec::new();
            let mut p = start;
            let verdict = loop {
                if let Some(v) = reaches[p] {
                    break v;
                }
                if path.len() > component.len() {
                    break false;
                }
                path.push(p);
                match self.subs[p].route.upstream {
                    None => break true,
                    Some(up) => match self
                        .net
                        .index_of(&up)
                        .and_then(|j| self.pos.get(&j).copied())
                    {
                        Some(q) if in_component.contains(&q) => p = q,
                        _ => break true, // Reported above as a missing upstream.
                    },
                }
            };
            for q in path {
                reaches[q] = Some(verdict);
            }
            if !verdict {
                self.say(out, start, "its upstream pointers run in a cycle".into());
            }
        }
    }

    fn subscribing_set(&self, component: &[usize], out: &mut Vec<String>) {
        let member: BTreeSet<usize> = component
            .iter()
            .copied()
            .filter(|&p| self.subs[p].derived.subscribed)
            .collect();
        let mut has_downstream_member = BTreeSet::new();
        for &p in component {
            let sub = self.subs[p];
            if sub.flags.subscribed && !sub.derived.subscribed {
                self.say(out, p, "its user subscribed but it is not in S(x)".into());
            }
            if !member.contains(&p) {
                continue;
            }
            if let Some(up) = sub.route.upstream
                && let Some(q) = self
                    .net
                    .index_of(&up)
                    .and_then(|j| self.pos.get(&j).copied())
            {
                if member.contains(&q) {
                    has_downstream_member.insert(q);
                } else if self.adjacent[p].contains(&q) {
                    self.say(
                        out,
                        p,
                        format!(
                            "is in S(x) but its upstream node {} is not",
                            self.members[q]
                        ),
                    );
                }
            }
        }
        for &p in &member {
            if !self.subs[p].flags.subscribed && !has_downstream_member.contains(&p) {
                self.say(
                    out,
                    p,
                    "is in S(x) without a subscribed user or a subscribed downstream neighbour"
                        .into(),
                );
            }
        }
    }

    /// S(x) is connected within each partition group (all of it, across components of H(x)).
    fn subscribing_set_connected(&self, out: &mut Vec<String>) {
        let groups = self.net.groups();
        let mut by_group: BTreeMap<u32, BTreeSet<usize>> = BTreeMap::new();
        for p in 0..self.members.len() {
            if self.subs[p].derived.subscribed {
                by_group
                    .entry(groups[self.members[p]])
                    .or_default()
                    .insert(p);
            }
        }
        for member in by_group.values() {
            let start = *member.first().expect("groups are not empty");
            let mut seen = BTreeSet::from([start]);
            let mut queue = VecDeque::from([start]);
            while let Some(p) = queue.pop_front() {
                for &q in &self.adjacent[p] {
                    if member.contains(&q) && seen.insert(q) {
                        queue.push_back(q);
                    }
                }
            }
            if seen.len() != member.len() {
                let apart: Vec<usize> = member
                    .difference(&seen)
                    .take(10)
                    .map(|&p| self.members[p])
                    .collect();
                self.say(
                    out,
                    start,
                    format!(
                        "S(x) is not connected: {} of {} members are cut off from this one, e.g. {apart:?}",
                        member.len() - seen.len(),
                        member.len()
                    ),
                );
            }
        }
    }

    /// (d): wanted state, link symmetry, leftovers.
    fn links(&self, out: &mut Vec<String>) {
        for (p, sub) in self.subs.iter().enumerate() {
            let i = self.members[p];
            if sub.meta.is_none() {
                self.say(out, p, "has a subscription but never got the body".into());
            }
            let max = self.net.config().max_peers_per_document;
            // A link never answered while the peer is down (a node reached after it left)
            // holds no slot.
            let node = self.net.node(i).expect("members run");
            let active = sub
                .active_links()
                .filter(|(peer, l)| node.holds_slot(sub, peer, l))
                .count();
            if active > max {
                self.say(
                    out,
                    p,
                    format!(
                        "has {active} links holding slots, more than max_peers_per_document = {max}"
                    ),
                );
            }
            let mut reachable_links = 0;
            for (peer, link) in &sub.links {
                let Some(j) = self.net.index_of(peer) else {
                    self.say(
                        out,
                        p,
                        format!("keeps a link to unknown node {}", peer.short()),
                    );
                    continue;
                };
                if !self.net.reachable(i, j) {
                    // Links to crashed, departed or partitioned nodes live until `peer_expiry`.
                    continue;
                }
                reachable_links += 1;
                if link.state != LinkState::Active {
                    self.say(out, p, format!("its link to node {j} is still leaving"));
                }
                match self.pos.get(&j) {
                    None => self.say(
                        out,
                        p,
                        format!("keeps a link to node {j}, which holds no state for the document"),
                    ),
                    Some(&q) => {
                        if !self.subs[q].links.contains_key(&self.ids[p]) {
                            self.say(
                                out,
                                p,
                                format!("keeps a link to node {j}, which has no link back"),
                            );
                        }
                    }
                }
            }
            if !sub.derived.wanted && (reachable_links > 0 || sub.links.is_empty()) {
                self.say(
                    out,
                    p,
                    format!(
                        "keeps state it does not want ({} links, {reachable_links} to reachable nodes)",
                        sub.links.len()
                    ),
                );
            }
        }
    }
}

/// (c): every comment is stored by every member of its parent's S(x).
fn comments(net: &Network, holders: &BTreeMap<DocId, Vec<usize>>, out: &mut Vec<String>) {
    let groups = net.groups();
    for comment in net.ledger().comments() {
        let Some(parent) = comment.parent else {
            continue;
        };
        let stores = |i: usize| {
            net.node(i).is_some_and(|n| {
                cliqueclique_proto::Store::document(n.store(), &comment.id).is_some()
            })
        };
        // The groups (partition sides) in which some running node holds the comment.
        let available: BTreeSet<u32> = net
            .alive()
            .filter(|&i| stores(i))
            .map(|i| groups[i])
            .collect();
        let mut missing = Vec::new();
        for &i in holders.get(&parent).into_iter().flatten() {
            let sub = net
                .node(i)
                .and_then(|n| n.subscription(&parent))
                .expect("holder");
            if sub.derived.subscribed && available.contains(&groups[i]) && !stores(i) {
                missing.push(i);
            }
        }
        // The thread sets of every document above it.
        for top in net.ledger().ancestors(&comment.id) {
            for &i in holders.get(&top).into_iter().flatten() {
                let in_thread_set = net
                    .node(i)
                    .and_then(|n| n.subscription(&top))
                    .is_some_and(|s| s.derived.thread);
                if in_thread_set
                    && available.contains(&groups[i])
                    && !stores(i)
                    && !missing.contains(&i)
                {
                    missing.push(i);
                }
            }
        }
        if !missing.is_empty() {
            let shown: Vec<usize> = missing.iter().take(10).copied().collect();
            out.push(format!(
                "doc {} ({}): {} members of S({}) or of a thread set above it lack it, e.g. nodes {shown:?}",
                comment.label,
                comment.id.short(),
                missing.len(),
                net.ledger().label(&parent)
            ));
        }
    }
}

/// (e): stored bodies parse under their ids, match the subscriptions, and none is forged.
fn stores(net: &Network, forged: &BTreeSet<DocId>, out: &mut Vec<String>) {
    use cliqueclique_proto::Store;
    let limits = &net.config().limits;
    let mut verified: BTreeMap<DocId, Bytes> = BTreeMap::new();
    for i in net.alive() {
        let node = net.node(i).expect("alive");
        let store = node.store();
        let ids: Vec<DocId> = store.document_ids().copied().collect();
        if ids.len() != ids.iter().collect::<BTreeSet<_>>().len() {
            out.push(format!("node {i}: its store holds a document twice"));
        }
        for id in ids {
            let label = net.ledger().label(&id);
            if forged.contains(&id) {
                out.push(format!("doc {label} node {i}: stores a forged body"));
            }
            let bytes = store.document(&id).expect("listed");
            let known_good = verified.get(&id).is_some_and(|b| *b == bytes);
            if !known_good {
                match Document::parse_expecting(&id, bytes.clone(), limits) {
                    Ok(_) => {
                        verified.insert(id, bytes);
                    }
                    Err(e) => {
                        out.push(format!("doc {label} node {i}: stored body is invalid: {e}"))
                    }
                }
            }
            if node.subscription(&id).is_none_or(|s| s.meta.is_none()) {
                out.push(format!(
                    "doc {label} node {i}: the store holds the body but no subscription claims it"
                ));
            }
        }
        for sub in node.subscriptions() {
            if sub.meta.is_some() && store.document(&sub.doc).is_none() {
                out.push(format!(
                    "doc {} node {i}: the subscription has the body's metadata but the store lacks it",
                    net.ledger().label(&sub.doc)
                ));
            }
        }
    }
}
