//! A deterministic network simulator for the cliqueclique protocol core.
//!
//! The simulator runs thousands of [`cliqueclique_proto::Node`]s in one process, over a virtual
//! clock and a simulated network with latency, loss, duplication, reordering, partitions, crashes,
//! departures and misbehaving nodes. Everything random comes from one seeded
//! [`rand_chacha::ChaCha8Rng`], so a run is a pure function of its scenario and seed: a failing
//! seed replays exactly.
//!
//! It exists to show that the protocol keeps the promises of `docs/protocol.md` §11 (one center per
//! overlay, connected subscribing sets, at-least-once delivery, garbage collection, no accepted
//! forgeries) and to measure its figures (`docs/BENCHMARKS.md`: RMR, last delivery hop, control and idle bytes,
//! convergence time, memory).
//!
//! # Layout
//!
//! - [`bans`]: forum bans as each node's driver applies them, and the spam they let through.
//! - [`catch_up`]: what two nodes send each other when one comes back after missing comments.
//! - [`network`]: the simulated nodes, the event queue and the transport (sessions, liveness).
//! - [`counters`]: traffic per phase, message outcomes, parts by kind.
//! - [`link`]: the link model (latency distribution, loss, duplication).
//! - [`queue`]: the time-ordered event queue.
//! - [`ledger`]: the documents the simulator posted and what it observed about each.
//! - [`scenario`]: the TOML scenario format.
//! - [`fault`]: the failure schedule (partitions, crashes, departures, malicious nodes).
//! - [`malicious`]: the forged and garbage traffic of a malicious node.
//! - [`run`]: carries a scenario out: forum setup, comments, faults, settling, idling.
//! - [`invariants`]: the checks run once the network is quiet.
//! - [`metrics`]: the figures of a run, as JSON or as a table.
//! - [`trace`]: readable per-batch tracing of chosen nodes, for debugging a seed.
//! - [`error`]: the library's error types.

pub mod bans;
pub mod catch_up;
pub mod counters;
pub mod error;
pub mod fault;
pub mod invariants;
pub mod ledger;
pub mod link;
pub mod malicious;
pub mod metrics;
pub mod network;
pub mod queue;
pub mod run;
pub mod scenario;
pub mod trace;

#[cfg(test)]
mod tests;

pub use error::{ScenarioError, SimError};
pub use metrics::{Report, Sweep};
pub use network::{Network, Phase, SimNode};
pub use run::run;
pub use scenario::Scenario;
