//! Local nodes and settings.

use super::identity;
use crate::{Database, NodeError};

#[test]
fn nodes_are_created_listed_and_found() {
    let db = Database::open_in_memory().unwrap();
    assert!(db.nodes().unwrap().is_empty());
    let alice = db.create_node("alice", &identity(1), 20).unwrap();
    let bob = db.create_node("bob", &identity(2), 10).unwrap();
    let listed: Vec<_> = db.nodes().unwrap().into_iter().map(|n| n.name).collect();
    assert_eq!(listed, ["bob", "alice"], "ordered by creation time");
    let found = db.node(&alice.id).unwrap().expect("alice exists");
    assert_eq!(found.id, alice.id);
    assert_eq!(found.created_at, 20);
    assert_eq!(found.identity.secret_bytes(), identity(1).secret_bytes());
    assert!(db.node(&identity(3).node_id()).unwrap().is_none());
    assert_eq!(bob.identity.node_id(), bob.id);
}

#[test]
fn a_node_is_created_once() {
    let db = Database::open_in_memory().unwrap();
    db.create_node("alice", &identity(1), 0).unwrap();
    let again = db.create_node("alice again", &identity(1), 1);
    assert!(matches!(again, Err(NodeError::Exists(id)) if id == identity(1).node_id()));
    assert_eq!(db.nodes().unwrap().len(), 1);
}

#[test]
fn a_store_needs_an_existing_node() {
    let db = Database::open_in_memory().unwrap();
    let missing = identity(9).node_id();
    assert!(matches!(db.store(missing), Err(NodeError::Unknown(id)) if id == missing));
}

#[test]
fn settings_are_set_and_replaced() {
    let db = Database::open_in_memory().unwrap();
    assert_eq!(db.setting("transport.static_key").unwrap(), None);
    db.set_setting("transport.static_key", b"one").unwrap();
    assert_eq!(
        db.setting("transport.static_key").unwrap().as_deref(),
        Some(&b"one"[..])
    );
    db.set_setting("transport.static_key", b"two").unwrap();
    assert_eq!(
        db.setting("transport.static_key").unwrap().as_deref(),
        Some(&b"two"[..])
    );
    assert_eq!(db.setting("other").unwrap(), None);
}
