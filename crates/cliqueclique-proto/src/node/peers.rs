//! The peer table: which nodes get a record, and which records are forgotten.
//!
//! Node keys cost nothing to make, so a record is never made for a mere sender: a batch from a
//! node without a record is handled (and answered), but a record is made only when the node
//! links with the peer (a join, an introduction, a link request for a document it holds), or
//! learns a verified card it needs (a center's or an heir's, named by a linked neighbour). A card
//! a sender brings is kept only if the sender has a record once the rest of its batch is handled.
//!
//! Records are bounded by `Config::max_peer_records`: beyond it the node forgets the least recently
//! heard records, with their cards, down to seven eighths of the bound (so the scan runs once per
//! eighth of new records). Records it still needs are never forgotten: peers it holds links with,
//! and the centers, heirs, deputies and reached nodes its subscriptions follow. See `docs/protocol.md` §7.1.

use super::Node;
use crate::event::Event;
use crate::node::Peer;
use crate::store::Store;
use cliqueclique_doc::NodeId;
use std::collections::BTreeSet;

impl<S: Store> Node<S> {
    /// Whether `peer` may still be named an heir: its session is up, went down less than an
    /// interest grace ago (it may be restarting), or has not been reported on since this node
    /// started. A session that drops and comes back then changes no center's heirs, and so no
    /// serial (docs/protocol.md §3.1, §5.4).
    pub(super) fn within_grace(&self, peer: &NodeId) -> bool {
        self.peers.get(peer).is_some_and(|p| {
            p.up || p
                .down_since
                .is_none_or(|t| self.now.since(t) < self.config.interest_grace)
        })
    }

    /// Makes the record of `peer` if there is none (as up: the node is hearing from it or about
    /// to send to it), then forgets records beyond the bound.
    pub(super) fn admit_peer(&mut self, peer: NodeId) {
        if self.peers.contains_key(&peer) {
            return;
        }
        self.peers.insert(
            peer,
            Peer {
                up: true,
                last_heard: self.now,
                ..Peer::default()
            },
        );
        if self.peers.len() > self.config.max_peer_records {
            self.forget_peers(Some(peer));
        }
    }

    /// Forgets the least recently heard records that are not needed, down to seven eighths of
    /// `max_peer_records` (or as far as the needed ones allow); `keep` is the record just made.
    pub(super) fn forget_peers(&mut self, keep: Option<NodeId>) {
        let target = self.config.max_peer_records - self.config.max_peer_records / 8;
        let excess = self.peers.len().saturating_sub(target);
        if excess == 0 {
            return;
        }
        let needed = self.needed_peers();
        let mut candidates: Vec<_> = self
            .peers
            .iter()
            .filter(|(id, _)| Some(**id) != keep && !needed.contains(*id))
            .map(|(id, p)| (p.last_heard, *id))
            .collect();
        candidates.sort_unstable();
        for (_, node) in candidates.into_iter().take(excess) {
            self.peers.remove(&node);
            self.store.remove_card(&node);
            self.stats.peers_forgotten += 1;
            self.events.push_back(Event::PeerForgotten { node });
        }
        // The expiry timers of forgotten peers would only find no record when they fire.
        let peers = &self.peers;
        self.expiry_timers.retain(|(_, p)| peers.contains_key(p));
    }

    /// The peers whose records the node needs: its links, and the nodes its subscriptions follow
    /// or may reach (centers, heirs, orphaned routes, nodes being reached).
    fn needed_peers(&self) -> BTreeSet<NodeId> {
        let mut needed: BTreeSet<NodeId> = self.peer_docs.keys().copied().collect();
        for sub in self.subs.values() {
            needed.insert(sub.route.center);
            needed.extend(sub.heirs.iter().copied());
            needed.extend(sub.named_heirs.iter().copied());
            needed.extend(sub.deputies.iter().copied());
            needed.extend(sub.deputies_of.values().flatten().copied());
            needed.extend(sub.named_deputies.up.iter().copied());
            needed.extend(sub.named_deputies.down.iter().copied());
            needed.extend(sub.reaching.iter().copied());
            if let Some(o) = &sub.orphaned {
                needed.insert(o.center);
                needed.insert(o.via);
                needed.extend(o.heirs.iter().copied());
                needed.extend(o.deputies.iter().copied());
            }
        }
        needed
    }
}
