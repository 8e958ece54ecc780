//! One authenticated, encrypted session over a stream: the Noise `XX` handshake and the message framing after it.
//!
//! # Handshake
//!
//! `Noise_XX_25519_ChaChaPoly_BLAKE2s` with the prologue `cliqueclique-net/1`: each side proves its
//! installation's static x25519 key ([`StaticKey`]) and learns the other's ([`InstallationKey`]).
//! A different prologue (another protocol version) makes the handshake fail.
//! The three handshake messages travel as frames of at most 65535 bytes with empty payloads.
//! The handshake hash, unique to the session, is what node [`Attestation`](crate::Attestation)s are bound to.
//!
//! # Messages
//!
//! After the handshake every [`SessionMessage`] is postcard-encoded and sent as one frame whose body is a
//! sequence of Noise transport messages (each at most 65535 bytes, as Noise requires).
//! Each Noise message carries a flag byte (1 on the last one, 0 before) and up to
//! [`FRAGMENT_BYTES`] bytes of the message, so every Noise message but the last is exactly 65535 bytes and the
//! receiver splits a frame without further length fields; the authenticated flag makes a frame cut at a
//! fragment boundary fail instead of yielding a shorter message.
//! The maximum message size is enforced on the sender, on the frame length (before reading it) and on the
//! reassembled message.
//!
//! The two halves ([`SessionSender`], [`SessionReceiver`]) work independently, so one task can write while
//! another reads; each keeps its own Noise nonce.

use std::sync::Arc;

use snow::StatelessTransportState;
use tokio::io::{AsyncWriteExt, ReadHalf, WriteHalf};

use crate::error::{HandshakeError, SessionError};
use crate::frame::{self, FrameReader, HEADER_BYTES};
use crate::key::{InstallationKey, StaticKey};
use crate::message::SessionMessage;
use crate::transport::Stream;

/// The Noise protocol name.
pub const NOISE_PARAMS: &str = "Noise_XX_25519_ChaChaPoly_BLAKE2s";
/// The Noise prologue; both sides must use the same, so it doubles as a protocol version check.
pub const PROLOGUE: &[u8] = b"cliqueclique-net/1";
/// The largest Noise message.
pub const MAX_NOISE_MESSAGE: usize = 65535;
/// The ChaChaPoly authentication tag added to every Noise transport message.
const TAG_BYTES: usize = 16;
/// The message bytes in one Noise message (one byte goes to the last-fragment flag).
pub const FRAGMENT_BYTES: usize = MAX_NOISE_MESSAGE - TAG_BYTES - 1;

/// Which side of the handshake this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// The side that dialed.
    Initiator,
    /// The side that accepted.
    Responder,
}

/// An established session, split into its sending and receiving halves.
#[derive(Debug)]
pub struct Session {
    /// Encrypts and writes messages.
    pub sender: SessionSender,
    /// Reads and decrypts messages.
    pub receiver: SessionReceiver,
    /// The remote installation's static key, as proved by the handshake.
    pub remote: InstallationKey,
    /// The handshake hash: unique to this session, known to both sides.
    pub handshake_hash: [u8; 32],
    /// This side's role.
    pub role: Role,
}

/// The frame body size that carries a message of `max_message` bytes.
pub fn wire_max(max_message: usize) -> usize {
    let fragments = max_message.div_ceil(FRAGMENT_BYTES).max(1);
    max_message.saturating_add(fragments * (TAG_BYTES + 1))
}

/// Runs the Noise `XX` handshake over `stream`; messages afterwards are limited to `max_message` bytes.
///
/// Not bounded in time: callers wrap it in a timeout.
pub async fn handshake(
    stream: Box<dyn Stream>,
    role: Role,
    key: &StaticKey,
    max_message: usize,
) -> Result<Session, HandshakeError> {
    let params = NOISE_PARAMS
        .parse()
        .expect("the protocol name is a valid Noise pattern");
    let builder = snow::Builder::new(params)
        .local_private_key(key.secret_bytes())?
        .prologue(PROLOGUE)?;
    let mut state = match role {
        Role::Initiator => builder.build_initiator()?,
        Role::Responder => builder.build_responder()?,
    };
    let (read_half, mut write_half) = tokio::io::split(stream);
    let mut reader = FrameReader::new(read_half, MAX_NOISE_MESSAGE);
    let mut buf = vec![0; MAX_NOISE_MESSAGE];
    while !state.is_handshake_finished() {
        if state.is_my_turn() {
            let len = state.write_message(&[], &mut buf)?;
            frame::write_frame(&mut write_half, &buf[..len], MAX_NOISE_MESSAGE).await?;
        } else {
            let message = reader.read_frame().await?;
            state.read_message(&message, &mut buf)?;
        }
    }
    let handshake_hash: [u8; 32] = state
        .get_handshake_hash()
        .try_into()
        .expect("BLAKE2s hashes are 32 bytes");
    let remote: [u8; 32] = state
        .get_remote_static()
        .and_then(|key| key.try_into().ok())
        .ok_or(HandshakeError::NoRemoteKey)?;
    let noise = Arc::new(state.into_stateless_transport_mode()?);
    reader.set_max(wire_max(max_message));
    Ok(Session {
        sender: SessionSender {
            writer: write_half,
            noise: noise.clone(),
            nonce: 0,
            max_message,
        },
        receiver: SessionReceiver {
            reader,
            noise,
            nonce: 0,
            max_message,
            fragment: vec![0; MAX_NOISE_MESSAGE],
        },
        remote: InstallationKey(remote),
        handshake_hash,
        role,
    })
}

/// The sending half of a session.
pub struct SessionSender {
    writer: WriteHalf<Box<dyn Stream>>,
    noise: Arc<StatelessTransportState>,
    nonce: u64,
    max_message: usize,
}

impl std::fmt::Debug for SessionSender {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SessionSender")
            .field("nonce", &self.nonce)
            .finish_non_exhaustive()
    }
}

impl SessionSender {
    /// Encrypts and sends one message.
    pub async fn send(&mut self, message: &SessionMessage) -> Result<(), SessionError> {
        self.send_encoded(&message.encode()).await
    }

    /// Encrypts and sends one already encoded message (see [`SessionMessage::encode`]).
    ///
    /// Not cancel-safe: a send interrupted half-way leaves the stream unusable.
    pub async fn send_encoded(&mut self, message: &[u8]) -> Result<(), SessionError> {
        let frame = self.seal(message)?;
        self.writer
            .write_all(&frame)
            .await
            .map_err(crate::error::FrameError::from)?;
        self.writer
            .flush()
            .await
            .map_err(crate::error::FrameError::from)?;
        Ok(())
    }

    /// Sends a frame as is, without encryption: for tests that play a broken peer.
    #[cfg(test)]
    pub(crate) async fn send_raw_frame(&mut self, body: &[u8]) -> Result<(), SessionError> {
        frame::write_frame(&mut self.writer, body, usize::MAX).await?;
        Ok(())
    }

    /// Builds the whole frame (header and encrypted fragments) for one message.
    pub(crate) fn seal(&mut self, message: &[u8]) -> Result<Vec<u8>, SessionError> {
        if message.len() > self.max_message {
            return Err(SessionError::TooLarge {
                len: message.len(),
                max: self.max_message,
            });
        }
        let fragments = message.len().div_ceil(FRAGMENT_BYTES).max(1);
        let body_len = message.len() + fragments * (TAG_BYTES + 1);
        let mut frame = Vec::with_capacity(HEADER_BYTES + body_len);
        frame.extend_from_slice(&frame::header(body_len, wire_max(self.max_message))?);
        let mut plain = Vec::with_capacity(FRAGMENT_BYTES + 1);
        for index in 0..fragments {
            let start = index * FRAGMENT_BYTES;
            let end = message.len().min(start + FRAGMENT_BYTES);
            plain.clear();
            plain.push(u8::from(index + 1 == fragments));
            plain.extend_from_slice(&message[start..end]);
            let at = frame.len();
            frame.resize(at + plain.len() + TAG_BYTES, 0);
            let written = self
                .noise
                .write_message(self.nonce, &plain, &mut frame[at..])
                .map_err(SessionError::Noise)?;
            frame.truncate(at + written);
            self.nonce += 1;
        }
        debug_assert_eq!(frame.len(), HEADER_BYTES + body_len);
        Ok(frame)
    }
}

/// The receiving half of a session.
pub struct SessionReceiver {
    reader: FrameReader<ReadHalf<Box<dyn Stream>>>,
    noise: Arc<StatelessTransportState>,
    nonce: u64,
    max_message: usize,
    fragment: Vec<u8>,
}

impl std::fmt::Debug for SessionReceiver {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SessionReceiver")
            .field("nonce", &self.nonce)
            .finish_non_exhaustive()
    }
}

impl SessionReceiver {
    /// Receives and decodes one message.
    ///
    /// Cancel-safe: dropping the future before it completes loses nothing.
    pub async fn recv(&mut self) -> Result<SessionMessage, SessionError> {
        let message = self.recv_encoded().await?;
        Ok(SessionMessage::decode(&message)?)
    }

    /// Receives one message without decoding it. Cancel-safe.
    pub async fn recv_encoded(&mut self) -> Result<Vec<u8>, SessionError> {
        let frame = self.reader.read_frame().await?;
        self.open(&frame)
    }

    /// Decrypts and reassembles the fragments of one frame.
    pub(crate) fn open(&mut self, frame: &[u8]) -> Result<Vec<u8>, SessionError> {
        let fragments = frame.len().div_ceil(MAX_NOISE_MESSAGE).max(1);
        let len = frame
            .len()
            .checked_sub(fragments * (TAG_BYTES + 1))
            .ok_or(SessionError::Fragments)?;
        if len > self.max_message {
            return Err(SessionError::TooLarge {
                len,
                max: self.max_message,
            });
        }
        let mut message = Vec::with_capacity(len);
        for (index, piece) in frame.chunks(MAX_NOISE_MESSAGE).enumerate() {
            let n = self
                .noise
                .read_message(self.nonce, piece, &mut self.fragment)
                .map_err(|_| SessionError::Decrypt)?;
            self.nonce += 1;
            let last = index + 1 == fragments;
            match self.fragment[..n].split_first() {
                Some((&flag, data)) if flag == u8::from(last) => message.extend_from_slice(data),
                _ => return Err(SessionError::Fragments),
            }
        }
        Ok(message)
    }
}
