//! The [`SessionManager`]: one installation's sessions to its neighbours, run by a tokio actor.
//!
//! The owner (the daemon) hosts nodes, fills an address book (node id → [`PeerAddress`], from contact cards)
//! and hands over batches; the manager dials on demand, keeps one session per remote installation
//! whichever side dialed, keeps it alive, and reports what happens as [`Event`]s.
//!
//! # Structure
//!
//! - The actor (`manager/actor.rs`) owns all bookkeeping: sessions, routes (remote node → session),
//!   the address book, addresses being dialed with their back-off and queues. It never blocks: commands are
//!   served first, events for the owner wait in a bounded buffer, and while that buffer is full the actor
//!   stops taking work from sessions, which stops their readers and, through TCP, the remote writers.
//! - Each session is one task (`manager/task.rs`): dial, handshake, `Hello` exchange, then a reader
//!   (decrypt, check, rate limit, dead-peer timeout) and a writer (outbound queue, keepalive, new `Hello`s).
//! - Each listener has an accept task that hands streams to the actor, which refuses them beyond the
//!   session limit.
//!
//! All channels are bounded. Calls on the handle wait for the actor's answer, which comes promptly because
//! the actor never waits for the owner: the owner may call the handle from the same task that drains events.

mod actor;
mod task;

use std::sync::Arc;

use bytes::Bytes;
use cliqueclique_doc::{ContactCard, DocId, Identity, NodeId};
use cliqueclique_proto::Batch;
use tokio::sync::{mpsc, oneshot};

use crate::address::PeerAddress;
use crate::config::Config;
use crate::error::{SendError, Stopped};
use crate::event::Event;
use crate::key::StaticKey;
use crate::message::SessionMessage;
use crate::status::{SessionId, Status};
use crate::transport::{Listener, Transport};

/// A handle to a running session manager; cheap to clone.
///
/// The manager stops when [`SessionManager::shutdown`] is called or every handle is dropped.
#[derive(Clone, Debug)]
pub struct SessionManager {
    commands: mpsc::Sender<Command>,
    max_message: usize,
}

/// What the handle asks of the actor; each carries the channel for its answer.
pub(crate) enum Command {
    AddNode(Identity, oneshot::Sender<()>),
    RemoveNode(NodeId, oneshot::Sender<()>),
    SetAddress(NodeId, Option<PeerAddress>, oneshot::Sender<()>),
    Send {
        from: NodeId,
        to: NodeId,
        message: Bytes,
        reply: oneshot::Sender<Result<(), SendError>>,
    },
    Lookup {
        address: PeerAddress,
        request: u64,
        message: Bytes,
        reply: oneshot::Sender<Result<(), SendError>>,
    },
    Reply {
        session: SessionId,
        message: Bytes,
        reply: oneshot::Sender<Result<(), SendError>>,
    },
    ForgetLookup(u64, oneshot::Sender<()>),
    Status(oneshot::Sender<Status>),
    Shutdown(oneshot::Sender<()>),
}

impl SessionManager {
    /// Starts a manager for the installation with static key `key`, accepting on `listeners` and dialing
    /// through `transports` (the first one that supports an address is used).
    ///
    /// Returns the handle and the bounded channel of events; drain it, or the manager stops reading from
    /// peers once [`Config::event_capacity`] events wait. Must be called inside a tokio runtime.
    pub fn spawn(
        config: Config,
        key: StaticKey,
        transports: Vec<Arc<dyn Transport>>,
        listeners: Vec<Box<dyn Listener>>,
    ) -> (SessionManager, mpsc::Receiver<Event>) {
        let (commands, command_rx) = mpsc::channel(config.command_capacity.max(1));
        let (events, event_rx) = mpsc::channel(config.event_capacity.max(1));
        let max_message = config.max_message_bytes;
        let actor = actor::Actor::new(config, key, transports, listeners, command_rx, events);
        tokio::spawn(actor.run());
        (
            SessionManager {
                commands,
                max_message,
            },
            event_rx,
        )
    }

    async fn ask<T>(&self, make: impl FnOnce(oneshot::Sender<T>) -> Command) -> Result<T, Stopped> {
        let (reply, answer) = oneshot::channel();
        self.commands.send(make(reply)).await.map_err(|_| Stopped)?;
        answer.await.map_err(|_| Stopped)
    }

    /// Hosts a node: from now on its batches can be sent, batches to it are delivered, and every session
    /// (present and future) announces it with an attestation.
    pub async fn add_node(&self, identity: Identity) -> Result<(), Stopped> {
        self.ask(|reply| Command::AddNode(identity, reply)).await
    }

    /// Stops hosting a node: batches to it are dropped as misaddressed from now on.
    ///
    /// Sessions cannot withdraw an attestation; remote installations learn of the departure from the protocol.
    pub async fn remove_node(&self, node: NodeId) -> Result<(), Stopped> {
        self.ask(|reply| Command::RemoveNode(node, reply)).await
    }

    /// Records where a remote node can be reached (`None` forgets it); used when no session attests the node.
    pub async fn set_address(
        &self,
        node: NodeId,
        address: Option<PeerAddress>,
    ) -> Result<(), Stopped> {
        self.ask(|reply| Command::SetAddress(node, address, reply))
            .await
    }

    /// Queues `batch` for its `to` node: on the session attesting that node, or, if there is none, for the
    /// node's address, which is dialed (with back-off) until a session is up.
    ///
    /// `Ok` means queued, not delivered: queues drop their oldest messages when full, and the protocol resends.
    pub async fn send(&self, batch: &Batch) -> Result<(), SendError> {
        let message = SessionMessage::Batch(Bytes::from(batch.encode())).encode();
        if message.len() > self.max_message {
            return Err(SendError::TooLarge {
                len: message.len(),
                max: self.max_message,
            });
        }
        let (from, to) = (batch.from, batch.to);
        self.ask(|reply| Command::Send {
            from,
            to,
            message: Bytes::from(message),
            reply,
        })
        .await
        .map_err(|_| SendError::Stopped)?
    }

    /// Asks the installation at `address` which of its nodes hold `doc`; the answer arrives as
    /// [`Event::LookupReply`] with the same `request` number.
    ///
    /// Only the session to the installation at `address` may answer, once: a reply with that number on any
    /// other session is dropped ([`DropReason::StrayLookupReply`](crate::DropReason::StrayLookupReply)).
    /// Make `request` unguessable (random), so that the installation asked cannot tell which numbers
    /// other lookups use.
    pub async fn lookup(
        &self,
        address: PeerAddress,
        request: u64,
        doc: DocId,
    ) -> Result<(), SendError> {
        let message = Bytes::from(SessionMessage::Lookup { request, doc }.encode());
        self.ask(|reply| Command::Lookup {
            address,
            request,
            message,
            reply,
        })
        .await
        .map_err(|_| SendError::Stopped)?
    }

    /// Forgets lookup `request`, whose answer nobody waits for any more: a reply to it is dropped
    /// as a stray, and unless another lookup waits at its address or a batch is queued for it, the
    /// address is not dialed any more (an attempt under way is aborted).
    pub async fn forget_lookup(&self, request: u64) -> Result<(), Stopped> {
        self.ask(|reply| Command::ForgetLookup(request, reply))
            .await
    }

    /// Answers an [`Event::Lookup`] on its session.
    pub async fn reply_lookup(
        &self,
        session: SessionId,
        request: u64,
        cards: Vec<ContactCard>,
    ) -> Result<(), SendError> {
        let message = SessionMessage::LookupReply { request, cards }.encode();
        if message.len() > self.max_message {
            return Err(SendError::TooLarge {
                len: message.len(),
                max: self.max_message,
            });
        }
        let message = Bytes::from(message);
        self.ask(|reply| Command::Reply {
            session,
            message,
            reply,
        })
        .await
        .map_err(|_| SendError::Stopped)?
    }

    /// Sessions, queues and counters.
    pub async fn status(&self) -> Result<Status, Stopped> {
        self.ask(Command::Status).await
    }

    /// Closes every session and listener and waits until they are gone (so the ports can be bound again).
    pub async fn shutdown(&self) {
        // An error means it has stopped already.
        let _ = self.ask(Command::Shutdown).await;
    }
}
