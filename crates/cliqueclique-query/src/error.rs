//! Why a query was refused: one variant per mistake, each with the character position (counted
//! from 1) and a message that says what to write instead.

/// A query that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// Nothing but spaces.
    #[error("the query is empty: type words to search for, or a step such as `is:bookmarked ->`")]
    Empty,
    /// Longer than [`crate::MAX_QUERY_CHARS`].
    #[error("the query has {len} characters; at most {max} are allowed")]
    TooLong {
        /// Its length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Parentheses, `has(…)` and `!` nested deeper than [`crate::MAX_DEPTH`].
    #[error("at character {at}: nesting deeper than {max} levels")]
    TooDeep {
        /// Where.
        at: usize,
        /// The limit.
        max: usize,
    },
    /// A quoted string without its closing quote.
    #[error("at character {at}: the quoted text is not closed: add a `\"`")]
    UnclosedQuote {
        /// Where the quote opened.
        at: usize,
    },
    /// A `(` or `has(` without its `)`.
    #[error("at character {at}: this `(` is not closed: add a `)`")]
    UnclosedParen {
        /// Where it opened.
        at: usize,
    },
    /// A `)` without a `(`.
    #[error("at character {at}: there is no `(` for this `)`")]
    UnmatchedParen {
        /// Where.
        at: usize,
    },
    /// Something is missing before the end of the query or a `|` or `)`.
    #[error("at character {at}: expected {expected}")]
    Expected {
        /// Where.
        at: usize,
        /// What was expected.
        expected: &'static str,
    },
    /// `is:` with a name that is not a flag.
    #[error(
        "at character {at}: `{name}` is not a flag; use one of is:read, is:unread, is:bookmarked, is:subscribed, is:own, is:link"
    )]
    UnknownFlag {
        /// Where.
        at: usize,
        /// The name given.
        name: String,
    },
    /// `FIELD:` with an unknown field.
    #[error(
        "at character {at}: `{field}:` is not a field; use subject:, body:, author:, is:, id: or header.NAME: (or quote the word)"
    )]
    UnknownField {
        /// Where.
        at: usize,
        /// The field given.
        field: String,
    },
    /// `id:` with something that is not a document id.
    #[error("at character {at}: `{text}` is not a document id (52 base32 characters)")]
    BadId {
        /// Where.
        at: usize,
        /// The text given.
        text: String,
    },
    /// `FIELD:` with nothing after it, or a term with no letter or digit.
    #[error(
        "at character {at}: `{text}` has nothing to match; put a word or a quoted phrase there"
    )]
    EmptyTerm {
        /// Where.
        at: usize,
        /// The text given.
        text: String,
    },
}

impl QueryError {
    /// The character position (from 1) of the mistake, if it has one (an empty or too long
    /// query has none). A search box uses it to point at the mistake.
    pub fn position(&self) -> Option<usize> {
        match self {
            QueryError::Empty | QueryError::TooLong { .. } => None,
            QueryError::TooDeep { at, .. }
            | QueryError::UnclosedQuote { at }
            | QueryError::UnclosedParen { at }
            | QueryError::UnmatchedParen { at }
            | QueryError::Expected { at, .. }
            | QueryError::UnknownFlag { at, .. }
            | QueryError::UnknownField { at, .. }
            | QueryError::BadId { at, .. }
            | QueryError::EmptyTerm { at, .. } => Some(*at),
        }
    }
}
