//! Altered, forged, oversized and hand-made documents are rejected with the right error.

use bytes::Bytes;

use super::{content_entity, part, sign_content};
use crate::document::envelope;
use crate::{DocId, Document, DocumentBuilder, DocumentError, Limits, LinkDirection};

#[track_caller]
fn parse(bytes: impl Into<Bytes>) -> Result<Document, DocumentError> {
    Document::parse(bytes.into(), &Limits::default())
}

#[track_caller]
fn assert_malformed(result: Result<Document, DocumentError>, needle: &str) {
    match result {
        Err(DocumentError::Malformed(reason)) => {
            assert!(reason.contains(needle), "expected {needle:?} in {reason:?}")
        }
        other => panic!("expected Malformed({needle:?}), got {other:?}"),
    }
}

#[test]
fn every_single_byte_change_is_rejected() {
    let identity = super::identity(1);
    let documents = [
        super::sample_document(&identity),
        super::sample_link(&identity, LinkDirection::Reversed),
    ];
    for document in documents {
        let original = document.bytes().to_vec();
        let mut n_bad_signature = 0;
        let mut n_malformed = 0;
        for index in 0..original.len() {
            for flip in [0x01u8, 0x20, 0x80] {
                let mut bytes = original.clone();
                bytes[index] ^= flip;
                match parse(bytes) {
                    Err(DocumentError::BadSignature) => n_bad_signature += 1,
                    Err(DocumentError::Malformed(_)) => n_malformed += 1,
                    other => panic!("byte {index} ^ {flip:#x}: {other:?}"),
                }
            }
        }
        // A changed content byte changes the content hash, so the envelope boundary no longer matches (Malformed);
        // a changed key or signature character that still decodes fails the signature check.
        assert!(n_malformed > 3000, "{n_malformed}");
        assert!(n_bad_signature > 100, "{n_bad_signature}");
    }
}

#[test]
fn truncation_and_junk_are_rejected() {
    let document = super::sample_document(&super::identity(2));
    let bytes = document.bytes().to_vec();
    for end in [0, 1, 10, bytes.len() / 2, bytes.len() - 2, bytes.len() - 1] {
        assert!(parse(bytes[..end].to_vec()).is_err(), "truncated at {end}");
    }
    for (prefix, suffix) in [("", "x"), ("", "\r\n"), (" ", ""), ("\r\n", "")] {
        let mut changed = prefix.as_bytes().to_vec();
        changed.extend_from_slice(&bytes);
        changed.extend_from_slice(suffix.as_bytes());
        assert!(parse(changed).is_err(), "{prefix:?} … {suffix:?}");
    }
    // LF-only line endings, as a careless transport might produce.
    let lf = String::from_utf8(bytes).unwrap().replace("\r\n", "\n");
    assert!(parse(lf).is_err());
}

#[test]
fn parse_expecting_checks_the_id() {
    let document = super::sample_document(&super::identity(3));
    let bytes = document.bytes().clone();
    let ok = Document::parse_expecting(&document.id(), bytes.clone(), &Limits::default());
    assert_eq!(ok.unwrap().id(), document.id());
    let wrong = DocId::of(b"something else");
    assert_eq!(
        Document::parse_expecting(&wrong, bytes, &Limits::default()).unwrap_err(),
        DocumentError::IdMismatch {
            expected: wrong,
            actual: document.id()
        }
    );
}

#[test]
fn oversize_is_rejected_before_parsing() {
    let document = super::sample_document(&super::identity(4));
    let size = document.len();
    let tight = Limits {
        max_document_bytes: size - 1,
        ..Limits::default()
    };
    let too_large = DocumentError::TooLarge {
        size,
        max: size - 1,
    };
    assert_eq!(
        Document::parse(document.bytes().clone(), &tight).unwrap_err(),
        too_large
    );
    assert_eq!(
        Document::parse_expecting(&document.id(), document.bytes().clone(), &tight).unwrap_err(),
        too_large
    );
    let exact = Limits {
        max_document_bytes: size,
        ..Limits::default()
    };
    assert!(Document::parse(document.bytes().clone(), &exact).is_ok());
    // Garbage over the limit is TooLarge, not Malformed: nothing was read.
    let garbage = Bytes::from(vec![b'x'; 2 * 1024 * 1024]);
    assert!(matches!(
        Document::parse(garbage, &Limits::default()),
        Err(DocumentError::TooLarge { .. })
    ));
}

#[test]
fn too_many_parts() {
    let identity = super::identity(5);
    let mut builder = DocumentBuilder::new("parts").text("body");
    for index in 0..4 {
        builder = builder.attach(format!("{index}"), "text/plain", "x");
    }
    let document = builder.build(&identity);
    let limits = Limits {
        max_parts: 3,
        ..Limits::default()
    };
    assert_eq!(
        Document::parse(document.bytes().clone(), &limits).unwrap_err(),
        DocumentError::TooManyParts { count: 5, max: 3 }
    );
    let limits = Limits {
        max_parts: 5,
        ..Limits::default()
    };
    assert!(Document::parse(document.bytes().clone(), &limits).is_ok());
}

#[test]
fn signed_by_a_but_claiming_author_b() {
    let (a, b) = (super::identity(6), super::identity(7));
    let by_b = super::sample_document(&b);
    let content = envelope::split(by_b.bytes()).unwrap().content;

    // A signs B's content with A's own key: the From address names B, so the author does not match.
    assert_malformed(
        parse(sign_content(&a, content)),
        "From address does not match",
    );

    // A signs but the envelope names B's key: the signature does not verify.
    let signature = a.sign(&envelope::signing_message(content));
    let forged = envelope::render(content, &b.public_key(), &signature);
    assert_eq!(parse(forged).unwrap_err(), DocumentError::BadSignature);

    // B's signature moved onto other content.
    let other = super::sample_link(&b, LinkDirection::Natural);
    let other_content = envelope::split(other.bytes()).unwrap().content;
    let signature = envelope::split(by_b.bytes()).unwrap().signature;
    let moved = envelope::render(other_content, &b.public_key(), &signature);
    assert_eq!(parse(moved).unwrap_err(), DocumentError::BadSignature);
}

#[test]
fn hand_made_content_entities() {
    let identity = super::identity(8);
    let text_part = part("content", "text/plain", "aGk=");
    let check = |headers: &str, parts: &str| {
        parse(sign_content(
            &identity,
            content_entity(&identity, headers, parts).as_bytes(),
        ))
    };

    // The minimal valid document.
    let document = check("", &text_part).unwrap();
    assert_eq!(document.body_text().as_deref(), Some("hi"));
    assert_eq!(document.date(), 0);

    let parent = DocId::of(b"p");
    let dup = format!("X-Cc-Parent: {parent}\r\nX-Cc-Parent: {parent}\r\n");
    assert_malformed(check(&dup, &text_part), "more than one X-Cc-Parent");
    assert_malformed(
        check("X-Cc-Parent: nope\r\n", &text_part),
        "bad X-Cc-Parent",
    );
    assert_malformed(
        check("Subject: a\r\nSubject: b\r\n", &text_part),
        "more than one Subject",
    );
    assert_malformed(check("X-Cc-Link: natural\r\n", &text_part), "a link needs");
    assert_malformed(
        check("X-Cc-Link: sideways\r\n", &text_part),
        "natural or reversed",
    );
    assert_malformed(
        check(
            "",
            &format!(
                "{text_part}{}",
                part("link", "application/x-cliqueclique-link", "aGk=")
            ),
        ),
        "link part without X-Cc-Link",
    );
    let link_headers =
        format!("X-Cc-Parent: {parent}\r\nX-Cc-Child: {parent}\r\nX-Cc-Link: natural\r\n");
    assert_malformed(
        check(
            &link_headers,
            &part("link", "application/x-cliqueclique-link", "aGk="),
        ),
        "link part does not match",
    );
    assert_malformed(
        check("", &format!("{text_part}{text_part}")),
        "more than one content part",
    );
    assert_malformed(
        check(
            "",
            "--b\r\nContent-Type: text/plain\r\nX-Cc-Part-Type: content\r\n\r\nhi\r\n",
        ),
        "base64",
    );
    assert_malformed(
        check(
            "",
            "--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\naGk=\r\n",
        ),
        "X-Cc-Part-Type",
    );
    assert_malformed(
        check(
            "",
            "--b\r\nContent-Type: multipart/mixed; boundary=\"c\"\r\n\r\n--c\r\nContent-Type: text/plain\r\n\r\nx\r\n--c--\r\n",
        ),
        "nested",
    );

    // Headers that identify the author or the time must be present and unique.
    let without_from = format!(
        "Date: Thu, 1 Jan 1970 00:00:00 +0000\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n{text_part}--b--\r\n"
    );
    assert_malformed(
        parse(sign_content(&identity, without_from.as_bytes())),
        "From",
    );
    let two_froms = content_entity(
        &identity,
        &format!("From: <{}@cliqueclique.invalid>\r\n", identity.node_id()),
        &text_part,
    );
    assert_malformed(
        parse(sign_content(&identity, two_froms.as_bytes())),
        "more than one From",
    );
    let before_1970 =
        content_entity(&identity, "", &text_part).replace("Thu, 1 Jan 1970", "Wed, 31 Dec 1969");
    assert_malformed(
        parse(sign_content(&identity, before_1970.as_bytes())),
        "Date",
    );
    for bad in [
        "Thu, 1 Jan 1970 24:00:00 +0000",
        "Thu, 0 Jan 1970 00:00:00 +0000",
        "yesterday",
    ] {
        let content = content_entity(&identity, "", &text_part)
            .replace("Thu, 1 Jan 1970 00:00:00 +0000", bad);
        assert_malformed(parse(sign_content(&identity, content.as_bytes())), "Date");
    }

    assert_malformed(
        check("Content-Type: text/plain\r\n", &text_part),
        "more than one Content-Type",
    );

    // Not MIME at all, or not multipart.
    assert_malformed(parse(sign_content(&identity, b"")), "no headers");
    let single = format!(
        "From: <{}@cliqueclique.invalid>\r\nDate: Thu, 1 Jan 1970 00:00:00 +0000\r\nContent-Type: text/plain\r\n\r\nhi",
        identity.node_id()
    );
    assert_malformed(
        parse(sign_content(&identity, single.as_bytes())),
        "multipart/mixed",
    );
}

#[test]
fn unknown_part_types_are_kept_for_newer_versions() {
    let identity = super::identity(9);
    let parts = format!(
        "{}{}",
        part("content", "text/plain", "aGk="),
        part("poll", "application/x-poll", "AAE=")
    );
    let document = parse(sign_content(
        &identity,
        content_entity(&identity, "", &parts).as_bytes(),
    ))
    .unwrap();
    assert_eq!(document.parts()[1].part_type, "poll");
    assert_eq!(document.parts()[1].size, 2);
    assert!(document.attachments().is_empty());
}

#[test]
fn stored_bytes_are_read_back_without_the_signature_check() {
    let document = super::sample_document(&super::identity(9));
    let id = document.id();
    let limits = Limits::default();
    let again = Document::parse_already_verified(&id, document.bytes().clone(), &limits).unwrap();
    assert_eq!(again, document);
    assert_eq!(again.author(), document.author());
    assert_eq!(again.subject(), document.subject());
    assert_eq!(again.body_text(), document.body_text());
    assert_eq!(again.attachments(), document.attachments());

    // The id and the structure are still checked.
    let other = super::sample_document(&super::identity(10));
    assert!(matches!(
        Document::parse_already_verified(&id, other.bytes().clone(), &limits),
        Err(DocumentError::IdMismatch { .. })
    ));
    let truncated = Bytes::copy_from_slice(&document.bytes()[..document.len() - 1]);
    assert!(Document::parse_already_verified(&DocId::of(&truncated), truncated, &limits).is_err());

    // Only the signature is taken on trust: keeping forged bytes out of a store is the entry's job.
    // The signature is the 88 base64 characters before the closing delimiter.
    let original = document.bytes().to_vec();
    let closing = "\r\n--".len() + envelope::boundary_for(b"").len() + "--\r\n".len();
    let signature = original.len() - closing - 88..original.len() - closing;
    let forged = signature
        .map(|index| {
            let mut bytes = original.clone();
            bytes[index] ^= 0x01;
            bytes
        })
        .find(|bytes| matches!(parse(bytes.clone()), Err(DocumentError::BadSignature)))
        .expect("a flipped signature character that still decodes");
    let forged_id = DocId::of(&forged);
    assert!(Document::parse_already_verified(&forged_id, forged.into(), &limits).is_ok());
}
