//! The local query language: find documents a node holds by their links, headers, flags and
//! words, in the spirit of the 2011 prototype's query language (`docs/query.md`).
//!
//! ```text
//! tomato* is:unread                 held documents with a word starting "tomato", unread
//! id:ROOT ->                        the comments of ROOT (and documents linked under it)
//! is:bookmarked -> is:unread        unread comments of bookmarked documents
//! subject:"weekly report" <-        what the weekly reports comment on
//! has(-> is:unread) | is:own        documents with an unread comment, or written here
//! ```
//!
//! - [`ast`]: the parsed form and its canonical text.
//! - [`parse`]: text to [`Query`], never panicking, with positioned [`QueryError`]s.
//! - [`eval`]: evaluation over a [`Corpus`] (the daemon's is the node and its FTS5 index).

#![deny(missing_docs)]

pub mod ast;
pub mod error;
pub mod eval;
pub mod parse;

#[cfg(test)]
mod tests;

pub use ast::{Filter, Flag, Query, Sequence, Step, TextField, TextTerm};
pub use error::QueryError;
pub use eval::{Corpus, Facts, evaluate};
pub use parse::{MAX_DEPTH, MAX_QUERY_CHARS, parse};
