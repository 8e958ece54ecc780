//! The link model: how long each message takes, and whether it is lost or duplicated.
//!
//! Every message draws its own latency, so reordering follows from independent draws and needs no
//! parameter of its own. A duplicated message is delivered twice, each copy with its own latency.
//! Loss and duplication are independent per message. Partitions and crashes are not part of the
//! link model: they are scheduled faults ([`crate::fault`]).

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// One-way latency: uniform in `min_ms..=max_ms`, except for a fraction of messages that take a
/// long tail, uniform in `max_ms..=tail_max_ms`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Latency {
    /// The shortest one-way latency in milliseconds.
    pub min_ms: u64,
    /// The longest ordinary one-way latency in milliseconds (one "round" of the convergence figures).
    pub max_ms: u64,
    /// The probability that a message takes the long tail.
    pub tail_probability: f64,
    /// The longest tail latency in milliseconds.
    pub tail_max_ms: u64,
}

impl Default for Latency {
    fn default() -> Latency {
        Latency {
            min_ms: 10,
            max_ms: 100,
            tail_probability: 0.0,
            tail_max_ms: 1000,
        }
    }
}

/// The network's behaviour, the `[network]` table of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkModel {
    /// The latency distribution.
    pub latency: Latency,
    /// The probability that a message is lost.
    pub loss: f64,
    /// The probability that a message is delivered twice.
    pub duplicate: f64,
    /// How long the transport takes to notice a broken session (crash, departure, partition) and
    /// report it to the surviving side with `handle_peer_down`.
    pub detect_ms: u64,
}

impl Default for LinkModel {
    fn default() -> LinkModel {
        LinkModel {
            latency: Latency::default(),
            loss: 0.0,
            duplicate: 0.0,
            detect_ms: 2000,
        }
    }
}

impl LinkModel {
    /// Draws one message's latency in milliseconds.
    pub fn latency(&self, rng: &mut ChaCha8Rng) -> u64 {
        let l = &self.latency;
        if l.tail_probability > 0.0 && rng.random_bool(l.tail_probability) {
            rng.random_range(l.max_ms..=l.tail_max_ms.max(l.max_ms))
        } else {
            rng.random_range(l.min_ms..=l.max_ms)
        }
    }

    /// Draws whether a message is lost.
    pub fn lost(&self, rng: &mut ChaCha8Rng) -> bool {
        self.loss > 0.0 && rng.random_bool(self.loss)
    }

    /// Draws whether a message is duplicated.
    pub fn duplicated(&self, rng: &mut ChaCha8Rng) -> bool {
        self.duplicate > 0.0 && rng.random_bool(self.duplicate)
    }

    /// The scenario's "round": the longest ordinary one-way latency.
    pub fn round_ms(&self) -> u64 {
        self.latency.max_ms.max(1)
    }

    /// Checks that the values make sense.
    pub fn validate(&self) -> Result<(), String> {
        let l = &self.latency;
        if l.min_ms > l.max_ms {
            return Err(format!(
                "network.latency: min_ms {} > max_ms {}",
                l.min_ms, l.max_ms
            ));
        }
        for (name, p, max) in [
            ("network.loss", self.loss, 0.95),
            ("network.duplicate", self.duplicate, 1.0),
            ("network.latency.tail_probability", l.tail_probability, 1.0),
        ] {
            if !(0.0..=max).contains(&p) {
                return Err(format!("{name} = {p} is outside 0..={max}"));
            }
        }
        Ok(())
    }
}
