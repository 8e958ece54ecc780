//! Retraction and edits through the API: a second local node sees an edit as the newest version
//! marked by `superseded_by`, then `retracted` with no body; only the author may do either.

use super::support::{call, create_nodes, daemon, forum, message, wait_for};
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_and_retractions_reach_another_node() {
    let dir = tempfile::tempdir().unwrap();
    let daemon = daemon(dir.path()).await;
    create_nodes(&daemon, &["ann", "bob"]).await;
    let root = forum(&daemon, "ann", &["bob"]).await;
    let post = format!(r#"{{"subject":"Typo","body":"teh first text","parent":"{root}"}}"#);
    let (_, json) = call(&daemon, "POST", "/api/nodes/ann/documents", &post).await;
    let topic = json["id"].as_str().unwrap().to_owned();
    let bob_topic = format!("/api/nodes/bob/documents/{topic}");
    wait_for(&daemon, &bob_topic, "bob never got the topic", |v| {
        v["document"].is_object()
    })
    .await;

    // Only the author may revise, and only what exists.
    let edit_uri = |node: &str| format!("/api/nodes/{node}/documents/{topic}/edit");
    let (code, json) = call(&daemon, "POST", &edit_uri("bob"), r#"{"body":"mine now"}"#).await;
    assert_eq!(code, StatusCode::FORBIDDEN, "{json}");
    assert!(message(&json).contains("not yours"), "{json}");
    let (code, json) = call(
        &daemon,
        "POST",
        &format!("/api/nodes/bob/documents/{topic}/retract"),
        "",
    )
    .await;
    assert_eq!(code, StatusCode::FORBIDDEN, "{json}");
    let (code, _) = call(&daemon, "POST", &edit_uri("ann"), r#"{"body":"  "}"#).await;
    assert_eq!(code, StatusCode::BAD_REQUEST);
    let unknown = "a".repeat(52);
    let (code, _) = call(
        &daemon,
        "POST",
        &format!("/api/nodes/ann/documents/{unknown}/retract"),
        "",
    )
    .await;
    assert_eq!(code, StatusCode::NOT_FOUND);

    // An edit: bob sees the newest text, marked by superseded_by, with both versions listed.
    let (code, json) = call(
        &daemon,
        "POST",
        &edit_uri("ann"),
        r#"{"body":"the first text, fixed"}"#,
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{json}");
    let edit = json["id"].as_str().unwrap().to_owned();
    let view = wait_for(&daemon, &bob_topic, "bob never saw the edit", |v| {
        v["superseded_by"] == edit.as_str()
    })
    .await;
    assert_eq!(view["retracted"], false);
    assert_eq!(view["newest"]["body"], "the first text, fixed", "{view}");
    assert_eq!(view["newest"]["subject"], "Typo", "{view}");
    assert_eq!(
        view["document"]["body"], "teh first text",
        "the original stays readable"
    );
    assert_eq!(view["versions"].as_array().unwrap().len(), 2, "{view}");
    assert_eq!(view["versions"][1]["id"], edit.as_str());
    let (_, version) = call(
        &daemon,
        "GET",
        &format!("/api/nodes/bob/documents/{edit}"),
        "",
    )
    .await;
    assert_eq!(
        version["document"]["revision"]["kind"], "supersedes",
        "{version}"
    );
    assert_eq!(version["document"]["revision"]["target"], topic.as_str());
    let bob_thread = format!("/api/nodes/bob/documents/{root}/thread?bodies=true");
    let (_, thread) = call(&daemon, "GET", &bob_thread, "").await;
    let children = thread["children"].as_array().unwrap();
    assert_eq!(
        children.len(),
        1,
        "the edit is no entry of its own: {thread}"
    );
    assert_eq!(children[0]["id"], topic.as_str());
    assert_eq!(children[0]["body"], "the first text, fixed");
    assert_eq!(children[0]["superseded_by"], edit.as_str());

    // Editing the edit edits the original; the newest wins.
    let (code, json) = call(
        &daemon,
        "POST",
        &format!("/api/nodes/ann/documents/{edit}/edit"),
        r#"{"subject":"Typo fixed","body":"third text"}"#,
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{json}");
    let third = json["id"].as_str().unwrap().to_owned();
    let view = wait_for(&daemon, &bob_topic, "bob never saw the second edit", |v| {
        v["superseded_by"] == third.as_str()
    })
    .await;
    assert_eq!(view["newest"]["subject"], "Typo fixed");
    assert_eq!(view["versions"].as_array().unwrap().len(), 3, "{view}");

    // A retraction: bob drops the body and every version, and shows it retracted.
    let (code, json) = call(
        &daemon,
        "POST",
        &format!("/api/nodes/ann/documents/{topic}/retract"),
        "",
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{json}");
    let view = wait_for(&daemon, &bob_topic, "bob never saw the retraction", |v| {
        v["retracted"] == true
    })
    .await;
    assert!(view["document"].is_null(), "{view}");
    assert!(view["superseded_by"].is_null(), "{view}");
    let thread = wait_for(&daemon, &bob_thread, "the thread kept the topic", |t| {
        t["children"][0]["retracted"] == true
    })
    .await;
    let children = thread["children"].as_array().unwrap();
    assert_eq!(children.len(), 1, "{thread}");
    assert_eq!(children[0]["id"], topic.as_str());
    assert!(children[0]["body"].is_null(), "{thread}");
    assert_eq!(children[0]["subject"], "");
    wait_for(
        &daemon,
        &format!("/api/nodes/bob/documents/{edit}"),
        "the edit stayed",
        |v| v["retracted"] == true && v["document"].is_null(),
    )
    .await;

    // Retracted already: no second retraction, no edit.
    let (code, json) = call(
        &daemon,
        "POST",
        &format!("/api/nodes/ann/documents/{topic}/retract"),
        "",
    )
    .await;
    assert_eq!(code, StatusCode::CONFLICT, "{json}");
    assert!(message(&json).contains("retracted"), "{json}");
    let (code, _) = call(&daemon, "POST", &edit_uri("ann"), r#"{"body":"back"}"#).await;
    assert_eq!(code, StatusCode::CONFLICT);
}
