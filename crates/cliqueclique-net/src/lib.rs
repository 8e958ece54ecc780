//! The transport layer of one cliqueclique installation: authenticated, encrypted sessions to other installations.
//!
//! An *installation* is a daemon hosting many nodes, each with its own Ed25519 identity.
//! Installations talk over one session per neighbouring installation, shared by all their nodes and all
//! documents, which carries opaque frames: encoded [`Batch`](cliqueclique_proto::Batch)es and a few
//! control messages. `docs/transports.md` describes the wire format and the guarantees.
//!
//! - A session runs over any ordered byte stream ([`Transport`], [`Listener`]; TCP, and I2P streams through a
//!   SAM bridge: [`i2p`]), in length-prefixed [`frame`]s.
//! - A Noise `XX` handshake ([`session`]) authenticates the two installations' static keys ([`StaticKey`],
//!   [`InstallationKey`]) and encrypts everything after it.
//! - Each side then lists its nodes in a `Hello`, each node proving with an [`Attestation`] bound to the
//!   session that this installation speaks for it. Only batches from attested nodes to hosted nodes are delivered.
//! - The [`SessionManager`] dials on demand, deduplicates sessions, keeps them alive, reconnects with back-off,
//!   bounds every queue and rate-limits every peer, and reports [`Event`]s and [`Counters`].
//!
//! # Layout
//!
//! - [`address`]: [`PeerAddress`] (`tcp://`, `i2p://`).
//! - [`transport`], [`tcp`], [`i2p`]: the stream transport traits, TCP, and I2P (with an embedded router behind
//!   the feature `embedded`).
//! - [`frame`]: length-prefixed framing with a maximum size.
//! - [`key`], [`attestation`], [`message`], [`session`]: keys, node attestations, session messages, the
//!   Noise handshake and encrypted message framing.
//! - [`manager`]: the actor and its session tasks; [`config`], [`event`], [`status`], [`counters`]: its edges.
//! - `queue` and `rate` (private): the bounded outbound queues and inbound token buckets.
//! - [`error`]: one error type per operation.

#![deny(missing_docs)]

pub mod address;
pub mod attestation;
pub mod config;
pub mod counters;
pub mod error;
pub mod event;
pub mod frame;
pub mod i2p;
pub mod key;
pub mod manager;
pub mod message;
mod queue;
mod rate;
pub mod session;
pub mod status;
pub mod tcp;
pub mod transport;

#[cfg(test)]
mod tests;

pub use address::{PeerAddress, origin_network};
pub use attestation::Attestation;
pub use config::Config;
pub use counters::{Counters, DropReason};
pub use error::{
    AddressError, DialError, FrameError, HandshakeError, I2pError, SamError, SendError,
    SessionError, Stopped,
};
pub use event::Event;
pub use i2p::{I2p, I2pConfig, I2pListener, I2pMode, I2pTransport};
pub use key::{InstallationKey, StaticKey};
pub use manager::SessionManager;
pub use message::SessionMessage;
pub use session::{Role, Session, SessionReceiver, SessionSender};
pub use status::{DialStatus, SessionId, SessionStatus, Status, TransportState, TransportStatus};
pub use tcp::{TcpListener, TcpTransport, is_global, resolve_public};
pub use transport::{Accepted, BoxFuture, Listener, Stream, Transport};
