//! Joins in progress through the API: the overview lists a join whose wait failed with its
//! address, start and last error, and `DELETE …/join` cancels it.

use crate::support::{call, daemon, message};
use axum::http::StatusCode;
use cliqueclique_doc::{DocId, NodeId};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_still_trying_is_in_the_overview_until_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let daemon = daemon(dir.path()).await;
    let (status, json) = call(&daemon, "POST", "/api/nodes", r#"{"name":"ann"}"#).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let ann: NodeId = json["id"].as_str().unwrap().parse().unwrap();
    let doc = DocId::of(b"a forum nobody hands over");
    let address = "tcp://127.0.0.1:9";
    let error =
        cliqueclique_daemon::testing::join_unanswered(&daemon.state(), ann, doc, address).await;

    let (status, json) = call(&daemon, "GET", "/api/nodes/ann/overview", "").await;
    assert_eq!(status, StatusCode::OK);
    let joining = json["joining"].as_array().expect("a list of joins");
    assert_eq!(joining.len(), 1, "{json}");
    assert_eq!(joining[0]["doc"], doc.to_string());
    assert_eq!(joining[0]["address"], address);
    assert!(
        joining[0]["since"].as_u64().is_some_and(|s| s > 0),
        "{json}"
    );
    assert_eq!(joining[0]["last_error"], error.to_string());

    let uri = format!("/api/nodes/ann/documents/{doc}/join");
    let (status, json) = call(&daemon, "DELETE", &uri, "").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json, serde_json::json!([]));
    let (status, json) = call(&daemon, "GET", "/api/nodes/ann/overview", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["joining"], serde_json::json!([]));
    // The node fetches it no more: gone, or kept without `joining` and unsubscribed.
    let (status, json) = call(
        &daemon,
        "GET",
        &format!("/api/nodes/ann/documents/{doc}"),
        "",
    )
    .await;
    if status == StatusCode::OK {
        assert_eq!(json["flags"]["joining"], false, "{json}");
        assert_eq!(json["flags"]["subscribed"], false, "{json}");
    } else {
        assert_eq!(status, StatusCode::NOT_FOUND, "{json}");
    }
    let (status, json) = call(&daemon, "DELETE", &uri, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(message(&json).contains("no join of document"), "{json}");
    daemon.stop().await.unwrap();
}
