//! What the router tests share: an in-process daemon and one request through its router.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cliqueclique_daemon::{Daemon, router};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A daemon on loopback with its data in `dir`.
pub(crate) async fn daemon(dir: &std::path::Path) -> Daemon {
    let config = cliqueclique_daemon::testing::config(dir);
    Daemon::start(config).await.expect("daemon starts")
}

/// Sends one request through the router; returns the status and the JSON body.
pub(crate) async fn call(
    daemon: &Daemon,
    method: &str,
    uri: &str,
    body: &str,
) -> (StatusCode, serde_json::Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response = router(daemon.state()).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, json)
}

pub(crate) fn message(json: &serde_json::Value) -> &str {
    json["error"].as_str().unwrap_or("")
}

pub(crate) const SOME_ID: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// Polls `uri` until `done` holds, for at most 30 seconds; returns the last answer.
pub(crate) async fn wait_for(
    daemon: &Daemon,
    uri: &str,
    what: &str,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let (_, json) = call(daemon, "GET", uri, "").await;
        if done(&json) {
            return json;
        }
        assert!(std::time::Instant::now() < deadline, "{what}: {json}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Creates local nodes named `names`; returns their ids.
pub(crate) async fn create_nodes(daemon: &Daemon, names: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for name in names {
        let body = format!(r#"{{"name":"{name}"}}"#);
        let (status, json) = call(daemon, "POST", "/api/nodes", &body).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        ids.push(json["id"].as_str().unwrap().to_owned());
    }
    ids
}

/// `owner` starts a forum and `joiners` join it through the daemon's own address; returns the
/// root's id.
pub(crate) async fn forum(daemon: &Daemon, owner: &str, joiners: &[&str]) -> String {
    let (_, json) = call(
        daemon,
        "POST",
        &format!("/api/nodes/{owner}/documents"),
        r#"{"subject":"Forum","body":"welcome"}"#,
    )
    .await;
    let root = json["id"].as_str().unwrap().to_owned();
    let (_, status) = call(daemon, "GET", "/api/status", "").await;
    let address = status["listening"][0].as_str().unwrap().to_owned();
    for name in joiners {
        let join = format!(r#"{{"address":"{address}","doc":"{root}"}}"#);
        let (code, json) = call(daemon, "POST", &format!("/api/nodes/{name}/join"), &join).await;
        assert_eq!(code, StatusCode::OK, "{json}");
    }
    root
}
