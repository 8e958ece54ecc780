//! Proof of work: ids with leading zero bits, found by varying the nonce, and difficulties read
//! from moderation decisions.

use crate::document::work::{self, MAX_WORK_BITS, PROGRESS_EVERY};
use crate::{DocId, Document, DocumentBuilder, Limits, Moderation};

fn post() -> DocumentBuilder {
    DocumentBuilder::new("hello")
        .parent(DocId::of(b"thread"))
        .text("a post that costs some work")
        .date(1_700_000_000)
}

#[test]
fn zero_bits_counts_leading_zeros() {
    let mut bytes = [0xff; 32];
    assert_eq!(work::zero_bits(&DocId(bytes)), 0);
    bytes[0] = 0;
    bytes[1] = 0x10;
    assert_eq!(work::zero_bits(&DocId(bytes)), 11);
    assert!(work::meets(&DocId(bytes), 11));
    assert!(!work::meets(&DocId(bytes), 12));
    assert_eq!(work::zero_bits(&DocId([0; 32])), 256);
}

#[test]
fn a_built_document_meets_its_difficulty_and_parses() {
    let author = super::identity(40);
    for bits in [1, 4, 10] {
        let document = post()
            .build_with_work(&author, bits, &mut |_| true)
            .unwrap();
        assert!(work::meets(&document.id(), bits), "{bits} bits");
        let parsed = Document::parse(document.bytes().clone(), &Limits::default()).unwrap();
        assert_eq!(parsed.id(), document.id());
        assert_eq!(
            parsed.body_text().as_deref(),
            Some("a post that costs some work")
        );
        assert_eq!(parsed.semantic_parent(), Some(DocId::of(b"thread")));
        assert!(parsed.header(work::WORK_HEADER).is_some());
    }
}

#[test]
fn no_work_means_the_ordinary_bytes() {
    let author = super::identity(41);
    let plain = post().build(&author);
    let zero = post().build_with_work(&author, 0, &mut |_| true).unwrap();
    assert_eq!(plain.bytes(), zero.bytes());
    assert!(plain.header(work::WORK_HEADER).is_none());
}

#[test]
fn a_caller_header_cannot_pose_as_the_nonce() {
    let author = super::identity(42);
    let document = post()
        .header(work::WORK_HEADER, "0000000000000000")
        .build(&author);
    assert!(document.header(work::WORK_HEADER).is_none());
}

#[test]
fn progress_can_give_up() {
    let author = super::identity(43);
    let mut calls = Vec::new();
    let given_up = post().build_with_work(&author, MAX_WORK_BITS, &mut |n| {
        calls.push(n);
        false
    });
    assert!(given_up.is_none());
    assert_eq!(calls, vec![PROGRESS_EVERY]);
}

#[test]
fn difficulties_are_read_strictly() {
    for good in ["0", "8", "20", "32"] {
        assert!(
            Moderation::from_header(&format!("work {good}")).is_some(),
            "{good}"
        );
    }
    for bad in ["33", "-1", "+8", "", "8 ", "1000", "x"] {
        assert_eq!(
            Moderation::from_header(&format!("work {bad}")),
            None,
            "{bad:?}"
        );
    }
}

#[test]
fn a_difficulty_beyond_the_maximum_is_never_written() {
    let owner = super::identity(44);
    let decision = DocumentBuilder::new("")
        .parent(DocId::of(b"root"))
        .moderation(Moderation::Work(MAX_WORK_BITS + 1))
        .build(&owner);
    assert_eq!(decision.moderation(), None);
}
