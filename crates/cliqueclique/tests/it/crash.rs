//! (c) `kill -9` of a relay installation while comments flow, then a restart: every comment is
//! delivered exactly once, and nothing is lost or duplicated in any store.

use crate::support::{Installation, eventually, join, thread_ids};
use cliqueclique_daemon::api::DocId;
use std::collections::BTreeSet;
use std::time::Duration;

/// Without introductions, the chain stays a chain: B is the only way between A and C.
const CHAIN: &str = "target_peers_per_document = 1";

async fn all_hold(x: &Installation, node: &str, docs: &[DocId]) -> bool {
    for doc in docs {
        if !x.holds(node, *doc).await {
            return false;
        }
    }
    true
}

/// Every comment of the forum appears exactly once in `node`'s thread view.
async fn exactly_once(x: &Installation, node: &str, root: DocId, expected: &[DocId]) {
    let ids = thread_ids(&x.thread(node, root).await);
    let unique: BTreeSet<DocId> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{node} lists a document twice");
    let expected: BTreeSet<DocId> = expected.iter().copied().chain([root]).collect();
    assert_eq!(unique, expected, "{node} holds exactly the forum");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_killed_while_comments_flow_loses_and_duplicates_nothing() {
    let a = Installation::start_with("a", CHAIN).await;
    let mut b = Installation::start_with("b", CHAIN).await;
    let c = Installation::start_with("c", CHAIN).await;
    for (x, name) in [(&a, "a"), (&b, "b"), (&c, "c")] {
        x.create_node(name);
    }
    let root = a.post("a", "Crash course", "root", None).await;
    join(&b, "b", &a, root);
    join(&c, "c", &b, root);
    let c_view = c.show("c", root).await.unwrap();
    assert_eq!(
        c_view.state.unwrap().links.len(),
        1,
        "c's only neighbour is b"
    );

    // Comments flow from both ends while the relay is killed and restarted.
    let c_client = c.client.clone();
    let flow = tokio::spawn(async move {
        let mut posted = Vec::new();
        for i in 0..40 {
            let new = cliqueclique_daemon::api::NewPost {
                subject: format!("c{i}"),
                body: Some("flowing".into()),
                parent: Some(root),
                ..Default::default()
            };
            let answer: cliqueclique_daemon::api::Posted = c_client
                .post("/api/nodes/c/documents", &new)
                .await
                .expect("c posts");
            posted.push(answer.id);
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        posted
    });
    let mut comments = Vec::new();
    for i in 0..5 {
        comments.push(
            a.post("a", &format!("a{i} before"), "flowing", Some(root))
                .await,
        );
    }
    b.kill();
    for i in 0..5 {
        comments.push(
            a.post("a", &format!("a{i} during"), "queued", Some(root))
                .await,
        );
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    b.restart().await;
    for i in 0..5 {
        comments.push(
            a.post("a", &format!("a{i} after"), "flowing again", Some(root))
                .await,
        );
    }
    comments.extend(flow.await.expect("the flow task"));

    for (x, node) in [(&a, "a"), (&b, "b"), (&c, "c")] {
        eventually(&format!("{node} holds every comment"), || async {
            all_hold(x, node, &comments).await
        })
        .await;
    }
    for (x, node) in [(&a, "a"), (&b, "b"), (&c, "c")] {
        exactly_once(x, node, root, &comments).await;
        let status = x.status().await;
        assert_eq!(status.documents, comments.len() + 1, "{node}'s store");
        assert_eq!(status.counters["commit_failures"], 0);
    }
}
