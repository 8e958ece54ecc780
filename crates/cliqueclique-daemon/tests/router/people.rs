//! Other nodes through the API: fingerprints and name collisions in author views, petnames,
//! mutes (documents marked hidden) and blocks (documents let go), kept across a restart.

use super::support::{call, daemon, message};
use axum::http::StatusCode;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn petnames_mutes_blocks_and_name_collisions() {
    let dir = tempfile::tempdir().unwrap();
    let daemon = daemon(dir.path()).await;
    for name in ["ann", "Ann"] {
        let (status, json) = call(
            &daemon,
            "POST",
            "/api/nodes",
            &format!(r#"{{"name":"{name}"}}"#),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{json}");
    }
    let (_, nodes) = call(&daemon, "GET", "/api/nodes", "").await;
    let id_of = |name: &str| {
        nodes
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["name"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let impostor = id_of("Ann");
    let (_, json) = call(
        &daemon,
        "POST",
        "/api/nodes/ann/documents",
        r#"{"subject":"Forum","body":"welcome"}"#,
    )
    .await;
    let root = json["id"].as_str().unwrap().to_owned();
    let (_, status) = call(&daemon, "GET", "/api/status", "").await;
    let address = status["listening"][0].as_str().unwrap().to_owned();
    let join = format!(r#"{{"address":"{address}","doc":"{root}"}}"#);
    let (code, json) = call(&daemon, "POST", "/api/nodes/Ann/join", &join).await;
    assert_eq!(code, StatusCode::OK, "{json}");
    let post =
        format!(r#"{{"subject":"Password","body":"send me your password","parent":"{root}"}}"#);
    let (_, json) = call(&daemon, "POST", "/api/nodes/Ann/documents", &post).await;
    let fake = json["id"].as_str().unwrap().to_owned();
    let thread_uri = format!("/api/nodes/ann/documents/{root}/thread");
    let deadline = Instant::now() + Duration::from_secs(30);
    let thread = loop {
        let (_, thread) = call(&daemon, "GET", &thread_uri, "").await;
        if thread["children"].as_array().is_some_and(|c| !c.is_empty()) {
            break thread;
        }
        assert!(
            Instant::now() < deadline,
            "the impostor's post did not arrive: {thread}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };

    // Two keys claim one name (ignoring case) in the forum: both are flagged, fingerprints differ.
    let real = &thread["author_info"];
    let fake_author = &thread["children"][0]["author_info"];
    assert_eq!(real["name_collision"], true, "{thread}");
    assert_eq!(fake_author["name_collision"], true, "{thread}");
    assert_ne!(real["fingerprint"], fake_author["fingerprint"], "{thread}");
    assert_eq!(fake_author["id"], impostor.as_str());
    assert_eq!(fake_author["fingerprint"].as_str().unwrap().len(), 11);

    // A petname by fingerprint; bad ones are refused.
    let fingerprint = fake_author["fingerprint"].as_str().unwrap().to_owned();
    let mark = |peer: String, body: &'static str| {
        let daemon = &daemon;
        async move {
            call(
                daemon,
                "POST",
                &format!("/api/nodes/ann/people/{peer}"),
                body,
            )
            .await
        }
    };
    let (code, json) = mark(fingerprint.clone(), r#"{"petname":"  the impostor "}"#).await;
    assert_eq!(code, StatusCode::OK, "{json}");
    assert_eq!(json["petname"], "the impostor");
    let (code, json) = mark(fingerprint.clone(), r#"{"petname":"a\u0007b"}"#).await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{json}");
    assert!(message(&json).contains("control"), "{json}");
    let (code, _) = mark("zzzzzzzz".into(), r#"{"muted":true}"#).await;
    assert_eq!(code, StatusCode::NOT_FOUND);
    let (code, _) = mark("not%20an%20id!".into(), r#"{"muted":true}"#).await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    let own = id_of("ann");
    let (code, _) = mark(own, r#"{"muted":true}"#).await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "no marks on oneself");

    // Muted: its documents are marked hidden.
    let (code, _) = mark(impostor.clone(), r#"{"muted":true}"#).await;
    assert_eq!(code, StatusCode::OK);
    let (_, view) = call(
        &daemon,
        "GET",
        &format!("/api/nodes/ann/documents/{fake}"),
        "",
    )
    .await;
    assert_eq!(view["hidden"], true, "{view}");
    assert_eq!(
        view["document"]["author_info"]["petname"], "the impostor",
        "{view}"
    );
    let (_, view) = call(
        &daemon,
        "GET",
        &format!("/api/nodes/ann/documents/{root}"),
        "",
    )
    .await;
    assert_eq!(view["hidden"], false, "{view}");
    let (_, thread) = call(&daemon, "GET", &thread_uri, "").await;
    assert_eq!(thread["children"][0]["hidden"], true, "{thread}");

    // Blocked: its post is let go.
    let (code, json) = mark(impostor.clone(), r#"{"blocked":true}"#).await;
    assert_eq!(code, StatusCode::OK, "{json}");
    assert_eq!(json["blocked"], true);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, thread) = call(&daemon, "GET", &thread_uri, "").await;
        if thread["children"].as_array().is_some_and(Vec::is_empty) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the blocked author's post is still held: {thread}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    daemon.stop().await.unwrap();

    // Everything is kept across a restart.
    let daemon = super::support::daemon(dir.path()).await;
    let (_, people) = call(&daemon, "GET", "/api/nodes/ann/people", "").await;
    let person = &people["people"][0];
    assert_eq!(person["id"], impostor.as_str(), "{people}");
    assert_eq!(person["blocked"], true, "{people}");
    assert_eq!(person["muted"], true, "{people}");
    assert_eq!(person["petname"], "the impostor", "{people}");
    // Cleared marks leave nothing behind.
    for body in [
        r#"{"petname":""}"#,
        r#"{"muted":false}"#,
        r#"{"blocked":false}"#,
    ] {
        let (code, json) = call(
            &daemon,
            "POST",
            &format!("/api/nodes/ann/people/{impostor}"),
            body,
        )
        .await;
        assert_eq!(code, StatusCode::OK, "{json}");
    }
    let (_, people) = call(&daemon, "GET", "/api/nodes/ann/people", "").await;
    assert_eq!(people["people"], serde_json::json!([]), "{people}");
    daemon.stop().await.unwrap();
}
