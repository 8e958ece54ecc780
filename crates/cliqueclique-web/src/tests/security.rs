//! The guard: security headers, cross-site and DNS-rebinding refusals, static files.

use super::harness::{Browser, Harness};
use crate::Settings;
use axum::http::{Method, StatusCode};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_cross_site_and_host() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    let script = ann.get(&h, "/static/app.js").await;
    assert_eq!(script.status, StatusCode::OK);
    assert!(
        script.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let page = ann.get(&h, "/setup").await;
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(page.headers["x-frame-options"], "DENY");
    assert_eq!(page.headers["x-content-type-options"], "nosniff");
    assert!(page.body.contains("<script src=\"/static/app.js\""));
    assert!(!page.body.contains("<script>"), "no inline script");
    let session = page.headers["set-cookie"].to_str().unwrap();
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"));

    // Another site cannot post to the local API or the pages.
    let body = br#"{"name": "evil"}"#.to_vec();
    for extra in [
        [("origin", "http://evil.example")],
        [("sec-fetch-site", "cross-site")],
    ] {
        let answer = ann
            .send(
                &h,
                Method::POST,
                "/api/nodes",
                Some("text/plain"),
                body.clone(),
                &extra,
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
    }
    let same = ann
        .send(
            &h,
            Method::POST,
            "/api/nodes",
            Some("application/json"),
            body,
            &[("origin", "http://127.0.0.1:8080")],
        )
        .await;
    assert_eq!(same.status, StatusCode::OK, "{}", same.body);
    // A rebinding name is refused on a local node.
    let rebound = ann
        .send(
            &h,
            Method::GET,
            "/api/status",
            None,
            Vec::new(),
            &[("host", "evil.example:8080")],
        )
        .await;
    assert_eq!(rebound.status, StatusCode::FORBIDDEN);
    h.stop().await;
}
