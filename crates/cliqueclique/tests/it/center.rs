//! (d) The center installation stops for good: the others elect a new center and keep delivering.

use crate::support::{Installation, eventually, join};
use cliqueclique_daemon::api::{DocId, NodeId};

async fn center(x: &Installation, node: &str, doc: DocId) -> Option<NodeId> {
    x.show(node, doc).await?.state.map(|s| s.center)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_others_elect_a_new_center_when_the_center_leaves() {
    let mut a = Installation::start("a").await;
    let b = Installation::start("b").await;
    let c = Installation::start("c").await;
    let d = Installation::start("d").await;
    let a_node = a.create_node("a").id;
    let mut ids = Vec::new();
    for (x, name) in [(&b, "b"), (&c, "c"), (&d, "d")] {
        ids.push(x.create_node(name).id);
    }
    let root = a
        .post("a", "Centered", "a is the center: it wrote this", None)
        .await;
    join(&b, "b", &a, root);
    join(&c, "c", &b, root);
    join(&d, "d", &b, root);
    let others = [(&b, "b"), (&c, "c"), (&d, "d")];
    for (x, node) in others {
        eventually(&format!("{node} follows a"), || async {
            center(x, node, root).await == Some(a_node)
        })
        .await;
    }

    // A stops for good.
    let status = a.terminate();
    assert!(status.success(), "a stops cleanly on SIGTERM: {status}");
    drop(a);

    // The best remaining candidate (all are subscribed, none is the author: the largest id) wins.
    let expected = *ids.iter().max().expect("three ids");
    for (x, node) in others {
        eventually(&format!("{node} follows the new center"), || async {
            center(x, node, root).await == Some(expected)
        })
        .await;
    }

    // Comments still travel between the remaining installations.
    let comment = d
        .post("d", "Still talking", "after the center left", Some(root))
        .await;
    for (x, node) in [(&b, "b"), (&c, "c")] {
        eventually(&format!("{node} gets d's comment"), || async {
            x.holds(node, comment).await
        })
        .await;
    }
    let reply = c.post("c", "Re: Still talking", "yes", Some(comment)).await;
    eventually("d gets c's reply", || async { d.holds("d", reply).await }).await;
}
