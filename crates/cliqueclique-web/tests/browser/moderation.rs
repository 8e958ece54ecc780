//! Moderation in the browser: bob posts spam into ann's forum; ann, its owner, hides it from its
//! page, and bob's thread page shows it collapsed, "hidden by moderator" ann, still viewable on
//! request. Bob, who moderates nothing, sees no Hide button.

use crate::support::*;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hidden_post_collapses_at_another_installation() {
    let Some(driver) = driver().await else {
        return;
    };
    let (sites, ann, bob, root) = ann_and_bob_in_a_forum(&driver).await;
    let [ann_site, bob_site] = &sites;
    let plain = "text/plain; charset=utf-8";
    let spam = compose(
        &bob,
        bob_site,
        Some(&root),
        "Cheap pills",
        "Buy now, cheap pills.",
        plain,
    )
    .await;
    bob.goto(&format!("{}/d/{spam}", bob_site.url))
        .await
        .unwrap();
    assert!(
        bob.find(Locator::Css("#toggle-hide")).await.is_err(),
        "bob may hide nothing here"
    );

    until("the spam at ann's", || async {
        ann.goto(&format!("{}/d/{spam}", ann_site.url))
            .await
            .unwrap();
        ann.find(Locator::Css("#toggle-hide")).await.is_ok()
    })
    .await;
    click(&ann, "#toggle-hide").await;
    text_when(&ann, "ann's page collapses it", "#hidden-body").await;

    let collapsed = format!("#c-{spam} > details.hidden-doc:not([open])");
    until("the spam collapsed at bob's", || async {
        bob.goto(&format!("{}/t/{root}", bob_site.url))
            .await
            .unwrap();
        bob.find(Locator::Css(&collapsed)).await.is_ok()
    })
    .await;
    let note = bob
        .find(Locator::Css(&format!("#c-{spam} .muted-note")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        note.contains("Hidden by moderator") && note.contains("ann"),
        "{note}"
    );
    screenshot(&bob, "moderation-hidden").await;
    // Viewable on request.
    click(&bob, &format!("#c-{spam} > details > summary")).await;
    let open = format!("#c-{spam} > details[open]");
    until("the hidden post opens", || async {
        bob.find(Locator::Css(&open)).await.is_ok()
    })
    .await;
    assert!(text(&bob).await.contains("Buy now, cheap pills."));

    for client in [ann, bob] {
        client.close().await.unwrap();
    }
    for site in sites {
        site.stop().await;
    }
}
