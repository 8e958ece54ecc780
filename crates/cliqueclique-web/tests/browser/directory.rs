//! A directory between two installations through the UI: Ann creates it and publishes documents
//! under names; Bob joins its root on his join page, finds a name by typing a prefix on the
//! browse page (results as he types), opens it, and finds it again with the header's search box.

use crate::support::*;
use cliqueclique_web::Settings;
use fantoccini::Locator;
use fantoccini::key::Key;

/// Publishes document `doc` under `name` in directory `root` from the document page.
async fn publish(client: &fantoccini::Client, site: &Site, doc: &str, root: &str, name: &str) {
    client.goto(&format!("{}/d/{doc}", site.url)).await.unwrap();
    let select = client.find(Locator::Css("#publish-root")).await.unwrap();
    select.select_by_value(root).await.unwrap();
    fill(client, "#publish-name", name).await;
    screenshot(client, "document-publish").await;
    click(client, "#publish").await;
    until("the directory page", || async {
        path(client).await.starts_with("/dir/")
    })
    .await;
}

/// The names listed on the browse page.
async fn names(client: &fantoccini::Client) -> String {
    match client.find(Locator::Css("#names")).await {
        Ok(list) => list.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Presses Enter in a field.
async fn enter(client: &fantoccini::Client, css: &str) {
    let key: char = Key::Enter.into();
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(&key.to_string())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_on_one_installation_find_by_prefix_on_another() {
    let Some(driver) = driver().await else {
        return;
    };
    let ann_site = Site::start("dir-ann", Settings::local()).await;
    let bob_site = Site::start("dir-bob", Settings::local()).await;
    let ann = browser(&driver).await;
    let bob = browser(&driver).await;

    // Ann creates a directory on the directories page.
    set_up(&ann, &ann_site, "ann").await;
    ann.goto(&format!("{}/directories", ann_site.url))
        .await
        .unwrap();
    fill(&ann, "#dir-title", "Recipes").await;
    fill(&ann, "#dir-description", "Dishes by name").await;
    click(&ann, "#dir-create").await;
    until("the new directory's page", || async {
        path(&ann).await.starts_with("/dir/")
    })
    .await;
    let root = text_when(&ann, "the directory's id", "#dir-id").await;
    assert_eq!(root.len(), 52, "{root}");

    // She writes two documents and publishes them under names from their pages.
    let pie = compose(
        &ann,
        &ann_site,
        None,
        "Apple pie",
        "Apples, butter, flour.",
        "text/plain; charset=utf-8",
    )
    .await;
    let jam = compose(
        &ann,
        &ann_site,
        None,
        "Apricot jam",
        "Apricots and sugar.",
        "text/plain; charset=utf-8",
    )
    .await;
    publish(&ann, &ann_site, &pie, &root, "Apple pie").await;
    assert!(names(&ann).await.contains("Apple pie"));
    publish(&ann, &ann_site, &jam, &root, "Apricot jam").await;
    assert!(names(&ann).await.contains("Apricot jam"));
    ann.goto(&format!("{}/directories", ann_site.url))
        .await
        .unwrap();
    assert!(text(&ann).await.contains("Recipes"));
    screenshot(&ann, "directories").await;

    // Bob joins the directory's root through his join page.
    set_up(&bob, &bob_site, "bob").await;
    bob.goto(&format!("{}/join", bob_site.url)).await.unwrap();
    let invite = format!("cliqueclique:{root}?via={}", ann_site.address);
    fill(&bob, "#invite", &invite).await;
    click(&bob, "#join").await;
    let joined = format!("/t/{root}");
    until("bob's join to finish", || async {
        path(&bob).await == joined
    })
    .await;

    // He types a prefix on the browse page: the list follows as he types.
    bob.goto(&format!("{}/dir/{root}", bob_site.url))
        .await
        .unwrap();
    assert!(text(&bob).await.contains("Recipes"));
    fill(&bob, "#prefix", "apr").await;
    until("the names below “apr”", || async {
        let listed = names(&bob).await;
        listed.contains("Apricot jam") && !listed.contains("Apple pie")
    })
    .await;
    assert!(
        path(&bob).await.starts_with(&format!("/dir/{root}")),
        "the page stayed"
    );
    screenshot(&bob, "directory-browse").await;
    fill(&bob, "#prefix", "ap").await;
    until("the names below “ap”", || async {
        let listed = names(&bob).await;
        listed.contains("Apricot jam") && listed.contains("Apple pie")
    })
    .await;
    fill(&bob, "#prefix", "apr").await;
    until("the names below “apr” again", || async {
        !names(&bob).await.contains("Apple pie")
    })
    .await;
    let link = bob.find(Locator::LinkText("Apricot jam")).await.unwrap();
    assert_eq!(
        link.attr("href").await.unwrap().as_deref(),
        Some(format!("/d/{jam}").as_str())
    );
    link.click().await.unwrap();
    until("the named document", || async {
        path(&bob).await == format!("/d/{jam}")
    })
    .await;
    assert!(text(&bob).await.contains("Apricots and sugar."));

    // The header's search box finds it among the documents Bob now holds.
    fill(&bob, "#header-q", "apricot*").await;
    enter(&bob, "#header-q").await;
    until("the search results", || async {
        path(&bob).await == "/search"
    })
    .await;
    until("the hit", || async {
        text(&bob).await.contains("Apricot jam")
    })
    .await;
    screenshot(&bob, "search").await;
    // A mistake is shown with its place marked.
    fill(&bob, "#q", "jam is:fresh").await;
    click(&bob, "#search-go").await;
    let marked = text_when(&bob, "the query's mistake", "#query-pointed mark").await;
    assert!(!marked.is_empty());
    screenshot(&bob, "search-mistake").await;

    ann.close().await.unwrap();
    bob.close().await.unwrap();
    ann_site.stop().await;
    bob_site.stop().await;
}
