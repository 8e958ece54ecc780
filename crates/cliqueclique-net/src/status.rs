//! What [`SessionManager::status`](crate::SessionManager::status) reports (sessions, queues and counters), and
//! the health of each transport ([`TransportStatus`]).

use std::fmt;
use std::time::Duration;

use cliqueclique_doc::NodeId;
use serde::{Deserialize, Serialize};

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

/// The health of one transport of the installation (TCP, I2P), for `cliqueclique status` and the node page.
///
/// A TCP listener is up as soon as it is bound; the I2P transport goes through `starting` (waiting for the
/// SAM bridge and the tunnels) to `up`, and back to `down` while its bridge is unreachable or its session lost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransportStatus {
    /// `tcp` or `i2p`.
    pub transport: String,
    /// The address peers dial to reach this installation through this transport.
    pub address: String,
    /// Whether it works.
    pub state: TransportState,
    /// One human-readable line: what it is doing, or the last error and what happens next.
    pub detail: String,
    /// Consecutive failed attempts to get it working.
    pub failures: u32,
    /// When the next attempt is due, in milliseconds from now, while down.
    pub retry_in_ms: Option<u64>,
    /// How long it has been in this state, in milliseconds.
    pub since_ms: u64,
}

/// The state in a [`TransportStatus`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportState {
    /// Being set up (for I2P: connecting to the bridge, building tunnels).
    Starting,
    /// Working: peers can reach this installation through it.
    Up,
    /// Not working; see the detail; retried with back-off.
    Down,
}

impl fmt::Display for TransportState {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            TransportState::Starting => "starting",
            TransportState::Up => "up",
            TransportState::Down => "down",
        })
    }
}
