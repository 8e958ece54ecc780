//! Proof of work: a forum's owner may require that every post's id starts with a number of zero
//! bits (`X-Cc-Moderation: work BITS`, `docs/moderation.md`), so that each post costs its author
//! about 2^BITS signatures and a flood costs a spammer as much per post.
//!
//! The id is the BLAKE3 hash of the exact signed bytes, so the check costs a follower nothing:
//! [`meets`] reads the id it computed anyway. An author finds such an id by varying the
//! `X-Cc-Work` header, a nonce of 16 hex digits inside the signed content that means nothing
//! else ([`DocumentBuilder::build_with_work`]). The nonce is left out of the fingerprint the
//! Message-ID and part boundary are derived from, so every attempt changes only those 16 bytes:
//! an attempt is one signature and two hashes, never a new MIME rendering.

use super::{Document, DocumentBuilder, Limits, envelope};
use crate::id::DocId;
use crate::identity::Identity;
use bytes::Bytes;

/// The header that carries the nonce.
pub const WORK_HEADER: &str = "X-Cc-Work";

/// The largest difficulty a forum may require: 2^32 signatures is days of work for one post.
pub const MAX_WORK_BITS: u8 = 32;

/// How many attempts pass between two calls of the progress callback.
pub const PROGRESS_EVERY: u64 = 1 << 14;

/// The nonce's width in hex digits.
const NONCE_DIGITS: usize = 16;

/// The number of leading zero bits of `id`.
pub fn zero_bits(id: &DocId) -> u32 {
    let mut bits = 0;
    for byte in id.as_bytes() {
        if *byte == 0 {
            bits += 8;
        } else {
            return bits + byte.leading_zeros();
        }
    }
    bits
}

/// Whether `id` carries the work of a forum that requires `bits`.
pub fn meets(id: &DocId, bits: u8) -> bool {
    zero_bits(id) >= u32::from(bits)
}

/// Reads a difficulty: decimal digits only, at most [`MAX_WORK_BITS`].
pub fn parse_bits(text: &str) -> Option<u8> {
    if text.is_empty() || text.len() > 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u8>().ok().filter(|&b| b <= MAX_WORK_BITS)
}

impl DocumentBuilder {
    /// Writes and signs the document so that its id starts with `bits` zero bits, trying one
    /// nonce after another. `progress` is called with the attempts made so far every
    /// [`PROGRESS_EVERY`] attempts; returning `false` gives up, and then `None` is returned.
    /// With `bits` 0 this is [`DocumentBuilder::build`], without a nonce.
    pub fn build_with_work(
        self,
        identity: &Identity,
        bits: u8,
        progress: &mut dyn FnMut(u64) -> bool,
    ) -> Option<Document> {
        if bits == 0 {
            return Some(self.build(identity));
        }
        let mut builder = self;
        builder.work_nonce = true;
        let mut content = builder.content_entity(identity.node_id());
        let start = nonce_position(&content)?;
        let key = identity.public_key();
        let mut attempts: u64 = 0;
        loop {
            let digits = format!("{attempts:0width$x}", width = NONCE_DIGITS);
            content[start..start + NONCE_DIGITS].copy_from_slice(digits.as_bytes());
            let signature = identity.sign(&envelope::signing_message(&content));
            let bytes = envelope::render(&content, &key, &signature);
            if meets(&DocId::of(&bytes), bits) {
                return match Document::parse(Bytes::from(bytes), &Limits::unlimited()) {
                    Ok(document) => Some(document),
                    Err(err) => panic!("build_with_work wrote a document it cannot parse: {err}"),
                };
            }
            attempts += 1;
            if attempts.is_multiple_of(PROGRESS_EVERY) && !progress(attempts) {
                return None;
            }
        }
    }
}

/// Where the nonce's digits start in a content entity written with a zero nonce: right after the
/// header's name at the start of a line (folded header lines start with a space, and free text
/// holds no line breaks, so only the header itself matches).
fn nonce_position(content: &[u8]) -> Option<usize> {
    let needle = format!("\r\n{WORK_HEADER}: {}", "0".repeat(NONCE_DIGITS));
    content
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .map(|at| at + needle.len() - NONCE_DIGITS)
}
