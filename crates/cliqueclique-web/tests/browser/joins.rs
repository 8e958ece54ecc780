//! A join still trying, in the browser: Home says which address it tries, since when, and the
//! last error, and its Cancel button ends it.

use crate::support::*;
use cliqueclique_doc::DocId;
use cliqueclique_web::Settings;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_still_trying_shows_on_home_and_is_cancelled_there() {
    let Some(driver) = driver().await else {
        return;
    };
    let site = Site::start("ann", Settings::local()).await;
    let ann = browser(&driver).await;
    set_up(&ann, &site, "ann").await;
    let state = site.daemon().state();
    let id = ann
        .execute(
            "return document.querySelector('[data-node]').dataset.node;",
            vec![],
        )
        .await
        .unwrap();
    let node: cliqueclique_doc::NodeId = id.as_str().unwrap().parse().unwrap();
    let doc = DocId::of(b"a forum nobody hands over");
    let address = "tcp://127.0.0.1:9";
    cliqueclique_daemon::testing::join_unanswered(&state, node, doc, address).await;

    ann.goto(&site.url).await.unwrap();
    let item = text_when(&ann, "the join", &format!("#joins li[data-doc='{doc}']")).await;
    assert!(
        item.contains(&format!("still trying {address} since")) && item.contains("last error"),
        "{item}"
    );
    click(&ann, &format!("#joins li[data-doc='{doc}'] .cancel-join")).await;
    until("the join to be gone", || async {
        path(&ann).await == "/" && ann.find(Locator::Css("#joins")).await.is_err()
    })
    .await;
    assert!(state.handle.joining(node).await.unwrap().is_empty());
    site.stop().await;
}
