//! A node's Ed25519 key pair, its public half and the signatures it makes.
//!
//! [`Identity`] holds the secret key and is the only thing in this crate that can sign.
//! It is never serialized implicitly and its `Debug` form shows only the node id,
//! so a secret cannot leak into logs or wire messages by accident.
//! Randomness is a parameter of [`Identity::generate`], so a simulator can derive keys from a seed.
//!
//! Verification is strict (RFC 8032 checks plus rejection of small-order keys and non-canonical signatures),
//! so one message has exactly one valid signature per key and nobody can re-shape a signature into another valid one.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::encoding::{
    base32, base64, deserialize_array, parse_base32_32, parse_base64_array, serialize_array,
};
use crate::error::KeyError;
use crate::id::NodeId;

/// An Ed25519 public key that is a valid, non-weak curve point.
///
/// Equality, order and hashing follow the 32 key bytes.
#[derive(Clone, Copy)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// Checks that `bytes` encode a usable Ed25519 public key.
    pub fn from_bytes(bytes: [u8; 32]) -> Result<Self, KeyError> {
        let key = VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::Invalid)?;
        if key.is_weak() {
            return Err(KeyError::Weak);
        }
        Ok(PublicKey(key))
    }

    /// The 32 key bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The node id of this key: the BLAKE3 hash of its bytes.
    pub fn node_id(&self) -> NodeId {
        NodeId(*blake3::hash(self.0.as_bytes()).as_bytes())
    }

    /// Whether `signature` is this key's signature of `message`.
    pub fn verify(&self, message: &[u8], signature: &Signature) -> bool {
        let signature = ed25519_dalek::Signature::from_bytes(&signature.0);
        self.0.verify_strict(message, &signature).is_ok()
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_bytes() == other.0.as_bytes()
    }
}

impl Eq for PublicKey {}

impl PartialOrd for PublicKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PublicKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.as_bytes().cmp(other.0.as_bytes())
    }
}

impl Hash for PublicKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.as_bytes().hash(state);
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&base32(self.0.as_bytes()))
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.to_string();
        text.truncate(8);
        write!(formatter, "PublicKey({text})")
    }
}

impl FromStr for PublicKey {
    type Err = KeyError;

    fn from_str(text: &str) -> Result<Self, KeyError> {
        PublicKey::from_bytes(parse_base32_32(text)?)
    }
}

impl Serialize for PublicKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_array(self.0.as_bytes(), || self.to_string(), serializer)
    }
}

impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_array(deserializer, str::parse, PublicKey::from_bytes)
    }
}

/// An Ed25519 signature: 64 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature(pub [u8; 64]);

impl fmt::Display for Signature {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&base64(&self.0))
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.to_string();
        text.truncate(8);
        write!(formatter, "Signature({text})")
    }
}

impl Serialize for Signature {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_array(&self.0, || self.to_string(), serializer)
    }
}

impl<'de> Deserialize<'de> for Signature {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_array(
            deserializer,
            |text| {
                parse_base64_array(text)
                    .map(Signature)
                    .ok_or("expected 64 bytes of padded base64")
            },
            |bytes| Ok::<_, &str>(Signature(bytes)),
        )
    }
}

/// A node's key pair: what it signs documents, cards and exports with.
///
/// `Debug` shows the node id only, never the secret.
#[derive(Clone)]
pub struct Identity {
    key: SigningKey,
}

impl Identity {
    /// Makes a new key pair from `rng`.
    ///
    /// Works with `rand::rng()` and with a seeded `rand_chacha::ChaCha8Rng` alike.
    pub fn generate<R: rand::CryptoRng + ?Sized>(rng: &mut R) -> Identity {
        Identity {
            key: SigningKey::generate(rng),
        }
    }

    /// Restores a key pair from the 32 secret bytes that [`Identity::secret_bytes`] returned.
    pub fn from_secret_bytes(bytes: [u8; 32]) -> Identity {
        Identity {
            key: SigningKey::from_bytes(&bytes),
        }
    }

    /// The 32 secret bytes, for storing the identity. Keep them secret.
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The public half of the key pair.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.key.verifying_key())
    }

    /// The node id: the BLAKE3 hash of the public key.
    pub fn node_id(&self) -> NodeId {
        self.public_key().node_id()
    }

    /// Signs `message`. Ed25519 signing is deterministic: the same message gives the same signature.
    pub fn sign(&self, message: &[u8]) -> Signature {
        use ed25519_dalek::Signer;
        Signature(self.key.sign(message).to_bytes())
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Identity")
            .field("node_id", &self.node_id())
            .finish_non_exhaustive()
    }
}
