//! Failing store calls are recorded and refuse the commit; undecodable rows are skipped and counted.

use super::{card, count, document, identity, memory_store};
use crate::{Database, StoreError, TransactionError};
use cliqueclique_doc::DocId;
use cliqueclique_proto::{Flags, Store, Subscription};
use rusqlite::params;

/// Deletes a node's row behind its store's back, so that the store's writes violate foreign keys.
fn delete_node_row(db: &Database, node: &cliqueclique_doc::NodeId) {
    db.lock()
        .conn
        .execute("DELETE FROM nodes WHERE node_id = ?1", [node.as_bytes()])
        .unwrap();
}

#[test]
fn a_failed_store_call_refuses_the_commit() {
    let db = Database::open_in_memory().unwrap();
    let alice = db.create_node("alice", &identity(1), 0).unwrap();
    let bob = db.create_node("bob", &identity(2), 0).unwrap();
    let mut alice_store = db.store(alice.id).unwrap();
    let mut bob_store = db.store(bob.id).unwrap();
    let kept = document(&identity(3), "kept");

    db.begin().unwrap();
    alice_store.put_document(&kept);
    delete_node_row(&db, &bob.id);
    bob_store.put_card(&card(&identity(4), "peer", 1));
    assert_eq!(db.n_store_errors(), 1);
    let refused = db.commit();
    assert!(
        matches!(
            refused,
            Err(TransactionError::Store(StoreError::Sqlite {
                op: "put_card",
                ..
            }))
        ),
        "{refused:?}"
    );
    // Everything in the transaction was rolled back, including the write that succeeded.
    assert_eq!(alice_store.document(&kept.id()), None);
    assert_eq!(count(&db, "nodes"), 2);
    assert!(
        db.take_error().is_none(),
        "the commit handed the error over"
    );
    // The database is usable again.
    db.begin().unwrap();
    alice_store.put_document(&kept);
    db.commit().unwrap();
    assert_eq!(
        alice_store.document(&kept.id()).as_ref(),
        Some(kept.bytes())
    );
}

#[test]
fn an_unnoticed_error_blocks_the_next_transaction() {
    let (db, mut store) = memory_store();
    delete_node_row(&db, &store.node());
    store.remember_flags(
        &DocId([1; 32]),
        Flags {
            read: true,
            ..Flags::default()
        },
    );
    assert!(matches!(db.begin(), Err(TransactionError::Store(_))));
    assert!(db.take_error().is_none());
    db.begin().unwrap();
    db.commit().unwrap();
}

#[test]
fn take_error_reports_errors_outside_transactions() {
    let (db, mut store) = memory_store();
    delete_node_row(&db, &store.node());
    store.put_document(&document(&identity(5), "orphan"));
    store.put_subscription(&Subscription::new(
        store.node(),
        DocId([2; 32]),
        None,
        Flags::default(),
    ));
    assert_eq!(db.n_store_errors(), 2);
    let error = db.take_error().expect("recorded");
    assert!(
        matches!(
            error,
            StoreError::Sqlite {
                op: "put_document",
                ..
            }
        ),
        "the first error is kept"
    );
    assert!(db.take_error().is_none());
}

#[test]
fn undecodable_rows_are_skipped_and_counted() {
    let (db, mut store) = memory_store();
    let me = store.node();
    let good = Subscription::new(me, DocId([1; 32]), None, Flags::default());
    store.put_subscription(&good);
    let peer = identity(6);
    store.put_card(&card(&peer, "peer", 1));
    let body = document(&identity(7), "rotten");
    store.put_document(&body);
    {
        let shared = db.lock();
        let conn = &shared.conn;
        // A record that is not a subscription at all.
        conn.execute(
            "INSERT INTO subscriptions (node, doc, record) VALUES (?1, ?2, x'ff')",
            params![me.as_bytes(), [2u8; 32]],
        )
        .unwrap();
        // A valid record filed under the wrong document.
        let record = good.encode_record();
        conn.execute(
            "INSERT INTO subscriptions (node, doc, record) VALUES (?1, ?2, ?3)",
            params![me.as_bytes(), [3u8; 32], record],
        )
        .unwrap();
        // A card that does not decode.
        conn.execute(
            "INSERT INTO cards (node, peer, issued_at, card) VALUES (?1, ?2, x'0000000000000001', x'00')",
            params![me.as_bytes(), [4u8; 32]],
        )
        .unwrap();
        // A body that no longer hashes to its id.
        conn.execute(
            "UPDATE documents SET bytes = x'00' WHERE id = ?1",
            [body.id().as_bytes()],
        )
        .unwrap();
    }
    let subs = store.subscriptions();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].doc, good.doc);
    assert_eq!(store.cards(), vec![card(&peer, "peer", 1)]);
    assert_eq!(store.document(&body.id()), None);
    assert_eq!(db.n_corrupt_rows(), 4);
    assert_eq!(db.n_store_errors(), 0, "corrupt rows are not fatal");
    assert_eq!(
        count(&db, "subscriptions"),
        3,
        "corrupt rows stay for inspection"
    );
}

#[test]
fn transactions_are_checked() {
    let db = Database::open_in_memory().unwrap();
    assert!(matches!(db.commit(), Err(TransactionError::NotOpen)));
    assert!(matches!(db.rollback(), Err(TransactionError::NotOpen)));
    db.begin().unwrap();
    assert!(matches!(db.begin(), Err(TransactionError::AlreadyOpen)));
    db.rollback().unwrap();
}
