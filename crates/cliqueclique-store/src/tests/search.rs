//! Full-text search: FTS5 is compiled in, bodies are indexed on insert, removed with the body,
//! backfilled after the migration, searched per local node, and any input is a valid query.

use super::{document, identity, memory_store};
use crate::search::{Column, Term};
use crate::{DATABASE_FILE, Database};
use cliqueclique_doc::DocumentBuilder;
use cliqueclique_proto::Store;

fn term(text: &str) -> Term {
    Term {
        text: text.to_owned(),
        prefix: false,
        column: None,
    }
}

#[test]
fn bodies_are_found_by_subject_text_and_author_and_leave_with_the_body() {
    let (db, mut store) = memory_store();
    let author = identity(1);
    let tomatoes = DocumentBuilder::new("Tomatoes")
        .text("They need sun and water.")
        .author_name("Ann Gardener")
        .build(&author);
    let roses = document(&identity(2), "Roses and thorns");
    store.put_document(&tomatoes);
    store.put_document(&roses);
    let me = store.node();
    assert_eq!(
        db.search(&me, &[term("tomatoes")], 10).unwrap(),
        [tomatoes.id()]
    );
    assert_eq!(db.search(&me, &[term("SUN")], 10).unwrap(), [tomatoes.id()]);
    assert_eq!(
        db.search(&me, &[term("gardener")], 10).unwrap(),
        [tomatoes.id()]
    );
    let author_id = author.node_id().to_string();
    assert_eq!(
        db.search(&me, &[term(&author_id)], 10).unwrap(),
        [tomatoes.id()]
    );
    assert_eq!(db.search(&me, &[term("thorns")], 10).unwrap(), [roses.id()]);
    // Terms are all required; a prefix term matches word starts; a column term only its column.
    assert!(
        db.search(&me, &[term("sun"), term("thorns")], 10)
            .unwrap()
            .is_empty()
    );
    let tom = Term {
        prefix: true,
        ..term("tom")
    };
    assert_eq!(db.search(&me, &[tom], 10).unwrap(), [tomatoes.id()]);
    let in_body = Term {
        column: Some(Column::Body),
        ..term("tomatoes")
    };
    assert!(db.search(&me, &[in_body], 10).unwrap().is_empty());
    store.remove_document(&tomatoes.id());
    assert!(db.search(&me, &[term("tomatoes")], 10).unwrap().is_empty());
    assert_eq!(
        super::count(&db, "search"),
        1,
        "the index row left with the body"
    );
}

#[test]
fn a_node_finds_only_what_it_holds() {
    let db = Database::open_in_memory().unwrap();
    let ann = db.create_node("ann", &identity(10), 0).unwrap();
    let bob = db.create_node("bob", &identity(11), 0).unwrap();
    let mut ann_store = db.store(ann.id).unwrap();
    let doc = document(&identity(3), "private thoughts");
    ann_store.put_document(&doc);
    assert_eq!(
        db.search(&ann.id, &[term("thoughts")], 10).unwrap(),
        [doc.id()]
    );
    assert!(
        db.search(&bob.id, &[term("thoughts")], 10)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn any_input_is_a_valid_search() {
    let (db, mut store) = memory_store();
    store.put_document(&document(&identity(4), "quote\" AND NEAR( body : *"));
    for text in [
        "\"", "AND", "NEAR(", "body :", "*", "a\"b", "(", "", "   ", "^x", "-y",
    ] {
        let found = db.search(
            &store.node(),
            &[Term {
                prefix: true,
                ..term(text)
            }],
            10,
        );
        assert!(found.is_ok(), "{text:?}: {found:?}");
    }
    assert_eq!(
        db.search(&store.node(), &[term("quote")], 10)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn bodies_stored_before_the_index_existed_are_backfilled_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    let node_id;
    {
        let db = Database::open(&path).unwrap();
        let node = db.create_node("n", &identity(20), 0).unwrap();
        node_id = node.id;
        let mut store = db.store(node.id).unwrap();
        store.put_document(&document(&identity(5), "old news"));
        // As if the body had been stored before the search step: drop its index row.
        db.lock().conn.execute("DELETE FROM search", []).unwrap();
        assert!(db.search(&node_id, &[term("news")], 10).unwrap().is_empty());
    }
    let db = Database::open(&path).unwrap();
    assert_eq!(db.search(&node_id, &[term("news")], 10).unwrap().len(), 1);
}
