//! Center election and distance: one route per (node, document), loop-free by construction.
//!
//! Every node of a document's overlay follows one *center*. Candidates are totally ordered by
//! `(Rank, NodeId)`: a subscribed candidate beats an unsubscribed one, then the document's author
//! beats other nodes, then the larger node id wins. Every node is a candidate for itself (its
//! *self-claim*, distance 0) and may follow a better candidate through a neighbour that advertises
//! it, at the neighbour's distance plus one.
//!
//! Loop freedom and the absence of counting to infinity come from Babel's feasibility condition
//! (RFC 8966 §2.4), applied per center:
//!
//! - A center owns a sequence number (`seq`) that only it increases.
//! - Each node remembers, per center, the best `(seq, dist)` it has ever advertised: its
//!   *feasibility distance*.
//! - A route `(seq, dist)` through a neighbour is *feasible* only if `seq` is newer than the
//!   remembered one, or equal with a strictly smaller distance.
//!
//! A node never accepts a route that could lead back through itself, because any such route is at
//! least as long as what it advertised before. When a node loses its upstream and no feasible
//! alternative exists, it falls back to its self-claim and sends a [`crate::Part::SeqRequest`]
//! toward the better center; the center answers by raising its sequence number, which makes fresh
//! routes feasible again. A departed center never answers, so all routes to it wither within the
//! depth of the tree and the best remaining candidate takes over. See `docs/protocol.md`.

use crate::message::{Advert, Rank};
use cliqueclique_doc::NodeId;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The route a node currently follows for one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    /// The center followed (the node itself when it is the center).
    pub center: NodeId,
    /// The center's election rank.
    pub rank: Rank,
    /// The center's sequence number as known here.
    pub seq: u32,
    /// Hops to the center.
    pub dist: u32,
    /// The next hop toward the center; `None` when this node is the center.
    pub upstream: Option<NodeId>,
}

impl Route {
    /// A node's claim to be the center itself.
    pub fn self_claim(me: NodeId, rank: Rank, seq: u32) -> Route {
        Route {
            center: me,
            rank,
            seq,
            dist: 0,
            upstream: None,
        }
    }

    /// The election key of this route's center: larger is better.
    pub fn claim(&self) -> (Rank, NodeId) {
        (self.rank, self.center)
    }
}

/// The best `(seq, dist)` a node has advertised for one center.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feasibility {
    /// The newest sequence number advertised.
    pub seq: u32,
    /// The smallest distance advertised with that sequence number.
    pub dist: u32,
}

/// The feasibility distances of one subscription, bounded in size.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeasibilityTable {
    entries: BTreeMap<NodeId, (Rank, Feasibility)>,
}

/// How many centers a table remembers; the worst-ranked are forgotten first.
const MAX_REMEMBERED_CENTERS: usize = 8;

impl FeasibilityTable {
    /// Whether a neighbour advertising `center` with `(seq, dist)` offers a feasible route:
    /// a newer sequence number, or the same one with a distance strictly below ours.
    pub fn is_feasible(&self, center: &NodeId, seq: u32, dist: u32) -> bool {
        match self.entries.get(center) {
            None => true,
            Some((_, fd)) => seq > fd.seq || (seq == fd.seq && dist < fd.dist),
        }
    }

    /// The remembered entry for a center.
    pub fn get(&self, center: &NodeId) -> Option<Feasibility> {
        self.entries.get(center).map(|(_, fd)| *fd)
    }

    /// Records that `route` is being advertised.
    pub fn advertise(&mut self, route: &Route) {
        let entry = self.entries.entry(route.center).or_insert((
            route.rank,
            Feasibility {
                seq: route.seq,
                dist: route.dist,
            },
        ));
        let fd = &mut entry.1;
        if route.seq > fd.seq {
            *fd = Feasibility {
                seq: route.seq,
                dist: route.dist,
            };
            entry.0 = route.rank;
        } else if route.seq == fd.seq {
            fd.dist = fd.dist.min(route.dist);
        }
        while self.entries.len() > MAX_REMEMBERED_CENTERS {
            let worst = self
                .entries
                .iter()
                .filter(|(c, _)| **c != route.center)
                .min_by_key(|(c, (rank, _))| (*rank, **c))
                .map(|(c, _)| *c);
            match worst {
                Some(c) => self.entries.remove(&c),
                None => break,
            };
        }
    }
}

/// A neighbour's advertisement, as input to route selection.
#[derive(Clone, Copy, Debug)]
pub struct Offer {
    /// The neighbour.
    pub peer: NodeId,
    /// What it advertised.
    pub advert: Advert,
}

/// The outcome of route selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// The route to follow.
    pub route: Route,
    /// A better center seen only through infeasible routes: ask `peer` for `center` with `seq`.
    pub blocked: Option<SeqWanted>,
    /// A better center offered only beyond `max_distance`: this node reaches it directly.
    pub beyond_cap: Option<NodeId>,
}

/// A sequence number wanted from a better center.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeqWanted {
    /// The neighbour to send the request to.
    pub peer: NodeId,
    /// The center.
    pub center: NodeId,
    /// The smallest sequence number that would make the route feasible.
    pub seq: u32,
}

/// Chooses the best route among the self-claim and feasible neighbour offers.
///
/// Offers from neighbours that follow this node (`UPSTREAM_IS_YOU`), that name this node as
/// center, or that exceed `max_distance` are ignored. Ties keep the current upstream, then the
/// smaller peer id, so that the choice is deterministic and stable.
pub fn select(
    me: NodeId,
    self_claim: Route,
    current_upstream: Option<NodeId>,
    offers: impl IntoIterator<Item = Offer>,
    table: &FeasibilityTable,
    max_distance: u32,
) -> Selection {
    let mut best = self_claim;
    let mut blocked: Option<SeqWanted> = None;
    let mut blocked_claim = None;
    let mut too_far: Option<(Rank, NodeId)> = None;
    for offer in offers {
        let a = offer.advert;
        if a.center == me || a.has(Advert::UPSTREAM_IS_YOU) {
            continue;
        }
        let dist = a.dist.saturating_add(1);
        if dist > max_distance {
            let claim = (a.rank, a.center);
            if too_far.is_none_or(|t| claim > t) {
                too_far = Some(claim);
            }
            continue;
        }
        let candidate = Route {
            center: a.center,
            rank: a.rank,
            seq: a.seq,
            dist,
            upstream: Some(offer.peer),
        };
        // Babel compares the neighbour's advertised distance (not ours through it) with what we
        // advertised: a neighbour strictly closer than we ever were cannot route through us.
        if !table.is_feasible(&a.center, a.seq, a.dist) {
            let claim = candidate.claim();
            if blocked_claim.is_none_or(|b| claim > b) {
                let fd_seq = table.get(&a.center).map_or(0, |fd| fd.seq);
                blocked_claim = Some(claim);
                blocked = Some(SeqWanted {
                    peer: offer.peer,
                    center: a.center,
                    seq: fd_seq.saturating_add(1),
                });
            }
            continue;
        }
        if compare(&candidate, &best, current_upstream) == Ordering::Greater {
            best = candidate;
        }
    }
    // A blocked center matters only if it would beat what was chosen.
    if blocked_claim.is_some_and(|claim| claim <= best.claim()) {
        blocked = None;
    }
    let beyond_cap = too_far
        .filter(|claim| *claim > best.claim())
        .map(|(_, center)| center);
    Selection {
        route: best,
        blocked,
        beyond_cap,
    }
}

/// Orders two routes: `Greater` means `a` is preferred.
fn compare(a: &Route, b: &Route, current_upstream: Option<NodeId>) -> Ordering {
    a.claim()
        .cmp(&b.claim())
        .then_with(|| a.seq.cmp(&b.seq))
        .then_with(|| b.dist.cmp(&a.dist))
        .then_with(|| {
            let a_cur = a.upstream.is_some() && a.upstream == current_upstream;
            let b_cur = b.upstream.is_some() && b.upstream == current_upstream;
            a_cur.cmp(&b_cur)
        })
        .then_with(|| b.upstream.cmp(&a.upstream))
}
