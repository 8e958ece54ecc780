//! The names of nodes and documents: 32-byte BLAKE3 hashes.
//!
//! A [`NodeId`] is the hash of a node's Ed25519 public key, and a [`DocId`] is the hash of a document's exact bytes.
//! Both are written as 52 characters of lower-case base32, like an I2P `.b32.i2p` name,
//! and their `Debug` form shows only the first 8 characters to keep logs readable.
//! They are ordered by their bytes, which makes them usable as keys of a `BTreeMap` in deterministic code.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::encoding::{base32, deserialize_array, parse_base32_32, serialize_array};
use crate::error::IdParseError;

/// The name of a node: the BLAKE3 hash of its Ed25519 public key bytes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub [u8; 32]);

/// The name of a document: the BLAKE3 hash of its exact signed bytes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub [u8; 32]);

impl DocId {
    /// The id of a document whose stored bytes are `bytes`.
    pub fn of(bytes: &[u8]) -> DocId {
        DocId(*blake3::hash(bytes).as_bytes())
    }
}

impl NodeId {
    /// How many characters of the text form a [fingerprint](NodeId::fingerprint) shows.
    pub const FINGERPRINT_CHARS: usize = 10;

    /// A short fingerprint for people to tell keys apart: the first ten characters of the text
    /// form in two groups of five, such as `k7f2q-x9ab3`.
    ///
    /// It is shown next to every claimed name, which anyone can copy; matching ten characters
    /// (50 bits) by chance is out of reach, although a determined impostor with much computing
    /// power could grind a key that matches them, which is why petnames exist.
    pub fn fingerprint(&self) -> String {
        let text = self.to_string();
        format!("{}-{}", &text[..5], &text[5..Self::FINGERPRINT_CHARS])
    }
}

macro_rules! impl_id {
    ($name:ident) => {
        impl $name {
            /// The raw 32 bytes.
            pub fn as_bytes(&self) -> &[u8; 32] {
                &self.0
            }

            /// The first 8 characters of the text form, for logs and compact display.
            pub fn short(&self) -> String {
                let mut text = self.to_string();
                text.truncate(8);
                text
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(&base32(&self.0))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(&self.short())
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;

            fn from_str(text: &str) -> Result<Self, IdParseError> {
                parse_base32_32(text).map($name)
            }
        }

        impl From<[u8; 32]> for $name {
            fn from(bytes: [u8; 32]) -> Self {
                $name(bytes)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_array(&self.0, || self.to_string(), serializer)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize_array(deserializer, str::parse, |bytes| {
                    Ok::<_, IdParseError>($name(bytes))
                })
            }
        }
    };
}

impl_id!(NodeId);
impl_id!(DocId);
