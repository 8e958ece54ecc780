//! Evaluation over a corpus in memory: semantic and structural steps through comments and links
//! in both directions, flags, headers, text, alternatives, groups, `has` and `!`.

use std::collections::{BTreeMap, BTreeSet};

use cliqueclique_doc::{DocId, LinkDirection};

use crate::ast::TextTerm;
use crate::eval::{Corpus, Facts, evaluate};
use crate::parse::parse;

fn id(n: u8) -> DocId {
    DocId::from([n; 32])
}

struct Mem {
    docs: BTreeMap<DocId, (Facts, &'static str, Option<&'static str>)>,
}

impl Corpus for Mem {
    type Error = String;
    fn documents(&self) -> BTreeMap<DocId, Facts> {
        self.docs.iter().map(|(k, v)| (*k, v.0.clone())).collect()
    }
    fn header(&self, doc: &DocId, name: &str) -> Option<String> {
        let (_, _, header) = self.docs.get(doc)?;
        (name == "x-kind")
            .then(|| header.map(str::to_owned))
            .flatten()
    }
    fn text(&self, term: &TextTerm) -> Result<BTreeSet<DocId>, String> {
        Ok(self
            .docs
            .iter()
            .filter(|(_, (_, text, _))| {
                text.split(' ').any(|w| {
                    if term.prefix {
                        w.starts_with(&term.text)
                    } else {
                        w == term.text
                    }
                })
            })
            .map(|(k, _)| *k)
            .collect())
    }
}

/// 1 is a bookmarked root; 2 comments on 1 (read); 3 is a natural link from 1 to 4; 5 is a
/// reversed link (own) whose header parent is 6 and header child is 1, so semantically 6 is
/// under 1.
fn corpus() -> Mem {
    let facts = |parent: Option<u8>, child: Option<u8>, link: Option<LinkDirection>| Facts {
        parent: parent.map(id),
        child: child.map(id),
        link,
        ..Facts::default()
    };
    let mut docs = BTreeMap::new();
    docs.insert(
        id(1),
        (
            Facts {
                bookmarked: true,
                subscribed: true,
                ..facts(None, None, None)
            },
            "garden root",
            None,
        ),
    );
    docs.insert(
        id(2),
        (
            Facts {
                read: true,
                ..facts(Some(1), None, None)
            },
            "tomatoes need sun",
            None,
        ),
    );
    docs.insert(
        id(3),
        (
            facts(Some(1), Some(4), Some(LinkDirection::Natural)),
            "link",
            Some("name"),
        ),
    );
    docs.insert(id(4), (facts(None, None, None), "tomato article", None));
    docs.insert(
        id(5),
        (
            Facts {
                own: true,
                ..facts(Some(6), Some(1), Some(LinkDirection::Reversed))
            },
            "reversed link",
            None,
        ),
    );
    docs.insert(id(6), (facts(None, None, None), "roses", None));
    Mem { docs }
}

fn run(query: &str) -> BTreeSet<u8> {
    let q = parse(query).unwrap();
    evaluate(&q, &corpus())
        .unwrap()
        .into_iter()
        .map(|d| d.as_bytes()[0])
        .collect()
}

fn set(items: &[u8]) -> BTreeSet<u8> {
    items.iter().copied().collect()
}

#[test]
fn semantic_steps_follow_comments_and_links_in_their_direction() {
    let root = id(1);
    // Children of 1: comment 2, 4 attached by natural link 3, 6 attached by reversed link 5
    // (reversed: its child 1 is the semantic parent, its parent 6 the semantic child).
    assert_eq!(run(&format!("id:{root} ->")), set(&[2, 4, 6]));
    assert_eq!(run(&format!("id:{} <-", id(4))), set(&[1]));
    assert_eq!(run(&format!("id:{} <-", id(6))), set(&[1]));
    assert_eq!(run(&format!("id:{} <-", id(2))), set(&[1]));
    // Structural steps follow the headers only: 2 and 3 name 1 as their parent; 5 names 1 as
    // its child, so 5 is a structural parent of 1.
    assert_eq!(run(&format!("id:{root} >")), set(&[2, 3]));
    assert_eq!(run(&format!("id:{root} <")), set(&[5]));
    assert_eq!(run(&format!("id:{} >", id(5))), set(&[1]));
}

#[test]
fn filters_alternatives_groups_has_and_not() {
    assert_eq!(run("is:bookmarked"), set(&[1]));
    assert_eq!(run("is:bookmarked -> is:unread"), set(&[4, 6]));
    assert_eq!(run("is:link"), set(&[3, 5]));
    assert_eq!(run("is:own | is:read"), set(&[2, 5]));
    assert_eq!(run("tomato*"), set(&[2, 4]));
    assert_eq!(run("tomato"), set(&[4]));
    assert_eq!(run("tomato* !is:read"), set(&[4]));
    assert_eq!(run("header.x-kind:NAME"), set(&[3]));
    assert_eq!(run("has(-> is:read)"), set(&[1]));
    assert_eq!(run("!has(<-) !is:link"), set(&[1]));
    assert_eq!(run("(tomato | roses) <-"), set(&[1]));
    assert!(run("nothing-matches ->").is_empty());
}

/// A root with many comments, counting the header reads a query makes.
struct Star {
    children: u8,
    header_reads: std::cell::Cell<usize>,
}

impl Corpus for Star {
    type Error = String;
    fn documents(&self) -> BTreeMap<DocId, Facts> {
        let mut docs = BTreeMap::new();
        docs.insert(id(0), Facts::default());
        for n in 1..=self.children {
            docs.insert(
                id(n),
                Facts {
                    parent: Some(id(0)),
                    ..Facts::default()
                },
            );
        }
        docs
    }
    fn header(&self, _doc: &DocId, _name: &str) -> Option<String> {
        self.header_reads.set(self.header_reads.get() + 1);
        None
    }
    fn text(&self, _term: &TextTerm) -> Result<BTreeSet<DocId>, String> {
        Ok(BTreeSet::new())
    }
}

#[test]
fn nested_has_and_not_are_evaluated_once_per_document() {
    let star = Star {
        children: 40,
        header_reads: std::cell::Cell::new(0),
    };
    // Without memoization this walks root -> 40 children -> root -> 40 children ... (40^4
    // header reads); with it, each (step, document) pair is decided once.
    let q = parse("has(<- has(-> has(<- has(-> !header.x:y))))").unwrap();
    let found = evaluate(&q, &star).unwrap();
    assert_eq!(
        found.len(),
        40,
        "every comment, not the root (it has no parent)"
    );
    assert!(
        star.header_reads.get() <= 41,
        "{} header reads",
        star.header_reads.get()
    );
}
