//! Document bodies are stored once per installation and shared by the local nodes holding them.

use super::{count, document, identity};
use crate::Database;
use cliqueclique_proto::Store;

#[test]
fn a_body_lives_until_its_last_holder_removes_it() {
    let db = Database::open_in_memory().unwrap();
    let alice = db.create_node("alice", &identity(1), 0).unwrap();
    let bob = db.create_node("bob", &identity(2), 0).unwrap();
    let mut alice_store = db.store(alice.id).unwrap();
    let mut bob_store = db.store(bob.id).unwrap();
    let shared = document(&identity(3), "shared");
    let only_alice = document(&identity(3), "only alice");

    alice_store.put_document(&shared);
    bob_store.put_document(&shared);
    alice_store.put_document(&only_alice);
    assert_eq!(count(&db, "documents"), 2, "the shared body is stored once");
    assert_eq!(count(&db, "holdings"), 3);
    // A node sees only the bodies it holds.
    assert_eq!(bob_store.document(&only_alice.id()), None);

    alice_store.remove_document(&shared.id());
    assert_eq!(alice_store.document(&shared.id()), None);
    assert_eq!(
        bob_store.document(&shared.id()).as_ref(),
        Some(shared.bytes())
    );
    assert_eq!(count(&db, "documents"), 2);

    bob_store.remove_document(&shared.id());
    assert_eq!(bob_store.document(&shared.id()), None);
    assert_eq!(
        count(&db, "documents"),
        1,
        "the blob is deleted with its last holding"
    );
    assert_eq!(
        alice_store.document(&only_alice.id()).as_ref(),
        Some(only_alice.bytes())
    );
    assert_eq!(db.n_store_errors(), 0);
}

#[test]
fn nodes_keep_separate_records() {
    let db = Database::open_in_memory().unwrap();
    let alice = db.create_node("alice", &identity(1), 0).unwrap();
    let bob = db.create_node("bob", &identity(2), 0).unwrap();
    let mut alice_store = db.store(alice.id).unwrap();
    let bob_store = db.store(bob.id).unwrap();
    let peer = identity(4);
    alice_store.put_card(&super::card(&peer, "peer", 1));
    alice_store.remember_flags(
        &cliqueclique_doc::DocId([1; 32]),
        cliqueclique_proto::Flags {
            read: true,
            ..Default::default()
        },
    );
    let sub = cliqueclique_proto::Subscription::new(
        alice.id,
        cliqueclique_doc::DocId([1; 32]),
        None,
        Default::default(),
    );
    alice_store.put_subscription(&sub);
    assert!(bob_store.cards().is_empty());
    assert!(bob_store.subscriptions().is_empty());
    assert_eq!(
        bob_store.remembered_flags(&cliqueclique_doc::DocId([1; 32])),
        None
    );
    assert_eq!(alice_store.cards().len(), 1);
    assert_eq!(alice_store.subscriptions().len(), 1);
}
