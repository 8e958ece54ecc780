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
