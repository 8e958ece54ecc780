//! Protocol settings, embedded unchanged in the daemon's and the simulator's configuration files.

use cliqueclique_doc::Limits;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Protocol settings of one node.
///
/// Every field has a default; configuration files may set any subset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The most peers a node keeps for one document; further link requests are declined with suggestions.
    pub max_peers_per_document: usize,
    /// Links kept free for nodes that do not hold the document yet: a holder asking for one more
    /// (redundant) link is admitted only below `max_peers_per_document - join_reserve`.
    pub join_reserve: usize,
    /// A node whose user subscribed to or bookmarked a document asks for introductions while it has fewer peers than this.
    pub target_peers_per_document: usize,
    /// The first resend interval of an unacknowledged update; it doubles on every resend.
    #[serde(with = "millis")]
    pub resend_initial: Duration,
    /// The cap on the resend interval.
    #[serde(with = "millis")]
    pub resend_max: Duration,
    /// Routes longer than this many hops are ignored (a safety net; loop freedom comes from sequence numbers).
    pub max_distance: u32,
    /// A downstream neighbour's interest keeps counting this long after its session went down, so
    /// that a restart does not make relays drop and refetch a thread; after that it lapses.
    #[serde(with = "millis")]
    pub interest_grace: Duration,
    /// Links to a peer that has been unreachable for this long are dropped.
    #[serde(with = "millis")]
    pub peer_expiry: Duration,
    /// Parts are split over several batches so that none exceeds this many bytes (bodies excepted: a part carrying a body travels alone if needed).
    pub max_batch_bytes: usize,
    /// The most introductions a node sends one peer for one document.
    pub max_introductions_per_link: u8,
    /// The most document bodies a node sends one neighbour, and stores new from one neighbour,
    /// per `push_window`; more wait for the next window (`docs/protocol.md` §8.6). 0: no limit.
    pub push_budget: u32,
    /// The window of `push_budget`.
    #[serde(with = "millis")]
    pub push_window: Duration,
    /// The most new documents a node stores per `newcomer_window` in one forum from authors with
    /// no document held in it; more wait for the next window (§8.6). 0: no limit.
    pub newcomer_budget: u32,
    /// The window of `newcomer_budget`.
    #[serde(with = "millis")]
    pub newcomer_window: Duration,
    /// Limits on documents accepted from peers and users.
    pub limits: Limits,
    /// The most peer records a node keeps (with their cards). Beyond it the least recently heard
    /// are forgotten, except peers the node holds links with and the centers and heirs its
    /// subscriptions follow (`docs/protocol.md` §7.1).
    pub max_peer_records: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_peers_per_document: 8,
            target_peers_per_document: 3,
            join_reserve: 2,
            resend_initial: Duration::from_secs(1),
            resend_max: Duration::from_secs(64),
            max_distance: 64,
            interest_grace: Duration::from_secs(120),
            peer_expiry: Duration::from_secs(7 * 24 * 3600),
            max_batch_bytes: 256 * 1024,
            max_introductions_per_link: 2,
            push_budget: 16_384,
            push_window: Duration::from_secs(10),
            newcomer_budget: 64,
            newcomer_window: Duration::from_secs(60),
            limits: Limits::default(),
            max_peer_records: 4096,
        }
    }
}

/// Serde for durations as integer milliseconds, so configuration files stay plain numbers.
mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_millis() as u64)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}
