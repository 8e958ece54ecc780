//! Proof of work in the browser: ann sets her forum's difficulty from its page; bob's reply form
//! then says that posting computes it and about how long that takes, and the reply he posts from
//! it arrives at ann's with an id that carries the work.

use crate::support::*;
use cliqueclique_doc::DocId;
use cliqueclique_doc::document::work;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_from_the_page_carries_the_forum_s_proof_of_work() {
    let Some(driver) = driver().await else {
        return;
    };
    let (sites, ann, bob, root) = ann_and_bob_in_a_forum(&driver).await;
    let [ann_site, bob_site] = &sites;
    let plain = "text/plain; charset=utf-8";

    ann.goto(&format!("{}/t/{root}", ann_site.url))
        .await
        .unwrap();
    fill(&ann, "#work-bits", "12").await;
    click(&ann, "#set-work").await;
    let status = text_when(&ann, "the difficulty", "#work-status").await;
    assert!(status.contains("12 bits"), "{status}");

    // Bob's reply form announces the work once the decision reached him; the script shows it
    // being computed when he posts.
    let reply_form = format!("{}/compose?parent={root}", bob_site.url);
    until_shown(
        &bob,
        "the work announced at bob's",
        &reply_form,
        "#work-notice",
    )
    .await;
    let notice = text_when(&bob, "the notice", "#work-notice").await;
    assert!(
        notice.contains("12 bits") && notice.contains("under a second"),
        "{notice}"
    );
    fill(&bob, "#subject", "Tomatoes").await;
    fill(&bob, "#body", "When do I plant them?").await;
    let progress = bob
        .execute(
            "var form = document.getElementById('send').form;\
             form.addEventListener('submit', function (e) { e.preventDefault(); });\
             document.getElementById('send').click();\
             var p = document.getElementById('work-progress');\
             return [p.hidden, p.textContent];",
            vec![],
        )
        .await
        .unwrap();
    let (hidden, said): (bool, String) = serde_json::from_value(progress).unwrap();
    assert!(
        !hidden && said.contains("Computing the forum's proof of work (12 bits)"),
        "{said}"
    );
    scroll_to(&bob, "#body").await;
    screenshot(&bob, "work-compose").await;

    let reply = compose(
        &bob,
        bob_site,
        Some(&root),
        "Tomatoes",
        "When do I plant them?",
        plain,
    )
    .await;
    let id: DocId = reply.parse().unwrap();
    assert!(work::zero_bits(&id) >= 12, "{reply} lacks the work");
    until_shown(
        &ann,
        "bob's reply at ann's",
        &format!("{}/t/{root}", ann_site.url),
        &format!("#c-{reply}"),
    )
    .await;
    assert!(holds(ann_site, "ann", &reply).await);
    assert!(ann.find(Locator::Css("#work-form")).await.is_ok());

    for client in [ann, bob] {
        client.close().await.unwrap();
    }
    for site in sites {
        site.stop().await;
    }
}
