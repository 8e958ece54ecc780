//! The `Store` contract, checked against both `MemStore` and `SqliteStore`.
//!
//! Each case is a generic function over `S: Store`; the macro at the bottom runs every case
//! against a fresh store of each kind. For SQLite, a case also fails if any store error was
//! recorded, since a failing method returns a neutral value that could otherwise pass.

use super::{card, document, identity};
use cliqueclique_doc::{ContactCard, DocId};
use cliqueclique_proto::{Flags, Link, Retraction, Store, Subscription};

fn encoded(sub: &Subscription) -> Vec<u8> {
    postcard::to_stdvec(sub).expect("encode")
}

fn sorted_encodings(subs: Vec<Subscription>) -> Vec<Vec<u8>> {
    let mut encodings: Vec<Vec<u8>> = subs.iter().map(encoded).collect();
    encodings.sort();
    encodings
}

fn sorted_cards(mut cards: Vec<ContactCard>) -> Vec<ContactCard> {
    cards.sort_by_key(ContactCard::node_id);
    cards
}

fn documents_are_idempotent<S: Store>(mut store: S) {
    let author = identity(1);
    let doc = document(&author, "idempotent");
    assert_eq!(store.document(&doc.id()), None);
    store.put_document(&doc);
    store.put_document(&doc);
    assert_eq!(store.document(&doc.id()).as_ref(), Some(doc.bytes()));
    // One copy: a single removal removes it.
    store.remove_document(&doc.id());
    assert_eq!(store.document(&doc.id()), None);
}

fn documents_are_removed<S: Store>(mut store: S) {
    let author = identity(2);
    let a = document(&author, "a");
    let b = document(&author, "b");
    store.put_document(&a);
    store.put_document(&b);
    store.remove_document(&a.id());
    assert_eq!(store.document(&a.id()), None);
    assert_eq!(store.document(&b.id()).as_ref(), Some(b.bytes()));
    // Removing what is not held changes nothing.
    store.remove_document(&a.id());
    store.remove_document(&DocId([7; 32]));
    assert_eq!(store.document(&b.id()).as_ref(), Some(b.bytes()));
    // A removed document can be stored again.
    store.put_document(&a);
    assert_eq!(store.document(&a.id()).as_ref(), Some(a.bytes()));
}

fn subscriptions_are_put_replaced_removed_and_loaded<S: Store>(mut store: S) {
    let me = identity(3).node_id();
    let peer = identity(4).node_id();
    assert!(store.subscriptions().is_empty());
    let mut first = Subscription::new(me, DocId([1; 32]), None, Flags::default());
    first.links.insert(peer, Link::new());
    let second = Subscription::new(
        me,
        DocId([2; 32]),
        None,
        Flags {
            bookmarked: true,
            ..Flags::default()
        },
    );
    store.put_subscription(&first);
    store.put_subscription(&second);
    assert_eq!(
        sorted_encodings(store.subscriptions()),
        sorted_encodings(vec![first.clone(), second.clone()])
    );

    let mut replaced = first.clone();
    replaced.serial = 42;
    replaced.flags.subscribed = true;
    replaced.tried.insert(peer);
    store.put_subscription(&replaced);
    assert_eq!(
        sorted_encodings(store.subscriptions()),
        sorted_encodings(vec![replaced.clone(), second.clone()])
    );

    store.remove_subscription(&second.doc);
    store.remove_subscription(&DocId([9; 32]));
    let loaded = store.subscriptions();
    assert_eq!(loaded.len(), 1);
    assert_eq!(encoded(&loaded[0]), encoded(&replaced));
    assert_eq!(loaded[0].serial, 42);
    assert!(loaded[0].links.contains_key(&peer));
}

fn flags_are_remembered_and_forgotten<S: Store>(mut store: S) {
    let doc = DocId([5; 32]);
    let other = DocId([6; 32]);
    assert_eq!(store.remembered_flags(&doc), None);
    let all = Flags {
        read: true,
        bookmarked: true,
        subscribed: true,
        thread: true,
        own: true,
        joining: true,
    };
    store.remember_flags(&doc, all);
    assert_eq!(store.remembered_flags(&doc), Some(all));
    let read_only = Flags {
        read: true,
        ..Flags::default()
    };
    store.remember_flags(&doc, read_only);
    store.remember_flags(&other, all);
    assert_eq!(store.remembered_flags(&doc), Some(read_only));
    // Default flags forget.
    store.remember_flags(&doc, Flags::default());
    assert_eq!(store.remembered_flags(&doc), None);
    assert_eq!(store.remembered_flags(&other), Some(all));
    store.remember_flags(&doc, Flags::default());
    assert_eq!(store.remembered_flags(&doc), None);
}

fn cards_keep_the_newest<S: Store>(mut store: S) {
    let alice = identity(10);
    let bob = identity(11);
    assert!(store.cards().is_empty());
    store.put_card(&card(&alice, "alice-5", 5));
    store.put_card(&card(&alice, "alice-3", 3));
    assert_eq!(store.cards(), vec![card(&alice, "alice-5", 5)]);
    store.put_card(&card(&alice, "alice-9", 9));
    store.put_card(&card(&bob, "bob-1", 1));
    assert_eq!(
        sorted_cards(store.cards()),
        sorted_cards(vec![card(&alice, "alice-9", 9), card(&bob, "bob-1", 1)])
    );
    // An equally new card replaces the old one.
    store.put_card(&card(&alice, "alice-9b", 9));
    assert_eq!(
        sorted_cards(store.cards()),
        sorted_cards(vec![card(&alice, "alice-9b", 9), card(&bob, "bob-1", 1)])
    );
}

fn cards_order_every_u64<S: Store>(mut store: S) {
    // A peer claims any issue time; values above i64::MAX must still order numerically.
    let carol = identity(12);
    let top_bit = 1u64 << 63;
    store.put_card(&card(&carol, "carol-top", top_bit));
    store.put_card(&card(&carol, "carol-below", top_bit - 1));
    assert_eq!(store.cards(), vec![card(&carol, "carol-top", top_bit)]);
    store.put_card(&card(&carol, "carol-max", u64::MAX));
    store.put_card(&card(&carol, "carol-max-1", u64::MAX - 1));
    store.put_card(&card(&carol, "carol-0", 0));
    assert_eq!(store.cards(), vec![card(&carol, "carol-max", u64::MAX)]);
}

fn retractions_are_kept_per_target_and_signer<S: Store>(mut store: S) {
    let ann = identity(13).node_id();
    let impostor = identity(14).node_id();
    let target = DocId::of(b"target");
    let first = Retraction {
        target,
        by: DocId::of(b"retraction"),
        author: ann,
        parent: Some(DocId::of(b"parent")),
    };
    let top = Retraction {
        target: DocId::of(b"top"),
        by: DocId::of(b"retraction of top"),
        author: ann,
        parent: None,
    };
    assert!(store.retractions().is_empty());
    store.put_retraction(&first);
    store.put_retraction(&top);
    // A forged retraction of the same target is kept beside the author's, not instead of it;
    // a second one by the same signer changes nothing.
    let forged = Retraction {
        by: DocId::of(b"forged"),
        author: impostor,
        ..first
    };
    store.put_retraction(&forged);
    store.put_retraction(&Retraction {
        by: DocId::of(b"again"),
        ..first
    });
    let key = |r: &Retraction| (r.target, r.author);
    let mut kept = store.retractions();
    kept.sort_by_key(key);
    let mut expected = vec![first, top, forged];
    expected.sort_by_key(key);
    assert_eq!(kept, expected);
}

macro_rules! contract {
    ($($case:ident),* $(,)?) => {
        mod mem_store {
            use cliqueclique_proto::MemStore;
            $(
                #[test]
                fn $case() {
                    super::$case(MemStore::default());
                }
            )*
        }
        mod sqlite_store {
            $(
                #[test]
                fn $case() {
                    let (db, store) = crate::tests::memory_store();
                    super::$case(store);
                    assert_eq!(db.n_store_errors(), 0, "{:?}", db.take_error());
                    assert_eq!(db.n_corrupt_rows(), 0);
                }
            )*
        }
    };
}

contract!(
    documents_are_idempotent,
    documents_are_removed,
    subscriptions_are_put_replaced_removed_and_loaded,
    flags_are_remembered_and_forgotten,
    cards_keep_the_newest,
    cards_order_every_u64,
    retractions_are_kept_per_target_and_signer,
);
