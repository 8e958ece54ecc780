//! Sessions: what a node does when the driver reports a neighbour's session up or down, or
//! lets it expire, and the start grace of a restarted node.
//!
//! A session that comes up sends at once what waits on its links and reconciles the rest
//! (`reconcile.rs`, docs/protocol.md §3.1). A restarted node keeps following the upstreams it
//! persisted until their sessions are reported, or until [`START_GRACE`] has passed since its
//! first input (§9); a session reported down stops being followed at once (§5.4).

use super::Node;
use crate::store::Store;
use crate::subscription::LinkState;
use crate::time::Time;
use cliqueclique_doc::{DocId, NodeId};

/// How long after its first input a node still follows peers it has not heard about: long
/// enough for the sessions of a restart to come back over TCP or established I2P tunnels.
pub const START_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

impl<S: Store> Node<S> {
    /// Time has come to `now`; the first input starts the start grace of a node that knew peers
    /// from its store.
    pub(super) fn clock(&mut self, now: Time) {
        self.now = now;
        if !self.started {
            self.started = true;
            if !self.unheard.is_empty() {
                self.start_grace = Some(now.after(START_GRACE));
            }
        }
    }

    /// Whether `peer` may be followed as an upstream: its session is up, or this node knew it
    /// from its store when it started, the driver has not reported on it since, and the start
    /// grace runs. A restarted node then keeps the routes it persisted while its sessions come
    /// back one by one, instead of changing every route (and every serial) on its first input
    /// and back again (docs/protocol.md §9). A new node knows no peer yet, so this changes
    /// nothing for it.
    pub(super) fn may_follow(&self, peer: &NodeId) -> bool {
        self.peers
            .get(peer)
            .is_some_and(|p| p.up || (self.start_grace.is_some() && self.unheard.contains(peer)))
    }

    /// The start grace is over: routes through peers still not reported on are given up.
    pub(super) fn end_start_grace(&mut self) {
        self.start_grace = None;
        let through_unheard: Vec<DocId> = self
            .subs
            .values()
            .filter(|s| s.route.upstream.is_some_and(|u| self.unheard.contains(&u)))
            .map(|s| s.doc)
            .collect();
        self.unheard.clear();
        self.dirty.extend(through_unheard);
    }

    /// The session with `peer` works again: what is waiting to be sent goes now, and the two
    /// nodes reconcile the links they share (`reconcile.rs`).
    pub(super) fn set_peer_up(&mut self, now: Time, peer: NodeId) {
        let Some(entry) = self.peers.get_mut(&peer) else {
            return;
        };
        entry.up = true;
        entry.down_since = None;
        self.unheard.remove(&peer);
        let docs = self.docs_shared_with(&peer);
        for doc in docs {
            if let Some(sub) = self.subs.get_mut(&doc) {
                let serial = sub.serial;
                if let Some(link) = sub.links.get_mut(&peer)
                    && (link.acked != serial || link.state != LinkState::Active || link.ack_owed)
                {
                    link.next_send = None;
                    link.backoff_ms = 0;
                    self.send_due.insert((doc, peer));
                }
            }
            self.dirty.insert(doc);
        }
        self.start_reconcile(now, peer);
    }

    /// Sends every state of the link with `peer` for `doc` again, body included if the peer lacks
    /// it, as on a fresh link.
    pub(super) fn resync_session_link(&mut self, doc: DocId, peer: NodeId) {
        if let Some(sub) = self.subs.get_mut(&doc) {
            let has_body = sub.meta.is_some();
            if let Some(link) = sub.links.get_mut(&peer) {
                link.resync();
                link.body_due = has_body && !link.peer_has_body;
            }
        }
        self.dirty.insert(doc);
        self.send_due.insert((doc, peer));
    }

    /// The peer's interest grace or its expiry came: documents shared with it settle again, and
    /// after `peer_expiry` its links go.
    pub(super) fn expire_peer(&mut self, now: Time, peer: NodeId) {
        // The interest grace may have ended: documents shared with the peer settle again.
        if self.peers.get(&peer).is_some_and(|p| !p.up) {
            for doc in self.peer_docs.get(&peer).into_iter().flatten() {
                self.dirty.insert(*doc);
            }
        }
        let expired = self.peers.get(&peer).is_some_and(|p| {
            !p.up
                && p.down_since
                    .is_some_and(|t| now.since(t) >= self.config.peer_expiry)
        });
        if !expired {
            return;
        }
        let docs = self.docs_shared_with(&peer);
        for doc in docs {
            self.remove_link(doc, peer);
            // Dropped without a goodbye: remembered like a goodbye, so that a decline we send
            // the peer when it comes back carries a new serial (docs/protocol.md §8.1).
            if let Some(sub) = self.subs.get_mut(&doc) {
                sub.tombstone(peer, 0, now);
            }
        }
    }
}
