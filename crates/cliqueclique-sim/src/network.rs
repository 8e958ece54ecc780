//! [`Network`]: the simulated nodes, the virtual clock, the event queue and the transport.
//!
//! The network plays the part the daemon's IO layer plays for a real node. It owns every
//! [`Node`], feeds it inputs at virtual times and carries out its outputs:
//!
//! - After every input it drains `poll_transmit` and `poll_event`, and arms a wake-up for
//!   `poll_timeout` if that is earlier than the one already armed (later ones are left to fire and
//!   re-arm; a wake-up that no longer matches the armed time is stale and ignored).
//! - Every batch is encoded with [`Batch::encode`] (its bytes are what is counted), carried through
//!   the [`LinkModel`], and decoded with [`Batch::decode`] on arrival, so the codec is exercised on
//!   every message.
//! - It models transport *sessions*: a pair of nodes that exchanged traffic has one. When a
//!   partition cuts a session or a node crashes or leaves, each surviving side gets
//!   `handle_peer_down` after `detect_ms`; a node that sends to an unreachable peer learns the same
//!   way. When a partition heals or a crashed node restarts, both sides get `handle_peer_up`.
//! - A crash keeps the node's [`MemStore`] and drops everything else (in-flight messages, timers);
//!   a restart rebuilds the node with [`Node::new`] from that store. A node that left never returns.
//!
//! All choices come from one seeded [`ChaCha8Rng`]; nothing iterates a hash map, so a run is a pure
//! function of its inputs.

mod faults;
mod moderation;

use crate::bans::Bans;
pub use crate::counters::{Counters, PartCounts, Phase, Traffic};
use crate::error::SimError;
use crate::ledger::{DocKind, Ledger};
use crate::link::LinkModel;
use crate::queue::Queue;
use cliqueclique_doc::{ContactCard, DocId, Document, Identity, NodeId};
use cliqueclique_proto::{
    Batch, Command, Config, Event, MemStore, Node, Outcome, Part, RejectReason, Time,
};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Bytes allowed in a frame beyond the batch and document limits (framing, ids, adverts).
const FRAME_SLACK: usize = 64 * 1024;

/// One simulated node: its identity, and its protocol core while it runs.
pub struct SimNode {
    identity: Identity,
    card: ContactCard,
    id: NodeId,
    node: Option<Node<MemStore>>,
    /// The store of a crashed node, kept for its restart.
    kept: Option<MemStore>,
    left: bool,
    malicious: bool,
    /// Bumped on every crash, so that messages in flight to or from an older run are dropped.
    incarnation: u32,
}

impl SimNode {
    /// The node's identity.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// The node's contact card (`sim://{index}`).
    pub fn card(&self) -> &ContactCard {
        &self.card
    }

    /// The node id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// The protocol core, while the node runs.
    pub fn node(&self) -> Option<&Node<MemStore>> {
        self.node.as_ref()
    }

    /// The node's store, while it runs or is crashed.
    pub fn store(&self) -> Option<&MemStore> {
        self.node.as_ref().map(Node::store).or(self.kept.as_ref())
    }

    /// Whether the node runs.
    pub fn is_alive(&self) -> bool {
        self.node.is_some()
    }

    /// Whether the node left for good.
    pub fn has_left(&self) -> bool {
        self.left
    }

    /// Whether the node is crashed (and may restart).
    pub fn is_crashed(&self) -> bool {
        self.node.is_none() && !self.left
    }

    /// Whether the node sends forged traffic.
    pub fn is_malicious(&self) -> bool {
        self.malicious
    }
}

#[derive(Debug)]
enum SimEvent {
    Deliver {
        from: u32,
        to: u32,
        from_incarnation: u32,
        to_incarnation: u32,
        frame: Vec<u8>,
        /// False for the extra copy of a duplicated message.
        original: bool,
    },
    Wake {
        node: u32,
    },
    PeerDown {
        node: u32,
        peer: u32,
    },
    Action(u32),
}

/// The whole simulated network. See the module documentation.
pub struct Network {
    now: Time,
    config: Config,
    link: LinkModel,
    rng: ChaCha8Rng,
    nodes: Vec<SimNode>,
    index: BTreeMap<NodeId, usize>,
    queue: Queue<SimEvent>,
    wake_at: Vec<Option<Time>>,
    wakes: BTreeSet<(Time, usize)>,
    /// Partition group per node; nodes talk only within their group.
    groups: Vec<u32>,
    /// Symmetric: the peers each node has exchanged traffic with.
    sessions: Vec<BTreeSet<usize>>,
    /// The peers each node was told are down (and not told up again since).
    told_down: Vec<BTreeSet<usize>>,
    pending_down: BTreeSet<(usize, usize)>,
    in_flight: usize,
    phase: Phase,
    traffic: [Traffic; 3],
    counters: Counters,
    ledger: Ledger,
    anomalies: Vec<String>,
    max_frame: usize,
    transmits: Vec<cliqueclique_proto::Transmit>,
    node_events: Vec<Event>,
    traced: BTreeSet<usize>,
    /// Frames to lose on purpose, per (from, to): for targeted tests.
    lose_next: BTreeMap<(usize, usize), u32>,
    /// The forum bans each node's driver applies, and the watched documents.
    bans: Bans,
    /// Bans to hand to a node's core once its current events are observed.
    pending_bans: Vec<(usize, DocId, BTreeSet<NodeId>)>,
}

impl Network {
    /// Creates `n` nodes with identities and node seeds drawn from one generator seeded with `seed`.
    pub fn new(n: usize, config: Config, link: LinkModel, seed: u64) -> Network {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut nodes = Vec::with_capacity(n);
        let mut index = BTreeMap::new();
        for i in 0..n {
            let identity = Identity::generate(&mut rng);
            let card = ContactCard::new(
                &identity,
                format!("node {i}"),
                vec![format!("sim://{i}")],
                0,
            );
            let node_seed = rng.random::<u64>();
            let id = identity.node_id();
            let node = Node::new(
                identity.clone(),
                card.clone(),
                config.clone(),
                MemStore::default(),
                node_seed,
            );
            index.insert(id, i);
            nodes.push(SimNode {
                identity,
                card,
                id,
                node: Some(node),
                kept: None,
                left: false,
                malicious: false,
                incarnation: 0,
            });
        }
        let max_frame = config.max_batch_bytes + config.limits.max_document_bytes + FRAME_SLACK;
        Network {
            now: Time::ZERO,
            config,
            link,
            rng,
            nodes,
            index,
            queue: Queue::default(),
            wake_at: vec![None; n],
            wakes: BTreeSet::new(),
            groups: vec![0; n],
            sessions: vec![BTreeSet::new(); n],
            told_down: vec![BTreeSet::new(); n],
            pending_down: BTreeSet::new(),
            in_flight: 0,
            phase: Phase::Setup,
            traffic: [Traffic::default(); 3],
            counters: Counters::default(),
            ledger: Ledger::new(n),
            anomalies: Vec::new(),
            max_frame,
            transmits: Vec::new(),
            node_events: Vec::new(),
            traced: BTreeSet::new(),
            lose_next: BTreeMap::new(),
            bans: Bans::new(n),
            pending_bans: Vec::new(),
        }
    }

    // ---- Accessors -------------------------------------------------------------------------

    /// The virtual time.
    pub fn now(&self) -> Time {
        self.now
    }

    /// The protocol settings every node runs with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The link model.
    pub fn link(&self) -> &LinkModel {
        &self.link
    }

    /// The simulation's random generator (the only one).
    pub fn rng(&mut self) -> &mut ChaCha8Rng {
        &mut self.rng
    }

    /// Number of nodes (running or not).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the network has no nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// One node.
    pub fn sim_node(&self, i: usize) -> &SimNode {
        &self.nodes[i]
    }

    /// All nodes.
    pub fn sim_nodes(&self) -> &[SimNode] {
        &self.nodes
    }

    /// The protocol core of node `i`, while it runs.
    pub fn node(&self, i: usize) -> Option<&Node<MemStore>> {
        self.nodes.get(i).and_then(SimNode::node)
    }

    /// The index of a node id.
    pub fn index_of(&self, id: &NodeId) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Indices of the running nodes.
    pub fn alive(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(|&i| self.nodes[i].is_alive())
    }

    /// Whether `i` and `j` are both running and on the same side of any partition.
    pub fn reachable(&self, i: usize, j: usize) -> bool {
        self.nodes[i].is_alive() && self.nodes[j].is_alive() && self.groups[i] == self.groups[j]
    }

    /// The partition group of each node (all zero when there is no partition).
    pub fn groups(&self) -> &[u32] {
        &self.groups
    }

    /// Whether a partition is in force.
    pub fn is_partitioned(&self) -> bool {
        self.groups.iter().any(|&g| g != self.groups[0])
    }

    /// The peers node `i` has exchanged traffic with.
    pub fn sessions(&self, i: usize) -> &BTreeSet<usize> {
        &self.sessions[i]
    }

    /// The posted documents and their observed figures.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The ledger, to change what the invariants expect (a retracted document is no longer owed).
    pub fn ledger_mut(&mut self) -> &mut Ledger {
        &mut self.ledger
    }

    /// Message outcomes over the whole run.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Traffic during one phase.
    pub fn traffic(&self, phase: Phase) -> Traffic {
        self.traffic[phase.slot()]
    }

    /// Traffic over the whole run.
    pub fn total_traffic(&self) -> Traffic {
        let mut total = Traffic::default();
        for phase in Phase::ALL {
            total.add(&self.traffic[phase.slot()]);
        }
        total
    }

    /// The phase traffic is currently counted against.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Counts traffic against `phase` from now on.
    pub fn set_phase(&mut self, phase: Phase) {
        self.phase = phase;
    }

    /// Things the network itself saw going wrong: honest input rejected, honest frames that do
    /// not decode, bodies stored twice.
    pub fn anomalies(&self) -> Vec<String> {
        let mut out = self.anomalies.clone();
        for (node, doc) in self.ledger.duplicate_arrivals() {
            out.push(format!(
                "doc {}({}) node {node}: body stored twice without a removal in between",
                doc.label,
                doc.id.short()
            ));
        }
        out
    }

    /// Messages in flight.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// The earliest armed wake-up: (time, node).
    pub fn next_wake(&self) -> Option<(Time, usize)> {
        self.wakes.first().copied()
    }

    /// Whether nothing is in flight, no liveness report is pending and no node wants to wake
    /// within `horizon` (resends are at most `resend_max` apart, so a longer horizon means none is due).
    pub fn is_quiet(&self, horizon: Duration) -> bool {
        self.in_flight == 0
            && self.pending_down.is_empty()
            && self
                .wakes
                .first()
                .is_none_or(|(t, _)| *t > self.now.after(horizon))
    }

    /// The sum of [`MemStore::subscription_bytes`] over the running nodes.
    pub fn subscription_bytes(&self) -> usize {
        self.nodes
            .iter()
            .filter_map(SimNode::node)
            .map(|n| n.store().subscription_bytes())
            .sum()
    }

    /// The number of subscriptions over the running nodes.
    pub fn subscription_count(&self) -> usize {
        self.nodes
            .iter()
            .filter_map(SimNode::node)
            .map(|n| n.subscriptions().count())
            .sum()
    }

    // ---- Driving ---------------------------------------------------------------------------

    /// Schedules an action of the caller's at `at`; [`Network::advance`] hands its tag back.
    pub fn schedule_action(&mut self, at: Time, tag: u32) {
        self.queue.push(at.max(self.now), SimEvent::Action(tag));
    }

    /// Processes every event due up to `until`, stopping early to hand back the tag of a due action.
    ///
    /// Returns `None` once the clock has reached `until`.
    pub fn advance(&mut self, until: Time) -> Option<u32> {
        while let Some((at, event)) = self.queue.pop_until(until) {
            self.now = self.now.max(at);
            self.counters.events += 1;
            match event {
                SimEvent::Deliver {
                    from,
                    to,
                    from_incarnation,
                    to_incarnation,
                    frame,
                    original,
                } => self.deliver(
                    from as usize,
                    to as usize,
                    (from_incarnation, to_incarnation),
                    &frame,
                    original,
                ),
                SimEvent::Wake { node } => self.wake(node as usize, at),
                SimEvent::PeerDown { node, peer } => {
                    let (node, peer) = (node as usize, peer as usize);
                    self.pending_down.remove(&(node, peer));
                    if self.nodes[node].is_alive()
                        && !self.reachable(node, peer)
                        && !self.told_down[node].contains(&peer)
                    {
                        self.peer_down(node, peer);
                    }
                }
                SimEvent::Action(tag) => return Some(tag),
            }
        }
        self.now = self.now.max(until);
        None
    }

    /// Runs the network (without any caller actions scheduled) for `ms` milliseconds.
    ///
    /// Actions that come due are handed to `on_action`.
    pub fn run_for(&mut self, ms: u64, mut on_action: impl FnMut(&mut Network, u32)) {
        let until = Time(self.now.0 + ms);
        while let Some(tag) = self.advance(until) {
            on_action(self, tag);
        }
    }

    /// Runs until the network is quiet (see [`Network::is_quiet`]) or `limit_ms` have passed;
    /// returns whether it is quiet. Caller actions are not expected here and are dropped.
    pub fn run_until_quiet(&mut self, limit_ms: u64, step_ms: u64) -> bool {
        let deadline = self.now.0 + limit_ms;
        let horizon = self.quiet_horizon();
        loop {
            if self.is_quiet(horizon) {
                return true;
            }
            if self.now.0 >= deadline {
                return false;
            }
            let until = Time((self.now.0 + step_ms).min(deadline));
            while self.advance(until).is_some() {}
        }
    }

    /// The horizon used for quiet detection: the longest resend interval plus a second.
    pub fn quiet_horizon(&self) -> Duration {
        self.config.resend_max + Duration::from_secs(1)
    }

    /// Gives node `i` a user command now.
    pub fn command(&mut self, i: usize, command: Command) -> Result<Outcome, SimError> {
        let now = self.now;
        let node = self.running_mut(i)?;
        let outcome = node
            .handle_command(now, command)
            .map_err(|source| SimError::Command { node: i, source });
        self.drain(i);
        outcome
    }

    /// Node `i` posts `document` (subscribing to it); the ledger tracks it from now on.
    pub fn post(
        &mut self,
        i: usize,
        document: Document,
        kind: DocKind,
        label: String,
    ) -> Result<DocId, SimError> {
        let id = document.id();
        let parent = document.semantic_parent();
        self.running_mut(i)?;
        self.ledger.track(id, kind, label, parent, i, self.now);
        match self.command(
            i,
            Command::Post {
                document,
                subscribe: true,
            },
        ) {
            Ok(_) => Ok(id),
            Err(e) => {
                self.ledger.untrack(&id);
                Err(e)
            }
        }
    }

    /// Prints (on stderr) every batch sent or delivered between two of these nodes, and their
    /// liveness reports: for debugging a failing seed.
    pub fn trace(&mut self, nodes: impl IntoIterator<Item = usize>) {
        self.traced = nodes.into_iter().collect();
    }

    fn traces(&self, i: usize, j: usize) -> bool {
        self.traced.contains(&i) && self.traced.contains(&j)
    }

    fn print_parts(&self, what: &str, from: usize, to: usize, parts: &[Part]) {
        let name = |id: &NodeId| {
            self.index
                .get(id)
                .map_or_else(|| id.short(), |i| i.to_string())
        };
        let label = |doc: &DocId| self.ledger.label(doc);
        crate::trace::print(self.now, what, from, to, parts, name, label);
    }

    /// Marks node `i` as malicious (its rejected traffic is expected, not an anomaly).
    pub fn set_malicious(&mut self, i: usize) {
        self.nodes[i].malicious = true;
    }

    /// Sends a raw frame from `from` to `to` through the link model (for malicious nodes).
    pub fn send_frame(&mut self, from: usize, to: usize, frame: Vec<u8>) {
        self.counters.malicious_frames += 1;
        self.counters.malicious_bytes += frame.len() as u64;
        self.transmit_frame(from, to, frame, false);
    }

    /// Loses the next `n` frames from `from` to `to`, whatever the link model says: for tests
    /// that need one particular message lost.
    pub fn lose_next(&mut self, from: usize, to: usize, n: u32) {
        self.lose_next.insert((from, to), n);
    }

    /// Sends a frame through the link model as if honest node `from` had sent it: for replaying a
    /// delayed or duplicated copy of an earlier batch in tests.
    pub fn inject_frame(&mut self, from: usize, to: usize, frame: Vec<u8>) {
        self.transmit_frame(from, to, frame, true);
    }

    /// The largest frame a node accepts.
    pub fn max_frame(&self) -> usize {
        self.max_frame
    }

    // ---- Internals -------------------------------------------------------------------------

    fn running_mut(&mut self, i: usize) -> Result<&mut Node<MemStore>, SimError> {
        let sim = self.nodes.get_mut(i).ok_or(SimError::NoSuchNode(i))?;
        if sim.left {
            return Err(SimError::Left(i));
        }
        sim.node.as_mut().ok_or(SimError::NotRunning(i))
    }

    fn wake(&mut self, i: usize, at: Time) {
        if self.wake_at[i] != Some(at) {
            return;
        }
        self.wake_at[i] = None;
        self.wakes.remove(&(at, i));
        let now = self.now;
        if let Some(node) = self.nodes[i].node.as_mut() {
            node.handle_timeout(now);
            self.drain(i);
        }
    }

    fn deliver(
        &mut self,
        from: usize,
        to: usize,
        (from_incarnation, to_incarnation): (u32, u32),
        frame: &[u8],
        original: bool,
    ) {
        self.in_flight -= 1;
        let sender_gone =
            !self.nodes[from].is_alive() || self.nodes[from].incarnation != from_incarnation;
        let receiver_gone =
            !self.nodes[to].is_alive() || self.nodes[to].incarnation != to_incarnation;
        if sender_gone || receiver_gone {
            self.counters.dropped_dead += 1;
            return;
        }
        if self.groups[from] != self.groups[to] {
            self.counters.dropped_partition += 1;
            return;
        }
        let batch = match Batch::decode(frame, self.max_frame) {
            Ok(batch) => batch,
            Err(e) => {
                self.counters.decode_errors += 1;
                if !self.nodes[from].malicious {
                    self.anomalies.push(format!(
                        "node {to}: a frame of {} bytes from honest node {from} does not decode: {e}",
                        frame.len()
                    ));
                }
                return;
            }
        };
        self.counters.delivered += 1;
        if original {
            for part in &batch.parts {
                if let Part::Update {
                    doc, body: Some(_), ..
                } = part
                {
                    self.ledger.body_arrived(doc);
                }
            }
        }
        if self.traces(from, to) {
            self.print_parts("delivers", from, to, &batch.parts);
        }
        let from_id = self.nodes[from].id;
        if batch.from == from_id && batch.to == self.nodes[to].id {
            // The core marks a peer up on authenticated traffic; keep the transport's view in step.
            self.sessions[from].insert(to);
            self.sessions[to].insert(from);
            self.told_down[to].remove(&from);
        }
        let now = self.now;
        let node = self.nodes[to].node.as_mut().expect("checked alive");
        node.handle_batch(now, from_id, batch);
        self.drain(to);
    }

    /// Carries out everything node `i` produced: transmissions, events, its next wake-up.
    fn drain(&mut self, i: usize) {
        let mut transmits = std::mem::take(&mut self.transmits);
        let mut events = std::mem::take(&mut self.node_events);
        let timeout = {
            let Some(node) = self.nodes[i].node.as_mut() else {
                return;
            };
            while let Some(t) = node.poll_transmit() {
                transmits.push(t);
            }
            while let Some(e) = node.poll_event() {
                events.push(e);
            }
            node.poll_timeout()
        };
        for t in transmits.drain(..) {
            self.send(i, t);
        }
        for e in events.drain(..) {
            self.observe(i, e);
        }
        self.transmits = transmits;
        self.node_events = events;
        self.apply_pending_bans();
        if let Some(t) = timeout {
            let t = t.max(self.now);
            if self.wake_at[i].is_none_or(|w| t < w) {
                if let Some(old) = self.wake_at[i] {
                    self.wakes.remove(&(old, i));
                }
                self.wake_at[i] = Some(t);
                self.wakes.insert((t, i));
                self.queue.push(t, SimEvent::Wake { node: i as u32 });
            }
        }
    }

    fn send(&mut self, i: usize, transmit: cliqueclique_proto::Transmit) {
        let Some(&j) = self.index.get(&transmit.to) else {
            self.counters.unroutable += 1;
            return;
        };
        let traffic = &mut self.traffic[self.phase.slot()];
        for part in &transmit.batch.parts {
            self.counters.parts.count(part);
            if let Part::Update {
                doc,
                body: Some(body),
                ..
            } = part
            {
                traffic.bodies += 1;
                traffic.body_bytes += body.len() as u64;
                self.ledger.body_sent(doc);
            }
        }
        if self.traces(i, j) {
            self.print_parts("sends", i, j, &transmit.batch.parts);
        }
        let frame = transmit.batch.encode();
        self.transmit_frame(i, j, frame, true);
    }

    fn transmit_frame(&mut self, from: usize, to: usize, frame: Vec<u8>, honest: bool) {
        if honest {
            let traffic = &mut self.traffic[self.phase.slot()];
            traffic.messages += 1;
            traffic.bytes += frame.len() as u64;
        }
        if !self.reachable(from, to) {
            if self.traces(from, to) {
                eprintln!("{:>9} ms   (unreachable: dropped)", self.now.as_millis());
            }
            if self.nodes[to].is_alive() {
                self.counters.dropped_partition += 1;
            } else {
                self.counters.dropped_dead += 1;
            }
            if self.nodes[from].is_alive() {
                // The transport notices that it cannot reach the peer.
                self.schedule_down(from, to);
            }
            return;
        }
        let forced = self.lose_next.get_mut(&(from, to)).is_some_and(|n| {
            *n > 0 && {
                *n -= 1;
                true
            }
        });
        if forced || self.link.lost(&mut self.rng) {
            if self.traces(from, to) {
                eprintln!("{:>9} ms   (lost)", self.now.as_millis());
            }
            self.counters.lost += 1;
            return;
        }
        let mut frames = vec![frame];
        if self.link.duplicated(&mut self.rng) {
            self.counters.duplicated += 1;
            frames.push(frames[0].clone());
        }
        for (copy, frame) in frames.into_iter().enumerate() {
            let latency = self.link.latency(&mut self.rng);
            self.in_flight += 1;
            self.queue.push(
                Time(self.now.0 + latency),
                SimEvent::Deliver {
                    from: from as u32,
                    to: to as u32,
                    from_incarnation: self.nodes[from].incarnation,
                    to_incarnation: self.nodes[to].incarnation,
                    frame,
                    original: copy == 0,
                },
            );
        }
    }

    fn observe(&mut self, i: usize, event: Event) {
        match event {
            Event::DocumentArrived { doc, from, .. } => {
                let from = self.index.get(&from).copied();
                if self
                    .ledger
                    .get(&doc)
                    .is_some_and(|t| t.kind == DocKind::Comment)
                {
                    self.counters.comment_deliveries += 1;
                }
                self.ledger.arrived(i, &doc, from);
                self.observe_arrival_for_bans(i, &doc);
            }
            Event::DocumentRemoved { doc } => self.ledger.removed(i, &doc),
            Event::LinkRefused { suggestions, .. } => {
                self.counters.refusals += 1;
                self.counters.suggestions += suggestions as u64;
            }
            Event::Rejected { peer, reason } => {
                self.counters.rejected += 1;
                let from = self.index.get(&peer).copied();
                let honest = from.is_some_and(|j| !self.nodes[j].malicious);
                if honest {
                    let j = from.expect("checked");
                    self.anomalies.push(format!(
                        "node {i} rejected input from honest node {j}: {}",
                        describe(&reason)
                    ));
                }
            }
            _ => {}
        }
    }
}

fn describe(reason: &RejectReason) -> String {
    reason.to_string()
}
