//! A public website in two browsers: a second user cannot read or change the first user's flags or
//! post as their node, through the pages or the API.

use crate::support::*;
use cliqueclique_web::{Registration, Settings};
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_user_cannot_act_as_the_first() {
    let Some(driver) = driver().await else {
        return;
    };
    let mut settings = Settings::public("owner-token".into());
    settings.registration = Some(Registration::Open);
    let site = Site::start("public", settings).await;
    let ann = browser(&driver).await;
    let bob = browser(&driver).await;
    set_up(&ann, &site, "ann").await;
    let root = compose(
        &ann,
        &site,
        None,
        "Ann's forum",
        "Hello.",
        "text/plain; charset=utf-8",
    )
    .await;

    bob.goto(&format!("{}/register", site.url)).await.unwrap();
    fill(&bob, "#username", "bob").await;
    fill(&bob, "#password", "another password").await;
    click(&bob, "#submit").await;
    until("bob's home page", || async { path(&bob).await == "/" }).await;
    screenshot(&bob, "public-home").await;

    // Bob's pages act as his node, which does not hold Ann's forum.
    bob.goto(&format!("{}/d/{root}", site.url)).await.unwrap();
    assert!(text(&bob).await.contains("Not Found"));

    // The API from Bob's browser session: Ann's node is out of reach.
    bob.goto(&site.url).await.unwrap();
    let csrf = bob
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .attr("data-csrf")
        .await
        .unwrap()
        .unwrap_or_default();
    let script = r#"
        const [root, csrf, done] = arguments;
        const post = (path, body) => fetch(path, { method: 'POST', body: JSON.stringify(body),
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf } }).then(r => r.status);
        Promise.all([
            fetch('/api/nodes/ann/documents/' + root).then(r => r.status),
            post('/api/nodes/ann/documents/' + root + '/flags', { bookmarked: true, read: true }),
            post('/api/nodes/ann/documents', { subject: 'as ann', body: 'forged' }),
            post('/api/nodes/bob/documents', { subject: 'mine', body: 'fine' }),
        ]).then(done);
    "#;
    let statuses = bob
        .execute_async(
            script,
            vec![serde_json::json!(root), serde_json::json!(csrf)],
        )
        .await
        .unwrap();
    assert_eq!(statuses, serde_json::json!([403, 403, 403, 200]));

    // Ann's flags are as she left them, and nothing was posted as her.
    let node = site.daemon().handle().resolve("ann").await.unwrap();
    let doc = root.parse().unwrap();
    let view = site.daemon().handle().show(node, doc).await.unwrap();
    assert!(!view.flags.bookmarked);
    let overview = site.daemon().handle().overview(node).await.unwrap();
    assert_eq!(overview.forums.len(), 1);
    assert_eq!(overview.forums[0].documents, 1, "no forged post");

    ann.close().await.unwrap();
    bob.close().await.unwrap();
    site.stop().await;
}
