//! Router-level tests of the directory and search routes' error paths.

use crate::api::{SOME_ID, call, daemon, message};
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directory_and_search_errors_are_json_with_fitting_status_codes() {
    let dir = tempfile::tempdir().unwrap();
    let daemon = daemon(dir.path()).await;
    let (status, _) = call(&daemon, "POST", "/api/nodes", r#"{"name":"ann"}"#).await;
    assert_eq!(status, StatusCode::OK);

    let (status, json) = call(
        &daemon,
        "POST",
        "/api/nodes/ann/directories",
        r#"{"title":" "}"#,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&json).contains("needs a title"), "{json}");
    let (status, json) = call(
        &daemon,
        "POST",
        "/api/nodes/ann/directories",
        r#"{"title":"T"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let root = json["id"].as_str().unwrap().to_owned();

    // A directory this node does not hold: join it first.
    let uri = format!("/api/nodes/ann/directories/{SOME_ID}/names?prefix=a");
    let (status, json) = call(&daemon, "GET", &uri, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(message(&json).contains("join it first"), "{json}");
    let names = format!("/api/nodes/ann/directories/{root}/names");
    for (query, expected) in [
        ("follow=some", "follow must be"),
        ("after=nonsense", "bad cursor"),
        (
            &format!("prefix={}", "x".repeat(201)) as &str,
            "at most 200",
        ),
    ] {
        let (status, json) = call(&daemon, "GET", &format!("{names}?{query}"), "").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {json}");
        assert!(message(&json).contains(expected), "{query}: {json}");
    }
    // An empty directory lists nothing (after its root settled).
    let (status, json) = call(&daemon, "GET", &names, "").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["names"], serde_json::json!([]));
    // Publishing needs a valid name and a held target.
    let body = format!(r#"{{"name":"  ","target":"{root}"}}"#);
    let (status, json) = call(&daemon, "POST", &names, &body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&json).contains("visible character"), "{json}");
    let body = format!(r#"{{"name":"x","target":"{SOME_ID}"}}"#);
    let (status, json) = call(&daemon, "POST", &names, &body).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(message(&json).contains("post or fetch it first"), "{json}");

    // Search: a bad query is a 400 with its position; a good one answers.
    let (status, json) = call(&daemon, "GET", "/api/nodes/ann/search?q=a%20(b", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&json).contains("at character 3"), "{json}");
    let (status, json) = call(&daemon, "GET", "/api/nodes/ann/search?q=", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&json).contains("empty"), "{json}");
    let uri = "/api/nodes/ann/search?q=header.x-cc-dir%3Adirectory";
    let (status, json) = call(&daemon, "GET", uri, "").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["total"], 1, "{json}");
    assert_eq!(json["hits"][0]["id"].as_str(), Some(root.as_str()));
    daemon.stop().await.unwrap();
}
