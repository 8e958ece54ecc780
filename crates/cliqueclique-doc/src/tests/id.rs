//! Ids, their text form and their serde forms.

use std::collections::BTreeSet;

use crate::{DocId, IdParseError, NodeId};

#[test]
fn display_is_52_lowercase_base32_chars_and_round_trips() {
    for seed in 0..20u8 {
        let id = DocId::of(&[seed]);
        let text = id.to_string();
        assert_eq!(text.len(), 52, "{text}");
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b)),
            "{text}"
        );
        assert_eq!(text.parse::<DocId>(), Ok(id));
        assert_eq!(text.parse::<NodeId>(), Ok(NodeId(id.0)));
    }
}

#[test]
fn known_value() {
    // RFC 4648 base32 of 32 zero bytes, lower-cased.
    assert_eq!(NodeId([0; 32]).to_string(), "a".repeat(52));
    assert_eq!(
        NodeId([0xff; 32]).to_string(),
        format!("{}q", "7".repeat(51))
    );
}

#[test]
fn short_and_debug_show_eight_chars() {
    let id = DocId::of(b"x");
    let text = id.to_string();
    assert_eq!(id.short(), &text[..8]);
    assert_eq!(format!("{id:?}"), &text[..8]);
    assert_eq!(id.as_bytes(), &id.0);
}

#[test]
fn bad_strings_are_rejected() {
    let good = DocId::of(b"x").to_string();
    let cases = [
        (
            "",
            IdParseError::Length {
                expected: 52,
                actual: 0,
            },
        ),
        (
            &good[..51],
            IdParseError::Length {
                expected: 52,
                actual: 51,
            },
        ),
        (
            &format!("{good}a"),
            IdParseError::Length {
                expected: 52,
                actual: 53,
            },
        ),
        (&good.to_ascii_uppercase(), IdParseError::Character),
        (&format!("{}1", &good[..51]), IdParseError::Character),
        (&format!("{}=", &good[..51]), IdParseError::Character),
        // The last character carries 1 bit of the value and 4 padding bits, which must be zero.
        (&format!("{}b", &good[..51]), IdParseError::NonCanonical),
    ];
    for (text, expected) in cases {
        assert_eq!(text.parse::<DocId>(), Err(expected), "{text:?}");
    }
    // A multi-byte character of the right byte length.
    let unicode = format!("é{}", &good[2..]);
    assert_eq!(unicode.len(), 52);
    assert!(unicode.parse::<NodeId>().is_err());
}

#[test]
fn ordering_follows_bytes() {
    let ids: BTreeSet<NodeId> = [[3u8; 32], [1; 32], [2; 32]].map(NodeId).into();
    let sorted: Vec<u8> = ids.iter().map(|id| id.0[0]).collect();
    assert_eq!(sorted, [1, 2, 3]);
}

#[test]
fn serde_json_uses_the_string() {
    let id = DocId::of(b"x");
    let json = serde_json::to_string(&id).unwrap();
    assert_eq!(json, format!("\"{id}\""));
    assert_eq!(serde_json::from_str::<DocId>(&json).unwrap(), id);
    assert!(serde_json::from_str::<DocId>("\"not an id\"").is_err());
    assert!(serde_json::from_str::<DocId>("[1,2,3]").is_err());
}

#[test]
fn postcard_uses_32_raw_bytes() {
    let id = NodeId::from([7u8; 32]);
    let encoded = postcard::to_allocvec(&id).unwrap();
    assert_eq!(encoded, vec![7u8; 32]);
    assert_eq!(postcard::from_bytes::<NodeId>(&encoded).unwrap(), id);
    assert!(postcard::from_bytes::<NodeId>(&encoded[..31]).is_err());

    let pair = (DocId::of(b"a"), Some(DocId::of(b"b")));
    let encoded = postcard::to_allocvec(&pair).unwrap();
    assert_eq!(encoded.len(), 32 + 1 + 32);
    assert_eq!(
        postcard::from_bytes::<(DocId, Option<DocId>)>(&encoded).unwrap(),
        pair
    );
}
