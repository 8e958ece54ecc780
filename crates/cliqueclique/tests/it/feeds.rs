//! Atom feeds read by Python's feedparser from a running installation: a forum's new threads
//! and a thread's comments, with a hostile HTML comment sanitised.

use crate::support::{Installation, client_present, run_python};
use cliqueclique_daemon::api::{DocId, NewPost, Posted};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feedparser_reads_a_forum_feed_and_a_thread_feed() {
    if !client_present(
        "python3",
        &["-c", "import feedparser"],
        "python3-feedparser",
    ) {
        return;
    }
    let a = Installation::start("a").await;
    a.create_node("a");
    let root: DocId = a.start_forum("The forum", "Welcome.");
    let thread = a.post("a", "A thread", "Let us talk.", Some(root)).await;
    let hostile = NewPost {
        subject: "Re: A thread".into(),
        body: Some("<em>kept</em><script>alert(1)</script><img src=x onerror=alert(2)>".into()),
        content_type: Some("text/html; charset=utf-8".into()),
        parent: Some(thread),
        ..NewPost::default()
    };
    let reply: Posted = a
        .client
        .post("/api/nodes/a/documents", &hostile)
        .await
        .expect("post");
    let base = format!("http://{}", a.client.addr());
    let stdout = run_python(
        "feed_client.py",
        vec![
            base,
            root.to_string(),
            thread.to_string(),
            reply.id.to_string(),
        ],
    )
    .await;
    assert!(stdout.contains("thread feed ok"), "{stdout}");
}
