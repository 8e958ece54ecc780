//! The tree logic over an in-memory view: bursting levels, lookups, paging, the winner rule,
//! convergence of duplicates, and refusal of malformed directory documents.

use std::collections::BTreeSet;
use std::time::Duration;

use cliqueclique_doc::{DocId, DocumentBuilder, Identity};
use cliqueclique_proto::Time;
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::memview::MemView;
use crate::catalog::Catalog;
use crate::explore::Explorer;
use crate::lookup::{Follow, Listed, Query, Step, lookup};
use crate::name::{Name, prefix_key};
use crate::publish::{Plan, plan};
use crate::schema::{self, Entry, root_document};

struct Tree {
    view: MemView,
    root: DocId,
    catalog: Catalog,
    explorer: Explorer,
}

fn identity(seed: u64) -> Identity {
    Identity::generate(&mut ChaCha8Rng::seed_from_u64(seed))
}

impl Tree {
    fn new(owner: &Identity) -> Tree {
        let mut view = MemView::default();
        let root = root_document(owner, "test", "", 1);
        let id = root.id();
        view.add(root);
        Tree {
            view,
            root: id,
            catalog: Catalog::new(),
            explorer: Explorer::new(Duration::ZERO),
        }
    }

    /// A content document named `name` by `who`, and the plan to publish it (not carried out).
    fn plan(&mut self, who: &Identity, name: &str, bucket: usize) -> (Name, DocId, Plan) {
        let name = Name::new(name).unwrap();
        let doc = DocumentBuilder::new(name.as_str()).build(who);
        let target = doc.id();
        self.view.add(doc);
        let plan = self.replan(who, &name, &target, bucket);
        (name, target, plan)
    }

    fn replan(&mut self, who: &Identity, name: &Name, target: &DocId, bucket: usize) -> Plan {
        plan(
            &self.view,
            &mut self.catalog,
            &mut self.explorer,
            who,
            &self.root,
            name,
            target,
            bucket,
            Time(0),
        )
    }

    fn publish(&mut self, who: &Identity, name: &str, bucket: usize) -> DocId {
        let (name, target, plan) = self.plan(who, name, bucket);
        self.apply(plan);
        assert!(matches!(
            self.replan(who, &name, &target, bucket),
            Plan::Published { .. }
        ));
        target
    }

    fn apply(&mut self, plan: Plan) {
        match plan {
            Plan::Post(docs) => docs.into_iter().for_each(|d| self.view.add(d)),
            other => panic!("expected documents to post, got {other:?}"),
        }
    }

    fn list(&mut self, prefix: &str, follow: Follow, limit: usize) -> Vec<Listed> {
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let query = Query {
                prefix: prefix_key(prefix).unwrap(),
                after: after.clone(),
                limit,
                follow,
            };
            match lookup(
                &self.view,
                &mut self.catalog,
                &mut self.explorer,
                &self.root,
                &query,
                Time(0),
            ) {
                Step::Done(page) => {
                    assert!(page.names.len() <= limit);
                    out.extend(page.names);
                    match page.next {
                        Some(next) => after = Some(next),
                        None => return out,
                    }
                }
                Step::Need(action) => panic!("everything is held here: {action:?}"),
            }
        }
    }

    fn levels(&mut self) -> Vec<(String, DocId)> {
        let ids: Vec<DocId> = self.view.docs().map(|d| d.id()).collect();
        let mut out = Vec::new();
        for id in ids {
            if let Some((Entry::Level { prefix, .. }, _)) = self.catalog.entry(&self.view, &id) {
                out.push((prefix, id));
            }
        }
        out.sort();
        out
    }
}

fn words(n: usize) -> Vec<String> {
    let syllables = ["ka", "lo", "mi", "ra", "ne", "to"];
    (0..n)
        .map(|k| {
            let mut w = String::new();
            let mut x = k + 7;
            while x > 0 {
                w.push_str(syllables[x % syllables.len()]);
                x /= syllables.len();
            }
            w
        })
        .collect()
}

#[test]
fn every_name_is_found_by_each_of_its_prefixes_and_levels_burst_only_when_full() {
    let me = identity(1);
    let mut tree = Tree::new(&me);
    let names = words(300);
    for w in &names {
        tree.publish(&me, w, 4);
    }
    for w in &names {
        for len in 0..=w.len() {
            let prefix = &w[..len];
            let listed = tree.list(prefix, Follow::Winners, 1000);
            assert!(listed.iter().any(|l| l.name == *w), "{w} under {prefix:?}");
            assert!(listed.iter().all(|l| l.key.starts_with(prefix)));
        }
    }
    // A single publisher never duplicates a level, and no level holds more than the bucket of
    // names that could go deeper.
    let levels = tree.levels();
    let prefixes: BTreeSet<&String> = levels.iter().map(|(p, _)| p).collect();
    assert_eq!(prefixes.len(), levels.len());
    let root = tree.root;
    for (prefix, id) in levels.iter().cloned().chain([(String::new(), root)]) {
        let direct = tree.catalog.names_at(&tree.view, &root, &id, &prefix);
        let deeper = direct
            .iter()
            .filter(|n| n.name.key().len() > prefix.len())
            .count();
        assert!(deeper <= 4, "level {prefix:?} holds {deeper} names");
    }
    // Far fewer levels than distinct prefixes of the names.
    let all_prefixes: BTreeSet<&str> = names
        .iter()
        .flat_map(|w| (1..=w.len()).map(move |l| &w[..l]))
        .collect();
    assert!(levels.len() * 3 < all_prefixes.len());
}

#[test]
fn pages_concatenate_to_the_sorted_listing() {
    let me = identity(2);
    let mut tree = Tree::new(&me);
    for w in words(120) {
        tree.publish(&me, &w, 3);
    }
    let all = tree.list("", Follow::All, usize::MAX);
    assert_eq!(all.len(), 120);
    let keys: Vec<&String> = all.iter().map(|l| &l.key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    for limit in [1, 5, 17] {
        assert_eq!(tree.list("", Follow::All, limit), all);
        let under: Vec<Listed> = all
            .iter()
            .filter(|l| l.key.starts_with("ka"))
            .cloned()
            .collect();
        assert_eq!(tree.list("ka", Follow::All, limit), under);
    }
}

#[test]
fn concurrent_duplicates_are_read_as_a_union_and_converge_onto_the_smallest_id() {
    let (a, b) = (identity(3), identity(4));
    let mut tree = Tree::new(&a);
    // Fill the root so that the next names need level "k".
    for w in ["kaa", "kab", "kac"] {
        tree.publish(&a, w, 3);
    }
    // Both plan before either posts: both create a level "k".
    let (na, ta, pa) = tree.plan(&a, "kiwi", 3);
    let (nb, tb, pb) = tree.plan(&b, "koala", 3);
    tree.apply(pa);
    tree.apply(pb);
    let levels = tree.levels();
    assert_eq!(levels.len(), 2, "two levels for one prefix");
    assert_eq!(levels[0].0, "k");
    let names = |l: &[Listed]| l.iter().map(|l| l.name.clone()).collect::<BTreeSet<_>>();
    // The union finds both names at once.
    assert!(
        names(&tree.list("k", Follow::All, 100))
            .is_superset(&BTreeSet::from(["kiwi".to_owned(), "koala".to_owned()]))
    );
    // Following winners only misses the name under the losing level...
    let winner = levels.iter().map(|(_, id)| *id).min().unwrap();
    let winners_only = names(&tree.list("k", Follow::Winners, 100));
    assert_eq!(winners_only.len(), 4);
    // ...until its publisher plans it again, which moves it onto the winner.
    let (loser_name, loser_target, loser_who) = if winners_only.contains("kiwi") {
        (nb, tb, &b)
    } else {
        (na, ta, &a)
    };
    let again = tree.replan(loser_who, &loser_name, &loser_target, 3);
    match &again {
        Plan::Post(docs) => {
            assert_eq!(docs.len(), 1, "no new level: the winner exists");
            assert!(
                matches!(Entry::of(&docs[0]), Some(Entry::Name { level, .. }) if level == winner)
            );
        }
        other => panic!("expected a move, got {other:?}"),
    }
    tree.apply(again);
    assert_eq!(names(&tree.list("k", Follow::Winners, 100)).len(), 5);
    assert_eq!(
        tree.list("k", Follow::All, 100).len(),
        5,
        "the union lists each name once"
    );
    assert!(matches!(
        tree.replan(loser_who, &loser_name, &loser_target, 3),
        Plan::Published { .. }
    ));
}

#[test]
fn malformed_directory_documents_are_ignored() {
    let (me, mallory) = (identity(5), identity(6));
    let mut tree = Tree::new(&me);
    let target = tree.publish(&me, "apple", 16);
    let root = tree.root;
    // A level claiming a two-character prefix directly under the root.
    tree.view
        .add(schema::level_document(&mallory, root, root, "zz", 2));
    // A name whose key does not start with its level's prefix.
    let bad_level = schema::level_document(&mallory, root, root, "b", 1);
    let bad_level_id = bad_level.id();
    tree.view.add(bad_level);
    tree.view.add(schema::name_document(
        &mallory,
        root,
        bad_level_id,
        &Name::new("cherry").unwrap(),
        target,
    ));
    // A name for another directory.
    tree.view.add(schema::name_document(
        &mallory,
        bad_level_id,
        root,
        &Name::new("date").unwrap(),
        target,
    ));
    // A name header that is not JSON.
    tree.view.add(
        DocumentBuilder::new("x")
            .link(root, target, cliqueclique_doc::LinkDirection::Natural)
            .header("X-Cc-Dir", "name")
            .header("X-Cc-Dir-Root", root.to_string())
            .header("X-Cc-Dir-Name", "eggplant")
            .build(&mallory),
    );
    let listed: Vec<String> = tree
        .list("", Follow::All, 100)
        .into_iter()
        .map(|l| l.name)
        .collect();
    assert_eq!(listed, ["apple"]);
    assert!(tree.list("zz", Follow::All, 100).is_empty());
    assert!(tree.list("c", Follow::All, 100).is_empty());
}

#[test]
fn names_keep_case_spaces_and_accents_and_prefixes_ignore_case() {
    let me = identity(7);
    let mut tree = Tree::new(&me);
    for w in ["Été à Paris", "été", "New  York\t", "Newark", "NEW"] {
        tree.publish(&me, w, 1);
    }
    let names = |tree: &mut Tree, p: &str| -> Vec<String> {
        tree.list(p, Follow::Winners, 100)
            .into_iter()
            .map(|l| l.name)
            .collect()
    };
    assert_eq!(names(&mut tree, "ÉTÉ"), ["été", "Été à Paris"]);
    assert_eq!(names(&mut tree, "été "), ["Été à Paris"]);
    assert_eq!(names(&mut tree, "new"), ["NEW", "New York", "Newark"]);
    assert_eq!(names(&mut tree, "new "), ["New York"]);
    assert!(Name::new(" \t ").is_err());
    assert!(Name::new(&"x".repeat(201)).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any set of names, any bucket, any page size: the pages under any prefix are exactly the
    /// names with that prefix, sorted, each once.
    #[test]
    fn listing_matches_a_filter_of_all_names(
        raw in prop::collection::btree_set("[a-c]{1,6}( [a-c]{1,2})?", 1..40),
        bucket in 1usize..5,
        limit in 1usize..9,
        prefix in "[a-c]{0,3}",
    ) {
        let me = identity(8);
        let mut tree = Tree::new(&me);
        for w in &raw {
            tree.publish(&me, w, bucket);
        }
        let mut expected: Vec<String> = raw
            .iter()
            .filter(|w| w.starts_with(prefix.as_str()))
            .cloned()
            .collect();
        expected.sort();
        let listed: Vec<String> = tree
            .list(&prefix, Follow::Winners, limit)
            .into_iter()
            .map(|l| l.key)
            .collect();
        prop_assert_eq!(listed, expected);
    }
}
