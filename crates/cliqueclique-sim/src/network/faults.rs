//! Faults and sessions: crashes, departures, restarts, partitions and heals, and the liveness
//! reports (`handle_peer_down` / `handle_peer_up`) that the transport's sessions would give.

use super::{Network, SimEvent};
use crate::error::SimError;
use cliqueclique_doc::NodeId;
use cliqueclique_proto::{MemStore, Node, Time};
use rand::RngExt;
use std::collections::BTreeSet;

impl Network {
    /// Crashes node `i`: its store is kept, its in-flight messages and timers are lost, and its
    /// peers are told after `detect_ms`.
    pub fn crash(&mut self, i: usize) -> Result<(), SimError> {
        let node = self.take_node(i)?;
        if self.traced.contains(&i) {
            eprintln!("{:>9} ms node {i} crashes", self.now.as_millis());
        }
        self.nodes[i].kept = Some(node.into_store());
        self.counters.crashes += 1;
        Ok(())
    }

    /// Node `i` leaves for good: its store is gone and it never returns.
    pub fn leave(&mut self, i: usize) -> Result<(), SimError> {
        self.take_node(i)?;
        if self.traced.contains(&i) {
            eprintln!("{:>9} ms node {i} leaves", self.now.as_millis());
        }
        self.nodes[i].left = true;
        self.ledger.forget_node(i);
        self.counters.departures += 1;
        Ok(())
    }

    /// Restarts crashed node `i` from its kept store; both sides of its sessions get `handle_peer_up`.
    pub fn restart(&mut self, i: usize) -> Result<(), SimError> {
        let sim = self.nodes.get_mut(i).ok_or(SimError::NoSuchNode(i))?;
        if sim.left {
            return Err(SimError::Left(i));
        }
        if sim.node.is_some() {
            return Err(SimError::AlreadyRunning(i));
        }
        let store = sim.kept.take().unwrap_or_default();
        if self.traced.contains(&i) {
            eprintln!("{:>9} ms node {i} restarts", self.now.as_millis());
        }
        let seed = self.rng.random::<u64>();
        let sim = &mut self.nodes[i];
        let node = Node::new(
            sim.identity.clone(),
            sim.card.clone(),
            self.config.clone(),
            store,
            seed,
        );
        let known: Vec<NodeId> = node.peers().keys().copied().collect();
        sim.node = Some(node);
        self.counters.restarts += 1;
        let mut peers: BTreeSet<usize> = self.sessions[i].clone();
        peers.extend(known.iter().filter_map(|id| self.index.get(id).copied()));
        peers.extend((0..self.nodes.len()).filter(|&j| self.told_down[j].contains(&i)));
        peers.remove(&i);
        for j in peers {
            if self.reachable(i, j) {
                self.peer_up(i, j);
                if self.sessions[j].contains(&i) || self.told_down[j].contains(&i) {
                    self.peer_up(j, i);
                }
            } else if !self.told_down[i].contains(&j) {
                self.peer_down(i, j);
            }
        }
        // Settle whatever the store held, even without peers.
        let now = self.now;
        if let Some(node) = self.nodes[i].node.as_mut() {
            node.handle_timeout(now);
        }
        self.drain(i);
        self.reapply_bans(i);
        Ok(())
    }

    /// Splits the nodes into groups (`groups[i]` is node i's group); sessions across groups break.
    pub fn partition(&mut self, groups: Vec<u32>) {
        assert_eq!(groups.len(), self.nodes.len(), "one group per node");
        self.groups = groups;
        for i in 0..self.nodes.len() {
            if !self.nodes[i].is_alive() {
                continue;
            }
            let cut: Vec<usize> = self.sessions[i]
                .iter()
                .copied()
                .filter(|&j| self.groups[i] != self.groups[j])
                .collect();
            for j in cut {
                self.schedule_down(i, j);
            }
        }
    }

    /// Ends any partition: both sides of every session it had cut get `handle_peer_up`.
    pub fn heal(&mut self) {
        let old = std::mem::replace(&mut self.groups, vec![0; self.nodes.len()]);
        for i in 0..self.nodes.len() {
            if !self.nodes[i].is_alive() {
                continue;
            }
            let mut peers: BTreeSet<usize> = self.sessions[i].clone();
            peers.extend(self.told_down[i].iter().copied());
            for j in peers {
                if old[i] != old[j] && self.reachable(i, j) {
                    self.peer_up(i, j);
                }
            }
        }
    }

    pub(super) fn take_node(&mut self, i: usize) -> Result<Node<MemStore>, SimError> {
        self.running_mut(i)?;
        let sim = &mut self.nodes[i];
        let node = sim.node.take().expect("checked running");
        sim.incarnation += 1;
        if let Some(t) = self.wake_at[i].take() {
            self.wakes.remove(&(t, i));
        }
        self.told_down[i].clear();
        self.pending_down.retain(|&(n, _)| n != i);
        let peers: Vec<usize> = self.sessions[i].iter().copied().collect();
        for j in peers {
            if self.nodes[j].is_alive() {
                self.schedule_down(j, i);
            }
        }
        Ok(node)
    }

    pub(super) fn schedule_down(&mut self, node: usize, peer: usize) {
        if self.told_down[node].contains(&peer) || !self.pending_down.insert((node, peer)) {
            return;
        }
        let at = Time(self.now.0 + self.link.detect_ms);
        self.queue.push(
            at,
            SimEvent::PeerDown {
                node: node as u32,
                peer: peer as u32,
            },
        );
    }

    pub(super) fn peer_down(&mut self, i: usize, j: usize) {
        let now = self.now;
        let peer = self.nodes[j].id;
        if !self.nodes[i].is_alive() {
            return;
        }
        self.told_down[i].insert(j);
        self.counters.peer_downs += 1;
        if self.traces(i, j) {
            eprintln!("{:>9} ms node {i} is told {j} is down", now.as_millis());
        }
        let node = self.nodes[i].node.as_mut().expect("checked alive");
        node.handle_peer_down(now, peer);
        self.drain(i);
    }

    pub(super) fn peer_up(&mut self, i: usize, j: usize) {
        let now = self.now;
        let peer = self.nodes[j].id;
        if !self.nodes[i].is_alive() {
            return;
        }
        self.told_down[i].remove(&j);
        self.counters.peer_ups += 1;
        if self.traces(i, j) {
            eprintln!("{:>9} ms node {i} is told {j} is up", now.as_millis());
        }
        let node = self.nodes[i].node.as_mut().expect("checked alive");
        node.handle_peer_up(now, peer);
        self.drain(i);
    }
}
