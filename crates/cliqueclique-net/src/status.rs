//! What [`SessionManager::status`](crate::SessionManager::status) reports: sessions, queues and counters.

use std::fmt;
use std::time::Duration;

use cliqueclique_doc::NodeId;

use crate::address::PeerAddress;
use crate::counters::Counters;
use crate::key::InstallationKey;

/// A manager-local number naming one session (or one connection attempt), never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionId(pub u64);

impl fmt::Display for SessionId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "#{}", self.0)
    }
}

/// A snapshot of a manager.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Status {
    /// This installation's key.
    pub installation: InstallationKey,
    /// The addresses the manager listens on.
    pub listening: Vec<PeerAddress>,
    /// The nodes hosted here.
    pub local_nodes: Vec<NodeId>,
    /// Sessions, established or in handshake, by id.
    pub sessions: Vec<SessionStatus>,
    /// Addresses with messages waiting for a session.
    pub dialing: Vec<DialStatus>,
    /// Events waiting for the owner inside the manager (bounded; reading from peers pauses when it is full).
    pub events_pending: usize,
    /// The counters.
    pub counters: Counters,
}

impl Status {
    /// The established sessions.
    pub fn established(&self) -> impl Iterator<Item = &SessionStatus> {
        self.sessions.iter().filter(|s| s.installation.is_some())
    }
}

/// One session.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SessionStatus {
    /// The session.
    pub id: SessionId,
    /// The remote installation, once the handshake and the first `Hello` are done.
    pub installation: Option<InstallationKey>,
    /// The address dialed, for sessions this installation opened.
    pub dialed: Option<PeerAddress>,
    /// The remote nodes attested on this session.
    pub remote_nodes: Vec<NodeId>,
    /// Messages in the outbound queue.
    pub queue_len: usize,
    /// The bound on `queue_len`.
    pub queue_capacity: usize,
    /// How long ago the session came up (or started, while in handshake).
    pub age: Duration,
}

/// An address being dialed because messages wait for it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DialStatus {
    /// The address.
    pub address: PeerAddress,
    /// Messages waiting.
    pub queue_len: usize,
    /// The bound on `queue_len`.
    pub queue_capacity: usize,
    /// Consecutive failed attempts.
    pub failures: u32,
    /// Whether an attempt is under way.
    pub in_progress: bool,
}
