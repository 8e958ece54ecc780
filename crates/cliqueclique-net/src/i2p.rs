//! The I2P transport: I2P streams through the SAM v3 bridge of an I2P router, so that installations reach each
//! other by `….b32.i2p` address without learning each other's IP address.
//!
//! Streams, not datagrams: sessions need an ordered, reliable byte stream (`docs/transports.md` §11 explains
//! the choice), and I2P's streaming library provides one, with retransmission and flow control, over tunnels.
//! Everything above the stream (framing, Noise, attestations, the session manager) is the same as over TCP.
//!
//! - [`sam`] (private): the SAM v3 line protocol.
//! - [`destination`]: the installation's destination keys, its `.b32.i2p` name, the key file.
//! - [`session`] (private): the supervisor that keeps a SAM session up, with back-off, and its health.
//! - [`transport`]: [`I2p`], [`I2pTransport`] and [`I2pListener`], behind the crate's transport traits.
//! - [`config`]: [`I2pConfig`] and [`I2pMode`].
//! - [`embedded`] (feature `embedded`): an emissary router inside the process.

pub mod config;
pub mod destination;
#[cfg(feature = "embedded")]
pub mod embedded;
mod sam;
mod session;
pub mod transport;

pub use config::{I2pConfig, I2pMode};
pub use destination::DestinationKeys;
#[cfg(feature = "embedded")]
pub use embedded::{EmbeddedRouter, Network, private_network};
pub use transport::{I2p, I2pListener, I2pTransport};

/// Splits a SAM reply line (`TOPIC KIND KEY=VALUE KEY="quoted value"`) into its words and its values, as the
/// client reads every line a bridge sends. Public for fuzzers and tests; the client itself is private.
#[doc(hidden)]
pub fn parse_sam_reply(line: &str) -> (Vec<String>, std::collections::BTreeMap<String, String>) {
    let reply = sam::Reply::parse(line);
    (reply.words, reply.values)
}
