//! Per-forum preferences: ignoring a forum's moderation is kept per local node and undone.

use super::{count, memory_store};
use cliqueclique_doc::DocId;
use std::collections::BTreeSet;

#[test]
fn ignoring_moderation_is_kept_and_undone() {
    let (db, store) = memory_store();
    let (a, b) = (DocId::of(b"forum a"), DocId::of(b"forum b"));
    assert!(store.forums_ignoring_moderation().is_empty());
    store.set_ignore_moderation(&a, true);
    store.set_ignore_moderation(&a, true);
    store.set_ignore_moderation(&b, true);
    assert_eq!(store.forums_ignoring_moderation(), BTreeSet::from([a, b]));
    store.set_ignore_moderation(&a, false);
    assert_eq!(store.forums_ignoring_moderation(), BTreeSet::from([b]));
    assert_eq!(count(&db, "forum_prefs"), 1, "applying again leaves no row");
    assert_eq!(db.n_store_errors(), 0);
}
