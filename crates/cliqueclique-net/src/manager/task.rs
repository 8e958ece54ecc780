//! The task of one session: connect, handshake, exchange `Hello`s, then read and write until it ends.
//!
//! Everything a remote peer can get wrong is handled here, close to the socket: each failure increments its
//! counter and either drops the message (a batch that fails the checks) or ends the session (anything that
//! breaks the encrypted stream or the protocol). The actor only hears about outcomes.

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use cliqueclique_doc::{ContactCard, DocId, Identity, NodeId};
use cliqueclique_proto::Batch;
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior, timeout};

use crate::address::PeerAddress;
use crate::attestation::Attestation;
use crate::config::Config;
use crate::counters::{DropReason, SharedCounters};
use crate::error::{DialError, FrameError, HandshakeError, SessionError};
use crate::key::{InstallationKey, StaticKey};
use crate::message::SessionMessage;
use crate::queue::OutQueue;
use crate::rate::InboundLimit;
use crate::session::{self, Role, SessionReceiver, SessionSender};
use crate::status::SessionId;
use crate::transport::{Listener, Stream, Transport};

/// The nodes hosted by this installation, shared with every session through a watch channel.
pub(crate) type LocalNodes = Arc<BTreeMap<NodeId, Identity>>;

/// A stream a listener accepted.
pub(crate) struct Incoming {
    pub(crate) stream: Box<dyn Stream>,
    /// The IP address it came from, if the transport has one.
    pub(crate) from: Option<IpAddr>,
    /// The listener's own handshake timeout, if any.
    pub(crate) patience: Option<Duration>,
}

/// How a session starts.
pub(crate) enum Connect {
    /// A stream a listener accepted.
    Accepted(Incoming),
    /// An address to dial.
    Dial(PeerAddress),
}

/// What session and accept tasks tell the actor.
pub(crate) enum FromTask {
    Accepted(Incoming),
    Up {
        id: SessionId,
        installation: InstallationKey,
        nodes: Vec<NodeId>,
    },
    Attested {
        id: SessionId,
        nodes: Vec<NodeId>,
    },
    /// A batch whose `from` is attested on the session and whose `to` is hosted here.
    Batch {
        id: SessionId,
        batch: Batch,
    },
    Lookup {
        id: SessionId,
        request: u64,
        doc: DocId,
    },
    LookupReply {
        id: SessionId,
        request: u64,
        cards: Vec<ContactCard>,
    },
    Rejected(DropReason),
    Closed {
        id: SessionId,
    },
}

/// Everything a session task needs, handed over by the actor.
pub(crate) struct TaskContext {
    pub(crate) id: SessionId,
    pub(crate) role: Role,
    pub(crate) config: Arc<Config>,
    pub(crate) key: StaticKey,
    pub(crate) counters: Arc<SharedCounters>,
    pub(crate) local: watch::Receiver<LocalNodes>,
    pub(crate) queue: Arc<OutQueue>,
    pub(crate) to_actor: mpsc::Sender<FromTask>,
    pub(crate) transports: Arc<[Arc<dyn Transport>]>,
}

impl TaskContext {
    /// Counts a rejection and tells the actor, without waiting if its channel is full.
    fn reject(&self, reason: DropReason) {
        self.counters.reject(reason);
        let _ = self.to_actor.try_send(FromTask::Rejected(reason));
    }
}

/// Accepts streams and hands them to the actor until the actor is gone.
pub(crate) async fn accept_loop(mut listener: Box<dyn Listener>, to_actor: mpsc::Sender<FromTask>) {
    let patience = listener.handshake_timeout();
    loop {
        match listener.accept().await {
            Ok((stream, from)) => {
                let incoming = Incoming {
                    stream,
                    from,
                    patience,
                };
                if to_actor.send(FromTask::Accepted(incoming)).await.is_err() {
                    return;
                }
            }
            Err(error) => {
                // Usually one failed connection, or a shortage of file descriptors: pause, don't spin.
                tracing::debug!("accept failed: {error}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }
}

/// Runs one session to its end and tells the actor.
pub(crate) async fn run(mut context: TaskContext, connect: Connect) {
    run_session(&mut context, connect).await;
    let _ = context
        .to_actor
        .send(FromTask::Closed { id: context.id })
        .await;
}

async fn run_session(context: &mut TaskContext, connect: Connect) {
    let (stream, patience) = match connect {
        Connect::Accepted(incoming) => (incoming.stream, incoming.patience),
        Connect::Dial(address) => {
            context.counters.dials();
            let dialed = dial(&context.transports, &address, context.config.dial_timeout).await;
            match dialed {
                Ok(dialed) => dialed,
                Err(error) => {
                    tracing::debug!("dial {address}: {error}");
                    context.counters.dial_failures();
                    return;
                }
            }
        }
    };
    let patience = patience.unwrap_or(context.config.handshake_timeout);
    let opened = timeout(patience, open(context, stream))
        .await
        .unwrap_or(Err(Some(DropReason::HandshakeFailed)));
    let Open {
        sender,
        receiver,
        remote,
        handshake_hash,
        attested,
        announced,
    } = match opened {
        Ok(open) => open,
        Err(reason) => {
            if context.role == Role::Initiator {
                context.counters.dial_failures();
            }
            if let Some(reason) = reason {
                context.reject(reason);
            }
            return;
        }
    };
    let up = FromTask::Up {
        id: context.id,
        installation: remote,
        nodes: attested.iter().copied().collect(),
    };
    if context.to_actor.send(up).await.is_err() {
        return;
    }
    let local = context.local.clone();
    let context = &*context;
    let reader = read_loop(context, receiver, remote, handshake_hash, attested);
    let writer = write_loop(context, local, sender, handshake_hash, announced);
    tokio::select! {
        () = reader => {}
        () = writer => {}
    }
}

/// Tries each transport in turn until one supports the address, each within its dial timeout
/// (`default` unless the transport has its own); returns the stream and the transport's handshake timeout.
async fn dial(
    transports: &[Arc<dyn Transport>],
    address: &PeerAddress,
    default: Duration,
) -> Result<(Box<dyn Stream>, Option<Duration>), DialError> {
    for transport in transports {
        let patience = transport.dial_timeout().unwrap_or(default);
        let dialed = timeout(patience, transport.dial(address))
            .await
            .unwrap_or(Err(DialError::Timeout));
        match dialed {
            Err(DialError::Unsupported { .. }) => continue,
            result => return result.map(|stream| (stream, transport.handshake_timeout())),
        }
    }
    Err(DialError::Unsupported {
        address: address.clone(),
    })
}

/// A session after the handshake and the `Hello` exchange.
struct Open {
    sender: SessionSender,
    receiver: SessionReceiver,
    remote: InstallationKey,
    handshake_hash: [u8; 32],
    attested: HashSet<NodeId>,
    announced: HashSet<NodeId>,
}

/// The handshake and the `Hello` exchange; an error carries the reason to count, if any.
async fn open(
    context: &mut TaskContext,
    stream: Box<dyn Stream>,
) -> Result<Open, Option<DropReason>> {
    let session = session::handshake(
        stream,
        context.role,
        &context.key,
        context.config.max_message_bytes,
    )
    .await
    .map_err(|error| {
        tracing::debug!("session {}: handshake: {error}", context.id);
        Some(match error {
            HandshakeError::Frame(FrameError::TooLarge { .. }) => DropReason::Oversize,
            _ => DropReason::HandshakeFailed,
        })
    })?;
    let (mut sender, mut receiver) = (session.sender, session.receiver);
    if session.remote == context.key.public() {
        context.counters.self_connections();
        return Err(None);
    }
    let local = context.local.borrow_and_update().clone();
    let hello = hello(
        local.values(),
        &session.handshake_hash,
        &context.key.public(),
    );
    let announced = local.keys().copied().collect();
    let (sent, received) = tokio::join!(sender.send(&hello), receiver.recv());
    sent.map_err(|_| Some(DropReason::HandshakeFailed))?;
    let attestations = match received {
        Ok(SessionMessage::Hello { attestations }) => attestations,
        Ok(_) => return Err(Some(DropReason::Garbage)),
        Err(error) => return Err(classify(&error)),
    };
    let mut attested = HashSet::new();
    verify(
        context,
        &attestations,
        &session.handshake_hash,
        &session.remote,
        &mut attested,
    )
    .map_err(Some)?;
    Ok(Open {
        sender,
        receiver,
        remote: session.remote,
        handshake_hash: session.handshake_hash,
        attested,
        announced,
    })
}

/// A `Hello` attesting `identities` for this session.
fn hello<'a>(
    identities: impl Iterator<Item = &'a Identity>,
    handshake_hash: &[u8; 32],
    installation: &InstallationKey,
) -> SessionMessage {
    SessionMessage::Hello {
        attestations: identities
            .map(|identity| Attestation::sign(identity, handshake_hash, installation))
            .collect(),
    }
}

/// Checks attestations, adding the new nodes to `attested`; returns them.
///
/// Nodes beyond [`Config::max_remote_nodes`] are ignored unverified, so a peer cannot make this installation
/// verify signatures without bound; any attestation that does not verify ends the session.
fn verify(
    context: &TaskContext,
    attestations: &[Attestation],
    handshake_hash: &[u8; 32],
    remote: &InstallationKey,
    attested: &mut HashSet<NodeId>,
) -> Result<Vec<NodeId>, DropReason> {
    let mut new = Vec::new();
    for attestation in attestations {
        let node = attestation.node_id();
        if attested.contains(&node) || attested.len() >= context.config.max_remote_nodes {
            continue;
        }
        if !attestation.verify(handshake_hash, remote) {
            tracing::debug!(
                "session {}: attestation of {node:?} does not verify",
                context.id
            );
            return Err(DropReason::BadAttestation);
        }
        attested.insert(node);
        new.push(node);
    }
    Ok(new)
}

/// The counter for a failed receive; `None` for an ordinary end of the stream.
fn classify(error: &SessionError) -> Option<DropReason> {
    match error {
        SessionError::Frame(FrameError::TooLarge { .. }) => Some(DropReason::Oversize),
        SessionError::Frame(FrameError::Closed | FrameError::Io(_)) => None,
        SessionError::Frame(FrameError::Truncated) => None,
        _ => Some(DropReason::Garbage),
    }
}

/// Reads, checks and forwards messages until the stream fails, the peer goes silent or breaks the protocol.
async fn read_loop(
    context: &TaskContext,
    mut receiver: SessionReceiver,
    remote: InstallationKey,
    handshake_hash: [u8; 32],
    mut attested: HashSet<NodeId>,
) {
    let config = &context.config;
    let mut limit = InboundLimit::new(config, Instant::now());
    loop {
        let message = match timeout(config.dead_after, receiver.recv_encoded()).await {
            Err(_) => {
                tracing::debug!("session {}: peer silent, closing", context.id);
                context.counters.keepalive_timeouts();
                return;
            }
            Ok(Err(error)) => {
                tracing::debug!("session {}: {error}", context.id);
                if let Some(reason) = classify(&error) {
                    context.reject(reason);
                }
                return;
            }
            Ok(Ok(message)) => message,
        };
        context.counters.messages_in();
        let pause = limit.charge(message.len(), Instant::now());
        let Ok(message) = SessionMessage::decode(&message) else {
            context.reject(DropReason::Garbage);
            return;
        };
        let forward = match message {
            SessionMessage::Ping => {
                context.queue.push_pong();
                None
            }
            SessionMessage::Pong => None,
            SessionMessage::Hello { attestations } => {
                match verify(
                    context,
                    &attestations,
                    &handshake_hash,
                    &remote,
                    &mut attested,
                ) {
                    Err(reason) => {
                        context.reject(reason);
                        return;
                    }
                    Ok(nodes) if nodes.is_empty() => None,
                    Ok(nodes) => Some(FromTask::Attested {
                        id: context.id,
                        nodes,
                    }),
                }
            }
            SessionMessage::Batch(bytes) => match Batch::decode(&bytes, config.max_message_bytes) {
                Err(error) => {
                    tracing::debug!("session {}: {error}", context.id);
                    context.reject(DropReason::MalformedBatch);
                    None
                }
                Ok(batch) if !attested.contains(&batch.from) => {
                    context.reject(DropReason::Unattested);
                    None
                }
                Ok(batch) if !context.local.borrow().contains_key(&batch.to) => {
                    context.reject(DropReason::Misaddressed);
                    None
                }
                Ok(batch) => Some(FromTask::Batch {
                    id: context.id,
                    batch,
                }),
            },
            SessionMessage::Lookup { request, doc } => Some(FromTask::Lookup {
                id: context.id,
                request,
                doc,
            }),
            SessionMessage::LookupReply { request, cards } => Some(FromTask::LookupReply {
                id: context.id,
                request,
                cards,
            }),
        };
        if let Some(forward) = forward
            && context.to_actor.send(forward).await.is_err()
        {
            return;
        }
        if !pause.is_zero() {
            context.reject(DropReason::RateLimited);
            tokio::time::sleep(pause).await;
        }
    }
}

/// Writes queued messages, `Pong`s, keepalive `Ping`s and `Hello`s for new local nodes until a write fails.
async fn write_loop(
    context: &TaskContext,
    mut local: watch::Receiver<LocalNodes>,
    mut sender: SessionSender,
    handshake_hash: [u8; 32],
    mut announced: HashSet<NodeId>,
) {
    // `interval` refuses a zero period; a zero keepalive means "as often as possible" rather than a panic.
    let period = context
        .config
        .keepalive
        .max(std::time::Duration::from_millis(1));
    let mut ping = tokio::time::interval(period);
    ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
    ping.tick().await;
    let installation = context.key.public();
    let mut announce = |local: &mut watch::Receiver<LocalNodes>| {
        announcement(local, &mut announced, &handshake_hash, &installation)
    };
    loop {
        let result = if context.queue.take_pong() {
            sender.send(&SessionMessage::Pong).await
        } else if local.has_changed().unwrap_or(false) {
            match announce(&mut local) {
                Some(hello) => sender.send(&hello).await,
                None => continue,
            }
        } else if let Some(item) = context.queue.pop() {
            sender.send_encoded(&item.message).await
        } else {
            tokio::select! {
                () = context.queue.wait() => continue,
                _ = ping.tick() => sender.send(&SessionMessage::Ping).await,
                changed = local.changed() => match changed {
                    Err(_) => return,
                    Ok(()) => match announce(&mut local) {
                        Some(hello) => sender.send(&hello).await,
                        None => continue,
                    },
                },
            }
        };
        match result {
            Ok(()) => context.counters.messages_out(),
            Err(error) => {
                tracing::debug!("session {}: write: {error}", context.id);
                return;
            }
        }
    }
}

/// A `Hello` for the local nodes not yet announced on this session, if any.
fn announcement(
    local: &mut watch::Receiver<LocalNodes>,
    announced: &mut HashSet<NodeId>,
    handshake_hash: &[u8; 32],
    installation: &InstallationKey,
) -> Option<SessionMessage> {
    let local = local.borrow_and_update().clone();
    // Forget removed nodes, so that hosting one again announces it again.
    announced.retain(|node| local.contains_key(node));
    let new: Vec<&Identity> = local
        .iter()
        .filter(|(node, _)| !announced.contains(*node))
        .map(|(_, identity)| identity)
        .collect();
    if new.is_empty() {
        return None;
    }
    announced.extend(new.iter().map(|identity| identity.node_id()));
    Some(hello(new.into_iter(), handshake_hash, installation))
}
