//! Tests of the public API, one file per concept, sharing the helpers below.

use bytes::Bytes;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::document::envelope;
use crate::{DocId, Document, DocumentBuilder, Identity, LinkDirection};

mod card;
mod document;
mod export;
mod fuzz;
mod id;
mod identity;
mod moderation;
mod revision;
mod tamper;
mod work;

/// A deterministic identity for test number `seed`.
pub(crate) fn identity(seed: u64) -> Identity {
    Identity::generate(&mut ChaCha8Rng::seed_from_u64(seed))
}

/// A small document exercising every feature: text, an attachment, a parent and an extra header.
pub(crate) fn sample_document(identity: &Identity) -> Document {
    DocumentBuilder::new("Grüße aus Köln")
        .author_name("Ann")
        .date(1_700_000_000)
        .parent(DocId::of(b"parent"))
        .text("hello\r\nworld\n")
        .attach("notes.txt", "text/plain", Bytes::from_static(b"a note"))
        .header("X-Directory", "music")
        .build(identity)
}

/// A link document from `DocId::of(b"a")` to `DocId::of(b"b")`.
pub(crate) fn sample_link(identity: &Identity, direction: LinkDirection) -> Document {
    DocumentBuilder::new("link")
        .date(1_700_000_000)
        .link(DocId::of(b"a"), DocId::of(b"b"), direction)
        .build(identity)
}

/// Wraps any content entity in a correctly signed envelope, to reach the parser's inner layers.
pub(crate) fn sign_content(identity: &Identity, content: &[u8]) -> Bytes {
    let signature = identity.sign(&envelope::signing_message(content));
    Bytes::from(envelope::render(
        content,
        &identity.public_key(),
        &signature,
    ))
}

/// A hand-written content entity by `identity` with extra top-level headers and a raw multipart body.
pub(crate) fn content_entity(identity: &Identity, headers: &str, parts: &str) -> String {
    format!(
        "From: <{}@cliqueclique.invalid>\r\nDate: Thu, 1 Jan 1970 00:00:00 +0000\r\n\
         {headers}Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n{parts}--b--\r\n",
        identity.node_id()
    )
}

/// A base64 part of type `part_type` for [`content_entity`].
pub(crate) fn part(part_type: &str, content_type: &str, base64: &str) -> String {
    format!(
        "--b\r\nContent-Type: {content_type}\r\nX-Cc-Part-Type: {part_type}\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{base64}\r\n"
    )
}
