//! The pluggable transport: something that opens and accepts byte streams to other installations.
//!
//! Sessions need only an ordered, reliable byte stream; encryption and authentication happen above it
//! (see [`session`](crate::session)), so a transport is trusted for nothing but delivery.
//! TCP ([`TcpTransport`](crate::TcpTransport)) and I2P streams through a SAM bridge
//! ([`I2pTransport`](crate::I2pTransport)) implement it.
//!
//! # Why boxed futures and not `async fn` in traits
//!
//! A [`SessionManager`](crate::SessionManager) holds a list of transports of different types
//! (TCP, I2P) as `Arc<dyn Transport>`.
//! An `async fn` in a trait makes the trait unusable as `dyn`, and a generic parameter per transport
//! would make the manager's type grow with every transport the daemon enables.
//! So the methods return a [`BoxFuture`]: one allocation per dial or accept, which is nothing next to a
//! TCP or I2P connection set-up, and no `async-trait` macro dependency.

use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};

use crate::address::PeerAddress;
use crate::error::DialError;

/// A boxed, sendable future, as returned by the transport traits.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An ordered, reliable, bidirectional byte stream to another installation.
///
/// Implemented for every type that is `AsyncRead + AsyncWrite + Send + Unpin + 'static`.
pub trait Stream: AsyncRead + AsyncWrite + Send + Unpin + 'static {}

impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Stream for T {}

/// The dialing side of a transport.
pub trait Transport: Send + Sync + 'static {
    /// Opens a stream to `address`.
    ///
    /// Returns [`DialError::Unsupported`] for addresses of a kind this transport does not handle,
    /// so that a caller can try its transports in turn.
    fn dial<'a>(
        &'a self,
        address: &'a PeerAddress,
    ) -> BoxFuture<'a, Result<Box<dyn Stream>, DialError>>;

    /// How long a dial through this transport may take; `None`: the manager's `dial_timeout`.
    ///
    /// I2P needs far longer than TCP: the remote destination is looked up and the stream is set up through
    /// tunnels.
    fn dial_timeout(&self) -> Option<Duration> {
        None
    }

    /// How long the handshake and first `Hello` may take on a stream this transport dialed; `None`: the
    /// manager's `handshake_timeout`.
    fn handshake_timeout(&self) -> Option<Duration> {
        None
    }
}

/// An accepted stream and the IP address it came from, if the transport has one worth limiting by.
pub type Accepted = (Box<dyn Stream>, Option<IpAddr>);

/// The accepting side of a transport.
pub trait Listener: Send + 'static {
    /// Waits for the next incoming stream; returns it with the IP address it came from, when the
    /// transport has one worth limiting by (TCP; not I2P, whose destinations cost nothing to make).
    ///
    /// An error is about one connection attempt (or a temporary shortage such as too many open files);
    /// the caller keeps accepting after a short pause.
    fn accept(&mut self) -> BoxFuture<'_, io::Result<Accepted>>;

    /// The address other installations can dial to reach this listener, as bound.
    fn local_address(&self) -> PeerAddress;

    /// How long the handshake and first `Hello` may take on a stream it accepted; `None`: the manager's
    /// `handshake_timeout`.
    fn handshake_timeout(&self) -> Option<Duration> {
        None
    }
}
