//! The wire codec: round trips, limits, and hostile bytes.

use crate::message::{Advert, Batch, Part, Rank, WIRE_VERSION, WireError};
use bytes::Bytes;
use cliqueclique_doc::{DocId, NodeId};
use proptest::prelude::*;

fn sample() -> Batch {
    let doc = DocId([3; 32]);
    Batch {
        from: NodeId([1; 32]),
        to: NodeId([2; 32]),
        parts: vec![
            Part::Update {
                doc,
                serial: 7,
                advert: Advert {
                    center: NodeId([9; 32]),
                    rank: Rank {
                        subscribed: true,
                        author: false,
                    },
                    seq: 4,
                    dist: 2,
                    flags: Advert::SUBSCRIBED | Advert::WANTED,
                },
                body: Some(Bytes::from_static(b"body")),
                thread: None,
            },
            Part::Ack {
                doc,
                serial: 3,
                has_body: true,
            },
            Part::NeedBody { doc },
            Part::Goodbye {
                doc,
                serial: 4,
                suggestions: Vec::new(),
            },
            Part::Decline {
                doc,
                serial: 2,
                held: true,
                parent_serial: 1,
                suggestions: vec![],
            },
            Part::GoodbyeAck { doc },
            Part::SeqRequest {
                doc,
                center: NodeId([9; 32]),
                seq: 5,
            },
        ],
    }
}

#[test]
fn round_trip() {
    let batch = sample();
    let bytes = batch.encode();
    assert_eq!(bytes[0], WIRE_VERSION);
    assert_eq!(bytes.len(), batch.encoded_len());
    assert_eq!(Batch::decode(&bytes, 1 << 20), Ok(batch));
}

#[test]
fn ids_are_compact_on_the_wire() {
    let batch = Batch {
        from: NodeId([1; 32]),
        to: NodeId([2; 32]),
        parts: vec![Part::NeedBody {
            doc: DocId([3; 32]),
        }],
    };
    // Version, two node ids, the part count and tag, one doc id: no base32 text.
    assert!(
        batch.encode().len() <= 1 + 32 * 3 + 4,
        "{}",
        batch.encode().len()
    );
}

#[test]
fn oversize_is_rejected_before_parsing() {
    let bytes = sample().encode();
    assert_eq!(
        Batch::decode(&bytes, 10),
        Err(WireError::TooLarge {
            size: bytes.len(),
            max: 10
        })
    );
}

#[test]
fn bad_version_empty_and_trailing_bytes_are_rejected() {
    let mut bytes = sample().encode();
    assert_eq!(Batch::decode(&[], 100), Err(WireError::Empty));
    bytes.push(0);
    assert!(matches!(
        Batch::decode(&bytes, 1 << 20),
        Err(WireError::Malformed(_))
    ));
    bytes[0] = 99;
    assert_eq!(Batch::decode(&bytes, 1 << 20), Err(WireError::Version(99)));
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = Batch::decode(&bytes, 1 << 20);
        let mut with_version = vec![WIRE_VERSION];
        with_version.extend(&bytes);
        let _ = Batch::decode(&with_version, 1 << 20);
    }

    #[test]
    fn mutated_batches_never_panic(pos in 0usize..400, byte in any::<u8>()) {
        let mut bytes = sample().encode();
        let i = pos % bytes.len();
        bytes[i] = byte;
        let _ = Batch::decode(&bytes, 1 << 20);
    }
}

/// A record of the previous layout (version 1, without the trailing `thread_via`) still reads,
/// as a subscription without a thread claim; a record of this layout keeps its claim.
#[test]
fn subscription_records_of_the_previous_layout_still_read() {
    use crate::subscription::{Flags, RECORD_VERSION, Subscription};
    let mut sub = Subscription::new(NodeId([1; 32]), DocId([2; 32]), None, Flags::default());
    sub.serial = 77;
    let current = sub.encode_record();
    assert_eq!(current[0], RECORD_VERSION);
    assert_eq!(
        *current.last().unwrap(),
        0,
        "an absent claim is one zero byte"
    );
    let mut old = current[..current.len() - 1].to_vec();
    old[0] = 1;
    let read = Subscription::decode_record(&old).expect("a version 1 record");
    assert_eq!(
        (read.doc, read.serial, read.thread_via),
        (sub.doc, 77, None)
    );
    sub.thread_via = Some(DocId([9; 32]));
    let read = Subscription::decode_record(&sub.encode_record()).expect("a version 2 record");
    assert_eq!(read.thread_via, Some(DocId([9; 32])));
    assert!(
        Subscription::decode_record(&[3, 0]).is_err(),
        "an unknown version"
    );
}
