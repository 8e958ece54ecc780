//! Property tests: hostile input never panics, and built documents parse back to their normalized inputs.

use bytes::Bytes;
use proptest::prelude::*;

use super::{content_entity, part, sign_content};
use crate::document::envelope;
use crate::document::mime::{ContentType, clean_text};
use crate::{ContactCard, DocId, Document, DocumentBuilder, Export, Limits, LinkDirection};

/// A random edit of a byte string: flips, insertions, deletions and splices of MIME-ish tokens.
#[derive(Clone, Debug)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let token = prop_oneof![
        prop::collection::vec(any::<u8>(), 1..8),
        Just(b"\r\n".to_vec()),
        Just(b"\r\n\r\n".to_vec()),
        Just(b"--".to_vec()),
        Just(b"\r\n--b\r\n".to_vec()),
        Just(b"=?utf-8?B?".to_vec()),
        Just(b"Content-Type: multipart/mixed; boundary=\"x\"\r\n".to_vec()),
        Just(b"Content-Type: message/rfc822\r\n".to_vec()),
        Just(b"Content-Transfer-Encoding: base64\r\n".to_vec()),
        Just(b"X-Cc-Part-Type: link\r\n".to_vec()),
        Just(b"X-Cc-Link: natural\r\n".to_vec()),
        Just("é".as_bytes().to_vec()),
    ];
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(at, bits)| Edit::Flip(at, bits)),
        (any::<usize>(), token).prop_map(|(at, bytes)| Edit::Insert(at, bytes)),
        (any::<usize>(), 1..64usize).prop_map(|(at, len)| Edit::Delete(at, len)),
    ]
}

fn apply(bytes: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    for edit in edits {
        match edit {
            Edit::Flip(at, bits) if !bytes.is_empty() => {
                let at = at % bytes.len();
                bytes[at] ^= bits;
            }
            Edit::Insert(at, token) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, token.iter().copied());
            }
            Edit::Delete(at, len) if !bytes.is_empty() => {
                let at = at % bytes.len();
                let end = (at + len).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {}
        }
    }
    bytes
}

fn sample_export() -> (Vec<u8>, Document) {
    let identity = super::identity(1);
    let document = super::sample_document(&identity);
    let card = ContactCard::new(&identity, "Ann", vec!["a.b32.i2p".into()], 1);
    (
        Export::new(&identity, card, document.clone()).to_bytes(&identity),
        document,
    )
}

/// A valid content entity with a link, to mutate before re-signing.
fn rich_content(identity: &crate::Identity) -> Vec<u8> {
    let document = DocumentBuilder::new("Grüße")
        .author_name("Zoë")
        .date(99)
        .link(DocId::of(b"a"), DocId::of(b"b"), LinkDirection::Natural)
        .text("hi")
        .attach("m.eml", "message/rfc822", "From: x\r\n\r\nnested")
        .attach("f", "image/png", vec![1u8, 2, 3])
        .build(identity);
    envelope::split(document.bytes()).unwrap().content.to_vec()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = Document::parse(Bytes::from(bytes.clone()), &Limits::default());
        let _ = Export::from_bytes(&bytes, &Limits::default());
        let _ = postcard::from_bytes::<ContactCard>(&bytes);
        let _ = serde_json::from_slice::<ContactCard>(&bytes);
        let mut export = b"cliqueclique-export-v1\n".to_vec();
        export.extend_from_slice(&bytes);
        let _ = Export::from_bytes(&export, &Limits::default());
    }

    #[test]
    fn mutated_documents_are_rejected(edits in prop::collection::vec(edit(), 1..6)) {
        let document = super::sample_document(&super::identity(2));
        let mutated = apply(document.bytes(), &edits);
        match Document::parse(Bytes::from(mutated.clone()), &Limits::default()) {
            Ok(parsed) => prop_assert_eq!(parsed.bytes().as_ref(), document.bytes().as_ref()),
            Err(_) => prop_assert_ne!(mutated.as_slice(), document.bytes().as_ref()),
        }
    }

    #[test]
    fn mutated_exports_are_rejected(edits in prop::collection::vec(edit(), 1..6)) {
        let (bytes, document) = sample_export();
        let mutated = apply(&bytes, &edits);
        if let Ok(export) = Export::from_bytes(&mutated, &Limits::default()) {
            prop_assert_eq!(&mutated, &bytes);
            prop_assert_eq!(export.document.id(), document.id());
        }
    }

    #[test]
    fn mutated_cards_never_panic(edits in prop::collection::vec(edit(), 1..6)) {
        let card = ContactCard::new(&super::identity(3), "Ann", vec!["x".into()], 1);
        let encoded = postcard::to_allocvec(&card).unwrap();
        let mutated = apply(&encoded, &edits);
        if let Ok(decoded) = postcard::from_bytes::<ContactCard>(&mutated)
            && decoded.verify().is_ok()
        {
            prop_assert_eq!(&decoded, &card);
        }
        let json = serde_json::to_vec(&card).unwrap();
        let _ = serde_json::from_slice::<ContactCard>(&apply(&json, &edits));
    }

    /// Hostile content correctly signed by some key reaches the MIME parser: it must not panic.
    #[test]
    fn signed_hostile_content_never_panics(edits in prop::collection::vec(edit(), 1..10)) {
        let identity = super::identity(4);
        let content = apply(&rich_content(&identity), &edits);
        let bytes = sign_content(&identity, &content);
        if let Ok(document) = Document::parse(bytes, &Limits::default()) {
            // Whatever was accepted is self-consistent.
            prop_assert_eq!(document.author(), identity.node_id());
            let _ = (document.body_text(), document.attachments(), document.parts());
        }
    }

    #[test]
    fn signed_random_content_never_panics(
        headers in "[ -~\r\n]{0,200}",
        body in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let identity = super::identity(5);
        let mut content = content_entity(&identity, &headers, &part("content", "text/plain", "aGk=")).into_bytes();
        content.extend_from_slice(&body);
        let _ = Document::parse(sign_content(&identity, &content), &Limits::default());
        let _ = Document::parse(sign_content(&identity, &body), &Limits::default());
    }

    /// Arbitrary text fields come back exactly as the builder documents its normalization.
    #[test]
    fn text_fields_round_trip(
        subject in any::<String>(),
        author_name in any::<String>(),
        header_value in any::<String>(),
        filename in any::<String>(),
        content_type in any::<String>(),
        body in prop::collection::vec(any::<u8>(), 0..300),
        date in any::<u64>(),
    ) {
        let identity = super::identity(6);
        let document = DocumentBuilder::new(subject.clone())
            .author_name(author_name.clone())
            .header("X-Value", header_value.clone())
            .body(content_type.clone(), body.clone())
            .attach(filename.clone(), "application/octet-stream", vec![1u8])
            .date(date)
            .build(&identity);
        let parsed = Document::parse(document.bytes().clone(), &Limits::default()).unwrap();
        prop_assert_eq!(parsed.subject(), expected_text(&subject));
        prop_assert_eq!(parsed.author_name(), expected_text(&author_name));
        prop_assert_eq!(parsed.header("X-Value"), Some(expected_text(&header_value)));
        prop_assert_eq!(parsed.attachments()[0].filename.clone(), expected_text(&filename));
        prop_assert_eq!(parsed.content_type(), ContentType::normalize(&content_type).render());
        prop_assert_eq!(parsed.body(), Bytes::from(body));
        prop_assert_eq!(parsed.date(), date.min(253_402_300_799));
    }

    /// Text full of MIME-significant characters survives header encoding and folding.
    #[test]
    fn tricky_text_fields_round_trip(
        text in "[ \t\r\n\"\\\\=?_a-zA-Z0-9éß€✓()<>,;:@./-]{0,160}",
    ) {
        let document = DocumentBuilder::new(text.clone())
            .author_name(text.clone())
            .header("X-Value", text.clone())
            .attach(text.clone(), "text/plain", Bytes::new())
            .build(&super::identity(8));
        let parsed = Document::parse(document.bytes().clone(), &Limits::default()).unwrap();
        let expected = expected_text(&text);
        prop_assert_eq!(parsed.subject(), expected.as_str());
        prop_assert_eq!(parsed.author_name(), expected.as_str());
        prop_assert_eq!(parsed.header("X-Value"), Some(expected.clone()));
        prop_assert_eq!(parsed.attachments()[0].filename.clone(), expected);
    }

    /// Content types with parameters survive mail-builder and mail-parser, and normalizing is idempotent.
    #[test]
    fn content_types_round_trip(
        main in "[a-zA-Z][a-zA-Z0-9.+-]{0,12}",
        sub in "[a-zA-Z][a-zA-Z0-9.+-]{0,12}",
        params in prop::collection::vec(("[a-zA-Z][a-zA-Z0-9-]{0,8}", any::<String>()), 0..4),
    ) {
        let mut input = format!("{main}/{sub}");
        for (name, value) in &params {
            let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
            input.push_str(&format!("; {name}=\"{quoted}\""));
        }
        let normalized = ContentType::normalize(&input);
        prop_assert_eq!(ContentType::normalize(&normalized.render()), normalized.clone());
        let document = DocumentBuilder::new("ct")
            .body(input.clone(), vec![0u8])
            .build(&super::identity(7));
        let parsed = Document::parse(document.bytes().clone(), &Limits::default()).unwrap();
        prop_assert_eq!(parsed.content_type(), normalized.render());
    }
}

/// The documented normalization of free text, written independently of the crate's `clean_text`.
fn expected_text(input: &str) -> String {
    let mut out = String::new();
    for word in input
        .split(|ch: char| ch.is_control() || ch.is_whitespace())
        .filter(|word| !word.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    debug_assert_eq!(out, clean_text(input));
    out
}
