//! An export file: one document plus the exporter's contact card, signed by the exporter.
//!
//! Exports are how a forum grows beyond the nodes that already know each other:
//! a user hands a file (by mail, chat or USB stick) to someone whose node imports it,
//! learns the exporter's addresses from the card, and can then subscribe to the document through the exporter.
//! The same file forwards someone else's document, because the exporter need not be the author.
//!
//! The format is the magic line `cliqueclique-export-v1` and a newline, followed by the postcard encoding of
//! the card, the document bytes and the exporter's signature over the card and the document id.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use crate::card::{ContactCard, MAX_ADDRESS_BYTES, MAX_ADDRESSES, MAX_NAME_BYTES};
use crate::document::{Document, Limits};
use crate::error::ExportError;
use crate::id::DocId;
use crate::identity::{Identity, Signature};

/// The first bytes of every export file.
const MAGIC: &[u8] = b"cliqueclique-export-v1\n";

/// The domain tag of the export signature.
const SIGNING_DOMAIN: &str = "cliqueclique-export-v1";

/// Room for the magic, the card, the signature and the length prefixes around a document.
const OVERHEAD_BYTES: usize =
    MAGIC.len() + MAX_NAME_BYTES + MAX_ADDRESSES * (MAX_ADDRESS_BYTES + 4) + 32 + 64 + 64 + 64;

/// A document carried together with the contact card of whoever exported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    /// The exporter's card: whom to contact about the document.
    pub exporter: ContactCard,
    /// The carried document, written by the exporter or by anyone else.
    pub document: Document,
}

/// What follows the magic bytes.
#[derive(Serialize, Deserialize)]
struct Wire {
    card: ContactCard,
    document: Bytes,
    signature: Signature,
}

impl Export {
    /// Wraps `document` with the exporter's card.
    ///
    /// # Panics
    ///
    /// If `card` is not `identity`'s own: such an export could never be imported.
    pub fn new(identity: &Identity, card: ContactCard, document: Document) -> Export {
        assert!(
            card.key == identity.public_key(),
            "an export's card must be the exporter's own"
        );
        Export {
            exporter: card,
            document,
        }
    }

    /// Writes the export file, signed by `identity`, which must be the holder of [`Export::exporter`].
    pub fn to_bytes(&self, identity: &Identity) -> Vec<u8> {
        let signature = identity.sign(&signed_bytes(&self.exporter, &self.document.id()));
        let wire = Wire {
            card: self.exporter.clone(),
            document: self.document.bytes().clone(),
            signature,
        };
        let mut out = MAGIC.to_vec();
        out.extend(
            postcard::to_allocvec(&wire)
                .expect("postcard encoding of bytes and fixed arrays into a Vec cannot fail"),
        );
        out
    }

    /// Reads an export file, verifying the card, the export signature (by the card's key) and the document.
    ///
    /// Never panics, whatever the input.
    pub fn from_bytes(bytes: &[u8], limits: &Limits) -> Result<Export, ExportError> {
        let max = limits.max_document_bytes.saturating_add(OVERHEAD_BYTES);
        if bytes.len() > max {
            return Err(ExportError::TooLarge {
                size: bytes.len(),
                max,
            });
        }
        let rest = bytes
            .strip_prefix(MAGIC)
            .ok_or_else(|| ExportError::Malformed("not a cliqueclique export".into()))?;
        let (wire, trailing) = postcard::take_from_bytes::<Wire>(rest)
            .map_err(|err| ExportError::Malformed(err.to_string()))?;
        if !trailing.is_empty() {
            return Err(ExportError::Malformed("trailing bytes".into()));
        }
        wire.card.verify()?;
        let message = signed_bytes(&wire.card, &DocId::of(&wire.document));
        if !wire.card.key.verify(&message, &wire.signature) {
            return Err(ExportError::BadSignature);
        }
        let document = Document::parse(wire.document, limits)?;
        Ok(Export {
            exporter: wire.card,
            document,
        })
    }
}

/// The signed message: the postcard encoding of the domain tag, the card and the document id.
fn signed_bytes(card: &ContactCard, document: &DocId) -> Vec<u8> {
    postcard::to_allocvec(&(SIGNING_DOMAIN, card, document))
        .expect("postcard encoding of strings and fixed arrays into a Vec cannot fail")
}
