//! The API's error paths and its event stream, through the router of an in-process daemon.

use crate::support::{SOME_ID, call, daemon, message};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use cliqueclique_daemon::{Daemon, router};
use http_body_util::BodyExt;
use tower::ServiceExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_errors_are_json_with_fitting_status_codes() {
    let dir = tempfile::tempdir().unwrap();
    let daemon = daemon(dir.path()).await;

    let (status, json) = call(&daemon, "GET", "/api/nothing", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(message(&json), "no such API endpoint");

    let (status, json) = call(&daemon, "POST", "/api/nodes", "{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&json).starts_with("bad JSON body"), "{json}");
    let (status, json) = call(&daemon, "POST", "/api/nodes", r#"{"name":"a b"}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&json).contains("bad node name"), "{json}");
    let (status, _) = call(&daemon, "POST", "/api/nodes", r#"{"name":"ann"}"#).await;
    assert_eq!(status, StatusCode::OK);
    let (status, json) = call(&daemon, "POST", "/api/nodes", r#"{"name":"ann"}"#).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(message(&json).contains("exists already"), "{json}");

    let (status, json) = call(&daemon, "GET", "/api/nodes/ann/documents/xyz", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&json).contains("bad document id"), "{json}");
    let uri = format!("/api/nodes/bob/documents/{SOME_ID}");
    let (status, json) = call(&daemon, "GET", &uri, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(message(&json), "no local node named \"bob\"");
    let uri = format!("/api/nodes/ann/documents/{SOME_ID}");
    let (status, json) = call(&daemon, "GET", &uri, "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(message(&json).contains("not known to this node"), "{json}");
    let (status, _) = call(&daemon, "GET", &format!("{uri}/export"), "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&daemon, "POST", &format!("{uri}/flags"), r#"{"read":true}"#).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let body = format!(r#"{{"subject":"re","body":"x","parent":"{SOME_ID}"}}"#);
    let (status, json) = call(&daemon, "POST", "/api/nodes/ann/documents", &body).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(message(&json).contains("referenced document"), "{json}");
    let body = r#"{"subject":"s","body_base64":"***"}"#;
    let (status, json) = call(&daemon, "POST", "/api/nodes/ann/documents", body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&json).contains("base64"), "{json}");
    let (status, json) = call(&daemon, "POST", "/api/nodes/ann/import", "garbage").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&json).contains("not a valid export"), "{json}");

    let join = |address: &str| {
        format!(r#"{{"address":"{address}","doc":"{SOME_ID}","timeout_ms":20000}}"#)
    };
    let (status, json) = call(&daemon, "POST", "/api/nodes/ann/join", &join("nowhere")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&json).contains("bad address"), "{json}");
    // A port nobody listens on: fails fast and says so.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let (status, json) = call(
        &daemon,
        "POST",
        "/api/nodes/ann/join",
        &join(&format!("tcp://127.0.0.1:{port}")),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{json}");
    assert!(message(&json).contains("cannot connect"), "{json}");

    // A second daemon on the same data directory is refused.
    let dir_path = dir.path().to_owned();
    let config = cliqueclique_daemon::testing::config(&dir_path);
    let error = Daemon::start(config).await.err().expect("refused");
    assert!(
        format!("{error:#}").contains("another cliqueclique daemon"),
        "{error:#}"
    );
    daemon.stop().await.unwrap();
}

#[tokio::test]
async fn a_joined_document_missing_at_the_address_is_a_clear_error() {
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let a = daemon(dir_a.path()).await;
    let b = daemon(dir_b.path()).await;
    for d in [&a, &b] {
        let (status, _) = call(d, "POST", "/api/nodes", r#"{"name":"n"}"#).await;
        assert_eq!(status, StatusCode::OK);
    }
    let address = a.state().listening[0].clone();
    let body = format!(r#"{{"address":"{address}","doc":"{SOME_ID}"}}"#);
    let (status, json) = call(&b, "POST", "/api/nodes/n/join", &body).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{json}");
    assert!(message(&json).contains("holds no copy"), "{json}");
    b.stop().await.unwrap();
    a.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_stream_as_server_sent_events() {
    let dir = tempfile::tempdir().unwrap();
    let daemon = daemon(dir.path()).await;
    for name in ["a", "b"] {
        let (status, _) = call(
            &daemon,
            "POST",
            "/api/nodes",
            &format!(r#"{{"name":"{name}"}}"#),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, posted) = call(
        &daemon,
        "POST",
        "/api/nodes/a/documents",
        r#"{"subject":"root","body":"hello"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let root = posted["id"].as_str().unwrap().to_owned();

    let request = Request::builder()
        .uri("/api/events?node=b")
        .body(Body::empty())
        .unwrap();
    let response = router(daemon.state()).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.into_body();

    let address = daemon.state().listening[0].clone();
    let join = format!(r#"{{"address":"{address}","doc":"{root}"}}"#);
    let (status, json) = call(&daemon, "POST", "/api/nodes/b/join", &join).await;
    assert_eq!(status, StatusCode::OK, "{json}");

    let mut seen = String::new();
    let arrived = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.unwrap().into_data() {
                seen.push_str(&String::from_utf8_lossy(&data));
                if seen.contains("event: document_arrived") && seen.contains(&root) {
                    return;
                }
            }
        }
    })
    .await;
    assert!(arrived.is_ok(), "no document_arrived event for b: {seen}");
    daemon.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_need_words_are_read_by_their_author_and_resolve_by_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let daemon = daemon(dir.path()).await;
    let (status, _) = call(&daemon, "POST", "/api/nodes", r#"{"name":"ann"}"#).await;
    assert_eq!(status, StatusCode::OK);
    let handle = &daemon;
    let post = move |body: String| async move {
        call(handle, "POST", "/api/nodes/ann/documents", &body).await
    };

    // Blank subjects and bodies are refused; attachments and links need no body.
    for (body, refused) in [
        (r#"{"subject":" ","body":"text"}"#, "the subject is empty"),
        (r#"{"subject":"s"}"#, "the body is empty"),
        (r#"{"subject":"s","body":" \n"}"#, "the body is empty"),
        (r#"{"subject":"s","body_base64":""}"#, "the body is empty"),
    ] {
        let (status, json) = post(body.to_owned()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(message(&json).starts_with(refused), "{body}: {json}");
    }
    let (status, json) = post(r#"{"subject":"Forum","body":"words"}"#.to_owned()).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let root = json["id"].as_str().unwrap().to_owned();
    let file = format!(
        r#"{{"subject":"A file","body":"","parent":"{root}","attachments":[{{"filename":"a.txt","data":"aGk="}}]}}"#
    );
    let (status, json) = post(file).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let attached = json["id"].as_str().unwrap().to_owned();
    let link = format!(r#"{{"subject":"link","parent":"{root}","link_child":"{attached}"}}"#);
    let (status, json) = post(link).await;
    assert_eq!(status, StatusCode::OK, "{json}");

    // Everything ann posted is read for her.
    for doc in [&root, &attached] {
        let (_, json) = call(
            &daemon,
            "GET",
            &format!("/api/nodes/ann/documents/{doc}"),
            "",
        )
        .await;
        assert_eq!(json["flags"]["read"], true, "{json}");
    }
    let (_, overview) = call(&daemon, "GET", "/api/nodes/ann/overview", "").await;
    assert_eq!(overview["forums"][0]["unread"], 0, "{overview}");

    // Prefixes: the full id's beginning finds it, a foreign one finds nothing, a bad one is 400.
    let uri = format!("/api/nodes/ann/resolve/{}", root[..6].to_uppercase());
    let (status, json) = call(&daemon, "GET", &uri, "").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["prefix"], root[..6], "{json}");
    assert!(json["total"].as_u64().unwrap() >= 1, "{json}");
    let ids: Vec<&str> = json["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&root.as_str()), "{json}");
    assert!(ids.iter().all(|id| id.starts_with(&root[..6])), "{json}");
    let (_, json) = call(&daemon, "GET", "/api/nodes/ann/resolve/", "").await;
    assert!(json.get("matches").is_none(), "no empty prefix: {json}");
    let everything = format!("/api/nodes/ann/resolve/{}", &root[..1]);
    let (_, json) = call(&daemon, "GET", &everything, "").await;
    assert!(json["total"].as_u64().unwrap() >= 1, "{json}");
    let (status, json) = call(&daemon, "GET", "/api/nodes/ann/resolve/a-b", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&json).contains("bad id prefix"), "{json}");
    let (status, _) = call(&daemon, "GET", "/api/nodes/bob/resolve/abc", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    daemon.stop().await.unwrap();
}
