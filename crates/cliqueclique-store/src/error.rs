//! Errors, one type per kind of operation: opening, store access, transactions, local nodes.
//!
//! Messages say what went wrong and, where the user can act, what to do.

use cliqueclique_doc::NodeId;
use std::path::PathBuf;

/// Why [`Database::open`](crate::Database::open) refused or failed.
///
/// The refusals ([`OpenError::NewerVersion`], [`OpenError::Corrupt`], [`OpenError::Foreign`])
/// leave the file exactly as it was.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// The data directory could not be created or the file could not be read.
    #[error("cannot access the database at {}: {source}", path.display())]
    Io {
        /// The database file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// SQLite could not open or configure the file (permissions, locks, a full disk).
    #[error("cannot open the database at {}: {source}", path.display())]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: rusqlite::Error,
    },
    /// The file was written by a newer cliqueclique with a schema this build does not know.
    #[error(
        "the database at {} was written by a newer cliqueclique (schema {found}, this build supports {supported}): \
         upgrade cliqueclique or point --data-dir elsewhere",
        path.display()
    )]
    NewerVersion {
        /// The database file.
        path: PathBuf,
        /// The schema version found in the file.
        found: u32,
        /// The newest schema version this build knows.
        supported: u32,
    },
    /// The file is not a SQLite database or fails SQLite's integrity check.
    #[error(
        "the database at {} is damaged ({detail}): it was left untouched; \
         restore it from a backup, or move it away to start afresh",
        path.display()
    )]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What SQLite reported.
        detail: String,
    },
    /// The file is a SQLite database of some other application.
    #[error(
        "the file at {} is a SQLite database of another application ({detail}): \
         it was left untouched; point --data-dir elsewhere",
        path.display()
    )]
    Foreign {
        /// The database file.
        path: PathBuf,
        /// Why it is not ours.
        detail: String,
    },
    /// A schema migration failed; the step was rolled back and the file keeps the older schema.
    #[error(
        "upgrading the database at {} to schema {version} failed: {source}; the database keeps its older schema",
        path.display()
    )]
    Migration {
        /// The database file.
        path: PathBuf,
        /// The schema version the failing step leads to.
        version: u32,
        /// The underlying error.
        #[source]
        source: rusqlite::Error,
    },
}

/// A failed database operation behind a [`SqliteStore`](crate::SqliteStore) method or an
/// installation query.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// SQLite failed.
    #[error("database operation `{op}` failed: {source}")]
    Sqlite {
        /// The operation, named after the method.
        op: &'static str,
        /// The underlying error.
        #[source]
        source: rusqlite::Error,
    },
    /// A record could not be encoded.
    #[error("encoding a record for `{op}` failed: {source}")]
    Encode {
        /// The operation, named after the method.
        op: &'static str,
        /// The underlying error.
        #[source]
        source: postcard::Error,
    },
}

/// Why beginning, committing or rolling back a transaction failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransactionError {
    /// `begin` was called while a transaction was open.
    #[error("a transaction is already open")]
    AlreadyOpen,
    /// `commit` or `rollback` was called without an open transaction.
    #[error("no transaction is open")]
    NotOpen,
    /// A store operation failed while the transaction was open (or before it began, unnoticed):
    /// the transaction was rolled back, and the node's memory no longer matches the database.
    #[error("a store operation failed, so the transaction was rolled back: {0}")]
    Store(#[source] StoreError),
    /// `BEGIN`, `COMMIT` or `ROLLBACK` itself failed (a full disk, an IO error); a failed commit
    /// was rolled back.
    #[error("the transaction failed: {0}")]
    Sqlite(#[source] rusqlite::Error),
}

/// Why creating or looking up a local node failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NodeError {
    /// A local node with this id already exists.
    #[error("local node {0} already exists")]
    Exists(NodeId),
    /// No local node with this id exists.
    #[error("no local node {0} in this installation")]
    Unknown(NodeId),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl StoreError {
    /// Wraps a SQLite error of operation `op`.
    pub(crate) fn sqlite(op: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
        move |source| StoreError::Sqlite { op, source }
    }
}
