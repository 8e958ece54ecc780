//! The signed outer layer of a document: an RFC 1847 `multipart/signed` wrapper written and read byte for byte.
//!
//! The envelope has exactly one valid form for a given content entity, key and signature:
//! [`split`] takes the bytes apart and then checks that [`render`] gives back the very same bytes.
//! So nothing outside the signed content entity can be changed without the parse failing,
//! and a document's id ([`DocId`](crate::DocId)) cannot be altered by re-wrapping it.

use data_encoding::HEXLOWER;

use crate::encoding::{BASE32_LEN, base32, base64, parse_base64_array};
use crate::error::DocumentError;
use crate::identity::{PublicKey, Signature};

/// Prefixed to the BLAKE3 hash of the content entity to form the signed message.
const SIGNING_DOMAIN: &[u8] = b"cliqueclique-document-v1\0";

const HEADER_START: &str = "MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol=\"application/x-cliqueclique-ed25519\"; micalg=\"blake3\"; boundary=\"";
const SIGNATURE_PART_START: &str =
    "Content-Type: application/x-cliqueclique-ed25519\r\nX-Cc-Author-Key: ";
/// The length of padded base64 for 64 bytes.
const SIGNATURE_TEXT_LEN: usize = 88;
/// The number of hex digits of the content hash used in the boundary.
const BOUNDARY_HEX_LEN: usize = 32;

/// The parts of an envelope, borrowed from the document bytes.
pub(crate) struct Split<'a> {
    /// The exact bytes of the signed content entity.
    pub content: &'a [u8],
    /// The author key named in the signature part.
    pub key: PublicKey,
    /// The signature over [`signing_message`] of the content.
    pub signature: Signature,
}

/// The envelope boundary for `content`: `cc-` and 32 hex digits of its BLAKE3 hash.
pub(crate) fn boundary_for(content: &[u8]) -> String {
    let hash = blake3::hash(content);
    let mut boundary = String::from("cc-");
    boundary.push_str(&HEXLOWER.encode(&hash.as_bytes()[..BOUNDARY_HEX_LEN / 2]));
    boundary
}

/// The message the author signs: a domain tag followed by the BLAKE3 hash of the content entity.
pub(crate) fn signing_message(content: &[u8]) -> Vec<u8> {
    let mut message = SIGNING_DOMAIN.to_vec();
    message.extend_from_slice(blake3::hash(content).as_bytes());
    message
}

/// Writes the envelope around `content`.
pub(crate) fn render(content: &[u8], key: &PublicKey, signature: &Signature) -> Vec<u8> {
    let boundary = boundary_for(content);
    let mut out = Vec::with_capacity(content.len() + 512);
    out.extend_from_slice(HEADER_START.as_bytes());
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"\"\r\n\r\n--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(content);
    out.extend_from_slice(b"\r\n--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(SIGNATURE_PART_START.as_bytes());
    out.extend_from_slice(base32(&key.to_bytes()).as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(base64(&signature.0).as_bytes());
    out.extend_from_slice(b"\r\n--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--\r\n");
    out
}

/// Takes an envelope apart, checking that it is exactly what [`render`] writes.
///
/// This does not verify the signature.
pub(crate) fn split(bytes: &[u8]) -> Result<Split<'_>, DocumentError> {
    fn malformed(reason: impl Into<String>) -> DocumentError {
        DocumentError::malformed(reason)
    }
    let rest = bytes
        .strip_prefix(HEADER_START.as_bytes())
        .ok_or_else(|| malformed("not a cliqueclique multipart/signed envelope"))?;

    let boundary_len = "cc-".len() + BOUNDARY_HEX_LEN;
    let boundary = rest
        .get(..boundary_len)
        .filter(|boundary| is_boundary(boundary))
        .ok_or_else(|| malformed("bad envelope boundary"))?;
    let rest = &rest[boundary_len..];

    let mut opening = b"\"\r\n\r\n--".to_vec();
    opening.extend_from_slice(boundary);
    opening.extend_from_slice(b"\r\n");
    let rest = rest
        .strip_prefix(opening.as_slice())
        .ok_or_else(|| malformed("bad envelope preamble"))?;

    // Per RFC 1847 the CRLF before a delimiter belongs to the delimiter, not to the content.
    let mut delimiter = b"\r\n--".to_vec();
    delimiter.extend_from_slice(boundary);
    let content_end =
        find(rest, &delimiter).ok_or_else(|| malformed("no delimiter after the content entity"))?;
    let content = &rest[..content_end];
    let rest = &rest[content_end + delimiter.len()..];

    let rest = rest
        .strip_prefix(b"\r\n".as_slice())
        .and_then(|rest| rest.strip_prefix(SIGNATURE_PART_START.as_bytes()))
        .ok_or_else(|| malformed("bad signature part headers"))?;
    let key_text = rest
        .get(..BASE32_LEN)
        .and_then(|text| std::str::from_utf8(text).ok())
        .ok_or_else(|| malformed("bad author key"))?;
    let key: PublicKey = key_text
        .parse()
        .map_err(|err| malformed(format!("bad author key: {err}")))?;
    let rest = rest[BASE32_LEN..]
        .strip_prefix(b"\r\n\r\n".as_slice())
        .ok_or_else(|| malformed("bad signature part headers"))?;
    let signature = rest
        .get(..SIGNATURE_TEXT_LEN)
        .and_then(|text| std::str::from_utf8(text).ok())
        .and_then(parse_base64_array)
        .map(Signature)
        .ok_or_else(|| malformed("bad signature encoding"))?;

    if boundary != boundary_for(content).as_bytes() {
        return Err(malformed("envelope boundary does not match the content"));
    }
    let split = Split {
        content,
        key,
        signature,
    };
    // Everything was read from fixed positions; comparing with a fresh rendering also rejects
    // trailing junk and any non-canonical text form of the key or the signature.
    if render(content, &key, &signature) != bytes {
        return Err(malformed("envelope is not in canonical form"));
    }
    Ok(split)
}

/// Whether `boundary` is `cc-` followed by lower-case hex digits.
fn is_boundary(boundary: &[u8]) -> bool {
    boundary.strip_prefix(b"cc-".as_slice()).is_some_and(|hex| {
        hex.iter()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(byte))
    })
}

/// The position of the first occurrence of `needle` in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
