//! Whole threads across installations: ann starts a forum and a thread in it, bob replies, cleo
//! (who joined the forum only) opens the thread, which fetches it whole, and answers bob; ann
//! answers cleo. Everyone who posted in the thread then holds all four levels and says it is
//! complete; a late joiner who follows the thread receives all of it at once.

use crate::support::{Installation, eventually, join, thread_ids};
use cliqueclique_daemon::api::DocId;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_conversation_for_everyone_at_every_depth() {
    let mut all = Vec::new();
    for name in ["ann", "bob", "cleo", "dan"] {
        let installation = Installation::start(name).await;
        installation.create_node(name);
        all.push(installation);
    }
    let [ann, bob, cleo, dan] = &all[..] else {
        unreachable!()
    };
    let root = ann
        .post("ann", "Gardening", "Anything about gardens.", None)
        .await;
    join(bob, "bob", ann, root);
    join(cleo, "cleo", bob, root);

    // Level 1: ann starts a thread; the topic list reaches every member of the forum.
    let topic = ann
        .post("ann", "Tomatoes", "When do I plant them?", Some(root))
        .await;
    for (x, node) in [(bob, "bob"), (cleo, "cleo")] {
        eventually(&format!("{node} gets the topic"), || async {
            x.holds(node, topic).await
        })
        .await;
    }
    // Levels 2 to 4: each reply answers the one before, on another installation.
    let reply = bob
        .post("bob", "Re: Tomatoes", "After the frost.", Some(topic))
        .await;
    // Cleo follows only the topic list; opening the thread fetches it whole.
    eventually("bob's reply reached ann", || async {
        ann.holds("ann", reply).await
    })
    .await;
    cleo.cli_ok(&["--node", "cleo", "thread", &topic.to_string()]);
    eventually("cleo gets bob's reply", || async {
        cleo.holds("cleo", reply).await
    })
    .await;
    let answer = cleo
        .post("cleo", "Re: Tomatoes", "Which frost?", Some(reply))
        .await;
    eventually("ann gets cleo's answer", || async {
        ann.holds("ann", answer).await
    })
    .await;
    let last = ann
        .post("ann", "Re: Tomatoes", "The last one, in May.", Some(answer))
        .await;
    let expected = [topic, reply, answer, last];
    for (x, node) in [(ann, "ann"), (bob, "bob"), (cleo, "cleo")] {
        eventually(&format!("{node} holds the whole thread"), || async {
            let mut ids = thread_ids(&x.thread(node, topic).await);
            ids.sort();
            let mut want = expected.to_vec();
            want.sort();
            ids == want
        })
        .await;
        let view = x.show(node, topic).await.expect("held");
        let status = view.thread.expect("a thread status");
        assert_eq!(status.below, 3, "{node}: {status:?}");
        assert!(status.complete, "{node}: {status:?}");
    }

    // A late joiner follows the thread and receives all of it, every depth at once.
    join(dan, "dan", cleo, root);
    eventually("dan gets the topic", || async {
        dan.holds("dan", topic).await
    })
    .await;
    dan.cli_ok(&["--node", "dan", "subscribe", "--thread", &topic.to_string()]);
    for doc in expected {
        eventually("dan gets every level", || async {
            dan.holds("dan", doc).await
        })
        .await;
    }
    let out = dan.cli_ok(&["--node", "dan", "thread", &topic.to_string()]);
    assert!(out.contains("complete"), "{out}");
    assert!(
        out.contains("The last one") || out.contains("Re: Tomatoes"),
        "{out}"
    );
    let _: DocId = last;
}
