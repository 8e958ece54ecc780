//! The TCP transport: tokio's `TcpStream` and `TcpListener` behind the [`Transport`] and [`Listener`] traits.
//!
//! TCP is for LAN set-ups and tests; it hides nothing about who talks to whom.
//! Streams get `TCP_NODELAY`, because session messages are written whole and keepalives are tiny.

use std::io;
use std::net::SocketAddr;

use crate::address::PeerAddress;
use crate::error::DialError;
use crate::transport::{BoxFuture, Listener, Stream, Transport};

/// Dials `tcp://` addresses.
#[derive(Clone, Copy, Debug, Default)]
pub struct TcpTransport;

impl TcpTransport {
    /// Binds a listener to `address`; port 0 picks a free port, see [`Listener::local_address`].
    pub async fn bind(address: SocketAddr) -> io::Result<TcpListener> {
        let inner = tokio::net::TcpListener::bind(address).await?;
        let local = inner.local_addr()?;
        Ok(TcpListener { inner, local })
    }
}

impl Transport for TcpTransport {
    fn dial<'a>(
        &'a self,
        address: &'a PeerAddress,
    ) -> BoxFuture<'a, Result<Box<dyn Stream>, DialError>> {
        Box::pin(async move {
            let PeerAddress::Tcp { host, port } = address else {
                return Err(DialError::Unsupported {
                    address: address.clone(),
                });
            };
            let stream = tokio::net::TcpStream::connect((host.as_str(), *port)).await?;
            stream.set_nodelay(true)?;
            Ok(Box::new(stream) as Box<dyn Stream>)
        })
    }
}

/// A bound TCP listener.
#[derive(Debug)]
pub struct TcpListener {
    inner: tokio::net::TcpListener,
    local: SocketAddr,
}

impl TcpListener {
    /// The bound socket address (with the real port when bound to port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }
}

impl Listener for TcpListener {
    fn accept(&mut self) -> BoxFuture<'_, io::Result<Box<dyn Stream>>> {
        Box::pin(async move {
            let (stream, _) = self.inner.accept().await?;
            stream.set_nodelay(true)?;
            Ok(Box::new(stream) as Box<dyn Stream>)
        })
    }

    fn local_address(&self) -> PeerAddress {
        PeerAddress::tcp(self.local)
    }
}
