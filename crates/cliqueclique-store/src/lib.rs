//! The embedded database of one cliqueclique *installation*, and the protocol core's store on top of it.
//!
//! An installation is one daemon hosting many local nodes, one per user account.
//! All of them live in one SQLite file, `DATA_DIR/cliqueclique.sqlite3`, opened once as a
//! [`Database`].
//! Each local node gets a [`SqliteStore`], the implementation of [`cliqueclique_proto::Store`]
//! that a `Node<SqliteStore>` persists through.
//! Document bodies are shared between the local nodes that hold them and live on disk only;
//! the core keeps its subscriptions in memory and writes changed ones through at the end of
//! each call.
//!
//! # Driving contract
//!
//! One thread owns the [`Database`], its stores and their nodes.
//! It wraps every `Node::handle_*` call in a transaction ([`Database::begin`], the call,
//! [`Database::commit`]) and hands the call's batches to the transport only after the commit
//! succeeded, so nothing acknowledged to a peer is lost by a crash.
//! The `Store` methods cannot return errors: a failing SQLite call is logged, recorded and then
//! refused by the next [`Database::commit`], which rolls the whole call back; the driver then
//! stops (or restarts the node from the database). `docs/storage.md` describes the schema and
//! these rules in full.
//!
//! # Layout
//!
//! - [`data_dir`]: where the database file lives and how the location is overridden.
//! - [`database`]: [`Database`]: opening, refusing newer or corrupt files, error recording.
//! - [`migrations`]: the ordered schema steps keyed on `PRAGMA user_version`.
//! - [`transaction`]: begin, commit, rollback and a closure helper.
//! - [`installation`]: the installation-level tables, local nodes and settings.
//! - [`accounts`]: web accounts, login sessions and registration invites.
//! - [`store`]: [`SqliteStore`], one node's view of the shared tables.
//! - [`marks`]: petnames, mutes and blocks of other nodes, per local node.
//! - [`search`]: full-text search (FTS5) over the documents a node holds.
//! - [`nntp`]: the NNTP server's newsgroups and stable article numbers, and the feed tokens.
//! - [`error`]: one error type per kind of operation.

#![deny(missing_docs)]

pub mod accounts;
mod codec;
pub mod data_dir;
pub mod database;
pub mod error;
pub mod installation;
pub mod marks;
pub mod migrations;
pub mod nntp;
pub mod search;
pub mod store;
pub mod transaction;

#[cfg(test)]
mod tests;

pub use accounts::{Account, AccountError, TokenHash, WebSession};
pub use data_dir::{
    DATA_DIR_ENV, DATABASE_FILE, database_path, default_data_dir, resolve_data_dir,
};
pub use database::Database;
pub use error::{NodeError, OpenError, StoreError, TransactionError};
pub use installation::LocalNode;
pub use marks::{MAX_PETNAME_CHARS, PeerMarks};
pub use migrations::SCHEMA_VERSION;
pub use nntp::{ArticleInfo, ArticleRow, NewsGroup};
pub use search::{Column, Term};
pub use store::SqliteStore;
