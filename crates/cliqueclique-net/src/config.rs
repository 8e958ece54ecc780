//! The settings of a [`SessionManager`](crate::SessionManager); embedded in the daemon's configuration file.
//!
//! Durations are written as integer milliseconds. Tests shorten the keepalive and back-off periods
//! instead of pausing time, because sessions run over real sockets.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Limits and timers of one installation's sessions.
///
/// Every field has a default; configuration files may set any subset.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The largest session message (an encoded batch plus a few bytes), in bytes.
    /// Must exceed the protocol's largest batch: a batch carrying a maximal document body.
    pub max_message_bytes: usize,
    /// The most sessions at once, established or in handshake; further connections are refused.
    pub max_sessions: usize,
    /// Session slots kept for dialing: connections from outside are refused once only this many
    /// of `max_sessions` are left, so that inbound connections can never stop this installation from dialing.
    pub reserved_for_dials: usize,
    /// The most sessions accepted from one IP address (for IPv6, one /64 network) at once, in any state.
    pub max_sessions_per_address: usize,
    /// The most accepted sessions that have not yet attested a node (in handshake, or up with no
    /// node attested) at once; further connections are refused.
    pub max_unattested: usize,
    /// The most addresses being dialed (with messages waiting) at once.
    pub max_dialing: usize,
    /// The most messages in one outbound queue; when full, the oldest is dropped.
    pub queue_messages: usize,
    /// The most bytes in one outbound queue; when full, the oldest messages are dropped.
    pub queue_bytes: usize,
    /// The most remote nodes one session may attest; further attestations are ignored.
    pub max_remote_nodes: usize,
    /// Each session sends a `Ping` this often.
    #[serde(with = "millis")]
    pub keepalive: Duration,
    /// A session that received nothing for this long is closed; make it several `keepalive` periods.
    #[serde(with = "millis")]
    pub dead_after: Duration,
    /// The time allowed to connect.
    #[serde(with = "millis")]
    pub dial_timeout: Duration,
    /// The time allowed for the Noise handshake and the first `Hello` from the remote.
    #[serde(with = "millis")]
    pub handshake_timeout: Duration,
    /// The wait before retrying a failed dial; it doubles on every failure.
    #[serde(with = "millis")]
    pub backoff_initial: Duration,
    /// The cap on the wait between dials.
    #[serde(with = "millis")]
    pub backoff_max: Duration,
    /// Dialing an address stops, and its queued messages are dropped, after this long without new messages for it.
    #[serde(with = "millis")]
    pub dial_give_up: Duration,
    /// Inbound frames per second allowed per session (0: unlimited).
    pub inbound_frames_per_sec: u64,
    /// Inbound frames a session may send in a burst above the rate.
    pub inbound_frame_burst: u64,
    /// Inbound bytes per second allowed per session (0: unlimited).
    pub inbound_bytes_per_sec: u64,
    /// Inbound bytes a session may send in a burst above the rate.
    pub inbound_byte_burst: u64,
    /// The most lookups awaiting their reply; beyond that the oldest is forgotten and its reply dropped.
    pub max_lookups: usize,
    /// The capacity of the channel of events to the owner.
    pub event_capacity: usize,
    /// The capacity of the channel of commands from the owner.
    pub command_capacity: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_message_bytes: 1024 * 1024 + 64 * 1024,
            max_sessions: 256,
            reserved_for_dials: 32,
            max_sessions_per_address: 16,
            max_unattested: 64,
            max_dialing: 256,
            queue_messages: 256,
            queue_bytes: 4 * 1024 * 1024,
            max_remote_nodes: 1024,
            keepalive: Duration::from_secs(15),
            dead_after: Duration::from_secs(45),
            dial_timeout: Duration::from_secs(10),
            handshake_timeout: Duration::from_secs(10),
            backoff_initial: Duration::from_secs(1),
            backoff_max: Duration::from_secs(60),
            dial_give_up: Duration::from_secs(300),
            inbound_frames_per_sec: 500,
            inbound_frame_burst: 1000,
            inbound_bytes_per_sec: 8 * 1024 * 1024,
            inbound_byte_burst: 16 * 1024 * 1024,
            max_lookups: 1024,
            event_capacity: 1024,
            command_capacity: 256,
        }
    }
}

/// Serde for durations as integer milliseconds, so configuration files stay plain numbers.
pub(crate) mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}
