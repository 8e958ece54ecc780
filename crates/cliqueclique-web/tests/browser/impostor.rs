//! The impostor in the browser: mallory names her node "ann" and answers in ann's forum. On
//! bob's thread page both authors show their identicon and their fingerprint, which differ, and
//! the name-collision warning; after bob mutes mallory from her post's page, her post is collapsed.

use crate::support::*;
use cliqueclique_web::Settings;
use fantoccini::{Client, Locator};

/// The distinct fingerprints and the number of identicons and warnings on the open page.
async fn identities(client: &Client) -> (Vec<String>, u64, u64) {
    let found = client
        .execute(
            "var f = Array.from(document.querySelectorAll('.fingerprint')).map(function (e) { return e.textContent; });\
             return [Array.from(new Set(f)).sort(), document.querySelectorAll('[data-author] svg').length, document.querySelectorAll('.name-warning').length];",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_impostor_shows_apart_and_muting_collapses_her() {
    let Some(driver) = driver().await else {
        return;
    };
    let sites = [
        Site::start("ann", Settings::local()).await,
        Site::start("bob", Settings::local()).await,
        Site::start("mallory", Settings::local()).await,
    ];
    let [ann_site, bob_site, mallory_site] = &sites;
    let ann = browser(&driver).await;
    let bob = browser(&driver).await;
    let mallory = browser(&driver).await;
    let plain = "text/plain; charset=utf-8";

    set_up(&ann, ann_site, "ann").await;
    let root = compose(&ann, ann_site, None, "Gardening", "About gardens.", plain).await;
    set_up(&bob, bob_site, "bob").await;
    join_through(&bob, bob_site, ann_site, &root).await;
    set_up(&mallory, mallory_site, "ann").await;
    join_through(&mallory, mallory_site, bob_site, &root).await;
    let fake = compose(
        &mallory,
        mallory_site,
        Some(&root),
        "Password check",
        "send your password to me",
        plain,
    )
    .await;

    let selector = format!("#c-{fake}");
    until("the impostor's post at bob's, with the warning", || async {
        bob.goto(&format!("{}/t/{root}", bob_site.url))
            .await
            .unwrap();
        bob.find(Locator::Css(&selector)).await.is_ok() && identities(&bob).await.2 > 0
    })
    .await;
    let (fingerprints, icons, warnings) = identities(&bob).await;
    assert_eq!(
        fingerprints.len(),
        2,
        "two keys, two fingerprints: {fingerprints:?}"
    );
    assert!(icons >= 2, "an identicon beside each author ({icons})");
    assert!(warnings >= 1);
    screenshot(&bob, "impostor").await;

    // Bob mutes her from her post's page; the thread page collapses her post.
    bob.goto(&format!("{}/d/{fake}", bob_site.url))
        .await
        .unwrap();
    click(&bob, "#about-author summary").await;
    click(&bob, "#toggle-mute").await;
    let collapsed = format!("#c-{fake} > details.hidden-doc:not([open])");
    until("the muted post collapsed", || async {
        bob.goto(&format!("{}/t/{root}", bob_site.url))
            .await
            .unwrap();
        bob.find(Locator::Css(&collapsed)).await.is_ok()
    })
    .await;
    screenshot(&bob, "impostor-muted").await;

    for client in [ann, bob, mallory] {
        client.close().await.unwrap();
    }
    for site in sites {
        site.stop().await;
    }
}
