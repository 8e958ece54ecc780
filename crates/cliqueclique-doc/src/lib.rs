//! Signed, content-addressed documents for cliqueclique, and the identities that sign them.
//!
//! A cliqueclique forum is a graph of immutable documents that peers copy between each other.
//! Every document is a MIME message signed once by its author with an Ed25519 key,
//! and it is named by the BLAKE3 hash of its exact stored bytes.
//! Because a peer can check both the name and the signature of anything it receives,
//! documents can travel through untrusted nodes without being altered unnoticed.
//!
//! This crate is the only place that knows the byte format; `FORMAT.md` beside `Cargo.toml` describes it.
//! It does no IO, reads no clock and holds no global state: time and randomness are always parameters,
//! so many nodes can run in one process and tests are reproducible.
//!
//! # Layout
//!
//! - [`id`]: [`NodeId`] and [`DocId`], the 32-byte names of nodes and documents.
//! - [`identity`]: a node's key pair ([`Identity`]), its [`PublicKey`] and [`Signature`]s.
//! - [`document`]: the signed [`Document`], how to build one ([`DocumentBuilder`]) and how to parse one.
//! - [`card`]: a node's self-signed [`ContactCard`] listing the addresses it can be reached at.
//! - [`export`]: an [`Export`] file carrying one document and the exporter's card, for first contact.
//! - [`error`]: one error type per operation.

#![deny(missing_docs)]

pub mod card;
pub mod document;
mod encoding;
pub mod error;
pub mod export;
pub mod id;
pub mod identity;

pub use card::ContactCard;
pub use document::{
    Attachment, Document, DocumentBuilder, Limits, LinkDirection, Moderation, PartInfo, Revision,
};
pub use error::{CardError, DocumentError, ExportError, IdParseError, KeyError};
pub use export::Export;
pub use id::{DocId, NodeId};
pub use identity::{Identity, PublicKey, Signature};

#[cfg(test)]
mod tests;
