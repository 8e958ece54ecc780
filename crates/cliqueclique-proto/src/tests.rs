//! Unit tests of the core, through a tiny deterministic harness ([`Net`]).
//!
//! The harness delivers batches after a fixed latency, optionally dropping a seeded fraction, and
//! drives timers; the full simulator with faults and invariants lives in `cliqueclique-sim`.

mod ban;
mod block;
mod budget;
mod codec;
mod handlers;
mod peers;
mod retract;
mod route;
mod work;

use crate::{Command, Config, Event, MemStore, Node, Time, Transmit};
use cliqueclique_doc::{ContactCard, DocId, Document, DocumentBuilder, Identity, NodeId};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// A handful of nodes on a perfect or lossy network with a fixed latency.
pub(crate) struct Net {
    pub nodes: Vec<Node<MemStore>>,
    pub now: Time,
    pub latency_ms: u64,
    pub loss: f64,
    rng: ChaCha8Rng,
    in_flight: Vec<(Time, Transmit)>,
    pub events: Vec<(usize, Event)>,
    pub sent_batches: u64,
    pub partitioned: Vec<(usize, usize)>,
}

impl Net {
    pub fn new(n: usize, config: Config) -> Net {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let nodes = (0..n)
            .map(|i| {
                let identity = Identity::generate(&mut rng);
                let card =
                    ContactCard::new(&identity, format!("n{i}"), vec![format!("sim://{i}")], 0);
                Node::new(
                    identity,
                    card,
                    config.clone(),
                    MemStore::default(),
                    i as u64,
                )
            })
            .collect();
        Net {
            nodes,
            now: Time::ZERO,
            latency_ms: 10,
            loss: 0.0,
            rng,
            in_flight: Vec::new(),
            events: Vec::new(),
            sent_batches: 0,
            partitioned: Vec::new(),
        }
    }

    pub fn id(&self, i: usize) -> NodeId {
        self.nodes[i].id()
    }

    pub fn card(&self, i: usize) -> ContactCard {
        self.nodes[i].card().clone()
    }

    fn index(&self, id: NodeId) -> Option<usize> {
        self.nodes.iter().position(|n| n.id() == id)
    }

    /// Collects what every node wants to send.
    fn collect(&mut self) {
        for i in 0..self.nodes.len() {
            while let Some(t) = self.nodes[i].poll_transmit() {
                self.sent_batches += 1;
                let lost = self.loss > 0.0 && self.rng.random_bool(self.loss);
                if !lost {
                    self.in_flight.push((Time(self.now.0 + self.latency_ms), t));
                }
            }
            while let Some(e) = self.nodes[i].poll_event() {
                self.events.push((i, e));
            }
        }
    }

    pub fn command(&mut self, i: usize, command: Command) -> crate::Outcome {
        let now = self.now;
        let outcome = self.nodes[i].handle_command(now, command).expect("command");
        self.collect();
        outcome
    }

    /// Posts a document authored by node `i`.
    pub fn post(&mut self, i: usize, builder: DocumentBuilder) -> DocId {
        let document = builder
            .date(self.now.0 / 1000)
            .build(self.nodes[i].identity());
        let id = document.id();
        self.command(
            i,
            Command::Post {
                document,
                subscribe: true,
            },
        );
        id
    }

    pub fn join(&mut self, i: usize, doc: DocId, via: usize) {
        let peer = self.card(via);
        self.command(i, Command::Join { doc, peer });
    }

    /// Advances virtual time by `ms`, delivering messages and firing timers on the way.
    pub fn run_for(&mut self, ms: u64) {
        let end = self.now.0 + ms;
        loop {
            self.collect();
            let next_msg = self.in_flight.iter().map(|(t, _)| *t).min();
            let next_timer = self.nodes.iter().filter_map(|n| n.poll_timeout()).min();
            let next = [next_msg, next_timer].into_iter().flatten().min();
            let Some(next) = next.filter(|t| t.0 <= end) else {
                break;
            };
            self.now = next.max(self.now);
            let now = self.now;
            let (due, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.in_flight)
                .into_iter()
                .partition(|(t, _)| *t <= now);
            self.in_flight = rest;
            for (_, t) in due {
                let from = t.batch.from;
                let Some(i) = self.index(t.to) else { continue };
                let j = self.index(from).expect("sender");
                if self.is_partitioned(i, j) {
                    continue;
                }
                self.nodes[i].handle_batch(now, from, t.batch);
            }
            for node in &mut self.nodes {
                if node.poll_timeout().is_some_and(|t| t <= now) {
                    node.handle_timeout(now);
                }
            }
        }
        self.now = Time(end);
        self.collect();
    }

    fn is_partitioned(&self, a: usize, b: usize) -> bool {
        self.partitioned.contains(&(a, b)) || self.partitioned.contains(&(b, a))
    }

    /// Cuts the session between `a` and `b`, telling both sides.
    pub fn cut(&mut self, a: usize, b: usize) {
        self.partitioned.push((a, b));
        let (ida, idb) = (self.id(a), self.id(b));
        let now = self.now;
        self.nodes[a].handle_peer_down(now, idb);
        self.nodes[b].handle_peer_down(now, ida);
        self.collect();
    }

    /// Restores the session between `a` and `b`.
    pub fn heal(&mut self, a: usize, b: usize) {
        self.partitioned.retain(|p| *p != (a, b) && *p != (b, a));
        let (ida, idb) = (self.id(a), self.id(b));
        let now = self.now;
        self.nodes[a].handle_peer_up(now, idb);
        self.nodes[b].handle_peer_up(now, ida);
        self.collect();
    }

    /// Whether node `i` holds the body of `doc`.
    pub fn holds(&self, i: usize, doc: &DocId) -> bool {
        self.nodes[i].document(doc).is_some()
    }

    /// (center, dist) of node `i` for `doc`.
    pub fn route(&self, i: usize, doc: &DocId) -> Option<(NodeId, u32)> {
        self.nodes[i]
            .subscription(doc)
            .map(|s| (s.route.center, s.route.dist))
    }

    /// Batches sent by all nodes during the next `ms`.
    pub fn batches_during(&mut self, ms: u64) -> u64 {
        let before = self.sent_batches;
        self.run_for(ms);
        self.sent_batches - before
    }
}

/// A forum root on node 0 (ann); node 1 joins through 0, node 2 (bob) through 1, and node 3
/// through 0, with no session between node 3 and nodes 1 or 2. One target peer, so the overlay
/// stays as built.
pub(crate) fn forum_of_four() -> (Net, DocId) {
    forum_of_four_with(Config {
        target_peers_per_document: 1,
        ..Config::default()
    })
}

/// [`forum_of_four`] with other settings.
pub(crate) fn forum_of_four_with(config: Config) -> (Net, DocId) {
    let mut net = Net::new(4, config);
    let root = net.post(0, DocumentBuilder::new("forum").text("welcome"));
    net.partitioned.push((3, 1));
    net.partitioned.push((3, 2));
    for (i, via) in [(1, 0), (2, 1), (3, 0)] {
        net.join(i, root, via);
        net.run_for(2_000);
    }
    net.run_for(10_000);
    (net, root)
}

/// Builds a document of node `i` without posting it.
pub(crate) fn build(net: &Net, i: usize, builder: DocumentBuilder) -> Document {
    builder.date(1).build(net.nodes[i].identity())
}

/// Counts events of one node matching a predicate.
pub(crate) fn count_events(net: &Net, i: usize, f: impl Fn(&Event) -> bool) -> usize {
    net.events.iter().filter(|(n, e)| *n == i && f(e)).count()
}

/// Node ids of the links of node `i` for `doc`.
pub(crate) fn links(net: &Net, i: usize, doc: &DocId) -> Vec<NodeId> {
    net.nodes[i]
        .subscription(doc)
        .map(|s| s.links.keys().copied().collect())
        .unwrap_or_default()
}

/// A map from node id to index, for readable assertions.
#[allow(dead_code)]
pub(crate) fn index_of(net: &Net) -> BTreeMap<NodeId, usize> {
    (0..net.nodes.len()).map(|i| (net.id(i), i)).collect()
}
