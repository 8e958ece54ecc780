//! The NNTP tables: group names, article numbers given once in the order bodies arrived, and
//! feed tokens.

use super::{document, identity, memory_store};
use crate::ArticleInfo;
use cliqueclique_doc::Document;
use cliqueclique_proto::Store;

fn new_article(d: &Document) -> ArticleInfo {
    ArticleInfo {
        doc: d.id(),
        parent: d.parent(),
        served: true,
        author: d.author(),
        author_name: d.author_name().into(),
        subject: d.subject().into(),
        date: d.date(),
        bytes: d.len() as u64,
        lines: 1,
    }
}

#[test]
fn numbers_follow_arrival_and_never_change() {
    let (db, mut store) = memory_store();
    let node = store.node();
    let author = identity(1);
    let root = document(&author, "root");
    let (first, second, third) = (
        document(&author, "first"),
        document(&author, "second"),
        document(&author, "third"),
    );
    for d in [&root, &second, &first] {
        store.put_document(d);
    }
    db.set_news_group(&node, &root.id(), "cc.test", false, 5)
        .unwrap();
    // Handed over in any order, numbered in the order the bodies arrived.
    db.number_articles(
        &node,
        &root.id(),
        vec![
            new_article(&first),
            new_article(&root),
            new_article(&second),
        ],
        10,
    )
    .unwrap();
    let numbers = |db: &crate::Database| {
        db.articles_in_range(&node, &root.id(), 1, u64::MAX)
            .unwrap()
            .into_iter()
            .map(|r| (r.number, r.info.subject))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        numbers(&db),
        [
            (1, "root".into()),
            (2, "second".into()),
            (3, "first".into())
        ]
    );
    // Numbered again with a newcomer: the old ones keep their numbers.
    store.put_document(&third);
    db.number_articles(
        &node,
        &root.id(),
        vec![new_article(&third), new_article(&first)],
        20,
    )
    .unwrap();
    assert_eq!(numbers(&db).last(), Some(&(4, "third".into())));
    assert_eq!(numbers(&db).len(), 4);
    let since = db.articles_since(&node, 20).unwrap();
    assert_eq!(since.iter().map(|r| r.number).collect::<Vec<_>>(), [4]);
    assert_eq!(db.article_by_doc(&node, &first.id()).unwrap()[0].number, 3);
}

#[test]
fn ancestors_are_read_in_one_query_up_to_a_bound() {
    let (db, mut store) = memory_store();
    let node = store.node();
    let author = identity(1);
    let mut chain = vec![document(&author, "root")];
    for i in 0..5 {
        let parent = chain.last().unwrap().id();
        chain.push(
            cliqueclique_doc::DocumentBuilder::new(format!("reply {i}"))
                .parent(parent)
                .date(0)
                .build(&author),
        );
    }
    let root = chain[0].id();
    for d in &chain {
        store.put_document(d);
    }
    db.set_news_group(&node, &root, "cc.chain", false, 0)
        .unwrap();
    db.number_articles(&node, &root, chain.iter().map(new_article).collect(), 0)
        .unwrap();
    let last = chain[5].id();
    let up: Vec<_> = chain[..5].iter().rev().map(|d| d.id()).collect();
    assert_eq!(db.ancestors(&node, &root, &last, 64).unwrap(), up);
    assert_eq!(db.ancestors(&node, &root, &last, 2).unwrap(), up[..2]);
    assert!(db.ancestors(&node, &root, &root, 64).unwrap().is_empty());
}

#[test]
fn a_chosen_name_stays_and_names_are_unique() {
    let (db, store) = memory_store();
    let node = store.node();
    let author = identity(1);
    let (a, b) = (document(&author, "a"), document(&author, "b"));
    db.set_news_group(&node, &a.id(), "auto.a", false, 1)
        .unwrap();
    db.set_news_group(&node, &a.id(), "mine", true, 2).unwrap();
    db.set_news_group(&node, &a.id(), "auto.a2", false, 3)
        .unwrap();
    assert!(db.set_news_group(&node, &b.id(), "mine", false, 4).is_err());
    let groups = db.news_groups(&node).unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!((groups[0].name.as_str(), groups[0].renamed), ("mine", true));
    assert_eq!(groups[0].created_at, 1);
}

#[test]
fn feed_tokens_are_set_found_and_revoked() {
    let (db, store) = memory_store();
    let account = db
        .create_account("ann", "hash", store.node(), true, 0)
        .unwrap();
    assert_eq!(db.feed_token(account.id).unwrap(), None);
    db.set_feed_token(account.id, Some("t1"), 1).unwrap();
    db.set_feed_token(account.id, Some("t2"), 2).unwrap();
    assert_eq!(db.feed_token(account.id).unwrap().as_deref(), Some("t2"));
    assert_eq!(db.account_by_feed_token("t1").unwrap(), None);
    assert_eq!(
        db.account_by_feed_token("t2").unwrap(),
        Some((account.id, store.node()))
    );
    db.set_feed_token(account.id, None, 3).unwrap();
    assert_eq!(db.account_by_feed_token("t2").unwrap(), None);
}
