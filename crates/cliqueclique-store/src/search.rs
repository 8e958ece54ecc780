//! Full-text search over the documents a local node holds (SQLite FTS5).
//!
//! The `search` table (schema step `0003_search.sql`) indexes each body in `documents` once, by
//! the body's rowid: its subject, its text (for `text/*` content) and its author (node id and
//! name). A body is indexed when it is inserted ([`index`], called by the store), and leaves the
//! index with the body (a trigger). Bodies stored before the step are indexed by [`backfill`],
//! which runs after every migration and indexes whatever has no row yet, so an interrupted
//! backfill finishes at the next open.
//!
//! Searches take plain terms, never raw FTS5 syntax: each term is quoted, so no user input can
//! make the MATCH expression fail to parse.

use cliqueclique_doc::{DocId, Document, Limits, NodeId};
use rusqlite::{Connection, params};

use crate::codec::id_bytes;
use crate::database::Database;
use crate::error::StoreError;

/// One full-text term of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The word or phrase (several words match as a phrase).
    pub text: String,
    /// Match words that start with the text.
    pub prefix: bool,
    /// Only in this column (`subject`, `body` or `author`); all columns when `None`.
    pub column: Option<Column>,
}

/// A column of the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The subject line.
    Subject,
    /// The text of the content.
    Body,
    /// The author's node id and name.
    Author,
}

impl Column {
    fn as_str(self) -> &'static str {
        match self {
            Column::Subject => "subject",
            Column::Body => "body",
            Column::Author => "author",
        }
    }
}

/// Indexes a body just inserted into `documents` with `rowid`.
pub(crate) fn index(conn: &Connection, rowid: i64, doc: &Document) -> rusqlite::Result<()> {
    let author = format!("{} {}", doc.author(), doc.author_name());
    conn.prepare_cached(
        "INSERT INTO search (rowid, subject, body, author) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        rowid,
        doc.subject(),
        doc.body_text().unwrap_or_default(),
        author.trim_end()
    ])?;
    Ok(())
}

/// Indexes every body that has no index row yet; returns how many were indexed. Bodies that no
/// longer parse are skipped (and stay unsearchable).
pub(crate) fn backfill(conn: &Connection) -> rusqlite::Result<usize> {
    let rows: Vec<(i64, Vec<u8>, Vec<u8>)> = conn
        .prepare(
            "SELECT rowid, id, bytes FROM documents WHERE rowid NOT IN (SELECT rowid FROM search)",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut indexed = 0;
    for (rowid, id, bytes) in rows {
        // Stored bodies were verified when they were stored.
        let id = DocId(id_bytes(&id).unwrap_or_default());
        match Document::parse_already_verified(&id, bytes.into(), &Limits::unlimited()) {
            Ok(doc) => {
                index(conn, rowid, &doc)?;
                indexed += 1;
            }
            Err(error) => {
                tracing::warn!(rowid, %error, "a stored body does not parse; not indexed")
            }
        }
    }
    if indexed > 0 {
        tracing::info!(indexed, "search index backfilled");
    }
    Ok(indexed)
}

/// The FTS5 expression of the terms: every term quoted (so any input is valid), all required.
fn expression(terms: &[Term]) -> String {
    terms
        .iter()
        .map(|term| {
            let quoted = format!("\"{}\"", term.text.replace('"', "\"\""));
            let star = if term.prefix { "*" } else { "" };
            match term.column {
                Some(column) => format!("{} : {quoted}{star}", column.as_str()),
                None => format!("{quoted}{star}"),
            }
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

impl Database {
    /// The documents held by local node `node` that match every term, best match first, at most
    /// `limit`. No terms match nothing.
    pub fn search(
        &self,
        node: &NodeId,
        terms: &[Term],
        limit: usize,
    ) -> Result<Vec<DocId>, StoreError> {
        let terms: Vec<Term> = terms
            .iter()
            .filter(|t| t.text.chars().any(char::is_alphanumeric))
            .cloned()
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let shared = self.lock();
        let ids: Vec<Vec<u8>> = shared
            .conn
            .prepare_cached(
                "SELECT documents.id FROM search
                 JOIN documents ON documents.rowid = search.rowid
                 JOIN holdings ON holdings.doc = documents.id AND holdings.node = ?1
                 WHERE search MATCH ?2
                 ORDER BY search.rank
                 LIMIT ?3",
            )
            .and_then(|mut statement| {
                statement
                    .query_map(
                        params![
                            node.as_bytes(),
                            expression(&terms),
                            i64::try_from(limit).unwrap_or(i64::MAX)
                        ],
                        |row| row.get(0),
                    )?
                    .collect()
            })
            .map_err(StoreError::sqlite("search"))?;
        Ok(ids
            .iter()
            .filter_map(|id| id_bytes(id).map(DocId))
            .collect())
    }
}
