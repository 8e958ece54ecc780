//! Counters of what a [`SessionManager`](crate::SessionManager) did and refused, and the reasons for refusals.
//!
//! Every rejected input increments a counter, whatever else happens: counters are the reliable record
//! (read them with [`SessionManager::status`](crate::SessionManager::status)), while
//! [`Event::Rejected`](crate::Event::Rejected) is best effort and dropped when the owner is not keeping up.

use std::sync::atomic::{AtomicU64, Ordering};

/// Why the manager dropped a frame, a message or a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DropReason {
    /// A frame that failed to decrypt, reassemble or decode, or a message out of protocol order; the session is closed.
    Garbage,
    /// A frame whose length prefix exceeds the maximum; the connection is closed before the body is read.
    Oversize,
    /// A Noise handshake (or the first `Hello`) failed, was truncated or timed out.
    HandshakeFailed,
    /// An attestation whose signature does not verify for this session (a wrong key or a replay); the session is closed.
    BadAttestation,
    /// A batch whose `from` node was not attested on the session it came from; dropped.
    Unattested,
    /// A batch addressed to a node this installation does not host; dropped.
    Misaddressed,
    /// A batch message whose content is not a valid batch; dropped.
    MalformedBatch,
    /// A session that exceeded its inbound rate; its reading was paused.
    RateLimited,
    /// An outbound message dropped because its queue was full (the oldest goes first).
    QueueFull,
    /// A connection refused because the manager already has the maximum number of sessions.
    TooManySessions,
    /// A connection refused because its IP address (or IPv6 /64 network) already has the maximum number of sessions.
    TooManyFromAddress,
    /// A connection refused because the maximum number of accepted sessions have not attested a node yet.
    TooManyUnattested,
    /// A lookup reply that answers no lookup sent on its session; dropped.
    StrayLookupReply,
}

macro_rules! counters {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// A snapshot of the manager's counters, all monotonic since it started.
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct Counters {
            $($(#[$doc])* pub $name: u64,)*
        }

        /// The live counters, shared by the manager's tasks.
        #[derive(Debug, Default)]
        pub(crate) struct SharedCounters {
            $($name: AtomicU64,)*
        }

        impl SharedCounters {
            /// The current values.
            pub(crate) fn snapshot(&self) -> Counters {
                Counters {
                    $($name: self.$name.load(Ordering::Relaxed),)*
                }
            }
        }

        /// Names for incrementing, one function per counter.
        #[allow(dead_code)]
        impl SharedCounters {
            $(
                pub(crate) fn $name(&self) {
                    self.$name.fetch_add(1, Ordering::Relaxed);
                }
            )*
        }
    };
}

counters! {
    /// Frames that failed to decrypt, reassemble or decode, and protocol violations ([`DropReason::Garbage`]).
    garbage,
    /// Frames whose length prefix exceeded the maximum ([`DropReason::Oversize`]).
    oversize,
    /// Failed, truncated or timed-out handshakes ([`DropReason::HandshakeFailed`]).
    handshake_failures,
    /// Attestations that did not verify ([`DropReason::BadAttestation`]).
    bad_attestations,
    /// Batches from nodes not attested on their session ([`DropReason::Unattested`]).
    unattested,
    /// Batches to nodes not hosted here ([`DropReason::Misaddressed`]).
    misaddressed,
    /// Batch messages that did not decode as a batch ([`DropReason::MalformedBatch`]).
    malformed_batches,
    /// Times a session's reading was paused by its rate limit ([`DropReason::RateLimited`]).
    rate_limited,
    /// Outbound messages dropped from a full queue ([`DropReason::QueueFull`]).
    queue_dropped,
    /// Connections refused at the session limit ([`DropReason::TooManySessions`]).
    sessions_refused,
    /// Connections refused at the per-address limit ([`DropReason::TooManyFromAddress`]).
    address_refused,
    /// Connections refused at the limit of sessions without an attested node ([`DropReason::TooManyUnattested`]).
    unattested_refused,
    /// Lookup replies that answered no lookup sent on their session ([`DropReason::StrayLookupReply`]).
    stray_lookup_replies,
    /// Sessions closed because the remote was silent for longer than the dead-peer timeout.
    keepalive_timeouts,
    /// Outbound connection attempts that failed before the session was up.
    dial_failures,
    /// Outbound connection attempts started.
    dials,
    /// Sessions that completed the handshake and the first `Hello`.
    sessions_up,
    /// Sessions closed because another session to the same installation was kept.
    duplicate_sessions,
    /// Sessions to this installation itself (its own address was dialed), closed.
    self_connections,
    /// Messages dropped because a dial to their peer was abandoned (no traffic for too long).
    abandoned,
    /// Queued messages dropped because the installation at their address turned out not to host their node.
    unroutable,
    /// Best-effort events ([`Event::Rejected`](crate::Event::Rejected)) not delivered because the event channel was full.
    events_dropped,
    /// Session messages received (after decryption).
    messages_in,
    /// Session messages sent.
    messages_out,
    /// Batches delivered to the owner as [`Event::Received`](crate::Event::Received).
    batches_delivered,
}

impl SharedCounters {
    /// Increments the counter of `reason`.
    pub(crate) fn reject(&self, reason: DropReason) {
        match reason {
            DropReason::Garbage => self.garbage(),
            DropReason::Oversize => self.oversize(),
            DropReason::HandshakeFailed => self.handshake_failures(),
            DropReason::BadAttestation => self.bad_attestations(),
            DropReason::Unattested => self.unattested(),
            DropReason::Misaddressed => self.misaddressed(),
            DropReason::MalformedBatch => self.malformed_batches(),
            DropReason::RateLimited => self.rate_limited(),
            DropReason::QueueFull => self.queue_dropped(),
            DropReason::TooManySessions => self.sessions_refused(),
            DropReason::TooManyFromAddress => self.address_refused(),
            DropReason::TooManyUnattested => self.unattested_refused(),
            DropReason::StrayLookupReply => self.stray_lookup_replies(),
        }
    }

    /// Adds `n` to the dropped-from-queue counter.
    pub(crate) fn queue_dropped_n(&self, n: usize) {
        self.queue_dropped.fetch_add(n as u64, Ordering::Relaxed);
    }
}
