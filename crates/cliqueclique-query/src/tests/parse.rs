//! The parser: accepted forms, every error with its position, canonical text round trip, and
//! no panic on any input.

use proptest::prelude::*;

use crate::ast::{Filter, Flag, Step, TextField, TextTerm};
use crate::error::QueryError;
use crate::parse::{MAX_DEPTH, MAX_QUERY_CHARS, parse};

#[test]
fn steps_terms_fields_and_flags() {
    let q = parse("tomato* is:unread -> <- > < subject:\"weekly report\" header.x-cc-dir:level")
        .unwrap();
    let steps = &q.alternatives[0].steps;
    assert_eq!(
        steps[0],
        Step::Filter(Filter::Text(TextTerm {
            text: "tomato".into(),
            prefix: true,
            field: None
        }))
    );
    assert_eq!(steps[1], Step::Filter(Filter::Flag(Flag::Unread)));
    assert_eq!(
        &steps[2..6],
        &[
            Step::Children,
            Step::Parents,
            Step::StructuralChildren,
            Step::StructuralParents
        ]
    );
    assert_eq!(
        steps[6],
        Step::Filter(Filter::Text(TextTerm {
            text: "weekly report".into(),
            prefix: false,
            field: Some(TextField::Subject)
        }))
    );
    assert_eq!(
        steps[7],
        Step::Filter(Filter::Header {
            name: "x-cc-dir".into(),
            value: "level".into()
        })
    );
    let q = parse("has(-> is:unread) | !is:read (a | b)").unwrap();
    assert_eq!(q.alternatives.len(), 2);
    assert!(matches!(q.alternatives[0].steps[0], Step::Has(_)));
    assert!(matches!(q.alternatives[1].steps[0], Step::Not(_)));
    assert!(matches!(q.alternatives[1].steps[1], Step::Group(_)));
    // Words may contain dashes; `->` ends a word.
    let q = parse("well-known").unwrap();
    assert_eq!(q.alternatives[0].steps.len(), 1, "{q}");
    for text in ["well-known->", "well-known ->"] {
        let q = parse(text).unwrap();
        assert_eq!(q.alternatives[0].steps[1], Step::Children, "{q}");
    }
}

#[test]
fn mistakes_are_reported_with_their_position() {
    let cases: Vec<(&str, QueryError)> = vec![
        ("", QueryError::Empty),
        ("   ", QueryError::Empty),
        ("\"open", QueryError::UnclosedQuote { at: 1 }),
        ("a (b", QueryError::UnclosedParen { at: 3 }),
        ("has(b", QueryError::UnclosedParen { at: 1 }),
        ("a)", QueryError::UnmatchedParen { at: 2 }),
        (
            "a |",
            QueryError::Expected {
                at: 4,
                expected: "a word, a flag such as is:unread, or a step such as ->",
            },
        ),
        (
            "| a",
            QueryError::Expected {
                at: 1,
                expected: "a word, a flag such as is:unread, or a step such as ->",
            },
        ),
        (
            "a !",
            QueryError::Expected {
                at: 4,
                expected: "a step after `!`",
            },
        ),
        (
            "is:fresh",
            QueryError::UnknownFlag {
                at: 1,
                name: "fresh".into(),
            },
        ),
        (
            "x colour:red",
            QueryError::UnknownField {
                at: 3,
                field: "colour".into(),
            },
        ),
        (
            "id:nope",
            QueryError::BadId {
                at: 1,
                text: "nope".into(),
            },
        ),
        (
            "subject:",
            QueryError::EmptyTerm {
                at: 1,
                text: "subject:".into(),
            },
        ),
        (
            "*",
            QueryError::EmptyTerm {
                at: 1,
                text: "".into(),
            },
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(parse(text), Err(expected), "{text:?}");
    }
    let deep = format!(
        "{}a{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    assert!(matches!(parse(&deep), Err(QueryError::TooDeep { .. })));
    let long = "a ".repeat(MAX_QUERY_CHARS);
    assert!(matches!(parse(&long), Err(QueryError::TooLong { .. })));
    // Messages tell what to do.
    let message = parse("is:fresh").unwrap_err().to_string();
    assert!(message.contains("is:bookmarked"), "{message}");
}

proptest! {
    /// Any input: no panic, and whatever parses prints as text that parses to the same query.
    #[test]
    fn any_input_parses_or_fails_cleanly(text in "[a-z:*\"\\\\()|!<>\\- .é]{0,40}") {
        if let Ok(query) = parse(&text) {
            let printed = query.to_string();
            prop_assert_eq!(parse(&printed), Ok(query), "printed as {}", printed);
        }
    }

    /// Arbitrary unicode never panics either.
    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,60}") {
        let _ = parse(&text);
    }
}

#[test]
fn errors_tell_their_position() {
    let at = |text: &str| parse(text).err().map(|e| e.position());
    assert_eq!(at("ripe colour:x"), Some(Some(6)));
    assert_eq!(at("(ripe"), Some(Some(1)));
    assert_eq!(at("jam is:fresh"), Some(Some(5)));
    assert_eq!(at("   "), Some(None), "an empty query has no position");
    assert_eq!(at("ripe"), None);
}
