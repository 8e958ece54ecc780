//! The TCP transport: tokio's `TcpStream` and `TcpListener` behind the [`Transport`] and [`Listener`] traits.
//!
//! TCP is for LAN set-ups and tests; it hides nothing about who talks to whom.
//! Streams get `TCP_NODELAY`, because session messages are written whole and keepalives are tiny.
//!
//! A public website must not be made to connect into its own machine or network by whoever can give it an
//! address (a user's join, a peer's contact card): [`TcpTransport::public_only`] resolves the name first,
//! refuses it if any of its addresses is loopback, private, link-local or otherwise not globally routable,
//! and connects to the addresses it checked (so a name cannot resolve differently between check and connect).

use std::io;
use std::net::{IpAddr, SocketAddr};

use crate::address::PeerAddress;
use crate::error::DialError;
use crate::transport::{Accepted, BoxFuture, Listener, Stream, Transport};

/// Dials `tcp://` addresses.
#[derive(Clone, Copy, Debug, Default)]
pub struct TcpTransport {
    public_only: bool,
}

impl TcpTransport {
    /// A transport that dials any address.
    pub fn new() -> TcpTransport {
        TcpTransport::default()
    }

    /// A transport that dials only globally routable addresses (see the module docs).
    pub fn public_only() -> TcpTransport {
        TcpTransport { public_only: true }
    }

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
            let stream = if self.public_only {
                let resolved = resolve_public(address).await?;
                tokio::net::TcpStream::connect(&resolved[..]).await?
            } else {
                tokio::net::TcpStream::connect((host.as_str(), *port)).await?
            };
            stream.set_nodelay(true)?;
            Ok(Box::new(stream) as Box<dyn Stream>)
        })
    }
}

/// Resolves a `tcp://` address and checks that every socket address it names is globally routable
/// ([`is_global`]); returns them. Any other kind of address is [`DialError::Unsupported`].
pub async fn resolve_public(address: &PeerAddress) -> Result<Vec<SocketAddr>, DialError> {
    let PeerAddress::Tcp { host, port } = address else {
        return Err(DialError::Unsupported {
            address: address.clone(),
        });
    };
    let resolved: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), *port))
        .await?
        .collect();
    match resolved
        .iter()
        .map(SocketAddr::ip)
        .find(|ip| !is_global(*ip))
    {
        Some(ip) => Err(DialError::NotPublic {
            address: address.clone(),
            ip,
        }),
        None => Ok(resolved),
    }
}

/// Whether `ip` is globally routable: not loopback, unspecified, private (RFC 1918, IPv6 unique-local), shared
/// (100.64.0.0/10), link-local, site-local, multicast, broadcast, documentation, benchmarking or discard space, nor
/// IETF protocol assignments (Teredo among them); an IPv6 address that carries an IPv4 one (mapped,
/// IPv4-compatible, NAT64, 6to4) is judged by the IPv4 address it carries.
pub fn is_global(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_unspecified()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_global(IpAddr::V4(v4));
            }
            let seg = v6.segments();
            let embedded = |hi: u16, lo: u16| {
                is_global(IpAddr::V4(std::net::Ipv4Addr::from(
                    (u32::from(hi) << 16) | u32::from(lo),
                )))
            };
            // Addresses that carry an IPv4 address reach wherever that one does.
            if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                // NAT64, well-known prefix (RFC 6052).
                return embedded(seg[6], seg[7]);
            }
            if seg[0] == 0x2002 {
                // 6to4 (RFC 3056).
                return embedded(seg[1], seg[2]);
            }
            let first = seg[0];
            !(seg[..6] == [0; 6] // ::/96: unspecified, loopback, IPv4-compatible (deprecated)
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
                || (first & 0xffc0) == 0xfec0 // site-local (deprecated)
                || seg[..4] == [0x100, 0, 0, 0] // discard-only
                || (seg[0] == 0x64 && seg[1] == 0xff9b && seg[2] == 1) // local-use NAT64
                || (first == 0x2001 && seg[1] < 0x200) // IETF protocol assignments, Teredo
                || (first == 0x2001 && seg[1] == 0x0db8) // documentation
                || (first & 0xfff0) == 0x3ff0) // documentation (3fff::/20)
        }
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
    fn accept(&mut self) -> BoxFuture<'_, io::Result<Accepted>> {
        Box::pin(async move {
            let (stream, from) = self.inner.accept().await?;
            stream.set_nodelay(true)?;
            Ok((Box::new(stream) as Box<dyn Stream>, Some(from.ip())))
        })
    }

    fn local_address(&self) -> PeerAddress {
        PeerAddress::tcp(self.local)
    }
}
