//! Where an installation can be reached: a [`PeerAddress`] parsed from a URL-like string.
//!
//! Addresses travel in contact cards as plain strings, so their text form is the canonical one:
//! [`PeerAddress`]'s `Display` output parses back to the same value, and parsing normalises case.
//!
//! - `tcp://HOST:PORT`, where `HOST` is a DNS name, an IPv4 address or a bracketed IPv6 address,
//!   and `PORT` is 1 to 65535.
//! - `i2p://NAME.b32.i2p`, or the bare `NAME.b32.i2p`, where `NAME` is the base32 hash of an I2P destination
//!   (52 characters, or more for the encrypted "b33" form).
//!   The I2P transport ([`crate::i2p`]) dials them through a SAM bridge.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::AddressError;

/// The longest address accepted, in bytes; the same bound as an address in a contact card.
pub const MAX_ADDRESS_BYTES: usize = 256;

/// The shortest I2P base32 name: the 52 characters of a 32-byte destination hash.
const MIN_I2P_NAME: usize = 52;
/// The longest I2P base32 name accepted (encrypted lease sets use 56 or more characters).
const MAX_I2P_NAME: usize = 128;
/// The suffix of an I2P base32 address.
const I2P_SUFFIX: &str = ".b32.i2p";

/// The address of a remote installation's listener.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum PeerAddress {
    /// A TCP listener.
    Tcp {
        /// A lower-case DNS name or an IP address (IPv6 without brackets).
        host: String,
        /// The port, never 0.
        port: u16,
    },
    /// An I2P destination, by its base32 name (lower case, without the `.b32.i2p` suffix).
    I2p {
        /// The base32 name.
        name: String,
    },
}

impl PeerAddress {
    /// The TCP address of a socket address.
    pub fn tcp(socket: SocketAddr) -> PeerAddress {
        PeerAddress::Tcp {
            host: socket.ip().to_string(),
            port: socket.port(),
        }
    }

    /// The URL scheme of this address: `tcp` or `i2p`.
    pub fn scheme(&self) -> &'static str {
        match self {
            PeerAddress::Tcp { .. } => "tcp",
            PeerAddress::I2p { .. } => "i2p",
        }
    }
}

impl From<SocketAddr> for PeerAddress {
    fn from(socket: SocketAddr) -> PeerAddress {
        PeerAddress::tcp(socket)
    }
}

impl fmt::Display for PeerAddress {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeerAddress::Tcp { host, port } if host.contains(':') => {
                write!(formatter, "tcp://[{host}]:{port}")
            }
            PeerAddress::Tcp { host, port } => write!(formatter, "tcp://{host}:{port}"),
            PeerAddress::I2p { name } => write!(formatter, "i2p://{name}{I2P_SUFFIX}"),
        }
    }
}

impl FromStr for PeerAddress {
    type Err = AddressError;

    fn from_str(text: &str) -> Result<PeerAddress, AddressError> {
        if text.is_empty() {
            return Err(AddressError::Empty);
        }
        if text.len() > MAX_ADDRESS_BYTES {
            return Err(AddressError::TooLong { len: text.len() });
        }
        match text.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("tcp") => parse_tcp(rest),
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("i2p") => parse_i2p(rest),
            Some((scheme, _)) => Err(AddressError::UnknownScheme(scheme.to_owned())),
            None if text.to_ascii_lowercase().ends_with(I2P_SUFFIX) => parse_i2p(text),
            None => Err(AddressError::MissingScheme),
        }
    }
}

/// Parses the `HOST:PORT` part of a TCP address.
fn parse_tcp(rest: &str) -> Result<PeerAddress, AddressError> {
    if rest.contains(['/', '?', '#', '@']) {
        return Err(AddressError::Unexpected(rest.to_owned()));
    }
    let (host, port) = if let Some(bracketed) = rest.strip_prefix('[') {
        let (inner, after) = bracketed
            .split_once(']')
            .ok_or_else(|| AddressError::BadHost(rest.to_owned()))?;
        let ip: Ipv6Addr = inner
            .parse()
            .map_err(|_| AddressError::BadHost(inner.to_owned()))?;
        let port = after.strip_prefix(':').ok_or(AddressError::MissingPort)?;
        (ip.to_string(), port)
    } else {
        let (host, port) = rest.rsplit_once(':').ok_or(AddressError::MissingPort)?;
        if host.contains(':') {
            // An IPv6 address must be bracketed, or its last group would read as the port.
            return Err(AddressError::BadHost(host.to_owned()));
        }
        (parse_host(host)?, port)
    };
    let port = match port.parse::<u16>() {
        Ok(0) | Err(_) => return Err(AddressError::BadPort(port.to_owned())),
        Ok(port) => port,
    };
    Ok(PeerAddress::Tcp { host, port })
}

/// Checks and normalises a DNS name or an IPv4 address.
fn parse_host(host: &str) -> Result<String, AddressError> {
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Ok(IpAddr::V4(ip).to_string());
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.is_empty() || !name.split('.').all(label_ok) {
        return Err(AddressError::BadHost(host.to_owned()));
    }
    Ok(host.to_ascii_lowercase())
}

/// Parses `NAME.b32.i2p`.
fn parse_i2p(rest: &str) -> Result<PeerAddress, AddressError> {
    let lower = rest.to_ascii_lowercase();
    let name = lower
        .strip_suffix(I2P_SUFFIX)
        .ok_or_else(|| AddressError::BadI2pName(rest.to_owned()))?;
    let alphabet_ok = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b));
    if !(MIN_I2P_NAME..=MAX_I2P_NAME).contains(&name.len()) || !alphabet_ok {
        return Err(AddressError::BadI2pName(rest.to_owned()));
    }
    Ok(PeerAddress::I2p {
        name: name.to_owned(),
    })
}

impl Serialize for PeerAddress {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PeerAddress {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The network a connection from `ip` is counted against: the address itself for IPv4 (also when
/// written as an IPv4-mapped IPv6 address), its /64 network for IPv6, since one host usually holds a
/// whole /64.
pub fn origin_network(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
    }
}
