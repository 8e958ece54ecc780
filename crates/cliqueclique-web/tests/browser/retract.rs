//! Edits and retraction in the browser: ann edits her post from its page and bob's thread page
//! shows the new text marked edited; ann retracts it and bob's pages show "retracted" where the
//! text was. Only the author sees the Edit and Retract buttons.

use crate::support::*;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_and_a_retraction_show_at_another_installation() {
    let Some(driver) = driver().await else {
        return;
    };
    let (sites, ann, bob, root) = ann_and_bob_in_a_forum(&driver).await;
    let [ann_site, bob_site] = &sites;
    let plain = "text/plain; charset=utf-8";
    let post = compose(
        &ann,
        ann_site,
        Some(&root),
        "Tomatos",
        "Plant tomatos in Febuary.",
        plain,
    )
    .await;
    let row = format!("#c-{post}");
    until("ann's post at bob's", || async {
        bob.goto(&format!("{}/t/{root}", bob_site.url))
            .await
            .unwrap();
        bob.find(Locator::Css(&row)).await.is_ok()
    })
    .await;
    bob.goto(&format!("{}/d/{post}", bob_site.url))
        .await
        .unwrap();
    assert!(
        bob.find(Locator::Css("#edit")).await.is_err()
            && bob.find(Locator::Css("#retract")).await.is_err(),
        "bob sees buttons to revise ann's post"
    );

    // Ann edits it from its page.
    ann.goto(&format!("{}/d/{post}", ann_site.url))
        .await
        .unwrap();
    click(&ann, "#edit").await;
    fill(&ann, "#subject", "Tomatoes").await;
    fill(&ann, "#body", "Plant tomatoes in May, after the frost.").await;
    click(&ann, "#save-edit").await;
    text_when(&ann, "ann's page marked edited", "#edited").await;

    let edited = format!("{row} .edited");
    until("the edit at bob's", || async {
        bob.goto(&format!("{}/t/{root}", bob_site.url))
            .await
            .unwrap();
        bob.find(Locator::Css(&edited)).await.is_ok()
    })
    .await;
    let page = text(&bob).await;
    assert!(page.contains("Plant tomatoes in May"), "{page}");
    assert!(
        !page.contains("Febuary") && !page.contains("Tomatos"),
        "{page}"
    );
    screenshot(&bob, "retract-edited").await;

    // Ann retracts it; bob's thread and document pages show "retracted" in its place.
    ann.goto(&format!("{}/d/{post}", ann_site.url))
        .await
        .unwrap();
    click(&ann, "#retract").await;
    text_when(&ann, "ann's page marked retracted", "#retracted").await;
    let retracted = format!("{row}.retracted");
    until("the retraction at bob's", || async {
        bob.goto(&format!("{}/t/{root}", bob_site.url))
            .await
            .unwrap();
        bob.find(Locator::Css(&retracted)).await.is_ok()
    })
    .await;
    let page = text(&bob).await;
    assert!(page.contains("Retracted by its author"), "{page}");
    assert!(!page.contains("tomatoes in May"), "{page}");
    screenshot(&bob, "retract-retracted").await;
    bob.goto(&format!("{}/d/{post}", bob_site.url))
        .await
        .unwrap();
    text_when(&bob, "bob's document page says retracted", "#retracted").await;
    assert!(!text(&bob).await.contains("tomatoes"));

    for client in [ann, bob] {
        client.close().await.unwrap();
    }
    for site in sites {
        site.stop().await;
    }
}
