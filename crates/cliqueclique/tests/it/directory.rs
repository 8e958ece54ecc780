//! (f) Directories and search across two installations: names published on A are found by
//! prefix on B, which knows only A's address and the directory's root, and fetches only the
//! levels its prefixes lead through; both search what they hold.

use std::collections::BTreeSet;

use crate::support::{Installation, join};
use cliqueclique_daemon::api::{DocId, NamePage, SearchResults, Status};

fn names_of(out: &str) -> BTreeSet<String> {
    out.lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(_, name)| name.to_owned())
        .collect()
}

fn documents(status: &Status) -> u64 {
    status.nodes.iter().map(|n| n.documents as u64).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_published_on_one_installation_are_found_by_prefix_on_another() {
    let a = Installation::start("dir-a").await;
    let b = Installation::start("dir-b").await;
    a.create_node("ann");
    b.create_node("bob");

    let root: DocId = a
        .cli_ok(&["dir", "create", "Fruit", "--description", "names of fruit"])
        .trim()
        .parse()
        .expect("a root id");
    let mut published = BTreeSet::new();
    for fruit in ["apple", "banana", "cherry"] {
        for n in 1..=20 {
            let name = format!("{fruit} {n}");
            let out = a.cli_ok_with_input(
                &["dir", "publish", &root.to_string(), &name],
                Some(&format!("All about {fruit} number {n}.")),
            );
            assert!(out.trim_end().ends_with(&name), "{out}");
            published.insert(name);
        }
    }
    // Publishing an existing document under a name it already has changes nothing.
    let again = a.cli_ok(&["--json", "dir", "ls", &root.to_string(), "apple 7"]);
    let page: NamePage = serde_json::from_str(&again).expect("a page");
    let seven = &page.names[0];
    let out = a.cli_ok(&[
        "--json",
        "dir",
        "publish",
        &root.to_string(),
        "apple 7",
        &seven.target.to_string(),
    ]);
    assert!(out.contains(&seven.link.to_string()), "{out}");

    // A lists everything, in key order, in pages of 7.
    let all = a.cli_ok(&["dir", "ls", &root.to_string(), "--limit", "7", "--all"]);
    assert_eq!(names_of(&all), published);

    // B joins the directory's root through A's address, then looks up prefixes.
    join(&b, "bob", &a, root);
    let before = documents(&b.status().await);
    let out = b.cli_ok(&["dir", "ls", &root.to_string(), "Banana 1"]);
    let expected: BTreeSet<String> = std::iter::once("banana 1".to_owned())
        .chain((10..=19).map(|n| format!("banana {n}")))
        .collect();
    assert_eq!(names_of(&out), expected, "{out}");
    // B fetched the levels on that path and what hangs there, not the whole directory.
    let held = documents(&b.status().await);
    let on_a = documents(&a.status().await);
    assert!(held > before, "B fetched levels");
    assert!(held < on_a, "B holds {held} documents, A {on_a}");
    let out = b.cli_ok(&["dir", "ls", &root.to_string(), "apple 2"]);
    assert_eq!(
        names_of(&out),
        BTreeSet::from(["apple 2".to_owned(), "apple 20".to_owned()])
    );
    assert!(names_of(&b.cli_ok(&["dir", "ls", &root.to_string(), "durian"])).is_empty());

    // Search: A finds its documents by body words; B finds those it fetched.
    let out = a.cli_ok(&["--json", "search", "number", "is:own", "!is:link"]);
    let results: SearchResults = serde_json::from_str(&out).expect("results");
    assert_eq!(results.total, 60, "{out}");
    let out = b.cli_ok(&["--json", "search", "banana*", "number", "19"]);
    let results: SearchResults = serde_json::from_str(&out).expect("results");
    assert_eq!(results.hits.len(), 1, "{out}");
    assert_eq!(results.hits[0].subject, "banana 19");
    // The directory's levels are documents like any other: header queries find them.
    let out = a.cli_ok(&["--json", "search", "header.x-cc-dir:level"]);
    let results: SearchResults = serde_json::from_str(&out).expect("results");
    assert!(results.total >= 2, "the tree grew levels: {out}");
    // A bad query is refused with the position of the mistake.
    let output = a.cli(&["search", "is:fresh"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("`fresh` is not a flag"), "{stderr}");
}
