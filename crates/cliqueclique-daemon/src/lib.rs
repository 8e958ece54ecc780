//! The cliqueclique daemon: one *installation* hosting any number of local nodes behind one address.
//!
//! An installation is a long-lived process on a user's machine or a server.
//! It keeps every local node's state in one SQLite database (`cliqueclique-store`), talks to other
//! installations over authenticated, encrypted sessions (`cliqueclique-net`), and serves a local
//! HTTP JSON API on 127.0.0.1 that the `cliqueclique` command uses and the web UI
//! (`cliqueclique-web`) merges its pages into.
//!
//! # Structure
//!
//! ```text
//!   HTTP API (axum, tokio tasks) ─┐                       ┌─> SessionManager (tokio actor, sockets)
//!   net events (forwarder task) ──┼─> bounded channel ─> node thread ─┤
//!   shutdown ─────────────────────┘                       └─> broadcast of core events (API, UI)
//! ```
//!
//! - The **node thread** ([`actor`]) is one dedicated OS thread that owns the [`Database`] and every
//!   local `Node<SqliteStore>`. It is the only place that reads the clock. Every call into a node
//!   is one transaction: `begin`, `node.handle_*(now, …)`, `commit`, and only then are the node's
//!   batches handed to the transport (or, for another local node, to the same thread's local
//!   queue), so nothing acknowledged to a peer is lost by a crash.
//! - The **handle** ([`Handle`]) is the node thread's typed interface: each method is one input,
//!   answered with a typed value. The API, the web UI and the command line use only it.
//! - The **API** ([`router()`], in [`routes`]) parses requests with extractors, makes one call of
//!   the handle and turns the answer into JSON; it never touches a node directly.
//! - **Join by address** ([`join`]): a `Lookup` asks the installation at an address which of its nodes
//!   hold a document; the verified cards of the answer become a `Command::Join`.
//!
//! [`Database`]: cliqueclique_store::Database

#![warn(missing_docs)]

pub mod actor;
pub mod api;
pub mod client;
pub mod config;
pub mod daemon;
pub mod error;
pub mod handle;
mod http;
pub mod invite;
pub mod join;
pub mod routes;
pub mod state;
#[cfg(feature = "testing")]
pub mod testing;

pub use actor::NodeEvent;
pub use config::Config;
pub use daemon::{API_ADDR_FILE, Daemon, run, run_with};
pub use error::ApiError;
pub use handle::{Handle, NodeRef};
pub use routes::directories::DIRECTORY_TIMEOUT;
pub use routes::{AccessChecked, router};
pub use state::AppState;
