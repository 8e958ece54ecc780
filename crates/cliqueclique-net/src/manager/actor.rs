//! The manager's actor: the one task that owns sessions, routes, the address book and dial state.
//!
//! Its loop serves, in priority order: commands from the owner, handing buffered events to the owner,
//! messages from session and accept tasks (only while the event buffer has room), and dial timers.
//! It never awaits anything but its own channels and timers, so the owner's calls always get answered.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use cliqueclique_doc::NodeId;
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, watch};
use tokio::task::{AbortHandle, JoinSet};
use tokio::time::Instant;

use super::Command;
use super::task::{self, Connect, FromTask, LocalNodes, TaskContext};
use crate::address::{PeerAddress, origin_network};
use crate::config::Config;
use crate::counters::{DropReason, SharedCounters};
use crate::error::SendError;
use crate::event::Event;
use crate::key::{InstallationKey, StaticKey};
use crate::queue::{Bounded, OutQueue, Queued};
use crate::session::Role;
use crate::status::{DialStatus, SessionId, SessionStatus, Status};
use crate::transport::{Listener, Transport};

/// The capacity of the channel from session and accept tasks to the actor.
const TASK_CHANNEL: usize = 64;

/// One session, from its start (dial or accept) until it closes.
struct Entry {
    queue: Arc<OutQueue>,
    abort: AbortHandle,
    role: Role,
    dialed: Option<PeerAddress>,
    /// For an accepted session, the network it came from ([`origin_network`]), if the transport has one.
    origin: Option<IpAddr>,
    /// Set once the handshake and the first `Hello` are done and the session is the one kept.
    up: Option<Up>,
    since: Instant,
}

struct Up {
    installation: InstallationKey,
    nodes: BTreeSet<NodeId>,
}

/// An address with messages waiting for a session.
struct Dial {
    queue: Bounded,
    failures: u32,
    next_attempt: Instant,
    /// The session task currently trying this address.
    attempt: Option<SessionId>,
    last_traffic: Instant,
}

pub(super) struct Actor {
    config: Arc<Config>,
    key: StaticKey,
    counters: Arc<SharedCounters>,
    local: watch::Sender<LocalNodes>,
    transports: Arc<[Arc<dyn Transport>]>,
    listeners: Vec<Box<dyn Listener>>,
    listening: Vec<PeerAddress>,
    commands: mpsc::Receiver<Command>,
    from_tasks_tx: mpsc::Sender<FromTask>,
    from_tasks: mpsc::Receiver<FromTask>,
    events: mpsc::Sender<Event>,
    pending_events: VecDeque<Event>,
    owner_gone: bool,
    sessions: BTreeMap<SessionId, Entry>,
    by_installation: HashMap<InstallationKey, SessionId>,
    routes: HashMap<NodeId, SessionId>,
    address_book: HashMap<NodeId, PeerAddress>,
    installation_at: HashMap<PeerAddress, InstallationKey>,
    dials: BTreeMap<PeerAddress, Dial>,
    /// Lookups sent and not answered yet: request number → the address asked and when.
    lookups: BTreeMap<u64, (PeerAddress, Instant)>,
    tasks: JoinSet<()>,
    next_id: u64,
}

impl Actor {
    pub(super) fn new(
        config: Config,
        key: StaticKey,
        transports: Vec<Arc<dyn Transport>>,
        listeners: Vec<Box<dyn Listener>>,
        commands: mpsc::Receiver<Command>,
        events: mpsc::Sender<Event>,
    ) -> Actor {
        let (from_tasks_tx, from_tasks) = mpsc::channel(TASK_CHANNEL);
        let listening = listeners.iter().map(|l| l.local_address()).collect();
        Actor {
            config: Arc::new(config),
            key,
            counters: Arc::default(),
            local: watch::Sender::new(Arc::default()),
            transports: transports.into(),
            listeners,
            listening,
            commands,
            from_tasks_tx,
            from_tasks,
            events,
            pending_events: VecDeque::new(),
            owner_gone: false,
            sessions: BTreeMap::new(),
            by_installation: HashMap::new(),
            routes: HashMap::new(),
            address_book: HashMap::new(),
            installation_at: HashMap::new(),
            dials: BTreeMap::new(),
            lookups: BTreeMap::new(),
            tasks: JoinSet::new(),
            next_id: 0,
        }
    }

    pub(super) async fn run(mut self) {
        for listener in std::mem::take(&mut self.listeners) {
            self.tasks
                .spawn(task::accept_loop(listener, self.from_tasks_tx.clone()));
        }
        // A second sender, so that a reserved permit borrows it and not `self`.
        let events = self.events.clone();
        let shutdown_reply = loop {
            self.flush_events();
            let wake = self.next_wakeup();
            let take_work = self.pending_events.len() < self.config.event_capacity;
            tokio::select! {
                biased;
                command = self.commands.recv() => match command {
                    None => break None,
                    Some(Command::Shutdown(reply)) => break Some(reply),
                    Some(command) => self.handle_command(command),
                },
                permit = events.reserve(), if !self.pending_events.is_empty() => match permit {
                    Ok(permit) => {
                        if let Some(event) = self.pending_events.pop_front() {
                            permit.send(event);
                        }
                    }
                    Err(_) => self.owner_left(),
                },
                message = self.from_tasks.recv(), if take_work => {
                    // The actor holds a sender, so the channel never closes.
                    if let Some(message) = message {
                        self.handle_task(message);
                    }
                }
                _ = sleep_until(wake), if wake.is_some() => self.handle_dial_timers(),
                Some(joined) = self.tasks.join_next(), if !self.tasks.is_empty() => {
                    if let Err(error) = joined
                        && error.is_panic()
                    {
                        tracing::error!("session task panicked: {error}");
                    }
                }
            }
        };
        self.tasks.shutdown().await;
        if let Some(reply) = shutdown_reply {
            let _ = reply.send(());
        }
    }

    // ----- events -----

    fn emit(&mut self, event: Event) {
        if !self.owner_gone {
            self.pending_events.push_back(event);
        }
    }

    /// Queues a best-effort event: dropped (and counted) when the owner is behind.
    fn emit_best_effort(&mut self, event: Event) {
        if self.pending_events.len() < self.config.event_capacity / 2 {
            self.emit(event);
        } else {
            self.counters.events_dropped();
        }
    }

    fn flush_events(&mut self) {
        while let Some(event) = self.pending_events.pop_front() {
            match self.events.try_send(event) {
                Ok(()) => {}
                Err(TrySendError::Full(event)) => {
                    self.pending_events.push_front(event);
                    break;
                }
                Err(TrySendError::Closed(_)) => {
                    self.owner_left();
                    break;
                }
            }
        }
    }

    fn owner_left(&mut self) {
        self.owner_gone = true;
        self.pending_events.clear();
    }

    // ----- commands -----

    fn handle_command(&mut self, command: Command) {
        match command {
            Command::AddNode(identity, reply) => {
                self.local.send_modify(|nodes| {
                    Arc::make_mut(nodes).insert(identity.node_id(), identity);
                });
                let _ = reply.send(());
            }
            Command::RemoveNode(node, reply) => {
                self.local.send_if_modified(|nodes| {
                    nodes.contains_key(&node) && Arc::make_mut(nodes).remove(&node).is_some()
                });
                let _ = reply.send(());
            }
            Command::SetAddress(node, address, reply) => {
                match address {
                    Some(address) => self.address_book.insert(node, address),
                    None => self.address_book.remove(&node),
                };
                let _ = reply.send(());
            }
            Command::Send {
                from,
                to,
                message,
                reply,
            } => {
                let result = self.send(from, to, message);
                let _ = reply.send(result);
            }
            Command::Lookup {
                address,
                request,
                message,
                reply,
            } => {
                self.expect_reply(request, address.clone());
                let item = Queued { to: None, message };
                let result = match self.connected_at(&address) {
                    Some(id) => {
                        self.push(id, item);
                        Ok(())
                    }
                    None => self.enqueue_dial(address, item),
                };
                let _ = reply.send(result);
            }
            Command::Reply {
                session,
                message,
                reply,
            } => {
                let result = if self.sessions.get(&session).is_some_and(|e| e.up.is_some()) {
                    self.push(session, Queued { to: None, message });
                    Ok(())
                } else {
                    Err(SendError::NoSession(session))
                };
                let _ = reply.send(result);
            }
            Command::ForgetLookup(request, reply) => {
                self.forget_lookup(request);
                let _ = reply.send(());
            }
            Command::Status(reply) => {
                let _ = reply.send(self.status());
            }
            Command::Shutdown(_) => unreachable!("handled by the loop"),
        }
    }

    fn send(&mut self, from: NodeId, to: NodeId, message: bytes::Bytes) -> Result<(), SendError> {
        {
            let local = self.local.borrow();
            if !local.contains_key(&from) {
                return Err(SendError::UnknownSender(from));
            }
            if local.contains_key(&to) {
                return Err(SendError::LocalDestination(to));
            }
        }
        let item = Queued {
            to: Some(to),
            message,
        };
        if let Some(&id) = self.routes.get(&to) {
            self.push(id, item);
            return Ok(());
        }
        let address = self
            .address_book
            .get(&to)
            .cloned()
            .ok_or(SendError::NoAddress(to))?;
        if self.connected_at(&address).is_some() {
            return Err(SendError::NoRoute(to));
        }
        self.enqueue_dial(address, item)
    }

    /// The established session to the installation last seen at `address`.
    fn connected_at(&self, address: &PeerAddress) -> Option<SessionId> {
        let installation = self.installation_at.get(address)?;
        self.by_installation.get(installation).copied()
    }

    fn push(&mut self, id: SessionId, item: Queued) {
        if let Some(entry) = self.sessions.get(&id) {
            let dropped = entry.queue.push(item);
            self.count_queue_drops(dropped);
        }
    }

    fn count_queue_drops(&mut self, dropped: usize) {
        if dropped > 0 {
            self.counters.queue_dropped_n(dropped);
            self.emit_best_effort(Event::Rejected {
                reason: DropReason::QueueFull,
            });
        }
    }

    fn enqueue_dial(&mut self, address: PeerAddress, item: Queued) -> Result<(), SendError> {
        let now = Instant::now();
        if !self.dials.contains_key(&address) && self.dials.len() >= self.config.max_dialing {
            return Err(SendError::TooManyPeers);
        }
        let config = &self.config;
        let dial = self.dials.entry(address.clone()).or_insert_with(|| Dial {
            queue: Bounded::new(config.queue_messages, config.queue_bytes),
            failures: 0,
            next_attempt: now,
            attempt: None,
            last_traffic: now,
        });
        dial.last_traffic = now;
        let dropped = dial.queue.push(item);
        let due = dial.attempt.is_none() && dial.next_attempt <= now;
        self.count_queue_drops(dropped);
        if due {
            self.start_dial(address, now);
        }
        Ok(())
    }

    /// Remembers that lookup `request` went to `address`, so that only the session to the installation
    /// there may answer it. At most [`Config::max_lookups`] are remembered, each until it is answered
    /// or for `dial_give_up` (after which its message would have been abandoned); beyond that the oldest
    /// is forgotten.
    fn expect_reply(&mut self, request: u64, address: PeerAddress) {
        let now = Instant::now();
        let give_up = self.config.dial_give_up;
        self.lookups.retain(|_, (_, sent)| now < *sent + give_up);
        while self.lookups.len() >= self.config.max_lookups.max(1) {
            let oldest = self
                .lookups
                .iter()
                .min_by_key(|(_, (_, sent))| *sent)
                .map(|(request, _)| *request);
            match oldest {
                Some(oldest) => self.lookups.remove(&oldest),
                None => break,
            };
        }
        self.lookups.insert(request, (address, now));
    }

    /// Forgets lookup `request`; stops dialing its address if nothing else waits there.
    fn forget_lookup(&mut self, request: u64) {
        let Some((address, _)) = self.lookups.remove(&request) else {
            return;
        };
        if self.lookups.values().any(|(other, _)| *other == address) {
            return;
        }
        if !self
            .dials
            .get(&address)
            .is_some_and(|d| d.queue.only_lookups())
        {
            return;
        }
        let Some(dial) = self.dials.remove(&address) else {
            return;
        };
        if let Some(attempt) = dial.attempt
            && let Some(entry) = self.sessions.remove(&attempt)
        {
            entry.abort.abort();
        }
        for _ in 0..dial.queue.len() {
            self.counters.abandoned();
        }
    }

    /// Whether lookup reply `request` on session `id` answers a lookup sent to the installation of that
    /// session; if so the lookup is answered and forgotten.
    fn take_reply(&mut self, id: SessionId, request: u64) -> bool {
        let Some((address, _)) = self.lookups.get(&request) else {
            return false;
        };
        let asked = self.installation_at.get(address);
        let answering = self
            .sessions
            .get(&id)
            .and_then(|e| e.up.as_ref())
            .map(|up| &up.installation);
        if asked.is_none() || asked != answering {
            return false;
        }
        self.lookups.remove(&request);
        true
    }

    /// Whether a connection from `origin` may become a session; the reason to refuse it otherwise.
    ///
    /// Accepted sessions leave [`Config::reserved_for_dials`] slots free for dialing, at most
    /// [`Config::max_sessions_per_address`] come from one network, and at most [`Config::max_unattested`]
    /// have no attested node yet (in handshake, or up without one), so that idle or silent connections
    /// from one place cannot take the slots of real peers.
    fn admit(&self, origin: Option<IpAddr>) -> Result<(), DropReason> {
        let config = &self.config;
        let inbound_room = config
            .max_sessions
            .saturating_sub(config.reserved_for_dials);
        if self.sessions.len() >= inbound_room {
            return Err(DropReason::TooManySessions);
        }
        let accepted = self.sessions.values().filter(|e| e.role == Role::Responder);
        let (mut same_origin, mut unattested) = (0, 0);
        for entry in accepted {
            if origin.is_some() && entry.origin == origin {
                same_origin += 1;
            }
            if entry.up.as_ref().is_none_or(|up| up.nodes.is_empty()) {
                unattested += 1;
            }
        }
        if same_origin >= config.max_sessions_per_address {
            return Err(DropReason::TooManyFromAddress);
        }
        if unattested >= config.max_unattested {
            return Err(DropReason::TooManyUnattested);
        }
        Ok(())
    }

    fn start_dial(&mut self, address: PeerAddress, now: Instant) {
        if self.sessions.len() >= self.config.max_sessions {
            // Try again later; the sessions may have closed by then.
            if let Some(dial) = self.dials.get_mut(&address) {
                dial.next_attempt = now + self.config.backoff_initial;
            }
            return;
        }
        let id = self.spawn_session(Role::Initiator, Connect::Dial(address.clone()));
        if let Some(dial) = self.dials.get_mut(&address) {
            dial.attempt = Some(id);
        }
    }

    fn spawn_session(&mut self, role: Role, connect: Connect) -> SessionId {
        let id = SessionId(self.next_id);
        self.next_id += 1;
        let (dialed, origin) = match &connect {
            Connect::Dial(address) => (Some(address.clone()), None),
            Connect::Accepted(incoming) => (None, incoming.from.map(origin_network)),
        };
        let queue = Arc::new(OutQueue::new(
            self.config.queue_messages,
            self.config.queue_bytes,
        ));
        let context = TaskContext {
            id,
            role,
            config: self.config.clone(),
            key: self.key.clone(),
            counters: self.counters.clone(),
            local: self.local.subscribe(),
            queue: queue.clone(),
            to_actor: self.from_tasks_tx.clone(),
            transports: self.transports.clone(),
        };
        let abort = self.tasks.spawn(task::run(context, connect));
        self.sessions.insert(
            id,
            Entry {
                queue,
                abort,
                role,
                dialed,
                origin,
                up: None,
                since: Instant::now(),
            },
        );
        id
    }

    // ----- messages from tasks -----

    fn handle_task(&mut self, message: FromTask) {
        match message {
            FromTask::Accepted(incoming) => match self.admit(incoming.from.map(origin_network)) {
                Ok(()) => {
                    self.spawn_session(Role::Responder, Connect::Accepted(incoming));
                }
                Err(reason) => {
                    self.counters.reject(reason);
                    self.emit_best_effort(Event::Rejected { reason });
                }
            },
            FromTask::Up {
                id,
                installation,
                nodes,
            } => self.on_up(id, installation, nodes),
            FromTask::Attested { id, nodes } => {
                let Some(up) = self.sessions.get_mut(&id).and_then(|e| e.up.as_mut()) else {
                    return;
                };
                up.nodes.extend(nodes.iter().copied());
                for node in &nodes {
                    self.routes.insert(*node, id);
                }
                self.emit(Event::NodesUp {
                    session: id,
                    remote_nodes: nodes,
                });
            }
            FromTask::Batch { id, batch } => {
                if self.is_up(id) {
                    self.counters.batches_delivered();
                    self.emit(Event::Received { batch });
                }
            }
            FromTask::Lookup { id, request, doc } => {
                if self.is_up(id) {
                    self.emit(Event::Lookup {
                        session: id,
                        request,
                        doc,
                    });
                }
            }
            FromTask::LookupReply { id, request, cards } => {
                if self.take_reply(id, request) {
                    self.emit(Event::LookupReply {
                        session: id,
                        request,
                        cards,
                    });
                } else {
                    self.counters.reject(DropReason::StrayLookupReply);
                    self.emit_best_effort(Event::Rejected {
                        reason: DropReason::StrayLookupReply,
                    });
                }
            }
            FromTask::Rejected(reason) => self.emit_best_effort(Event::Rejected { reason }),
            FromTask::Closed { id } => {
                if let Some(entry) = self.sessions.remove(&id) {
                    let leftovers = self.detach(id, entry);
                    self.requeue(leftovers);
                }
            }
        }
    }

    fn is_up(&self, id: SessionId) -> bool {
        self.sessions.get(&id).is_some_and(|e| e.up.is_some())
    }

    fn on_up(&mut self, id: SessionId, installation: InstallationKey, nodes: Vec<NodeId>) {
        let Some(entry) = self.sessions.get(&id) else {
            return;
        };
        let (role, dialed) = (entry.role, entry.dialed.clone());
        if let Some(address) = &dialed {
            self.installation_at.insert(address.clone(), installation);
        }
        let mut carried = Vec::new();
        if let Some(&old) = self.by_installation.get(&installation) {
            self.counters.duplicate_sessions();
            if self.keep_new(old, role, installation) {
                carried = self.close(old);
            } else {
                // Keep the existing session; whatever waited for this dial goes there.
                if let Some(entry) = self.sessions.remove(&id) {
                    entry.abort.abort();
                    let leftovers = self.detach(id, entry);
                    self.requeue(leftovers);
                }
                if let Some(address) = dialed {
                    self.flush_dial(&address, old);
                }
                return;
            }
        }
        let Some(entry) = self.sessions.get_mut(&id) else {
            return;
        };
        entry.up = Some(Up {
            installation,
            nodes: nodes.iter().copied().collect(),
        });
        entry.since = Instant::now();
        self.by_installation.insert(installation, id);
        for node in &nodes {
            self.routes.insert(*node, id);
        }
        self.counters.sessions_up();
        self.emit(Event::SessionUp {
            session: id,
            installation,
            remote_nodes: nodes,
        });
        for item in carried {
            self.push(id, item);
        }
        if let Some(address) = dialed {
            self.flush_dial(&address, id);
        }
        // Messages may wait at other addresses of the same installation.
        let waiting: Vec<PeerAddress> = self
            .dials
            .keys()
            .filter(|a| self.installation_at.get(*a) == Some(&installation))
            .cloned()
            .collect();
        for address in waiting {
            self.flush_dial(&address, id);
        }
    }

    /// Of two sessions to the same installation, whether to keep the new one (whose role is `role`).
    ///
    /// Both installations must make the same choice without talking: when each side opened one
    /// (a simultaneous dial), the session opened by the installation with the smaller key is kept;
    /// when the same side opened both, it redialed because it lost the first, so the new one is kept.
    fn keep_new(&self, old: SessionId, role: Role, installation: InstallationKey) -> bool {
        let opener = |role: Role| match role {
            Role::Initiator => self.key.public(),
            Role::Responder => installation,
        };
        let Some(old_role) = self.sessions.get(&old).map(|e| e.role) else {
            return true;
        };
        let (old_opener, new_opener) = (opener(old_role), opener(role));
        old_opener == new_opener || new_opener < old_opener
    }

    /// Moves the messages waiting for `address` to session `id`.
    fn flush_dial(&mut self, address: &PeerAddress, id: SessionId) {
        let Some(mut dial) = self.dials.remove(address) else {
            return;
        };
        if let Some(attempt) = dial.attempt
            && attempt != id
            && let Some(entry) = self.sessions.remove(&attempt)
        {
            entry.abort.abort();
        }
        let attested = self
            .sessions
            .get(&id)
            .and_then(|e| e.up.as_ref())
            .map(|up| up.nodes.clone())
            .unwrap_or_default();
        for item in dial.queue.drain() {
            match item.to {
                Some(node) if !attested.contains(&node) => self.counters.unroutable(),
                _ => self.push(id, item),
            }
        }
    }

    /// Aborts a session and forgets it; returns its unsent messages.
    fn close(&mut self, id: SessionId) -> Vec<Queued> {
        match self.sessions.remove(&id) {
            Some(entry) => {
                entry.abort.abort();
                self.detach(id, entry)
            }
            None => Vec::new(),
        }
    }

    /// Removes a finished session's routes and dial attempt, reports it down; returns its unsent messages.
    fn detach(&mut self, id: SessionId, entry: Entry) -> Vec<Queued> {
        if let Some(up) = entry.up {
            if self.by_installation.get(&up.installation) == Some(&id) {
                self.by_installation.remove(&up.installation);
            }
            for node in &up.nodes {
                if self.routes.get(node) == Some(&id) {
                    self.routes.remove(node);
                }
            }
            self.emit(Event::SessionDown {
                session: id,
                installation: up.installation,
                remote_nodes: up.nodes.into_iter().collect(),
            });
        } else if let Some(address) = &entry.dialed
            && let Some(dial) = self.dials.get_mut(address)
            && dial.attempt == Some(id)
        {
            dial.attempt = None;
            dial.failures = dial.failures.saturating_add(1);
            dial.next_attempt = Instant::now() + backoff(&self.config, dial.failures);
        }
        let (batches, lookups): (Vec<Queued>, Vec<Queued>) = entry
            .queue
            .drain()
            .into_iter()
            .partition(|item| item.to.is_some());
        // Lookups have no node to route by: they go back to the address they were for, if any.
        if let Some(address) = entry.dialed {
            for lookup in lookups {
                if self.enqueue_dial(address.clone(), lookup).is_err() {
                    self.counters.abandoned();
                }
            }
        }
        batches
    }

    /// Sends the unsent batches of a closed session again, by their nodes' current routes or addresses.
    fn requeue(&mut self, leftovers: Vec<Queued>) {
        for item in leftovers {
            let Some(to) = item.to else { continue };
            if let Some(&id) = self.routes.get(&to) {
                self.push(id, item);
            } else if let Some(address) = self.address_book.get(&to).cloned() {
                if self.enqueue_dial(address, item).is_err() {
                    self.counters.abandoned();
                }
            } else {
                self.counters.abandoned();
            }
        }
    }

    // ----- timers -----

    fn next_wakeup(&self) -> Option<Instant> {
        self.dials
            .values()
            .filter(|d| d.attempt.is_none())
            .map(|d| {
                d.next_attempt
                    .min(d.last_traffic + self.config.dial_give_up)
            })
            .min()
    }

    fn handle_dial_timers(&mut self) {
        let now = Instant::now();
        let give_up = self.config.dial_give_up;
        let mut due = Vec::new();
        let mut abandoned = 0;
        self.dials.retain(|address, dial| {
            if dial.attempt.is_some() {
                return true;
            }
            if now >= dial.last_traffic + give_up {
                abandoned += dial.queue.len();
                return false;
            }
            if now >= dial.next_attempt {
                due.push(address.clone());
            }
            true
        });
        for _ in 0..abandoned {
            self.counters.abandoned();
        }
        for address in due {
            self.start_dial(address, now);
        }
    }

    // ----- status -----

    fn status(&self) -> Status {
        let now = Instant::now();
        Status {
            installation: self.key.public(),
            listening: self.listening.clone(),
            local_nodes: self.local.borrow().keys().copied().collect(),
            sessions: self
                .sessions
                .iter()
                .map(|(id, entry)| {
                    let (queue_len, queue_capacity) = entry.queue.len_and_max();
                    SessionStatus {
                        id: *id,
                        installation: entry.up.as_ref().map(|up| up.installation),
                        dialed: entry.dialed.clone(),
                        remote_nodes: entry
                            .up
                            .as_ref()
                            .map(|up| up.nodes.iter().copied().collect())
                            .unwrap_or_default(),
                        queue_len,
                        queue_capacity,
                        age: now.saturating_duration_since(entry.since),
                    }
                })
                .collect(),
            dialing: self
                .dials
                .iter()
                .map(|(address, dial)| DialStatus {
                    address: address.clone(),
                    queue_len: dial.queue.len(),
                    queue_capacity: dial.queue.max_items(),
                    failures: dial.failures,
                    in_progress: dial.attempt.is_some(),
                })
                .collect(),
            events_pending: self.pending_events.len(),
            counters: self.counters.snapshot(),
        }
    }
}

/// The wait after `failures` consecutive failed dials: doubling from the initial wait, capped.
pub(crate) fn backoff(config: &Config, failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(30);
    config
        .backoff_initial
        .saturating_mul(1 << doublings)
        .min(config.backoff_max)
}

async fn sleep_until(wake: Option<Instant>) {
    match wake {
        Some(wake) => tokio::time::sleep_until(wake).await,
        None => std::future::pending().await,
    }
}
