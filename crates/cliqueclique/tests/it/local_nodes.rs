//! (b) One installation hosting three local nodes, each acting separately.

use crate::support::{Installation, eventually, thread_ids};
use cliqueclique_daemon::api::{DocId, LinkDirection};

#[tokio::test]
async fn three_local_nodes_act_separately() {
    let server = Installation::start("server").await;
    let alice = server.create_node("alice");
    let bob = server.create_node("bob");
    let carol = server.create_node("carol");
    let listed = server.cli_ok(&["node", "list"]);
    for name in ["alice", "bob", "carol"] {
        assert!(listed.contains(name), "{listed}");
    }

    // With several nodes, a command must say which one acts.
    let refused = server.cli_with_input(&["post", "-s", "who am I"], Some("body"));
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--node"), "{stderr}");
    assert!(
        server.cli(&["status"]).status.success(),
        "status needs no node"
    );
    let unknown = server.cli(&["--node", "dave", "status"]);
    assert_eq!(unknown.status.code(), Some(1), "a node named must exist");
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no local node \"dave\""));
    let unknown = server.cli_with_input(&["--node", "dave", "post", "-s", "x"], Some("x"));
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no local node \"dave\""));

    // Each posts as itself.
    let root: DocId = server
        .cli_ok_with_input(
            &["--node", "alice", "post", "-s", "Alice's forum"],
            Some("welcome"),
        )
        .trim()
        .parse()
        .expect("an id");
    let bobs: DocId = server
        .cli_ok_with_input(
            &["--node", "bob", "post", "-s", "Bob's notes"],
            Some("mine"),
        )
        .trim()
        .parse()
        .expect("an id");
    let view = server
        .show("alice", root)
        .await
        .expect("alice holds her root");
    let contents = view.document.expect("body");
    assert_eq!(contents.author, alice.id);
    assert_eq!(contents.author_name, "alice");
    assert_eq!(
        server
            .show("bob", bobs)
            .await
            .unwrap()
            .document
            .unwrap()
            .author,
        bob.id
    );

    // Nodes are isolated: bob's post is unknown to alice and carol until they join it.
    assert!(server.show("alice", bobs).await.is_none());
    assert!(server.show("carol", root).await.is_none());

    // Bob and carol join alice's forum through their own installation's address: local delivery.
    let out = server.cli_ok(&["--node", "bob", "join", &server.address, &root.to_string()]);
    assert!(out.contains("joined"), "{out}");
    server.cli_ok(&[
        "--node",
        "carol",
        "join",
        &server.address,
        &root.to_string(),
    ]);
    assert!(server.holds("carol", root).await);

    // A reply by carol reaches alice and bob.
    let reply: DocId = server
        .cli_ok_with_input(
            &["--node", "carol", "reply", &root.to_string()],
            Some("hi alice"),
        )
        .trim()
        .parse()
        .expect("an id");
    for node in ["alice", "bob"] {
        eventually(&format!("{node} gets carol's reply"), || async {
            server.holds(node, reply).await
        })
        .await;
    }
    let reply_view = server.show("bob", reply).await.unwrap();
    let reply_contents = reply_view.document.unwrap();
    assert_eq!(reply_contents.author, carol.id);
    assert_eq!(reply_contents.subject, "Re: Alice's forum");
    assert_eq!(reply_contents.body.as_deref(), Some("hi alice"));
    let thread = server.thread("alice", root).await;
    assert_eq!(thread_ids(&thread), vec![root, reply]);
    let shown = server.cli_ok(&["--node", "bob", "show", &reply.to_string()]);
    assert!(
        shown.contains("from:     \"carol\" [") && shown.contains("hi alice"),
        "{shown}"
    );

    // Bob attaches his own post under alice's forum with a link document.
    let link: DocId = server
        .cli_ok(&[
            "--node",
            "bob",
            "link",
            &root.to_string(),
            &bobs.to_string(),
        ])
        .trim()
        .parse()
        .expect("an id");
    for node in ["alice", "carol"] {
        eventually(&format!("{node} gets the link"), || async {
            server.holds(node, link).await
        })
        .await;
    }
    let link_view = server.show("alice", link).await.unwrap().document.unwrap();
    assert_eq!(link_view.link, Some(LinkDirection::Natural));
    assert_eq!(link_view.child, Some(bobs));
    // The attached post travels with the link and shows in the thread as a linked comment.
    for node in ["alice", "carol"] {
        eventually(&format!("{node} gets the attached post"), || async {
            server.holds(node, bobs).await
        })
        .await;
    }
    let tree = server.thread("alice", root).await;
    let attached = tree
        .children
        .iter()
        .find(|e| e.id == bobs)
        .expect("the attached post is in alice's thread");
    assert!(attached.linked);
    assert!(
        !thread_ids(&tree).contains(&link),
        "the link document itself is not listed: {tree:?}"
    );

    // Flags are per node.
    server.cli_ok(&["--node", "bob", "read", &reply.to_string()]);
    server.cli_ok(&["--node", "carol", "bookmark", &root.to_string()]);
    let bob_view = server.show("bob", reply).await.unwrap();
    let alice_view = server.show("alice", reply).await.unwrap();
    assert!(bob_view.flags.read);
    assert!(!alice_view.flags.read);
    assert!(server.show("carol", root).await.unwrap().flags.bookmarked);
    assert!(!server.show("alice", root).await.unwrap().flags.bookmarked);
    assert!(!server.show("bob", root).await.unwrap().flags.bookmarked);
    server.cli_ok(&["--node", "bob", "unsubscribe", &root.to_string()]);
    // Unwanted now, bob's copy goes (its flags are default, so nothing is remembered).
    eventually("bob drops the root", || async {
        server
            .show("bob", root)
            .await
            .is_none_or(|v| !v.flags.subscribed)
    })
    .await;
    assert!(server.show("alice", root).await.unwrap().flags.subscribed);

    // The thread view, as text.
    let text = server.cli_ok(&["--node", "alice", "thread", &root.to_string()]);
    assert!(
        text.contains("Alice's forum") && text.contains("─ Re: Alice's forum"),
        "{text}"
    );

    let status = server.status().await;
    assert_eq!(status.nodes.len(), 3);
    assert!(status.counters["local_batches"] > 0);
    assert_eq!(status.sessions, 0, "local nodes need no transport session");
}
