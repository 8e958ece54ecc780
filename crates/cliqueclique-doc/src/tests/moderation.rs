//! Moderation decisions: built, parsed, and refused when malformed.

use super::{content_entity, part, sign_content};
use crate::{DocId, Document, DocumentBuilder, DocumentError, Limits, Moderation, NodeId};

#[test]
fn every_decision_round_trips() {
    let owner = super::identity(30);
    let root = DocId::of(b"root");
    let node = NodeId([7; 32]);
    let doc = DocId::of(b"spam");
    for decision in [
        Moderation::AddModerator(node),
        Moderation::RemoveModerator(node),
        Moderation::Hide(doc),
        Moderation::Unhide(doc),
        Moderation::Ban(node),
        Moderation::Unban(node),
        Moderation::Work(0),
        Moderation::Work(20),
        Moderation::Work(crate::document::work::MAX_WORK_BITS),
    ] {
        let built = DocumentBuilder::new("")
            .parent(root)
            .moderation(decision)
            .date(5)
            .build(&owner);
        let parsed = Document::parse(built.bytes().clone(), &Limits::default()).unwrap();
        assert_eq!(parsed.moderation(), Some(decision));
        assert_eq!(
            Moderation::from_header(&decision.header_value()),
            Some(decision)
        );
    }
    // Without a forum to belong to, or beside a revision, the builder leaves it out.
    let orphan = DocumentBuilder::new("")
        .moderation(Moderation::Hide(doc))
        .build(&owner);
    assert_eq!(orphan.moderation(), None);
    let both = DocumentBuilder::new("")
        .parent(root)
        .retracts(doc)
        .moderation(Moderation::Hide(doc))
        .build(&owner);
    assert_eq!(both.moderation(), None);
    assert!(both.retracts().is_some());
    // An extra header cannot forge one.
    let forged = DocumentBuilder::new("")
        .parent(root)
        .header("X-Cc-Moderation", Moderation::Ban(node).header_value())
        .build(&owner);
    assert_eq!(forged.moderation(), None);
}

#[test]
fn malformed_decisions_are_refused() {
    let owner = super::identity(31);
    let text_part = part("content", "text/plain", "aGk=");
    let root = DocId::of(b"root");
    let doc = DocId::of(b"doc");
    let check = |headers: &str| {
        Document::parse(
            sign_content(
                &owner,
                content_entity(&owner, headers, &text_part).as_bytes(),
            ),
            &Limits::default(),
        )
    };
    let malformed = |result: Result<Document, DocumentError>, needle: &str| match result {
        Err(DocumentError::Malformed(reason)) => {
            assert!(reason.contains(needle), "{reason:?} lacks {needle:?}")
        }
        other => panic!("expected malformed ({needle}), got {other:?}"),
    };
    let ok = check(&format!(
        "X-Cc-Parent: {root}\r\nX-Cc-Moderation: hide {doc}\r\n"
    ))
    .unwrap();
    assert_eq!(ok.moderation(), Some(Moderation::Hide(doc)));
    for bad in [
        format!("delete {doc}"),
        "hide".to_owned(),
        "ban not-an-id".to_owned(),
        format!("hide {doc} extra"),
    ] {
        malformed(
            check(&format!(
                "X-Cc-Parent: {root}\r\nX-Cc-Moderation: {bad}\r\n"
            )),
            "action and an id",
        );
    }
    malformed(
        check(&format!("X-Cc-Moderation: hide {doc}\r\n")),
        "needs X-Cc-Parent",
    );
    malformed(
        check(&format!(
            "X-Cc-Parent: {root}\r\nX-Cc-Moderation: hide {doc}\r\nX-Cc-Moderation: hide {doc}\r\n"
        )),
        "more than one X-Cc-Moderation",
    );
    malformed(
        check(&format!(
            "X-Cc-Parent: {root}\r\nX-Cc-Retracts: {doc}\r\nX-Cc-Moderation: hide {doc}\r\n"
        )),
        "no link or revision",
    );
}
