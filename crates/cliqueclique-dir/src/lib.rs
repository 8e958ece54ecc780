//! Directories: sets of documents that cannot be listed directly but are found by name prefix.
//!
//! A directory is a tree of ordinary signed documents (`docs/directory.md`): a root, *levels*
//! (each adds one character of a name's key to its parent's prefix) and *names* (link documents
//! from a level to the named document). A node exploring a prefix subscribes only to the levels
//! on its path, and the protocol core pushes it what hangs below them, so a lookup costs a number
//! of documents that grows with the prefix, not with the directory.
//!
//! The tree is a burst trie: a level keeps up to [`DEFAULT_BUCKET`] names directly; only when it
//! is full does a name that could go deeper get a level of its own. Concurrent publishers may
//! create the same level twice (their signed documents differ); the smallest id wins, lookups
//! read the union until publishers have moved their names onto the winner.
//!
//! Like the protocol core, this crate is sans-IO: it reads a [`View`] of what a node holds and
//! returns documents to post or [`Action`]s for the driver (join, subscribe, wait), with time as
//! an input.
//!
//! - [`name`]: names, keys and their normalization.
//! - [`schema`]: the three document kinds.
//! - [`view`]: what is read from a node.
//! - [`catalog`]: the tree as a node sees it, with the winner rule.
//! - [`explore`]: when a level can be read.
//! - [`lookup`]: prefix lookup with paging.
//! - [`publish`]: publishing a name, and converging.

#![deny(missing_docs)]

pub mod catalog;
pub mod explore;
pub mod lookup;
pub mod name;
pub mod publish;
pub mod schema;
pub mod view;

#[cfg(test)]
mod tests;

pub use catalog::{Catalog, NameRef};
pub use explore::{Action, Explorer};
pub use lookup::{Cursor, Follow, Listed, Page, Query, Step, lookup};
pub use name::{MAX_NAME_CHARS, Name, NameError, prefix_key};
pub use publish::{DEFAULT_BUCKET, Plan, plan, published_anywhere_by_me, published_by_me};
pub use schema::{Entry, level_document, name_document, root_document};
pub use view::{Holding, View};
