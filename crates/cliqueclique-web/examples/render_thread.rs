//! Benchmark: the server-side render time of a thread page with 1,000 comments.
//!
//! Starts a real installation (SQLite in a temporary directory), posts a forum root and 1,000
//! comments in a tree (each comment answers the root or one of the earlier comments), then times
//! `GET /t/{root}` through the whole router (session lookup, the node thread building the tree
//! from the database, rendering every body, the template) and the template alone, and prints p50
//! and p95 of each.
//!
//! ```sh
//! cargo run --release -p cliqueclique-web --example render_thread
//! ```

use axum::body::Body;
use axum::http::{Request, header};
use cliqueclique_daemon::Daemon;
use cliqueclique_daemon::api::NewPost;
use cliqueclique_web::{Settings, WebState};
use http_body_util::BodyExt;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const COMMENTS: usize = 1000;
const RUNS: usize = 50;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let config = cliqueclique_daemon::testing::config(dir.path());
    let daemon = Daemon::start(config).await.unwrap();
    let state = daemon.state();
    let account = cliqueclique_web::pages::account::create_owner(
        &state,
        &Default::default(),
        "ann",
        "benchmark pw".into(),
    )
    .await
    .unwrap();
    let node = account.node;
    let root = post(&daemon, node, "A busy forum", None).await;
    let mut ids = vec![root];
    let started = Instant::now();
    for i in 0..COMMENTS {
        // A deterministic tree: every comment answers an earlier document.
        let parent = ids[(i * 7919) % ids.len()];
        let id = post(&daemon, node, &format!("Comment {i}"), Some(parent)).await;
        ids.push(id);
    }
    eprintln!("posted {COMMENTS} comments in {:.1?}", started.elapsed());

    let web = WebState::new(state.clone(), Settings::local());
    let cookie = cliqueclique_web::auth::session::start(&web, account.id)
        .await
        .unwrap();
    let cookie = cookie
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let router = cliqueclique_web::router(state, Settings::local());
    let path = format!("/t/{root}");
    let mut full = Vec::new();
    let mut size = 0;
    for _ in 0..RUNS + 3 {
        let request = Request::get(&path)
            .header(header::HOST, "127.0.0.1")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap();
        let t = Instant::now();
        let response = router.clone().oneshot(request).await.unwrap();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        full.push(t.elapsed());
        size = body.len();
        assert_eq!(
            body.windows(12).filter(|w| w == b"class=\"comme").count(),
            COMMENTS
        );
    }
    let entry = daemon.handle().thread(node, root, true).await.unwrap();
    let mut template = Vec::new();
    for _ in 0..RUNS + 3 {
        let t = Instant::now();
        let html = cliqueclique_web::pages::document::render_thread(&entry).unwrap();
        template.push(t.elapsed());
        assert!(html.len() > COMMENTS * 100);
    }
    println!(
        "{{\"comments\": {COMMENTS}, \"runs\": {RUNS}, \"page_bytes\": {size}, \
         \"request_p50_ms\": {:.2}, \"request_p95_ms\": {:.2}, \
         \"template_p50_ms\": {:.2}, \"template_p95_ms\": {:.2}}}",
        ms(percentile(&mut full, 50)),
        ms(percentile(&mut full, 95)),
        ms(percentile(&mut template, 50)),
        ms(percentile(&mut template, 95)),
    );
    daemon.stop().await.unwrap();
}

async fn post(
    daemon: &Daemon,
    node: cliqueclique_doc::NodeId,
    subject: &str,
    parent: Option<cliqueclique_doc::DocId>,
) -> cliqueclique_doc::DocId {
    let post = NewPost {
        subject: subject.to_owned(),
        body: Some(format!(
            "{subject}: a few sentences of text, *some* of it in markdown, to render like a real comment."
        )),
        content_type: Some("text/markdown; charset=utf-8".into()),
        parent,
        ..NewPost::default()
    };
    daemon.handle().post(node, post).await.unwrap()
}

/// The p-th percentile of the samples after dropping the first three (warm-up).
fn percentile(samples: &mut [Duration], p: usize) -> Duration {
    let samples = &mut samples[3..];
    samples.sort();
    samples[((samples.len() - 1) * p) / 100]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
