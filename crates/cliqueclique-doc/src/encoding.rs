//! Text and serde forms shared by ids, keys and signatures.
//!
//! 32-byte values are written as 52 characters of lower-case unpadded base32 (RFC 4648),
//! the form I2P uses for its `.b32.i2p` names, so ids are safe in file names, URLs and e-mail local parts.
//! Signatures are written as padded standard base64.
//! In serde, human-readable formats (JSON, TOML) get these strings,
//! and binary formats (postcard) get the raw bytes as a fixed-size tuple, with no length prefix.

use std::fmt;
use std::marker::PhantomData;

use data_encoding::{BASE32_NOPAD, BASE64};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeTuple, Serializer};

use crate::error::IdParseError;

/// The length of the base32 text form of a 32-byte value.
pub(crate) const BASE32_LEN: usize = 52;

/// Encodes bytes as lower-case unpadded base32.
pub(crate) fn base32(bytes: &[u8]) -> String {
    let mut text = BASE32_NOPAD.encode(bytes);
    text.make_ascii_lowercase();
    text
}

/// Decodes the 52-character lower-case base32 form of a 32-byte value.
pub(crate) fn parse_base32_32(text: &str) -> Result<[u8; 32], IdParseError> {
    if text.len() != BASE32_LEN {
        return Err(IdParseError::Length {
            expected: BASE32_LEN,
            actual: text.chars().count(),
        });
    }
    if !text
        .bytes()
        .all(|byte| byte.is_ascii_lowercase() || (b'2'..=b'7').contains(&byte))
    {
        return Err(IdParseError::Character);
    }
    let upper = text.to_ascii_uppercase();
    let mut bytes = [0u8; 32];
    match BASE32_NOPAD.decode_mut(upper.as_bytes(), &mut bytes) {
        Ok(32) => Ok(bytes),
        _ => Err(IdParseError::NonCanonical),
    }
}

/// Encodes bytes as padded standard base64.
pub(crate) fn base64(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

/// Decodes padded standard base64 into exactly `N` bytes.
pub(crate) fn parse_base64_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    let decoded = BASE64.decode(text.as_bytes()).ok()?;
    decoded.try_into().ok()
}

/// Serializes a fixed-size byte array: as `text()` for human-readable formats, else as an `N`-tuple of bytes.
pub(crate) fn serialize_array<S: Serializer, const N: usize>(
    bytes: &[u8; N],
    text: impl FnOnce() -> String,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if serializer.is_human_readable() {
        serializer.serialize_str(&text())
    } else {
        let mut tuple = serializer.serialize_tuple(N)?;
        for byte in bytes {
            tuple.serialize_element(byte)?;
        }
        tuple.end()
    }
}

/// Deserializes what [`serialize_array`] wrote, parsing strings with `parse`.
pub(crate) fn deserialize_array<'de, D, T, E, const N: usize>(
    deserializer: D,
    parse: impl FnOnce(&str) -> Result<T, E>,
    from_bytes: impl FnOnce([u8; N]) -> Result<T, E>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    E: fmt::Display,
{
    if deserializer.is_human_readable() {
        let text = deserializer.deserialize_str(StrVisitor)?;
        parse(&text).map_err(de::Error::custom)
    } else {
        let bytes = deserializer.deserialize_tuple(N, ArrayVisitor::<N>(PhantomData))?;
        from_bytes(bytes).map_err(de::Error::custom)
    }
}

struct StrVisitor;

impl Visitor<'_> for StrVisitor {
    type Value = String;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }
}

struct ArrayVisitor<const N: usize>(PhantomData<[u8; N]>);

impl<'de, const N: usize> Visitor<'de> for ArrayVisitor<N> {
    type Value = [u8; N];

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{N} bytes")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<[u8; N], A::Error> {
        let mut bytes = [0u8; N];
        for (index, byte) in bytes.iter_mut().enumerate() {
            *byte = seq
                .next_element()?
                .ok_or_else(|| de::Error::invalid_length(index, &self))?;
        }
        Ok(bytes)
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<[u8; N], E> {
        value
            .try_into()
            .map_err(|_| de::Error::invalid_length(value.len(), &self))
    }
}
