//! Retraction and edits across installations: ann posts into her forum and bob receives it; ann
//! edits it with the CLI and bob shows the new text marked edited; ann retracts it and bob's
//! store keeps no body of any version, while the thread shows "retracted"; carol, who joins
//! afterwards, never sees the old text. Bob cannot revise ann's post.

use crate::support::{Installation, eventually, join};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_and_retractions_reach_every_holder_and_a_late_joiner() {
    let all = Installation::start_each(&["ann", "bob", "carol"]).await;
    let [ann, bob, carol] = &all[..] else {
        unreachable!()
    };
    let root = ann
        .post("ann", "Gardening", "Anything about gardens.", None)
        .await;
    join(bob, "bob", ann, root);
    let post = ann
        .post("ann", "Tomatos", "Plant tomatos in Febuary.", Some(root))
        .await;
    eventually("bob gets ann's post", || async {
        bob.holds("bob", post).await
    })
    .await;

    // Bob may not touch it.
    let prefix = &post.to_string()[..10];
    let refused = bob.cli(&["retract", prefix]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("not yours"), "{stderr}");

    // Ann edits it (by prefix, with a file): bob shows the new text, marked edited.
    let file = ann.dir.join("fixed.txt");
    std::fs::write(&file, "Plant tomatoes in May.").unwrap();
    let edit = ann.cli_ok(&[
        "edit",
        prefix,
        "--subject",
        "Tomatoes",
        "--file",
        file.to_str().unwrap(),
    ]);
    let edit: cliqueclique_doc::DocId = edit.trim().parse().expect("the edit's id");
    eventually("bob shows the edit", || async {
        bob.show("bob", post)
            .await
            .is_some_and(|v| v.superseded_by == Some(edit))
    })
    .await;
    let view = bob.show("bob", post).await.unwrap();
    let newest = view.newest.expect("the newest version");
    assert_eq!(newest.body.as_deref(), Some("Plant tomatoes in May."));
    assert_eq!(newest.subject, "Tomatoes");
    let shown = bob.cli_ok(&["show", &post.to_string()]);
    assert!(
        shown.contains("edited:") && shown.contains("Plant tomatoes in May."),
        "{shown}"
    );
    let thread = bob.cli_ok(&["thread", &root.to_string()]);
    assert!(thread.contains("Tomatoes [edited]"), "{thread}");
    assert!(
        !thread.contains("Tomatos"),
        "the old subject is listed: {thread}"
    );

    // Ann retracts it: bob drops the body of every version and shows "retracted".
    let out = ann.cli_ok(&["retract", prefix]);
    assert!(out.contains("retracted"), "{out}");
    eventually("bob drops the retracted post", || async {
        let view = bob.show("bob", post).await;
        view.is_some_and(|v| v.retracted && v.document.is_none()) && !bob.holds("bob", edit).await
    })
    .await;
    for text in ["Febuary", "May"] {
        let found = bob.cli_ok(&["search", text]);
        assert!(
            !found.contains(&post.to_string()[..8]) && !found.contains(&edit.to_string()[..8]),
            "bob's store still finds {text:?}: {found}"
        );
    }
    let thread = bob.cli_ok(&["thread", &root.to_string()]);
    assert!(thread.contains("(retracted)"), "{thread}");
    assert!(!thread.contains("Tomatoes"), "{thread}");
    let again = ann.cli(&["retract", &post.to_string()]);
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("retracted already"), "{stderr}");

    // Carol joins afterwards through bob: she gets the retraction, never the text.
    join(carol, "carol", bob, root);
    eventually("carol sees the retraction", || async {
        let thread = carol.thread("carol", root).await;
        thread.children.iter().any(|c| c.id == post && c.retracted)
    })
    .await;
    assert!(!carol.holds("carol", post).await);
    assert!(!carol.holds("carol", edit).await);
    let found = carol.cli_ok(&["search", "tomatoes"]);
    assert!(!found.contains(&post.to_string()[..8]), "{found}");
}
