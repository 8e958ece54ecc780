//! Tests of the store crate: the `Store` contract (run against `MemStore` too), body sharing,
//! persistence and transactions, refusals when opening, and the data directory.

mod accounts;
mod contract;
mod data_dir;
mod errors;
mod forum_prefs;
mod installation;
mod open;
mod persistence;
mod search;
mod sharing;

use crate::{Database, SqliteStore};
use cliqueclique_doc::{ContactCard, Document, DocumentBuilder, Identity};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// A deterministic identity.
pub(crate) fn identity(seed: u64) -> Identity {
    Identity::generate(&mut ChaCha8Rng::seed_from_u64(seed))
}

/// A small document by `author`.
pub(crate) fn document(author: &Identity, subject: &str) -> Document {
    DocumentBuilder::new(subject)
        .text(format!("the body of {subject}"))
        .date(0)
        .build(author)
}

/// A contact card of `identity`.
pub(crate) fn card(identity: &Identity, name: &str, issued_at: u64) -> ContactCard {
    ContactCard::new(identity, name, vec![format!("test://{name}")], issued_at)
}

/// A fresh in-memory database with one local node, and that node's store.
pub(crate) fn memory_store() -> (Database, SqliteStore) {
    let db = Database::open_in_memory().expect("open in memory");
    let node = db
        .create_node("local", &identity(1000), 0)
        .expect("create node");
    let store = db.store(node.id).expect("store");
    (db, store)
}

/// Rows in a table, through the shared connection.
pub(crate) fn count(db: &Database, table: &str) -> i64 {
    db.lock()
        .conn
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .expect("count")
}
