//! Two local installations in two browsers: owner setup, a forum, a join with the invite from its
//! Share box, a reply arriving live, toggles that persist, and document payloads that stay inert.

use crate::support::*;
use cliqueclique_web::Settings;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forum_between_two_installations() {
    let Some(driver) = driver().await else {
        return;
    };
    let ann_site = Site::start("ann", Settings::local()).await;
    let bob_site = Site::start("bob", Settings::local()).await;
    let ann = browser(&driver).await;
    let bob = browser(&driver).await;

    // Ann sets up her installation and starts a forum.
    set_up(&ann, &ann_site, "ann").await;
    screenshot(&ann, "home-empty").await;
    let root = compose(
        &ann,
        &ann_site,
        None,
        "Gardening",
        "Anything about *gardening*.",
        "text/markdown; charset=utf-8",
    )
    .await;
    assert!(text(&ann).await.contains("Gardening"));

    // Ann copies the invite from her forum's Share box; bob pastes it into his join page.
    let invite = value(&ann, "#invite").await;
    assert_eq!(
        invite,
        format!("cliqueclique:{root}?via={}", ann_site.address)
    );
    let copy = ann.find(Locator::Css("button[data-copy]")).await.unwrap();
    assert!(copy.is_displayed().await.unwrap(), "the script shows Copy");
    let warning = text_when(&ann, "the loopback warning", "#share-warning").await;
    assert!(warning.contains("--advertise"), "{warning}");
    screenshot(&ann, "share-box").await;
    set_up(&bob, &bob_site, "bob").await;
    bob.goto(&format!("{}/join", bob_site.url)).await.unwrap();
    fill(&bob, "#invite", &invite).await;
    click(&bob, "#join").await;
    let thread = format!("/t/{root}");
    until("bob's join to finish", || async {
        path(&bob).await == thread
    })
    .await;
    assert!(text(&bob).await.contains("Gardening"));

    // Ann keeps her thread open; Bob's reply appears there without a reload.
    ann.goto(&format!("{}{thread}", ann_site.url))
        .await
        .unwrap();
    ann.execute("window.ccStay = 42; return true;", vec![])
        .await
        .unwrap();
    until("ann's live connection", || async {
        ann.execute("return !document.getElementById('live').hidden;", vec![])
            .await
            .unwrap()
            == serde_json::json!(true)
    })
    .await;
    let reply = compose(
        &bob,
        &bob_site,
        Some(&root),
        "Re: Gardening",
        "Tomatoes need sun.",
        "text/plain; charset=utf-8",
    )
    .await;
    let selector = format!("#c-{reply}");
    until("the reply on ann's open page", || async {
        ann.find(Locator::Css(&selector)).await.is_ok()
    })
    .await;
    let stayed = ann.execute("return window.ccStay;", vec![]).await.unwrap();
    assert_eq!(stayed, serde_json::json!(42), "the page was not reloaded");
    assert!(text(&ann).await.contains("Tomatoes need sun."));
    screenshot(&ann, "thread").await;

    // Toggles persist across reloads.
    ann.goto(&format!("{}/d/{reply}", ann_site.url))
        .await
        .unwrap();
    let bookmark = ann.find(Locator::Css("#toggle-bookmarked")).await.unwrap();
    assert_eq!(
        bookmark.attr("data-on").await.unwrap().as_deref(),
        Some("false")
    );
    bookmark.click().await.unwrap();
    until("the bookmark toggle", || async {
        let b = ann.find(Locator::Css("#toggle-bookmarked")).await.unwrap();
        b.attr("data-on").await.unwrap().as_deref() == Some("true")
    })
    .await;
    click(&ann, "#toggle-subscribed").await;
    until("the subscription toggle", || async {
        let b = ann.find(Locator::Css("#toggle-subscribed")).await.unwrap();
        b.attr("data-on").await.unwrap().as_deref() == Some("true")
    })
    .await;
    ann.refresh().await.unwrap();
    for id in ["#toggle-bookmarked", "#toggle-subscribed", "#toggle-read"] {
        let b = ann.find(Locator::Css(id)).await.unwrap();
        assert_eq!(
            b.attr("data-on").await.unwrap().as_deref(),
            Some("true"),
            "{id}"
        );
    }
    screenshot(&ann, "document").await;
    ann.goto(&ann_site.url).await.unwrap();
    assert!(text(&ann).await.contains("Bookmarks"));
    screenshot(&ann, "home").await;

    // Script in a document never runs, whatever its type.
    let payload = "<p>hi</p><script>document.title='pwned'</script>\
                   <img src=\"/nothing\" onerror=\"document.title='pwned'\">\
                   <a id=\"evil\" href=\"javascript:document.title='pwned'\">click me</a>";
    for format in [
        "text/html; charset=utf-8",
        "text/markdown; charset=utf-8",
        "text/plain; charset=utf-8",
    ] {
        let id = compose(&ann, &ann_site, Some(&root), "payload", payload, format).await;
        for page in [format!("/d/{id}"), thread.clone()] {
            ann.goto(&format!("{}{page}", ann_site.url)).await.unwrap();
            if let Ok(link) = ann.find(Locator::Css("#evil")).await {
                let _ = link.click().await;
            }
            let live = ann
                .execute(
                    "return document.querySelectorAll('.body script, .body [onerror], .body [href^=javascript]').length;",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(live, serde_json::json!(0), "{format} on {page}");
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            let title = ann.execute("return document.title;", vec![]).await.unwrap();
            assert_ne!(title, serde_json::json!("pwned"), "{format} on {page}");
        }
    }

    // The network picture shows both nodes.
    ann.goto(&format!("{}/d/{root}/network", ann_site.url))
        .await
        .unwrap();
    let nodes = ann.find_all(Locator::Css("#network g.node")).await.unwrap();
    assert_eq!(nodes.len(), 2);
    screenshot(&ann, "network").await;

    ann.close().await.unwrap();
    bob.close().await.unwrap();
    ann_site.stop().await;
    bob_site.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_to_an_unreachable_peer_says_so() {
    let Some(driver) = driver().await else {
        return;
    };
    let site = Site::start("lone", Settings::local()).await;
    let client = browser(&driver).await;
    set_up(&client, &site, "lone").await;
    client.goto(&format!("{}/join", site.url)).await.unwrap();
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let invite = format!("cliqueclique:{}?via=tcp://127.0.0.1:{port}", "a".repeat(52));
    fill(&client, "#invite", &invite).await;
    click(&client, "#join").await;
    until("the progress page", || async {
        path(&client).await.starts_with("/join/")
    })
    .await;
    screenshot(&client, "join-progress").await;
    let error = text_when(&client, "the join's error", "#error").await;
    assert!(!error.is_empty());
    client.close().await.unwrap();
    site.stop().await;
}
