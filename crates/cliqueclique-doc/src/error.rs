//! Error types, one per operation, so that a caller matches only the failures its call can produce.
//!
//! Messages are lower-case and carry no trailing period, so they compose inside larger messages.

use crate::DocId;

/// Why a string is not a valid [`NodeId`](crate::NodeId), [`DocId`] or [`PublicKey`](crate::PublicKey) text form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdParseError {
    /// The string does not have the length of 32 bytes in unpadded base32.
    #[error("expected {expected} characters, got {actual}")]
    Length {
        /// The required number of characters.
        expected: usize,
        /// The number of characters found.
        actual: usize,
    },
    /// The string holds a character outside the lower-case base32 alphabet `a-z2-7`.
    #[error("invalid character, expected lower-case base32 (a-z, 2-7)")]
    Character,
    /// The last character sets bits beyond the 256 bits of the value.
    #[error("non-canonical base32 (trailing bits set)")]
    NonCanonical,
}

/// Why bytes or a string are not a usable Ed25519 public key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text form is not valid base32.
    #[error("invalid public key text: {0}")]
    Text(#[from] IdParseError),
    /// The bytes are not the encoding of a curve point.
    #[error("not an ed25519 public key")]
    Invalid,
    /// The key is a point of small order, for which signatures prove nothing.
    #[error("weak ed25519 public key")]
    Weak,
}

/// Why bytes were rejected as a [`Document`](crate::Document).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DocumentError {
    /// The input is larger than [`Limits::max_document_bytes`](crate::Limits::max_document_bytes); nothing was parsed.
    #[error("document is {size} bytes, more than the limit of {max}")]
    TooLarge {
        /// The size of the input in bytes.
        size: usize,
        /// The limit in force.
        max: usize,
    },
    /// The bytes do not follow the document format; the string says where.
    #[error("malformed document: {0}")]
    Malformed(String),
    /// The signature does not verify under the author key the document carries.
    #[error("bad document signature")]
    BadSignature,
    /// The document is valid but is not the one that was asked for.
    #[error("document id is {actual}, expected {expected}")]
    IdMismatch {
        /// The id that was asked for.
        expected: DocId,
        /// The id of the bytes received.
        actual: DocId,
    },
    /// The document has more MIME parts than [`Limits::max_parts`](crate::Limits::max_parts).
    #[error("document has {count} parts, more than the limit of {max}")]
    TooManyParts {
        /// The number of parts found.
        count: usize,
        /// The limit in force.
        max: usize,
    },
}

impl DocumentError {
    pub(crate) fn malformed(reason: impl Into<String>) -> Self {
        DocumentError::Malformed(reason.into())
    }
}

/// Why a [`ContactCard`](crate::ContactCard) does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CardError {
    /// The signature does not verify under the key in the card.
    #[error("bad contact card signature")]
    BadSignature,
    /// The name, the number of addresses or an address is over its bound.
    #[error("contact card is too large")]
    TooLarge,
}

/// Why bytes were rejected as an [`Export`](crate::Export).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The input is larger than a document within the limits plus a contact card; nothing was parsed.
    #[error("export is {size} bytes, more than the limit of {max}")]
    TooLarge {
        /// The size of the input in bytes.
        size: usize,
        /// The limit in force.
        max: usize,
    },
    /// The bytes do not follow the export format; the string says where.
    #[error("malformed export: {0}")]
    Malformed(String),
    /// The exporter's contact card does not verify.
    #[error("exporter card: {0}")]
    Card(#[from] CardError),
    /// The export signature does not verify under the key of the exporter's card.
    #[error("bad export signature")]
    BadSignature,
    /// The carried document does not parse or verify.
    #[error("exported document: {0}")]
    Document(#[from] DocumentError),
}
