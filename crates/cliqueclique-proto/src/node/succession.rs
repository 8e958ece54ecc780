//! Succession: who a document's overlay gathers at when its center leaves for good.
//!
//! A center names up to [`MAX_HEIRS`] *heirs* among its neighbours. For a forum root, each heir
//! also names its own heirs, the center's *deputies*, and tells the center. The center tells its
//! neighbours its heirs and its second line (the heirs' heirs and its next best neighbours), and
//! each of its neighbours passes both on to its own downstream neighbours. So every node within
//! two hops of the center knows both lines.
//!
//! A node whose upstream neighbour left (gone for the whole interest grace) is an *orphan*. It
//! reaches the first line: the old center if a relay left, the heirs if the center itself left.
//! If no node of the first line has come up one more grace later, the first line left too, and
//! it reaches the second. Every fragment that a departure of the center and its heirs leaves
//! behind holds a neighbour of one of them, and all of these reach the same second line, so the
//! fragments meet there. See `docs/protocol.md` §5.4.

use super::Node;
use crate::event::RejectReason;
use crate::message::{MAX_DEPUTIES, MAX_HEIRS};
use crate::route::Route;
use crate::store::Store;
use crate::subscription::{NamedDeputies, Orphaned, Subscription};
use crate::time::Time;
use cliqueclique_doc::{ContactCard, DocId, NodeId};

impl<S: Store> Node<S> {
    /// Follows a route lost with its upstream neighbour.
    ///
    /// Returns the orphan record to keep and the nodes to reach directly now: once the neighbour
    /// has been gone for the whole interest grace without the old center being found again, the
    /// first line (the old center when a relay left, or the heirs it named when the center itself
    /// left); one grace later, if none of those came up, the second line.
    pub(super) fn track_orphan(
        &self,
        now: Time,
        sub: &Subscription,
        new_route: &Route,
    ) -> (Option<Orphaned>, Vec<NodeId>) {
        let up = |peer: &NodeId| self.peers.get(peer).is_some_and(|p| p.up);
        let mut orphaned = sub.orphaned.clone();
        if orphaned.is_none()
            && let Some(via) = sub.route.upstream
            && !up(&via)
            && sub.route.center != self.id
        {
            orphaned = Some(Orphaned {
                center: sub.route.center,
                via,
                heirs: sub.heirs.clone(),
                deputies: sub.deputies.clone(),
                reached: None,
            });
        }
        let Some(o) = &orphaned else {
            return (None, Vec::new());
        };
        let found = new_route.center == o.center && new_route.upstream.is_some();
        if up(&o.via) || found {
            return (None, Vec::new());
        }
        let grace = self.config.interest_grace;
        let reachable =
            |n: &NodeId| *n != self.id && !sub.links.contains_key(n) && self.knows_card(n);
        if let Some((at, first)) = &o.reached {
            if now.since(*at) < grace {
                return (orphaned, Vec::new());
            }
            if first.iter().any(up) {
                return (None, Vec::new());
            }
            // Nobody of the first line came up: it left too. Every fragment reaches the
            // second line, which the center's neighbours and theirs were all told.
            let mut second: Vec<NodeId> = Vec::new();
            for n in o.heirs.iter().chain(&o.deputies) {
                if !first.contains(n) && *n != o.via && reachable(n) && !second.contains(n) {
                    second.push(*n);
                }
            }
            return (None, second);
        }
        let left = self
            .peers
            .get(&o.via)
            .is_none_or(|p| p.down_since.is_none_or(|t| now.since(t) >= grace));
        if !left {
            return (orphaned, Vec::new());
        }
        // A relay left: the old center is alive on the other side. The center itself left: every
        // orphan reaches every heir it was told of, so the fragments meet even if the center's
        // list changed while it was being sent.
        let first: Vec<NodeId> = if o.center != o.via {
            vec![o.center]
        } else {
            o.heirs.iter().filter(|h| **h != o.via).copied().collect()
        };
        let reach = first.iter().filter(|n| reachable(n)).copied().collect();
        let mut o = o.clone();
        o.reached = Some((now, first));
        (Some(o), reach)
    }

    /// The deputies a node names for `doc` with the route it is about to take: an heir tells
    /// the center its own heirs; the center tells its neighbours its second line; a neighbour
    /// of the center passes on the center's heirs and that second line to its downstream
    /// neighbours.
    ///
    /// Only a document without a semantic parent (a forum root) has a second line: the holders
    /// of a comment are linked again by its parent's pushes once the parent's overlay heals
    /// (docs/protocol.md §6, §6.1), so a second line per comment would cost without healing.
    pub(super) fn named_deputies(&self, sub: &Subscription, route: &Route) -> NamedDeputies {
        if sub.meta.is_none_or(|m| m.parent.is_some()) {
            return NamedDeputies::default();
        }
        let order: Vec<NodeId> = sub
            .succession_order()
            .into_iter()
            .filter(|n| self.peers.get(n).is_some_and(|p| p.up) && Some(*n) != route.upstream)
            .collect();
        let mut named = NamedDeputies::default();
        if route.upstream.is_none() {
            let heirs: Vec<NodeId> = order.iter().take(MAX_HEIRS).copied().collect();
            let reserves = order.iter().skip(MAX_HEIRS).take(MAX_HEIRS);
            let theirs = heirs
                .iter()
                .filter_map(|h| sub.deputies_of.get(h))
                .flatten();
            for n in theirs.chain(reserves) {
                if *n != self.id && !heirs.contains(n) && !named.down.contains(n) {
                    named.down.push(*n);
                }
            }
        } else if route.dist == 1 {
            if sub.heirs.contains(&self.id) {
                named.up = order.iter().take(MAX_HEIRS).copied().collect();
            }
            // Every neighbour of the center passes the lines on, not only the heirs: which
            // neighbours are heirs changes while the lists travel.
            for n in sub.heirs.iter().chain(&sub.deputies) {
                if *n != self.id && !named.down.contains(n) {
                    named.down.push(*n);
                }
            }
        }
        named.down.truncate(MAX_DEPUTIES);
        named
    }

    /// Remembers the heirs our center names: accepted only from a neighbour that advertises
    /// itself as the center, and only [`MAX_HEIRS`] verified cards.
    pub(super) fn on_heirs(&mut self, from: NodeId, doc: DocId, cards: Vec<ContactCard>) {
        let from_center = self
            .subs
            .get(&doc)
            .and_then(|s| s.links.get(&from))
            .and_then(|l| l.advert)
            .is_some_and(|a| a.center == from);
        if !from_center || cards.len() > MAX_HEIRS {
            return;
        }
        if let Some(ids) = self.learn_named_cards(from, cards)
            && let Some(sub) = self.subs.get_mut(&doc)
        {
            sub.heirs = ids;
        }
    }

    /// Remembers deputies: at the center, an heir's own heirs (at most [`MAX_HEIRS`]); elsewhere,
    /// the line our upstream passes on, if it is the center or a neighbour of it (at most
    /// [`MAX_DEPUTIES`]). From anyone else the part is ignored.
    pub(super) fn on_deputies(&mut self, from: NodeId, doc: DocId, cards: Vec<ContactCard>) {
        let Some(sub) = self.subs.get(&doc) else {
            return;
        };
        let Some(advert) = sub.links.get(&from).and_then(|l| l.advert) else {
            return;
        };
        let from_heir = sub.route.upstream.is_none() && sub.named_heirs.contains(&from);
        let from_upstream = sub.route.upstream == Some(from) && advert.dist <= 1;
        let limit = if from_heir { MAX_HEIRS } else { MAX_DEPUTIES };
        if !(from_heir || from_upstream) || cards.len() > limit {
            return;
        }
        let Some(ids) = self.learn_named_cards(from, cards) else {
            return;
        };
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        if from_heir {
            sub.deputies_of.insert(from, ids);
            sub.deputies_of.retain(|h, _| sub.named_heirs.contains(h));
            self.dirty.insert(doc);
        } else {
            sub.deputies = ids;
        }
    }

    /// Verifies the cards a neighbour names (heirs or deputies) and learns them; returns their
    /// node ids, or `None` (and rejects the sender) if one does not verify.
    fn learn_named_cards(&mut self, from: NodeId, cards: Vec<ContactCard>) -> Option<Vec<NodeId>> {
        for card in &cards {
            let known = self
                .peers
                .get(&card.node_id())
                .and_then(|p| p.card.as_ref())
                .is_some_and(|c| c == card);
            if !known && card.verify().is_err() {
                self.reject(from, RejectReason::BadCard);
                return None;
            }
        }
        let ids = cards.iter().map(ContactCard::node_id).collect();
        for card in cards {
            if card.node_id() != self.id {
                self.learn_card(card);
            }
        }
        Some(ids)
    }
}
