//! Building and parsing documents: every field survives the round trip.

use bytes::Bytes;

use crate::document::DEFAULT_CONTENT_TYPE;
use crate::{Attachment, DocId, Document, DocumentBuilder, Limits, LinkDirection, PartInfo};

/// Parses the bytes of `document` again, as a peer receiving it would.
#[track_caller]
fn reparse(document: &Document) -> Document {
    let parsed = Document::parse(document.bytes().clone(), &Limits::default()).unwrap();
    assert_eq!(parsed.id(), document.id());
    assert_eq!(parsed.id(), DocId::of(document.bytes()));
    parsed
}

#[test]
fn every_field_round_trips() {
    let identity = super::identity(1);
    let parent = DocId::of(b"parent");
    let built = DocumentBuilder::new("Grüße aus Köln — ünïcödé ✓")
        .author_name("Zoë \"Z\" O'Brien")
        .date(1_700_000_123)
        .parent(parent)
        .text("line one\r\nline two\nno final newline")
        .attach(
            "Größe.txt",
            "text/plain; charset=utf-8",
            "ä".as_bytes().to_vec(),
        )
        .attach(
            "data.bin",
            "application/octet-stream",
            vec![0u8, 1, 2, 0xff, 0xfe],
        )
        .header("X-Directory", "música/rock")
        .header("Forwarded-By", "someone")
        .build(&identity);
    for document in [reparse(&built), built] {
        assert_eq!(document.subject(), "Grüße aus Köln — ünïcödé ✓");
        assert_eq!(document.author_name(), "Zoë \"Z\" O'Brien");
        assert_eq!(document.author(), identity.node_id());
        assert_eq!(document.author_key(), identity.public_key());
        assert_eq!(document.date(), 1_700_000_123);
        assert_eq!(document.parent(), Some(parent));
        assert_eq!(document.child(), None);
        assert_eq!(document.link(), None);
        assert_eq!(document.semantic_parent(), Some(parent));
        assert_eq!(document.semantic_child(), None);
        assert_eq!(document.content_type(), "text/plain; charset=utf-8");
        assert_eq!(
            document.body(),
            Bytes::from_static(b"line one\r\nline two\nno final newline")
        );
        assert_eq!(
            document.body_text().as_deref(),
            Some("line one\r\nline two\nno final newline")
        );
        assert_eq!(
            document.attachments(),
            vec![
                Attachment {
                    filename: "Größe.txt".into(),
                    content_type: "text/plain; charset=utf-8".into(),
                    data: Bytes::from("ä".as_bytes().to_vec()),
                },
                Attachment {
                    filename: "data.bin".into(),
                    content_type: "application/octet-stream".into(),
                    data: Bytes::from_static(&[0, 1, 2, 0xff, 0xfe]),
                },
            ]
        );
        assert_eq!(
            document.parts(),
            vec![
                PartInfo {
                    part_type: "content".into(),
                    content_type: "text/plain; charset=utf-8".into(),
                    filename: None,
                    size: 35,
                },
                PartInfo {
                    part_type: "attachment".into(),
                    content_type: "text/plain; charset=utf-8".into(),
                    filename: Some("Größe.txt".into()),
                    size: 2,
                },
                PartInfo {
                    part_type: "attachment".into(),
                    content_type: "application/octet-stream".into(),
                    filename: Some("data.bin".into()),
                    size: 5,
                },
            ]
        );
        assert_eq!(
            document.header("x-directory").as_deref(),
            Some("música/rock")
        );
        assert_eq!(
            document.header("X-Forwarded-By").as_deref(),
            Some("someone")
        );
        assert_eq!(document.header("x-cc-parent"), Some(parent.to_string()));
        assert_eq!(
            document.header("subject").as_deref(),
            Some("Grüße aus Köln — ünïcödé ✓")
        );
        assert_eq!(document.header("X-Missing"), None);
        assert_eq!(document.len(), document.bytes().len());
    }
}

#[test]
fn binary_body_with_a_non_text_type() {
    let identity = super::identity(2);
    let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let document = reparse(
        &DocumentBuilder::new("picture")
            .date(1)
            .body("image/PNG", data.clone())
            .build(&identity),
    );
    assert_eq!(document.content_type(), "image/png");
    assert_eq!(document.body(), Bytes::from(data));
    assert_eq!(document.body_text(), None);
    assert!(document.attachments().is_empty());
}

#[test]
fn text_in_another_charset_decodes() {
    let identity = super::identity(3);
    let document = reparse(
        &DocumentBuilder::new("latin")
            .body(
                "text/plain; charset=ISO-8859-1",
                vec![b'c', b'a', b'f', 0xe9],
            )
            .build(&identity),
    );
    assert_eq!(document.content_type(), "text/plain; charset=ISO-8859-1");
    assert_eq!(
        document.body(),
        Bytes::from_static(&[b'c', b'a', b'f', 0xe9])
    );
    assert_eq!(document.body_text().as_deref(), Some("café"));
    let invalid = DocumentBuilder::new("bad utf-8")
        .body("text/plain", vec![0xff, 0xfe])
        .build(&identity);
    assert_eq!(invalid.body_text(), None);
    assert_eq!(invalid.body(), Bytes::from_static(&[0xff, 0xfe]));
}

#[test]
fn links_in_both_directions() {
    let identity = super::identity(4);
    let (a, b) = (DocId::of(b"a"), DocId::of(b"b"));
    let natural = reparse(&super::sample_link(&identity, LinkDirection::Natural));
    assert_eq!(natural.link(), Some(LinkDirection::Natural));
    assert_eq!((natural.parent(), natural.child()), (Some(a), Some(b)));
    assert_eq!(natural.semantic_parent(), Some(a));
    assert_eq!(natural.semantic_child(), Some(b));
    assert_eq!(natural.body(), Bytes::new());
    assert_eq!(natural.content_type(), DEFAULT_CONTENT_TYPE);
    assert_eq!(natural.parts().len(), 1);
    assert_eq!(natural.parts()[0].part_type, "link");
    assert!(natural.attachments().is_empty());

    let reversed = reparse(&super::sample_link(&identity, LinkDirection::Reversed));
    assert_eq!(reversed.link(), Some(LinkDirection::Reversed));
    assert_eq!((reversed.parent(), reversed.child()), (Some(a), Some(b)));
    assert_eq!(reversed.semantic_parent(), Some(b));
    assert_eq!(reversed.semantic_child(), Some(a));
    assert_ne!(natural.id(), reversed.id());
}

#[test]
fn link_with_a_comment() {
    let identity = super::identity(5);
    let document = reparse(
        &DocumentBuilder::new("see also")
            .link(DocId::of(b"a"), DocId::of(b"b"), LinkDirection::Natural)
            .text("this belongs here")
            .build(&identity),
    );
    assert_eq!(document.body_text().as_deref(), Some("this belongs here"));
    assert_eq!(document.link(), Some(LinkDirection::Natural));
}

#[test]
fn child_without_link_has_no_semantic_child() {
    let identity = super::identity(6);
    let document = reparse(
        &DocumentBuilder::new("odd")
            .child(DocId::of(b"c"))
            .build(&identity),
    );
    assert_eq!(document.child(), Some(DocId::of(b"c")));
    assert_eq!(document.parent(), None);
    assert_eq!(document.semantic_parent(), None);
    assert_eq!(document.semantic_child(), None);
}

#[test]
fn empty_document() {
    let identity = super::identity(7);
    let document = reparse(&DocumentBuilder::default().build(&identity));
    assert_eq!(document.subject(), "");
    assert_eq!(document.author_name(), "");
    assert_eq!(document.date(), 0);
    assert_eq!(document.body(), Bytes::new());
    assert_eq!(document.body_text().as_deref(), Some(""));
    assert!(document.parts().is_empty());
    assert_eq!(document.parent(), None);
}

#[test]
fn empty_body_and_empty_attachment() {
    let identity = super::identity(8);
    let document = reparse(
        &DocumentBuilder::new("empty parts")
            .text("")
            .attach("", "", Bytes::new())
            .build(&identity),
    );
    assert_eq!(document.parts().len(), 2);
    assert_eq!(document.body(), Bytes::new());
    assert_eq!(document.body_text().as_deref(), Some(""));
    let attachment = &document.attachments()[0];
    assert_eq!(attachment.filename, "");
    assert_eq!(attachment.content_type, "application/octet-stream");
    assert!(attachment.data.is_empty());
}

#[test]
fn header_values_are_sanitized() {
    let identity = super::identity(9);
    let document = reparse(
        &DocumentBuilder::new("evil\r\nBcc: victim@example.org\r\n\r\nbody")
            .author_name("a\nb")
            .header("X-Evil\r\nInjected", "v\r\nX-Cc-Parent: aaaa")
            .header("X-Cc-Parent", DocId::of(b"forged").to_string())
            .header("", "nameless")
            .build(&identity),
    );
    assert_eq!(document.subject(), "evil Bcc: victim@example.org body");
    assert_eq!(document.author_name(), "a b");
    assert_eq!(document.header("Bcc"), None);
    assert_eq!(
        document.header("X-EvilInjected").as_deref(),
        Some("v X-Cc-Parent: aaaa")
    );
    assert_eq!(document.parent(), None);
    assert_eq!(document.header("X-Cc-Parent"), None);
}

#[test]
fn content_types_are_normalized() {
    let identity = super::identity(10);
    let cases = [
        ("text/plain", "text/plain"),
        ("TEXT/HTML; Charset=UTF-8", "text/html; charset=UTF-8"),
        (
            "application/x-thing; a=\"b c\"; d=e",
            "application/x-thing; a=\"b c\"; d=e",
        ),
        ("multipart/mixed; boundary=zzz", "application/octet-stream"),
        ("nonsense", "application/octet-stream"),
        ("", "application/octet-stream"),
        ("message/rfc822", "message/rfc822"),
    ];
    for (input, expected) in cases {
        let document = reparse(
            &DocumentBuilder::new("ct")
                .body(input, Bytes::from_static(b"From: x\r\n\r\nhi"))
                .build(&identity),
        );
        assert_eq!(document.content_type(), expected, "{input:?}");
        assert_eq!(document.body(), Bytes::from_static(b"From: x\r\n\r\nhi"));
    }
}

#[test]
fn dates_are_kept_and_clamped() {
    let identity = super::identity(11);
    for (date, expected) in [
        (0, 0),
        (1, 1),
        (951_782_400, 951_782_400),     // 2000-02-29
        (4_102_444_800, 4_102_444_800), // 2100-01-01
        (253_402_300_799, 253_402_300_799),
        (253_402_300_800, 253_402_300_799),
        (u64::MAX, 253_402_300_799),
    ] {
        let document = reparse(&DocumentBuilder::new("d").date(date).build(&identity));
        assert_eq!(document.date(), expected, "{date}");
    }
}

#[test]
fn same_content_same_identity_both_verify() {
    let identity = super::identity(12);
    let first = super::sample_document(&identity);
    let second = super::sample_document(&identity);
    reparse(&first);
    reparse(&second);
    // The builder is deterministic, so the ids happen to be equal too.
    assert_eq!(first.id(), second.id());
    // Another author's identical post is a different document.
    assert_ne!(
        first.id(),
        super::sample_document(&super::identity(13)).id()
    );
}

#[test]
fn no_host_name_or_clock_leaks() {
    let identity = super::identity(14);
    let document = DocumentBuilder::new("x").date(86_400).build(&identity);
    let text = String::from_utf8_lossy(document.bytes()).into_owned();
    let message_id = document.header("Message-ID").unwrap();
    assert!(
        message_id.ends_with("@cliqueclique.invalid>"),
        "{message_id}"
    );
    assert!(
        text.contains("Date: Fri, 2 Jan 1970 00:00:00 +0000\r\n"),
        "{text}"
    );
    assert!(!text.contains("localhost"), "{text}");
    let bytes = document.bytes();
    let bare_lf = (0..bytes.len()).any(|i| bytes[i] == b'\n' && (i == 0 || bytes[i - 1] != b'\r'));
    assert!(!bare_lf, "bare LF in {text}");
}

#[test]
fn many_attachments_and_large_bodies() {
    let identity = super::identity(15);
    let mut builder = DocumentBuilder::new("many").text("x".repeat(200_000));
    for index in 0..40 {
        builder = builder.attach(
            format!("f{index}"),
            "application/octet-stream",
            vec![index as u8; index * 100],
        );
    }
    let document = reparse(&builder.build(&identity));
    assert_eq!(document.parts().len(), 41);
    for (index, attachment) in document.attachments().iter().enumerate() {
        assert_eq!(attachment.filename, format!("f{index}"));
        assert_eq!(attachment.data, Bytes::from(vec![index as u8; index * 100]));
    }
}

#[test]
fn limits_serde_defaults() {
    let limits: Limits = serde_json::from_str("{}").unwrap();
    assert_eq!(limits, Limits::default());
    assert_eq!(limits.max_document_bytes, 1024 * 1024);
    assert_eq!(limits.max_parts, 64);
    let limits: Limits = serde_json::from_str(r#"{"max_parts": 3}"#).unwrap();
    assert_eq!(limits.max_parts, 3);
    assert_eq!(limits.max_document_bytes, 1024 * 1024);
}

#[test]
fn link_direction_serde() {
    assert_eq!(
        serde_json::to_string(&LinkDirection::Reversed).unwrap(),
        "\"reversed\""
    );
    assert_eq!(
        serde_json::from_str::<LinkDirection>("\"natural\"").unwrap(),
        LinkDirection::Natural
    );
}
