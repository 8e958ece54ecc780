//! The cliqueclique protocol core: a deterministic, sans-IO state machine of one node.
//!
//! # The idea
//!
//! Every document (a forum post, a comment, a link) forms its own small overlay network of the
//! nodes that hold a copy: its *holding set* H(x). Inside it, the *subscribing set* S(x) gets
//! every comment to x pushed to it. Each overlay elects a *center* and every node tracks its
//! distance to it, which orients each link upstream or downstream and keeps both sets connected.
//!
//! - Interest flows upstream: a node is subscribed to x if its user subscribed or a downstream
//!   neighbour is subscribed, so S(x) is the union of the paths from the subscribers to the center.
//!   A node *wants* x if its user subscribed, bookmarked or wrote it, if x is a comment of a
//!   document it is subscribed to, or if a downstream neighbour wants it; unwanted nodes leave.
//! - Comments are pushed along the subscribing tree only (upstream and downstream links between
//!   subscribed nodes), so each comment body crosses each tree edge once.
//! - Between two neighbours, each document's state is kept in sync with the founding design's serial/ack
//!   exchange and exponential back-off, and removed with its delete/ack handshake.
//! - The center election is loop-free (Babel's feasibility condition with sequence numbers owned
//!   by the center): see [`route`].
//! - All parts due to one neighbour leave in one [`Batch`]; an idle document sends nothing.
//!
//! # Driving a node
//!
//! [`Node`] takes inputs (`handle_batch`, `handle_peer_up`, `handle_peer_down`, `handle_timeout`,
//! `handle_command`), each with the current [`Time`], and produces outputs to poll
//! (`poll_transmit`, `poll_event`, `poll_timeout`). The same core runs in the simulator
//! (`cliqueclique-sim`) and in the daemon. It has no clock, no sockets, no threads and no global
//! state; randomness comes from a seed.
//!
//! # Layout
//!
//! - [`node`]: the state machine and its handlers.
//! - [`subscription`]: per-document and per-link state.
//! - [`route`]: center election and feasibility.
//! - [`message`]: the wire types and their codec.
//! - [`store`]: the storage contract and an in-memory store.
//! - [`command`], [`event`], [`config`], [`time`]: the edges.

#![deny(missing_docs)]

pub mod command;
pub mod config;
pub mod event;
pub mod message;
pub mod node;
pub mod route;
pub mod store;
pub mod subscription;
pub mod time;

#[cfg(test)]
mod tests;

pub use command::{Command, CommandError, Outcome};
pub use config::Config;
pub use event::{Event, RejectReason};
pub use message::{Advert, Batch, Part, Rank, ThreadClaim, WireError};
pub use node::{Node, Peer, Retraction, Stats, ThreadStatus, Transmit};
pub use store::{MemStore, Store};
pub use subscription::{Flags, Link, LinkState, RECORD_VERSION, RecordError, Subscription};
pub use time::Time;
