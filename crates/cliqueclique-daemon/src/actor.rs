//! The node thread: one OS thread that owns the database and every local node.
//!
//! Inputs arrive on two bounded channels ([`Input`]): the calls of the typed [`Handle`] and the
//! stop signal on one, transport events on the other. Calls are served first, so that a flood of
//! transport events delays an API call by at most the event being handled. The thread waits for
//! the next input with a timeout that is the earliest `poll_timeout` of its nodes (or the next
//! reconnection attempt), so no timer task exists.
//!
//! Every call into a node is one transaction (`Actor::with_node`): `begin`, the `handle_*` call,
//! `commit`, and only then are the node's transmits handed on. Batches to another local node go to
//! the local queue, which is drained before the next input (local work before remote work); the rest
//! go to the [`SessionManager`]. If a commit fails, the node's memory is ahead of the database: it is
//! rebuilt from the database and its output of that call is dropped, so no peer hears of state that
//! was not saved.
//!
//! This thread is the only place that reads the clock (milliseconds since the Unix epoch).

mod commands;
mod directory;
mod joins;
pub(crate) mod moderation;
mod notifications;
pub use notifications::MAX_NOTIFICATIONS;
mod overview;
mod people;
mod revisions;
mod search;
mod views;
mod work;

pub use directory::Progress;
pub use work::{PendingWork, PostStep};

use crate::config::Config;
use crate::error::ApiError;
use crate::handle::Handle;
use cliqueclique_doc::{ContactCard, DocId, NodeId};
use cliqueclique_net::{Event as NetEvent, PeerAddress, SendError, SessionManager};
use cliqueclique_proto::{Batch, Event, Node, RejectReason, Time};
use cliqueclique_store::{Database, LocalNode, SqliteStore};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::{broadcast, mpsc, oneshot};

/// The settings key of the installation's Noise static key.
pub const STATIC_KEY_SETTING: &str = "net.static_key";

/// The most joins waiting for a lookup answer at once.
const MAX_PENDING_LOOKUPS: usize = 64;

/// The longest the thread sleeps without an input, so housekeeping (reconnects) runs.
const MAX_IDLE: Duration = Duration::from_secs(1);

/// An event of one local node, broadcast to API listeners.
#[derive(Clone, Debug)]
pub struct NodeEvent {
    /// The local node.
    pub node: NodeId,
    /// What happened.
    pub event: Event,
}

/// A closure run on the node thread (built only by [`Handle`]).
pub(crate) type Call = Box<dyn FnOnce(&mut Actor) + Send>;

/// What the node thread receives.
pub(crate) enum Input {
    /// A transport event.
    Net(NetEvent),
    /// A call of the [`Handle`].
    Call(Call),
    /// Stop after the inputs before this one.
    Stop,
}

/// A local node with what the thread keeps beside it.
pub struct Local {
    /// The protocol core.
    pub node: Node<SqliteStore>,
    /// Its row in the database.
    pub info: LocalNode,
}

/// When to say hello again to a peer whose session is down.
#[derive(Clone, Copy, Debug)]
struct Retry {
    next: Time,
    backoff: Duration,
    /// Since when the peer is being retried: after the core's `peer_expiry` its links are gone
    /// and the daemon stops trying.
    since: Time,
}

/// Counters of the daemon itself; the transport's are read from its status.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    /// Inputs the cores rejected, by reason.
    pub rejected: BTreeMap<&'static str, u64>,
    /// Commits that failed (the node was rebuilt from the database).
    pub commit_failures: u64,
    /// Batches the transport refused to queue (no address, too large, …).
    pub send_failures: u64,
    /// Lookups answered for other installations.
    pub lookups_answered: u64,
    /// Lookup answers whose cards did not verify.
    pub bad_lookup_cards: u64,
    /// Batches delivered between local nodes.
    pub local_batches: u64,
}

/// The state of the node thread; the [`Handle`]'s calls run on it.
pub struct Actor {
    pub(crate) db: Database,
    pub(crate) nodes: BTreeMap<NodeId, Local>,
    pub(crate) config: Arc<Config>,
    pub(crate) net: SessionManager,
    pub(crate) advertised: Vec<String>,
    rt: tokio::runtime::Runtime,
    events: broadcast::Sender<NodeEvent>,
    local_queue: VecDeque<Batch>,
    reconnect: BTreeMap<NodeId, Retry>,
    /// Lookups waiting for their reply, by their random request number.
    pub(crate) lookups: BTreeMap<u64, oneshot::Sender<Vec<ContactCard>>>,
    /// The joins started here, by node and document.
    pub(crate) joins: joins::JoinRecords,
    pub(crate) counters: Counters,
    last_now: Time,
    /// Rejections logged in the current second (the counters count them all).
    log_budget: (u64, u32),
    /// Per local node: what it has read of directories.
    pub(crate) directories: BTreeMap<NodeId, directory::Explorers>,
    /// Structural facts of documents, parsed once (documents never change).
    pub(crate) doc_facts: search::FactsCache,
}

/// What the thread needs to start.
pub(crate) struct Start {
    pub db: Database,
    pub config: Arc<Config>,
    pub net: SessionManager,
    pub advertised: Vec<String>,
}

/// Starts the node thread: loads every local node, then serves inputs until [`Input::Stop`].
///
/// `ready` gets `Ok` once all nodes are loaded (or the error that prevented it); `done` fires when the
/// thread ends.
pub(crate) fn spawn(
    start: Start,
    ready: oneshot::Sender<anyhow::Result<()>>,
) -> std::io::Result<(Handle, std::thread::JoinHandle<()>)> {
    let (inputs, receiver) = mpsc::channel(start.config.input_capacity.max(1));
    let (net_inputs, net_receiver) = mpsc::channel(start.config.input_capacity.max(1));
    let (events, _) = broadcast::channel(start.config.event_capacity.max(1));
    let handle = Handle::new(inputs, net_inputs, events.clone());
    let thread = std::thread::Builder::new()
        .name("cliqueclique-nodes".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready.send(Err(e.into()));
                    return;
                }
            };
            let mut actor = Actor {
                db: start.db,
                nodes: BTreeMap::new(),
                config: start.config,
                net: start.net,
                advertised: start.advertised,
                rt,
                events,
                local_queue: VecDeque::new(),
                reconnect: BTreeMap::new(),
                lookups: BTreeMap::new(),
                joins: joins::JoinRecords::default(),
                counters: Counters::default(),
                last_now: Time::ZERO,
                log_budget: (0, 0),
                directories: BTreeMap::new(),
                doc_facts: search::FactsCache::default(),
            };
            match actor.load() {
                Ok(()) => {
                    let _ = ready.send(Ok(()));
                }
                Err(e) => {
                    let _ = ready.send(Err(e));
                    return;
                }
            }
            actor.serve(receiver, net_receiver);
            tracing::info!("node thread stopped");
        })?;
    Ok((handle, thread))
}

impl Actor {
    /// The current time: milliseconds since the Unix epoch, never going backwards.
    pub fn now(&mut self) -> Time {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        self.last_now = self.last_now.max(Time(wall));
        self.last_now
    }

    /// The installation's database, for the tables beside the nodes' (settings, web accounts).
    /// Only for short reads and writes outside the nodes' transactions.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// Loads the local nodes and connects them to each other and to the transport.
    fn load(&mut self) -> anyhow::Result<()> {
        let infos = self.db.nodes()?;
        for info in infos {
            self.start_node(info)?;
        }
        let now = self.now();
        let ids: Vec<NodeId> = self.nodes.keys().copied().collect();
        for &id in &ids {
            // Peers known from before: their addresses, and a hello to each one we share documents with.
            let mut linked = Vec::new();
            let mut cards = Vec::new();
            {
                let node = &self.nodes[&id].node;
                for sub in node.subscriptions() {
                    linked.extend(sub.links.keys().copied());
                }
                cards.extend(node.peers().values().filter_map(|p| p.card.clone()));
            }
            for card in cards {
                self.learn_address(&card);
            }
            for peer in linked {
                if self.nodes.contains_key(&peer) {
                    continue;
                }
                self.reconnect.entry(peer).or_insert(Retry {
                    next: now,
                    backoff: self.config.reconnect_initial,
                    since: now,
                });
            }
        }
        // Local nodes are always reachable from each other.
        for &id in &ids {
            let local_peers: Vec<NodeId> = self.nodes[&id]
                .node
                .peers()
                .keys()
                .filter(|p| self.nodes.contains_key(p) && **p != id)
                .copied()
                .collect();
            for peer in local_peers {
                self.with_node(id, |node, now| node.handle_peer_up(now, peer));
            }
        }
        self.drain_local();
        Ok(())
    }

    /// Builds a local node from its row and hosts it on the transport.
    /// A node of this installation, loaded from its store (a fresh random seed each start).
    fn load_node(
        &self,
        info: &LocalNode,
        card: ContactCard,
        store: SqliteStore,
    ) -> Node<SqliteStore> {
        Node::new(
            info.identity.clone(),
            card,
            self.config.proto.clone(),
            store,
            rand::random(),
        )
    }

    pub(crate) fn start_node(&mut self, info: LocalNode) -> anyhow::Result<()> {
        let card = self.own_card(&info)?;
        let store = self.db.store(info.id)?;
        let node = self.load_node(&info, card, store);
        if let Some(error) = self.db.take_error() {
            anyhow::bail!("loading node {} ({}): {error}", info.name, info.id);
        }
        let identity = info.identity.clone();
        self.rt.block_on(self.net.add_node(identity))?;
        tracing::info!(node = %info.id, name = %info.name, "local node up");
        let id = info.id;
        self.nodes.insert(id, Local { node, info });
        // A forum's bans are derived from its moderation documents, not kept by the core.
        self.apply_all_moderation(id);
        Ok(())
    }

    /// The node's own contact card: the stored one if it still lists the advertised addresses,
    /// else a new one issued now (later than the stored one, so peers replace it).
    fn own_card(&mut self, info: &LocalNode) -> anyhow::Result<ContactCard> {
        let key = format!("card.{}", info.id);
        let stored: Option<ContactCard> = self
            .db
            .setting(&key)?
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
        if let Some(card) = &stored
            && card.addresses == self.advertised
            && card.name == info.name
        {
            return Ok(card.clone());
        }
        let now_secs = self.now().as_millis() / 1000;
        let issued_at = stored.map_or(now_secs, |c| now_secs.max(c.issued_at + 1));
        let card = ContactCard::new(
            &info.identity,
            info.name.clone(),
            self.advertised.clone(),
            issued_at,
        );
        self.db.set_setting(&key, &serde_json::to_vec(&card)?)?;
        Ok(card)
    }

    /// Serves inputs, calls before transport events, until told to stop or every caller is gone.
    fn serve(&mut self, mut receiver: mpsc::Receiver<Input>, mut net: mpsc::Receiver<Input>) {
        loop {
            self.drain_local();
            let now = self.now();
            self.run_timeouts(now);
            self.run_reconnects(now);
            self.drain_local();
            let wait = self.next_wake().map_or(MAX_IDLE, |t| {
                Duration::from_millis(t.0.saturating_sub(self.now().0)).min(MAX_IDLE)
            });
            let input = if wait.is_zero() {
                match receiver.try_recv() {
                    Ok(input) => Some(input),
                    Err(mpsc::error::TryRecvError::Disconnected) => return,
                    Err(mpsc::error::TryRecvError::Empty) => match net.try_recv() {
                        Ok(input) => Some(input),
                        Err(_) => continue,
                    },
                }
            } else {
                let next = self.rt.block_on(async {
                    tokio::time::timeout(wait, async {
                        tokio::select! {
                            biased;
                            input = receiver.recv() => input,
                            Some(input) = net.recv() => Some(input),
                        }
                    })
                    .await
                });
                match next {
                    Ok(Some(input)) => Some(input),
                    Ok(None) => return,
                    Err(_) => None,
                }
            };
            match input {
                None => {}
                Some(Input::Stop) => return,
                Some(Input::Call(call)) => call(self),
                Some(Input::Net(event)) => self.on_net(event),
            }
        }
    }

    /// The earliest node timeout or reconnection attempt.
    fn next_wake(&self) -> Option<Time> {
        let nodes = self.nodes.values().filter_map(|l| l.node.poll_timeout());
        let retries = self.reconnect.values().map(|r| r.next);
        nodes.chain(retries).min()
    }

    fn run_timeouts(&mut self, now: Time) {
        let due: Vec<NodeId> = self
            .nodes
            .iter()
            .filter(|(_, l)| l.node.poll_timeout().is_some_and(|t| t <= now))
            .map(|(id, _)| *id)
            .collect();
        for id in due {
            self.with_node(id, |node, now| node.handle_timeout(now));
        }
    }

    /// Runs `f` on local node `id` inside one transaction, then hands its output on.
    ///
    /// Returns `None` if there is no such node or the commit failed (the node was then rebuilt from
    /// the database and its output dropped).
    pub(crate) fn with_node<T>(
        &mut self,
        id: NodeId,
        f: impl FnOnce(&mut Node<SqliteStore>, Time) -> T,
    ) -> Option<T> {
        let now = self.now();
        if !self.nodes.contains_key(&id) {
            return None;
        }
        if let Err(error) = self.db.begin() {
            tracing::error!(%error, "cannot begin a transaction");
            self.counters.commit_failures += 1;
            return None;
        }
        let local = self.nodes.get_mut(&id)?;
        let output = f(&mut local.node, now);
        if let Err(error) = self.db.commit() {
            tracing::error!(node = %id, %error, "commit failed: rebuilding the node from the database");
            self.counters.commit_failures += 1;
            self.rebuild(id);
            return None;
        }
        self.drain_node(id);
        Some(output)
    }

    /// Runs `f` as one reading of local node `id`: every document it reads from that node is
    /// parsed once, however often it is read (`Node::remember_reads`).
    pub(crate) fn reading<T>(&mut self, id: NodeId, f: impl FnOnce(&mut Actor) -> T) -> T {
        if let Some(local) = self.nodes.get_mut(&id) {
            local.node.remember_reads();
        }
        let output = f(self);
        if let Some(local) = self.nodes.get_mut(&id) {
            local.node.forget_reads();
        }
        output
    }

    /// Replaces a node whose memory is ahead of the database by a fresh one loaded from it.
    fn rebuild(&mut self, id: NodeId) {
        let Some(local) = self.nodes.remove(&id) else {
            return;
        };
        let info = local.info.clone();
        let card = local.node.card().clone();
        drop(local);
        match self.db.store(id) {
            Ok(store) => {
                let node = self.load_node(&info, card, store);
                if let Some(error) = self.db.take_error() {
                    tracing::error!(node = %id, %error, "reloading the node failed");
                }
                self.nodes.insert(id, Local { node, info });
                let now = self.now();
                // Its peers are all down for the fresh node: say hello to bring them back.
                let peers: Vec<NodeId> = self.nodes[&id].node.peers().keys().copied().collect();
                for peer in peers {
                    self.schedule_hello(peer, now);
                }
            }
            Err(error) => tracing::error!(node = %id, %error, "cannot reload the node"),
        }
    }

    /// Hands a node's transmits on (after the commit) and its events out.
    fn drain_node(&mut self, id: NodeId) {
        let mut remote = Vec::new();
        let mut events = Vec::new();
        {
            let Some(local) = self.nodes.get_mut(&id) else {
                return;
            };
            while let Some(transmit) = local.node.poll_transmit() {
                remote.push(transmit.batch);
            }
            while let Some(event) = local.node.poll_event() {
                events.push(event);
            }
        }
        for batch in remote {
            if self.nodes.contains_key(&batch.to) {
                self.local_queue.push_back(batch);
            } else {
                self.send(&batch);
            }
        }
        for event in events {
            self.on_core_event(id, event);
        }
    }

    /// Queues a batch on the transport.
    fn send(&mut self, batch: &Batch) {
        match self.rt.block_on(self.net.send(batch)) {
            Ok(()) => {}
            Err(SendError::Stopped) => {}
            Err(error) => {
                tracing::debug!(to = %batch.to, %error, "batch not sent");
                self.counters.send_failures += 1;
            }
        }
    }

    /// Delivers batches between local nodes until none is left.
    fn drain_local(&mut self) {
        while let Some(batch) = self.local_queue.pop_front() {
            self.counters.local_batches += 1;
            let (from, to) = (batch.from, batch.to);
            self.with_node(to, |node, now| node.handle_batch(now, from, batch));
        }
    }

    fn on_core_event(&mut self, node: NodeId, event: Event) {
        match &event {
            Event::DocumentArrived { doc, parent, .. } => self.on_arrival(node, *doc, *parent),
            Event::PeerContact { card } => self.learn_address(card),
            Event::PeerForgotten { node: peer } => self.forget_address(*peer),
            Event::Rejected { peer, reason } => {
                let name = match reason {
                    RejectReason::Misaddressed => "core_misaddressed",
                    RejectReason::WrongSender => "core_wrong_sender",
                    RejectReason::BadDocument(_) => "core_bad_document",
                    RejectReason::BadCard => "core_bad_card",
                    _ => "core_other",
                };
                *self.counters.rejected.entry(name).or_default() += 1;
                if self.may_log() {
                    tracing::warn!(node = %node, %peer, %reason, "rejected input from a peer");
                }
            }
            _ => {}
        }
        // Nobody listening is fine.
        let _ = self.events.send(NodeEvent { node, event });
    }

    /// Whether another rejection may be logged this second: a flood is counted, not logged in full.
    fn may_log(&mut self) -> bool {
        const PER_SECOND: u32 = 20;
        let second = self.now().as_millis() / 1000;
        if self.log_budget.0 != second {
            self.log_budget = (second, 0);
        }
        self.log_budget.1 += 1;
        self.log_budget.1 <= PER_SECOND
    }

    /// Puts the first address of a card that this installation can dial in the transport's address book: a
    /// TCP address unless it is I2P-only, an I2P address if it runs I2P; in the card's order.
    pub(crate) fn learn_address(&mut self, card: &ContactCard) {
        let id = card.node_id();
        if self.nodes.contains_key(&id) {
            return;
        }
        let i2p = &self.config.i2p;
        let address = card
            .addresses
            .iter()
            .filter_map(|a| a.parse::<PeerAddress>().ok())
            .find(|a| match a {
                PeerAddress::Tcp { .. } => !i2p.only,
                PeerAddress::I2p { .. } => i2p.mode != cliqueclique_net::I2pMode::Off,
                _ => false,
            });
        if let Some(address) = address {
            let _ = self.rt.block_on(self.net.set_address(id, Some(address)));
        }
    }

    /// Drops a peer from the transport's address book and from the reconnection attempts once no
    /// local node keeps a record of it, so that throw-away node keys cannot fill either.
    fn forget_address(&mut self, peer: NodeId) {
        if self
            .nodes
            .values()
            .any(|l| l.node.peers().contains_key(&peer))
        {
            return;
        }
        self.reconnect.remove(&peer);
        let _ = self.rt.block_on(self.net.set_address(peer, None));
    }

    /// Records a peer address learned by other means (a lookup).
    pub(crate) fn set_address(&mut self, peer: NodeId, address: PeerAddress) {
        if self.nodes.contains_key(&peer) {
            return;
        }
        let _ = self.rt.block_on(self.net.set_address(peer, Some(address)));
    }

    fn on_net(&mut self, event: NetEvent) {
        match event {
            NetEvent::SessionUp { remote_nodes, .. } | NetEvent::NodesUp { remote_nodes, .. } => {
                for peer in remote_nodes {
                    self.reconnect.remove(&peer);
                    self.for_nodes_knowing(peer, |node, now| node.handle_peer_up(now, peer));
                }
            }
            NetEvent::SessionDown { remote_nodes, .. } => {
                let now = self.now();
                for peer in remote_nodes {
                    if self.for_nodes_knowing(peer, |node, now| node.handle_peer_down(now, peer)) {
                        self.schedule_hello(peer, now);
                    }
                }
            }
            NetEvent::Received { batch } => {
                // The transport checked that `from` is attested and `to` hosted here.
                let (from, to) = (batch.from, batch.to);
                self.reconnect.remove(&from);
                if self
                    .with_node(to, |node, now| node.handle_batch(now, from, batch))
                    .is_none()
                {
                    tracing::debug!(%to, "batch for a node not hosted here");
                }
            }
            NetEvent::Lookup {
                session,
                request,
                doc,
            } => {
                let cards = self.holders(&doc);
                self.counters.lookups_answered += 1;
                let _ = self
                    .rt
                    .block_on(self.net.reply_lookup(session, request, cards));
            }
            NetEvent::LookupReply { request, cards, .. } => {
                if let Some(reply) = self.lookups.remove(&request) {
                    let _ = reply.send(cards);
                }
            }
            NetEvent::Rejected { reason } if self.may_log() => {
                tracing::warn!(?reason, "transport rejected input");
            }
            _ => {}
        }
    }

    /// Runs `f` on every local node that knows `peer`; whether there was one.
    fn for_nodes_knowing(
        &mut self,
        peer: NodeId,
        f: impl Fn(&mut Node<SqliteStore>, Time),
    ) -> bool {
        let ids: Vec<NodeId> = self
            .nodes
            .iter()
            .filter(|(_, l)| l.node.peers().contains_key(&peer))
            .map(|(id, _)| *id)
            .collect();
        for &id in &ids {
            self.with_node(id, &f);
        }
        !ids.is_empty()
    }

    /// The cards of the local nodes holding `doc`'s body.
    pub(crate) fn holders(&self, doc: &DocId) -> Vec<ContactCard> {
        self.nodes
            .values()
            .filter(|l| l.node.subscription(doc).is_some_and(|s| s.has_body()))
            .map(|l| l.node.card().clone())
            .take(8)
            .collect()
    }

    /// Sends a lookup for `doc` to `address`; the cards arrive on the returned channel.
    pub(crate) fn start_lookup(
        &mut self,
        address: PeerAddress,
        doc: DocId,
    ) -> Result<(u64, oneshot::Receiver<Vec<ContactCard>>), ApiError> {
        if self.lookups.len() >= MAX_PENDING_LOOKUPS {
            self.lookups.retain(|_, reply| !reply.is_closed());
            if self.lookups.len() >= MAX_PENDING_LOOKUPS {
                return Err(ApiError::Conflict("too many joins in progress".into()));
            }
        }
        let request = lookup_request(&self.lookups);
        self.rt
            .block_on(self.net.lookup(address.clone(), request, doc))
            .map_err(|e| ApiError::Unreachable(format!("cannot ask {address}: {e}")))?;
        let (reply, answer) = oneshot::channel();
        self.lookups.insert(request, reply);
        Ok((request, answer))
    }

    /// Says hello to `peer` soon (and again with back-off until its session is up).
    pub(crate) fn schedule_hello(&mut self, peer: NodeId, now: Time) {
        if self.nodes.contains_key(&peer) {
            return;
        }
        let initial = self.config.reconnect_initial;
        self.reconnect.entry(peer).or_insert(Retry {
            next: now.after(initial),
            backoff: initial,
            since: now,
        });
    }

    /// Sends an empty batch to each due peer whose session is down: the transport dials its
    /// address, and the peer's core takes the batch as a sign of life and resends what it owes.
    fn run_reconnects(&mut self, now: Time) {
        let expiry = self.config.proto.peer_expiry;
        self.reconnect
            .retain(|_, retry| now.since(retry.since) < expiry);
        let due: Vec<NodeId> = self
            .reconnect
            .iter()
            .filter(|(_, r)| r.next <= now)
            .map(|(p, _)| *p)
            .collect();
        for peer in due {
            let from = self
                .nodes
                .iter()
                .find_map(|(id, l)| l.node.peers().get(&peer).map(|p| (*id, p.up)));
            match from {
                None => {
                    self.reconnect.remove(&peer);
                }
                Some((_, true)) => {
                    self.reconnect.remove(&peer);
                }
                Some((from, false)) => {
                    let batch = Batch {
                        from,
                        to: peer,
                        parts: Vec::new(),
                    };
                    self.send(&batch);
                    let max = self.config.reconnect_max;
                    if let Some(retry) = self.reconnect.get_mut(&peer) {
                        retry.next = now.after(retry.backoff);
                        retry.backoff = (retry.backoff * 2).min(max);
                    }
                }
            }
        }
    }

    /// The local node named by `name_or_id`.
    pub fn resolve(&self, name_or_id: &str) -> Result<NodeId, ApiError> {
        if let Ok(id) = name_or_id.parse::<NodeId>()
            && self.nodes.contains_key(&id)
        {
            return Ok(id);
        }
        self.nodes
            .values()
            .find(|l| l.info.name == name_or_id)
            .map(|l| l.info.id)
            .ok_or_else(|| ApiError::NotFound(format!("no local node named {name_or_id:?}")))
    }
}

/// A fresh lookup request number: random, so that an installation asked once cannot guess the numbers
/// of later lookups sent elsewhere; never one still waiting.
fn lookup_request<T>(waiting: &BTreeMap<u64, T>) -> u64 {
    loop {
        let request = rand::random::<u64>();
        if !waiting.contains_key(&request) {
            return request;
        }
    }
}
