//! One conversation for everyone: three installations in three browsers. Ann starts a forum and a
//! thread; Bob joins through Ann and replies; Cleo joins through Bob, opens the thread (which
//! fetches it whole) and answers Bob; Ann answers Cleo. The three thread pages then show the same
//! tree, four levels deep, and each says the thread is complete.

use crate::support::*;
use cliqueclique_web::Settings;
use fantoccini::{Client, Locator};

/// The ids of the comments on the open thread page, sorted.
async fn tree_ids(client: &Client) -> Vec<String> {
    let ids = client
        .execute(
            "return Array.from(document.querySelectorAll('#tree li.comment')).map(function (li) { return li.dataset.doc; }).sort();",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(ids).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_pages_show_the_same_tree() {
    let Some(driver) = driver().await else {
        return;
    };
    let sites = [
        Site::start("ann", Settings::local()).await,
        Site::start("bob", Settings::local()).await,
        Site::start("cleo", Settings::local()).await,
    ];
    let [ann_site, bob_site, cleo_site] = &sites;
    let ann = browser(&driver).await;
    let bob = browser(&driver).await;
    let cleo = browser(&driver).await;
    let plain = "text/plain; charset=utf-8";

    set_up(&ann, ann_site, "ann").await;
    let root = compose(&ann, ann_site, None, "Gardening", "About gardens.", plain).await;
    let topic = compose(
        &ann,
        ann_site,
        Some(&root),
        "Tomatoes",
        "When to plant?",
        plain,
    )
    .await;
    set_up(&bob, bob_site, "bob").await;
    join_through(&bob, bob_site, ann_site, &root).await;
    set_up(&cleo, cleo_site, "cleo").await;
    join_through(&cleo, cleo_site, bob_site, &root).await;
    until("the topic on cleo's forum page", || async {
        text(&cleo).await.contains("Tomatoes")
    })
    .await;

    // Bob replies; cleo, who only joined the forum, opens the thread and it arrives whole.
    until("the topic at bob's", || async {
        bob.goto(&format!("{}/t/{topic}", bob_site.url))
            .await
            .unwrap();
        text(&bob).await.contains("When to plant?")
    })
    .await;
    let reply = compose(
        &bob,
        bob_site,
        Some(&topic),
        "Re: Tomatoes",
        "After the frost.",
        plain,
    )
    .await;
    cleo.goto(&format!("{}/t/{topic}", cleo_site.url))
        .await
        .unwrap();
    let selector = format!("#c-{reply}");
    until("bob's reply on cleo's page", || async {
        if cleo.find(Locator::Css(&selector)).await.is_ok() {
            return true;
        }
        cleo.refresh().await.unwrap();
        false
    })
    .await;
    let answer = compose(
        &cleo,
        cleo_site,
        Some(&reply),
        "Re: Tomatoes",
        "Which frost?",
        plain,
    )
    .await;
    let selector = format!("#c-{answer}");
    until("cleo's answer at ann's", || async {
        ann.goto(&format!("{}/t/{topic}", ann_site.url))
            .await
            .unwrap();
        ann.find(Locator::Css(&selector)).await.is_ok()
    })
    .await;
    let last = compose(
        &ann,
        ann_site,
        Some(&answer),
        "Re: Tomatoes",
        "The last one, in May.",
        plain,
    )
    .await;

    let mut expected = vec![reply, answer, last];
    expected.sort();
    for (client, site, name) in [
        (&ann, ann_site, "ann"),
        (&bob, bob_site, "bob"),
        (&cleo, cleo_site, "cleo"),
    ] {
        until(&format!("the whole tree at {name}'s"), || async {
            client
                .goto(&format!("{}/t/{topic}", site.url))
                .await
                .unwrap();
            tree_ids(client).await == expected
        })
        .await;
        let line = text_when(client, "the completeness line", "#completeness").await;
        assert!(
            line.starts_with("complete: 3 documents below"),
            "{name}: {line}"
        );
        let follow = client.find(Locator::Css("#toggle-thread")).await.unwrap();
        assert_eq!(
            follow.attr("data-on").await.unwrap().as_deref(),
            Some("true"),
            "{name} posted in the thread, so follows it"
        );
    }
    screenshot(&cleo, "thread-whole").await;

    for client in [ann, bob, cleo] {
        client.close().await.unwrap();
    }
    for site in sites {
        site.stop().await;
    }
}
