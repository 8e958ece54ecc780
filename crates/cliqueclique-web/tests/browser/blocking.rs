//! Blocking in the browser: bob and cleo follow ann's forum through ann's installation. Ann
//! blocks bob from his post's page; his post goes from her node, and what he posts next is not
//! stored there, while cleo's posts still arrive.

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_author_s_posts_are_not_stored() {
    let Some(driver) = driver().await else {
        return;
    };
    let (sites, ann, bob, root) = ann_and_bob_in_a_forum(&driver).await;
    let [ann_site, bob_site] = &sites;
    let (cleo_site, cleo) = cleo_joins_through(&driver, ann_site, &root).await;
    let plain = "text/plain; charset=utf-8";
    let first = compose(
        &bob,
        bob_site,
        Some(&root),
        "Hello",
        "bob says hello",
        plain,
    )
    .await;

    until_shown(
        &ann,
        "bob's post at ann's",
        &format!("{}/d/{first}", ann_site.url),
        "#about-author",
    )
    .await;
    click(&ann, "#about-author summary").await;
    let bob_id = text_when(&ann, "bob's key", "#about-author code.id").await;
    click(&ann, "#toggle-block").await;
    until("bob's post gone from ann's node", || async {
        !holds(ann_site, "ann", &first).await
    })
    .await;

    let second = compose(&bob, bob_site, Some(&root), "Again", "bob insists", plain).await;
    let control = compose(
        &cleo,
        &cleo_site,
        Some(&root),
        "Roses",
        "cleo on roses",
        plain,
    )
    .await;
    assert!(
        declined((ann_site, "ann"), &second, (ann_site, "ann"), &control).await,
        "ann's node stored a blocked author's post"
    );
    assert!(
        holds(bob_site, "bob", &second).await,
        "bob has his own post"
    );
    ann.goto(&format!("{}/t/{root}", ann_site.url))
        .await
        .unwrap();
    let page = text(&ann).await;
    assert!(page.contains("cleo on roses"), "{page}");
    assert!(!page.contains("bob insists") && !page.contains("bob says hello"));
    // Ann's node keeps the mark (the API's people view).
    let handle = ann_site.daemon().handle();
    let node = handle.resolve("ann").await.unwrap();
    let marks = handle.person(node, bob_id).await.unwrap();
    assert!(marks.blocked, "{marks:?}");

    for client in [ann, bob, cleo] {
        client.close().await.unwrap();
    }
    for site in sites {
        site.stop().await;
    }
    cleo_site.stop().await;
}
