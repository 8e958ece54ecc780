//! What a commit writes survives a reopen; what a rollback discards does not; a node restarts
//! from the database with its subscriptions and documents.

use super::{card, document, identity};
use crate::{DATABASE_FILE, Database, SqliteStore};
use cliqueclique_doc::{DocId, DocumentBuilder, Identity};
use cliqueclique_proto::{Command, Config, Flags, Node, Outcome, Store, Subscription, Time};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

fn read_flags() -> Flags {
    Flags {
        read: true,
        ..Flags::default()
    }
}

/// Writes one of everything through `store`.
fn write_everything(store: &mut SqliteStore, author: &Identity) -> DocId {
    let doc = document(author, "persisted");
    store.put_document(&doc);
    store.put_subscription(&Subscription::new(
        store.node(),
        doc.id(),
        None,
        Flags::default(),
    ));
    store.remember_flags(&DocId([9; 32]), read_flags());
    store.put_card(&card(&identity(50), "peer", 3));
    doc.id()
}

fn reopen_store(path: &Path, local: &Identity) -> (Database, SqliteStore) {
    let db = Database::open(path).expect("reopen");
    let store = db.store(local.node_id()).expect("node persisted");
    (db, store)
}

#[test]
fn committed_state_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    let local = identity(1);
    let doc = {
        let db = Database::open(&path).unwrap();
        db.create_node("alice", &local, 17).unwrap();
        db.set_setting("transport.static_key", &[1, 2, 3]).unwrap();
        let mut store = db.store(local.node_id()).unwrap();
        db.begin().unwrap();
        let doc = write_everything(&mut store, &identity(2));
        db.commit().unwrap();
        doc
    };
    let (db, store) = reopen_store(&path, &local);
    assert!(store.document(&doc).is_some());
    assert_eq!(store.subscriptions().len(), 1);
    assert_eq!(store.subscriptions()[0].doc, doc);
    assert_eq!(store.remembered_flags(&DocId([9; 32])), Some(read_flags()));
    assert_eq!(store.cards(), vec![card(&identity(50), "peer", 3)]);
    assert_eq!(
        db.setting("transport.static_key").unwrap().as_deref(),
        Some(&[1u8, 2, 3][..])
    );
    let node = db.node(&local.node_id()).unwrap().unwrap();
    assert_eq!(node.name, "alice");
    assert_eq!(node.created_at, 17);
    assert_eq!(node.identity.secret_bytes(), local.secret_bytes());
}

/// A process killed before the first checkpoint leaves its schema and data in the write-ahead
/// log while the main file's header still says "empty": the database must open all the same.
#[test]
fn a_database_left_in_its_write_ahead_log_by_a_crash_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    let crashed = tempfile::tempdir().unwrap();
    let copy = crashed.path().join(DATABASE_FILE);
    let local = identity(1);
    let db = Database::open(&path).unwrap();
    db.create_node("alice", &local, 17).unwrap();
    // Copy the files while the database is open, as `kill -9` would leave them.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let mut copy_wal = copy.as_os_str().to_owned();
    copy_wal.push("-wal");
    std::fs::copy(&path, &copy).unwrap();
    std::fs::copy(&wal, &copy_wal).unwrap();
    assert!(
        std::fs::metadata(&copy_wal).unwrap().len() > 0,
        "the data is in the log"
    );
    let reopened = Database::open(&copy).expect("a crashed database opens");
    assert_eq!(reopened.nodes().unwrap().len(), 1);
    drop(db);
}

#[test]
fn a_rolled_back_transaction_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    let local = identity(1);
    let doc = {
        let db = Database::open(&path).unwrap();
        db.create_node("alice", &local, 0).unwrap();
        let mut store = db.store(local.node_id()).unwrap();
        db.begin().unwrap();
        let doc = write_everything(&mut store, &identity(2));
        assert!(
            store.document(&doc).is_some(),
            "visible inside the transaction"
        );
        db.rollback().unwrap();
        assert!(store.document(&doc).is_none());
        doc
    };
    let (db, store) = reopen_store(&path, &local);
    assert!(store.document(&doc).is_none());
    assert!(store.subscriptions().is_empty());
    assert_eq!(store.remembered_flags(&DocId([9; 32])), None);
    assert!(store.cards().is_empty());
    assert_eq!(super::count(&db, "documents"), 0);
}

#[test]
fn the_closure_helper_commits_and_rolls_back_on_panic() {
    let (db, mut store) = super::memory_store();
    let author = identity(2);
    let committed = document(&author, "committed");
    let value = db.transaction(|| {
        store.put_document(&committed);
        7
    });
    assert_eq!(value.unwrap(), 7);
    assert!(store.document(&committed.id()).is_some());

    let lost = document(&author, "lost");
    let panicked = catch_unwind(AssertUnwindSafe(|| {
        db.transaction(|| {
            store.put_document(&lost);
            panic!("the call panicked");
        })
    }));
    assert!(panicked.is_err());
    assert!(store.document(&lost.id()).is_none());
    // No transaction is left open.
    db.begin().unwrap();
    db.commit().unwrap();
}

fn start(db: &Database, identity: &Identity, seed: u64) -> Node<SqliteStore> {
    let card = card(identity, "alice", 0);
    let store = db.store(identity.node_id()).unwrap();
    let node = Node::new(identity.clone(), card, Config::default(), store, seed);
    assert!(db.take_error().is_none());
    node
}

#[test]
fn a_node_restarts_from_the_reopened_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    let local = identity(1);
    let post = DocumentBuilder::new("hello")
        .text("the first post")
        .date(1)
        .build(&local);
    let unsaved = DocumentBuilder::new("unsaved")
        .text("rolled back")
        .date(2)
        .build(&local);
    {
        let db = Database::open(&path).unwrap();
        db.create_node("alice", &local, 0).unwrap();
        let mut node = start(&db, &local, 1);
        let outcome = db
            .transaction(|| {
                node.handle_command(
                    Time(1_000),
                    Command::Post {
                        document: post.clone(),
                        subscribe: true,
                    },
                )
            })
            .unwrap();
        assert_eq!(outcome, Ok(Outcome::Stored(post.id())));
        db.begin().unwrap();
        let outcome = node.handle_command(
            Time(2_000),
            Command::Post {
                document: unsaved.clone(),
                subscribe: true,
            },
        );
        assert_eq!(outcome, Ok(Outcome::Stored(unsaved.id())));
        db.rollback().unwrap();
    }
    let db = Database::open(&path).unwrap();
    let restored = db.node(&local.node_id()).unwrap().expect("the local node");
    let node = start(&db, &restored.identity, 2);
    let sub = node.subscription(&post.id()).expect("the subscription");
    assert!(sub.flags.own);
    assert!(sub.flags.subscribed);
    assert!(sub.has_body());
    let held = node.document(&post.id()).expect("the document");
    assert_eq!(held.bytes(), post.bytes());
    assert!(node.subscription(&unsaved.id()).is_none());
    assert!(node.document(&unsaved.id()).is_none());
    assert_eq!(node.subscriptions().count(), 1);
    assert_eq!(db.n_corrupt_rows(), 0);
}
