//! Reading a document: size check, exact envelope split, signature check, then the content entity.
//!
//! The order matters for cost and safety: the size is checked before anything is read,
//! the envelope is split by exact byte comparison, and the signature is verified
//! before the MIME parser sees a single byte of the content.
//! Hostile input is still expected here (anyone can make a key and sign garbage),
//! so every step returns an error instead of panicking, and all text is normalized as the builder does.

use bytes::Bytes;
use mail_parser::parsers::MessageStream;
use mail_parser::{DateTime, Encoding, Header, HeaderValue, Message, MessageParser, MimeHeaders};

use super::mime::{self, ContentType, LINK_CONTENT_TYPE, MAIL_DOMAIN, MAX_DATE, clean_text};
use super::{
    Inner, Limits, LinkDirection, Moderation, PART_CONTENT, PART_LINK, Part, Revision, envelope,
};
use crate::error::DocumentError;
use crate::id::DocId;
use crate::identity::PublicKey;

/// Checks the size limit before anything else is done.
pub(super) fn check_size(bytes: &[u8], limits: &Limits) -> Result<(), DocumentError> {
    if bytes.len() > limits.max_document_bytes {
        return Err(DocumentError::TooLarge {
            size: bytes.len(),
            max: limits.max_document_bytes,
        });
    }
    Ok(())
}

/// Whether [`parse`] verifies the signature.
pub(super) enum Signature {
    /// Bytes from a peer, a file or a user: the signature is verified.
    Verify,
    /// Bytes read back from a node's own store, which holds only documents verified on entry.
    AlreadyVerified,
}

/// Parses a whole document whose size was checked and whose id is `id`, verifying its signature
/// unless `signature` says it was verified already.
pub(super) fn parse(
    bytes: Bytes,
    id: DocId,
    limits: &Limits,
    signature: Signature,
) -> Result<Inner, DocumentError> {
    let split = envelope::split(&bytes)?;
    let key = split.key;
    if let Signature::Verify = signature
        && !key.verify(&envelope::signing_message(split.content), &split.signature)
    {
        return Err(DocumentError::BadSignature);
    }
    let content = parse_content(split.content, &key, limits)?;
    Ok(Inner {
        id,
        bytes,
        author_key: key,
        author_name: content.author_name,
        subject: content.subject,
        date: content.date,
        parent: content.parent,
        child: content.child,
        link: content.link,
        revision: content.revision,
        moderation: content.moderation,
        headers: content.headers,
        parts: content.parts,
    })
}

/// The fields read from the content entity.
struct Content {
    author_name: String,
    subject: String,
    date: u64,
    parent: Option<DocId>,
    child: Option<DocId>,
    link: Option<LinkDirection>,
    revision: Option<Revision>,
    moderation: Option<Moderation>,
    headers: Vec<(String, String)>,
    parts: Vec<Part>,
}

fn malformed(reason: impl Into<String>) -> DocumentError {
    DocumentError::malformed(reason)
}

/// Parses the signed content entity, whose author key is already verified.
fn parse_content(
    content: &[u8],
    key: &PublicKey,
    limits: &Limits,
) -> Result<Content, DocumentError> {
    let message = MessageParser::new()
        .default_header_text()
        .parse(content)
        .ok_or_else(|| malformed("content entity has no headers"))?;
    let n_parts = message.parts.len().saturating_sub(1);
    if n_parts > limits.max_parts {
        return Err(DocumentError::TooManyParts {
            count: n_parts,
            max: limits.max_parts,
        });
    }
    let root = message.root_part();
    let headers = &root.headers;

    let (author_name, address) = match single(headers, "From")?.map(|header| &header.value) {
        Some(HeaderValue::Address(address)) => {
            let first = address
                .first()
                .filter(|_| address.iter().count() == 1)
                .ok_or_else(|| malformed("From must name exactly one address"))?;
            (
                clean_text(first.name().unwrap_or_default()),
                first.address().unwrap_or_default().to_owned(),
            )
        }
        _ => return Err(malformed("missing or unreadable From header")),
    };
    if address != format!("{}@{MAIL_DOMAIN}", key.node_id()) {
        return Err(malformed("From address does not match the signing key"));
    }

    let date = match single(headers, "Date")?.map(|header| &header.value) {
        Some(HeaderValue::DateTime(date)) => u64::try_from(date.to_timestamp())
            .ok()
            .filter(|_| is_plausible(date))
            .filter(|date| *date <= MAX_DATE)
            .ok_or_else(|| malformed("Date out of range"))?,
        _ => return Err(malformed("missing or unreadable Date header")),
    };
    let subject = single(headers, "Subject")?
        .map(|header| header_text(content, header))
        .unwrap_or_default();
    let parent = id_header(content, headers, "X-Cc-Parent")?;
    let child = id_header(content, headers, "X-Cc-Child")?;
    let link = match single(headers, "X-Cc-Link")? {
        None => None,
        Some(header) => Some(
            LinkDirection::from_header(&header_text(content, header))
                .ok_or_else(|| malformed("X-Cc-Link must be natural or reversed"))?,
        ),
    };
    let revision = match (
        id_header(content, headers, "X-Cc-Retracts")?,
        id_header(content, headers, "X-Cc-Supersedes")?,
    ) {
        (None, None) => None,
        (Some(target), None) => Some(Revision::Retracts(target)),
        (None, Some(target)) => Some(Revision::Supersedes(target)),
        (Some(_), Some(_)) => {
            return Err(malformed(
                "X-Cc-Retracts and X-Cc-Supersedes cannot be combined",
            ));
        }
    };
    if revision.is_some() && link.is_some() {
        return Err(malformed("a link document cannot revise a document"));
    }
    let moderation = match single(headers, "X-Cc-Moderation")? {
        None => None,
        Some(header) => Some(
            Moderation::from_header(&header_text(content, header))
                .ok_or_else(|| malformed("X-Cc-Moderation must be an action and an id"))?,
        ),
    };
    if moderation.is_some() && (link.is_some() || revision.is_some() || parent.is_none()) {
        return Err(malformed(
            "a moderation decision needs X-Cc-Parent (its forum), and no link or revision",
        ));
    }

    let is_mixed = single(headers, "Content-Type")?.is_some()
        && root.content_type().is_some_and(|content_type| {
            content_type.ctype().eq_ignore_ascii_case("multipart")
                && content_type
                    .subtype()
                    .is_some_and(|subtype| subtype.eq_ignore_ascii_case("mixed"))
        });
    let sub_parts = root
        .sub_parts()
        .filter(|_| is_mixed)
        .ok_or_else(|| malformed("content entity is not multipart/mixed"))?;
    if sub_parts.len() != n_parts {
        return Err(malformed("nested multiparts are not allowed"));
    }
    let parts = sub_parts
        .iter()
        .map(|&index| read_part(content, &message, index))
        .collect::<Result<Vec<_>, _>>()?;

    check_structure(&parts, parent, child, link)?;

    Ok(Content {
        author_name,
        subject,
        date,
        parent,
        child,
        link,
        revision,
        moderation,
        headers: headers
            .iter()
            .map(|header| {
                (
                    header.name.as_str().to_owned(),
                    header_text(content, header),
                )
            })
            .collect(),
        parts,
    })
}

/// Checks the counts of content and link parts against the structural headers.
fn check_structure(
    parts: &[Part],
    parent: Option<DocId>,
    child: Option<DocId>,
    link: Option<LinkDirection>,
) -> Result<(), DocumentError> {
    let count = |part_type: &str| parts.iter().filter(|p| p.part_type == part_type).count();
    if count(PART_CONTENT) > 1 {
        return Err(malformed("more than one content part"));
    }
    let links: Vec<&Part> = parts.iter().filter(|p| p.part_type == PART_LINK).collect();
    match (link, parent, child, links.as_slice()) {
        (None, _, _, []) => Ok(()),
        (Some(direction), Some(parent), Some(child), [part]) => {
            let expected = mime::link_body(&parent, &child, direction);
            if part.mime.mime_type != LINK_CONTENT_TYPE || part.data != expected.as_bytes() {
                return Err(malformed("link part does not match the link headers"));
            }
            Ok(())
        }
        (Some(_), _, _, _) => Err(malformed(
            "a link needs X-Cc-Parent, X-Cc-Child and one link part",
        )),
        (None, _, _, _) => Err(malformed("link part without X-Cc-Link")),
    }
}

/// Reads one leaf part of the content entity and decodes its base64 body from the exact bytes.
fn read_part(content: &[u8], message: &Message<'_>, index: u32) -> Result<Part, DocumentError> {
    let part = message
        .parts
        .get(index as usize)
        .ok_or_else(|| malformed("part index out of range"))?;
    if part.is_multipart() {
        return Err(malformed("nested multiparts are not allowed"));
    }
    if part.encoding != Encoding::Base64 || part.is_encoding_problem {
        return Err(malformed("every part must be valid base64"));
    }
    let part_type = single(&part.headers, "X-Cc-Part-Type")?
        .map(|header| header_text(content, header).to_ascii_lowercase())
        .filter(|part_type| !part_type.is_empty())
        .ok_or_else(|| malformed("part without X-Cc-Part-Type"))?;
    let mime = part
        .content_type()
        .map(ContentType::from_parsed)
        .ok_or_else(|| malformed("part without Content-Type"))?;
    let filename = part
        .content_disposition()
        .and_then(|disposition| disposition.attribute("filename"))
        .map(clean_text);
    let raw = content
        .get(part.offset_body as usize..part.offset_end as usize)
        .ok_or_else(|| malformed("part body out of range"))?;
    let data = mime::decode_body(raw).ok_or_else(|| malformed("part body is not base64"))?;
    Ok(Part {
        part_type,
        content_type: mime.render(),
        mime,
        filename,
        data: Bytes::from(data),
    })
}

/// The only header called `name`, or `None`; two or more is malformed.
fn single<'a, 'x>(
    headers: &'a [Header<'x>],
    name: &str,
) -> Result<Option<&'a Header<'x>>, DocumentError> {
    let mut found = headers
        .iter()
        .filter(|header| header.name.as_str().eq_ignore_ascii_case(name));
    let first = found.next();
    if found.next().is_some() {
        return Err(malformed(format!("more than one {name} header")));
    }
    Ok(first)
}

/// A header's value as unstructured text: unfolded, RFC 2047 words decoded, then normalized.
fn header_text(content: &[u8], header: &Header<'_>) -> String {
    let raw = content
        .get(header.offset_start as usize..header.offset_end as usize)
        .unwrap_or_default();
    match MessageStream::new(raw).parse_unstructured() {
        HeaderValue::Text(text) => clean_text(&text),
        _ => String::new(),
    }
}

/// Whether every field of a date is within its calendar range (the year is bounded by [`MAX_DATE`]).
fn is_plausible(date: &DateTime) -> bool {
    (1..=12).contains(&date.month)
        && (1..=31).contains(&date.day)
        && date.hour <= 23
        && date.minute <= 59
        && date.second <= 60
        && date.tz_hour <= 23
        && date.tz_minute <= 59
}

/// A header holding one document id.
fn id_header(
    content: &[u8],
    headers: &[Header<'_>],
    name: &str,
) -> Result<Option<DocId>, DocumentError> {
    single(headers, name)?
        .map(|header| {
            header_text(content, header)
                .parse()
                .map_err(|err| malformed(format!("bad {name}: {err}")))
        })
        .transpose()
}
