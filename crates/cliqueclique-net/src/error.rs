//! Error types, one per operation, so that a caller matches only the failures its call can produce.
//!
//! Messages are lower-case and carry no trailing period, so they compose inside larger messages.
//! Failures caused by a remote peer inside a running [`SessionManager`](crate::SessionManager) never
//! surface as errors: they become counters and [`Event::Rejected`](crate::Event::Rejected).

use std::io;
use std::path::PathBuf;

use cliqueclique_doc::NodeId;

use crate::address::PeerAddress;
use crate::status::SessionId;

/// Why a string is not a [`PeerAddress`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AddressError {
    /// The string is empty.
    #[error("empty address")]
    Empty,
    /// The string is longer than [`MAX_ADDRESS_BYTES`](crate::address::MAX_ADDRESS_BYTES).
    #[error("address of {len} bytes is too long")]
    TooLong {
        /// The length of the string.
        len: usize,
    },
    /// The string has no `scheme://` and is not a bare `.b32.i2p` name.
    #[error("missing scheme (expected tcp:// or i2p://)")]
    MissingScheme,
    /// The scheme is neither `tcp` nor `i2p`.
    #[error("unknown address scheme {0:?}")]
    UnknownScheme(String),
    /// A TCP address without `:PORT`.
    #[error("missing port")]
    MissingPort,
    /// The port is not a number from 1 to 65535.
    #[error("bad port {0:?}")]
    BadPort(String),
    /// The host is neither a DNS name, an IPv4 address nor a bracketed IPv6 address.
    #[error("bad host {0:?}")]
    BadHost(String),
    /// The I2P name is not base32 of a plausible length followed by `.b32.i2p`.
    #[error("bad i2p name {0:?}")]
    BadI2pName(String),
    /// The address carries a path, query, fragment or user part.
    #[error("unexpected characters in {0:?}")]
    Unexpected(String),
}

/// Why a transport could not open a stream to an address.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DialError {
    /// No transport of this installation can reach this kind of address (I2P while I2P is off, TCP when I2P-only).
    #[error("no transport for {address}")]
    Unsupported {
        /// The address that was dialed.
        address: PeerAddress,
    },
    /// The connection attempt failed.
    #[error("dial failed: {0}")]
    Io(#[from] io::Error),
    /// The connection attempt took longer than the configured dial timeout.
    #[error("dial timed out")]
    Timeout,
    /// The SAM bridge could not open an I2P stream.
    #[error("i2p dial failed: {0}")]
    Sam(#[from] SamError),
    /// The address is on this machine or a private network, and this installation dials public addresses only.
    #[error(
        "refusing to dial {address}: it is {ip}, not a public address, and this installation is a public website \
         (set dial_private = true to allow it)"
    )]
    NotPublic {
        /// The address that was dialed.
        address: PeerAddress,
        /// The address it resolved to.
        ip: std::net::IpAddr,
    },
}

/// Why a SAM bridge (the local I2P router's application interface) did not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SamError {
    /// Nothing answers at the bridge's address, or it closed the connection at once.
    #[error("no SAM bridge at {bridge} ({source}): is the I2P router running with SAM enabled?")]
    Unreachable {
        /// The bridge's address.
        bridge: String,
        /// Why the connection failed.
        source: io::Error,
    },
    /// Reading or writing on an established bridge connection failed.
    #[error("SAM bridge connection: {0}")]
    Io(#[from] io::Error),
    /// The bridge answered a command with a result other than `OK`.
    #[error("the SAM bridge refused {command}: {result}{}", message.as_deref().map(|m| format!(" ({m})")).unwrap_or_default())]
    Refused {
        /// The command, such as `SESSION CREATE`.
        command: &'static str,
        /// The bridge's `RESULT` value, such as `CANT_REACH_PEER` or `DUPLICATE_DEST`.
        result: String,
        /// The bridge's `MESSAGE`, if any.
        message: Option<String>,
    },
    /// The bridge answered with something that is not the expected reply.
    #[error("unexpected answer from the SAM bridge to {command}: {line:?}")]
    Unexpected {
        /// The command.
        command: &'static str,
        /// The first bytes of the answer.
        line: String,
    },
    /// The bridge closed the connection.
    #[error("the SAM bridge closed the connection")]
    Closed,
    /// The bridge did not answer in time (for `SESSION CREATE`: the tunnels were not built in time).
    #[error("the SAM bridge did not answer {command} within {secs} s")]
    Timeout {
        /// The command.
        command: &'static str,
        /// The time allowed.
        secs: u64,
    },
    /// The bridge sent an over-long line.
    #[error("the SAM bridge sent a line longer than {max} bytes")]
    LineTooLong {
        /// The bound.
        max: usize,
    },
    /// The bridge returned a destination that does not parse.
    #[error("the SAM bridge returned a destination that does not parse")]
    BadDestination,
}

impl SamError {
    /// Whether the error means that the bridge no longer knows the session (it dropped it or restarted),
    /// so that a new session must be created.
    pub fn session_gone(&self) -> bool {
        match self {
            SamError::Refused { result, .. } => result == "INVALID_ID",
            SamError::Unreachable { .. } => true,
            _ => false,
        }
    }
}

/// Why the I2P transport could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum I2pError {
    /// The key file could not be read or written.
    #[error("cannot use the I2P key file {path}: {source}")]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// The failure.
        source: io::Error,
    },
    /// The key file does not hold a destination's private keys.
    #[error("the I2P key file {path} is damaged (move it away to make a new I2P address)")]
    BadKeyFile {
        /// The file.
        path: PathBuf,
    },
    /// The installation has no I2P keys yet and the bridge could not make them.
    #[error("cannot create this installation's I2P destination: {0}")]
    Generate(SamError),
    /// The embedded router did not start.
    #[error("the embedded I2P router did not start: {0}")]
    Embedded(String),
}

/// Why a frame could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// The length prefix announces more than the maximum; nothing of the body was read.
    #[error("frame of {len} bytes exceeds the maximum of {max}")]
    TooLarge {
        /// The announced length.
        len: usize,
        /// The maximum in force.
        max: usize,
    },
    /// The stream ended cleanly between two frames.
    #[error("stream closed")]
    Closed,
    /// The stream ended inside a frame.
    #[error("stream ended inside a frame")]
    Truncated,
    /// Reading or writing failed.
    #[error("frame io: {0}")]
    Io(#[from] io::Error),
}

/// Why a Noise handshake failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HandshakeError {
    /// A handshake message could not be read or written.
    #[error("handshake framing: {0}")]
    Frame(#[from] FrameError),
    /// Noise rejected a handshake message (garbage, a wrong prologue or protocol version, a bad key).
    #[error("noise handshake: {0}")]
    Noise(#[from] snow::Error),
    /// The remote's static key is missing or has an unexpected length.
    #[error("remote static key missing")]
    NoRemoteKey,
}

/// Why an established session failed to send or receive a message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// The frame carrying the message could not be read or written.
    #[error("session framing: {0}")]
    Frame(#[from] FrameError),
    /// A Noise message did not decrypt or authenticate: garbage, tampering or a lost message.
    #[error("noise message failed to decrypt")]
    Decrypt,
    /// The Noise messages of a frame do not form one complete message.
    #[error("bad fragmentation of a session message")]
    Fragments,
    /// The message (before encryption, or after reassembly) is larger than the maximum.
    #[error("session message of {len} bytes exceeds the maximum of {max}")]
    TooLarge {
        /// The message size.
        len: usize,
        /// The maximum in force.
        max: usize,
    },
    /// The decrypted bytes are not a session message.
    #[error("malformed session message: {0}")]
    Malformed(#[from] postcard::Error),
    /// Noise refused to encrypt (only possible on nonce exhaustion).
    #[error("noise: {0}")]
    Noise(snow::Error),
}

/// Why a [`SessionManager`](crate::SessionManager) did not take a message to send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The batch's `from` node is not hosted by this installation.
    #[error("node {0} is not hosted here")]
    UnknownSender(NodeId),
    /// The encoded message is larger than the maximum message size.
    #[error("message of {len} bytes exceeds the maximum of {max}")]
    TooLarge {
        /// The encoded size.
        len: usize,
        /// The maximum in force.
        max: usize,
    },
    /// The batch is addressed to a node hosted by this installation: deliver it locally instead.
    #[error("node {0} is hosted here")]
    LocalDestination(NodeId),
    /// There is no session attesting the node and no address for it in the address book.
    #[error("no session and no address for node {0}")]
    NoAddress(NodeId),
    /// The installation at the node's address is connected but does not host the node.
    #[error("the installation at the address of node {0} does not host it")]
    NoRoute(NodeId),
    /// The session no longer exists.
    #[error("no session {0}")]
    NoSession(SessionId),
    /// Too many peers are being dialed already.
    #[error("too many peers being dialed")]
    TooManyPeers,
    /// The manager has shut down.
    #[error("session manager stopped")]
    Stopped,
}

/// The manager has shut down; returned by calls that have no other failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("session manager stopped")]
pub struct Stopped;
