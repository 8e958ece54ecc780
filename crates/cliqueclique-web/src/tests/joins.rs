//! A join whose wait failed while the node goes on fetching the forum: Home and the joining page
//! say "still trying ADDRESS since …" with the last error, and Cancel (a form with the CSRF
//! token) stops it.

use super::harness::{Browser, Harness};
use super::pages::node_of;
use crate::Settings;
use axum::http::StatusCode;
use cliqueclique_doc::{DocId, NodeId};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_still_trying_is_shown_with_its_error_and_can_be_cancelled() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let node: NodeId = node_of(&ann.get(&h, "/").await.body).parse().unwrap();
    let doc = DocId::of(b"a forum nobody hands over");
    let address = "tcp://127.0.0.1:9";
    let state = h.daemon.as_ref().unwrap().state();
    let error = cliqueclique_daemon::testing::join_unanswered(&state, node, doc, address).await;

    let home = ann.get(&h, "/").await;
    let joins = &home.body[home.body.find("id=\"joins\"").expect("a list of joins")..];
    let item = &joins[..joins.find("</li>").unwrap()];
    assert!(item.contains(&format!("data-doc=\"{doc}\"")), "{item}");
    assert!(
        item.contains(&format!("still trying {address} since ")),
        "{item}"
    );
    assert!(item.contains(&format!("last error: {error}")), "{item}");
    assert!(
        item.contains(&format!("action=\"/join/{doc}/cancel\"")),
        "{item}"
    );

    let page = ann.get(&h, &format!("/join/{doc}")).await;
    assert!(page.body.contains("id=\"still-trying\""), "{}", page.body);
    assert!(page.body.contains("id=\"cancel-join\""), "{}", page.body);

    let forged = ann
        .form(&h, &format!("/join/{doc}/cancel"), &[("csrf", "forged")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let csrf = ann.csrf(&h).await;
    let cancel = ann
        .form(&h, &format!("/join/{doc}/cancel"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        (cancel.status, cancel.location()),
        (StatusCode::SEE_OTHER, "/")
    );
    let home = ann.get(&h, "/").await;
    assert!(!home.body.contains("id=\"joins\""), "{}", home.body);
    let again = ann
        .form(&h, &format!("/join/{doc}/cancel"), &[("csrf", &csrf)])
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again.body.contains("no join of document"), "{}", again.body);
    h.stop().await;
}
