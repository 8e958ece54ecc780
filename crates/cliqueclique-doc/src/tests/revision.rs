//! Revisions: a document that retracts or supersedes an earlier one, built, parsed and refused.

use super::{content_entity, part, sign_content};
use crate::{DocId, Document, DocumentBuilder, DocumentError, Limits, LinkDirection, Revision};

fn parse(bytes: impl Into<bytes::Bytes>) -> Result<Document, DocumentError> {
    Document::parse(bytes.into(), &Limits::default())
}

#[test]
fn retraction_and_supersession_round_trip() {
    let ann = super::identity(20);
    let target = DocId::of(b"original");
    let parent = DocId::of(b"parent");

    let retraction = DocumentBuilder::new("")
        .date(1_700_000_100)
        .parent(parent)
        .retracts(target)
        .build(&ann);
    let parsed = parse(retraction.bytes().clone()).unwrap();
    assert_eq!(parsed.revision(), Some(Revision::Retracts(target)));
    assert_eq!(parsed.retracts(), Some(target));
    assert_eq!(parsed.supersedes(), None);
    assert_eq!(parsed.revision().map(|r| r.target()), Some(target));
    assert_eq!(parsed.semantic_parent(), Some(parent));

    let edit = DocumentBuilder::new("better subject")
        .date(1_700_000_200)
        .parent(parent)
        .supersedes(target)
        .text("the new text")
        .build(&ann);
    let parsed = parse(edit.bytes().clone()).unwrap();
    assert_eq!(parsed.revision(), Some(Revision::Supersedes(target)));
    assert_eq!(parsed.supersedes(), Some(target));
    assert_eq!(parsed.retracts(), None);
    assert_eq!(parsed.body_text().as_deref(), Some("the new text"));

    // The headers are structural: extra headers cannot forge or duplicate them.
    let sneaky = DocumentBuilder::new("")
        .header("X-Cc-Retracts", target.to_string())
        .header("X-Cc-Supersedes", target.to_string())
        .build(&ann);
    assert_eq!(sneaky.revision(), None);

    // A link document cannot revise: the builder leaves the revision out.
    let link = DocumentBuilder::new("")
        .link(parent, target, LinkDirection::Natural)
        .retracts(target)
        .build(&ann);
    assert_eq!(link.revision(), None);
    assert!(link.link().is_some());
}

#[test]
fn a_revision_enters_the_fingerprint() {
    // Two documents differing only in their revision get different Message-IDs and boundaries.
    let ann = super::identity(21);
    let plain = DocumentBuilder::new("s").date(5).text("t").build(&ann);
    let message_id = plain.header("Message-ID").unwrap();
    let with = DocumentBuilder::new("s")
        .date(5)
        .text("t")
        .supersedes(DocId::of(b"x"))
        .build(&ann);
    assert_ne!(with.header("Message-ID").unwrap(), message_id);
    assert_eq!(plain.revision(), None);
}

#[test]
fn malformed_revisions_are_refused() {
    let ann = super::identity(22);
    let text_part = part("content", "text/plain", "aGk=");
    let check = |headers: &str, parts: &str| {
        parse(sign_content(
            &ann,
            content_entity(&ann, headers, parts).as_bytes(),
        ))
    };
    let target = DocId::of(b"t");
    let malformed = |result: Result<Document, DocumentError>, needle: &str| match result {
        Err(DocumentError::Malformed(reason)) => {
            assert!(reason.contains(needle), "{reason:?} lacks {needle:?}")
        }
        other => panic!("expected malformed ({needle}), got {other:?}"),
    };

    let ok = check(&format!("X-Cc-Retracts: {target}\r\n"), &text_part).unwrap();
    assert_eq!(ok.retracts(), Some(target));
    malformed(
        check(
            &format!("X-Cc-Retracts: {target}\r\nX-Cc-Retracts: {target}\r\n"),
            &text_part,
        ),
        "more than one X-Cc-Retracts",
    );
    malformed(
        check("X-Cc-Supersedes: not-an-id\r\n", &text_part),
        "bad X-Cc-Supersedes",
    );
    malformed(
        check(
            &format!("X-Cc-Retracts: {target}\r\nX-Cc-Supersedes: {target}\r\n"),
            &text_part,
        ),
        "cannot be combined",
    );
    let link_headers = format!(
        "X-Cc-Parent: {target}\r\nX-Cc-Child: {target}\r\nX-Cc-Link: natural\r\nX-Cc-Retracts: {target}\r\n"
    );
    malformed(
        check(
            &link_headers,
            &part("link", "application/x-cliqueclique-link", "aGk="),
        ),
        "link document cannot revise",
    );
}
