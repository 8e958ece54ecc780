//! Proof of work through the API: only the owner sets it, every follower reads it in the
//! moderation view, and a follower's post through the API carries it and travels.

use super::support::{call, create_nodes, daemon, forum, wait_for};
use axum::http::StatusCode;
use cliqueclique_doc::DocId;
use cliqueclique_doc::document::work;

const BITS: u8 = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_sets_the_work_and_posts_carry_it() {
    let dir = tempfile::tempdir().unwrap();
    let daemon = daemon(dir.path()).await;
    create_nodes(&daemon, &["ann", "bob", "carol"]).await;
    let root = forum(&daemon, "ann", &["bob", "carol"]).await;
    let moderation = |node: &str| format!("/api/nodes/{node}/forums/{root}/moderation");
    let decision = format!(r#"{{"action":"work","target":{BITS}}}"#);
    let (code, json) = call(&daemon, "POST", &moderation("carol"), &decision).await;
    assert_eq!(code, StatusCode::FORBIDDEN, "{json}");
    let (code, json) = call(
        &daemon,
        "POST",
        &moderation("ann"),
        r#"{"action":"work","target":33}"#,
    )
    .await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "more than 32 bits: {json}");
    let (code, json) = call(&daemon, "POST", &moderation("ann"), &decision).await;
    assert_eq!(code, StatusCode::OK, "{json}");
    for node in ["bob", "carol"] {
        wait_for(
            &daemon,
            &moderation(node),
            "the work never reached a follower",
            |v| v["work_bits"] == BITS,
        )
        .await;
    }
    let post = format!(r#"{{"subject":"Roses","body":"prune in March","parent":"{root}"}}"#);
    let (code, json) = call(&daemon, "POST", "/api/nodes/carol/documents", &post).await;
    assert_eq!(code, StatusCode::OK, "{json}");
    let id: DocId = json["id"].as_str().unwrap().parse().unwrap();
    assert!(work::meets(&id, BITS), "the post carries no work");
    wait_for(
        &daemon,
        &format!("/api/nodes/bob/documents/{id}"),
        "the post with work never reached bob",
        |v| v["document"].is_object(),
    )
    .await;
}
