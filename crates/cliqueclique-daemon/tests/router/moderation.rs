//! Forum moderation through the API: the owner names a moderator, the moderator hides a post
//! (every follower marks it hidden, by whom), the owner bans its author (its next post is
//! declined; the owner names her by petname), only the owner and moderators may decide, and a follower may ignore it all.

use super::support::{call, create_nodes, daemon, forum, message, wait_for};
use axum::http::StatusCode;
use cliqueclique_daemon::api::NodeId;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_and_moderators_hide_and_ban() {
    let dir = tempfile::tempdir().unwrap();
    let daemon = daemon(dir.path()).await;
    let ids = create_nodes(&daemon, &["ann", "bob", "carol"]).await;
    let (bob, carol) = (ids[1].clone(), ids[2].clone());
    let root = forum(&daemon, "ann", &["bob", "carol"]).await;
    let post = format!(r#"{{"subject":"Cheap","body":"buy now","parent":"{root}"}}"#);
    let (_, json) = call(&daemon, "POST", "/api/nodes/carol/documents", &post).await;
    let spam = json["id"].as_str().unwrap().to_owned();
    for name in ["ann", "bob"] {
        wait_for(
            &daemon,
            &format!("/api/nodes/{name}/documents/{spam}"),
            "the spam never arrived",
            |v| v["document"].is_object(),
        )
        .await;
    }

    // Only the owner names moderators; only the owner and moderators hide.
    let moderation = |node: &str| format!("/api/nodes/{node}/forums/{root}/moderation");
    let (code, json) = call(
        &daemon,
        "POST",
        &format!("/api/nodes/bob/documents/{spam}/hide"),
        "",
    )
    .await;
    assert_eq!(code, StatusCode::FORBIDDEN, "{json}");
    let name_bob = format!(r#"{{"action":"add-moderator","target":"{bob}"}}"#);
    let (code, json) = call(&daemon, "POST", &moderation("carol"), &name_bob).await;
    assert_eq!(code, StatusCode::FORBIDDEN, "{json}");
    assert!(message(&json).contains("owner"), "{json}");
    let (code, json) = call(
        &daemon,
        "POST",
        &moderation("ann"),
        r#"{"action":"delete"}"#,
    )
    .await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{json}");
    let (code, json) = call(
        &daemon,
        "GET",
        &format!("/api/nodes/ann/forums/{spam}/moderation"),
        "",
    )
    .await;
    assert_eq!(
        code,
        StatusCode::BAD_REQUEST,
        "a topic is no forum root: {json}"
    );

    let (code, json) = call(&daemon, "POST", &moderation("ann"), &name_bob).await;
    assert_eq!(code, StatusCode::OK, "{json}");
    wait_for(
        &daemon,
        &moderation("bob"),
        "bob never became moderator",
        |v| v["moderators"][0]["id"] == bob.as_str(),
    )
    .await;

    // The moderator hides the spam: every follower marks it hidden, by bob.
    let (code, json) = call(
        &daemon,
        "POST",
        &format!("/api/nodes/bob/documents/{spam}/hide"),
        "",
    )
    .await;
    assert_eq!(code, StatusCode::OK, "{json}");
    for name in ["ann", "bob", "carol"] {
        let view = wait_for(
            &daemon,
            &format!("/api/nodes/{name}/documents/{spam}"),
            "the hide never arrived",
            |v| v["hidden"] == true,
        )
        .await;
        assert_eq!(view["hidden_by"]["id"], bob.as_str(), "{view}");
    }
    let (_, thread) = call(
        &daemon,
        "GET",
        &format!("/api/nodes/ann/documents/{root}/thread"),
        "",
    )
    .await;
    let children = thread["children"].as_array().unwrap();
    assert_eq!(children.len(), 1, "decisions are no posts: {thread}");
    assert_eq!(children[0]["hidden"], true, "{thread}");

    // Carol ignores the moderation: nothing is hidden for her; applying it again hides it again.
    let uri = format!("{}/ignore", moderation("carol"));
    let (code, json) = call(&daemon, "POST", &uri, r#"{"ignore":true}"#).await;
    assert_eq!(code, StatusCode::OK, "{json}");
    assert_eq!(json["ignored"], true);
    let (_, view) = call(
        &daemon,
        "GET",
        &format!("/api/nodes/carol/documents/{spam}"),
        "",
    )
    .await;
    assert_eq!(view["hidden"], false, "{view}");
    call(&daemon, "POST", &uri, r#"{"ignore":false}"#).await;
    let (_, view) = call(
        &daemon,
        "GET",
        &format!("/api/nodes/carol/documents/{spam}"),
        "",
    )
    .await;
    assert_eq!(view["hidden"], true, "{view}");

    // The owner bans carol by her petname for her; one no key has, or two share, is refused.
    let twin = NodeId([9; 32]);
    let twin_id = twin.to_string();
    for (peer, petname) in [(&carol, "Spammer"), (&bob, "Twin"), (&twin_id, "twin")] {
        let body = format!(r#"{{"petname":"{petname}"}}"#);
        let uri = format!("/api/nodes/ann/people/{peer}");
        let (code, json) = call(&daemon, "POST", &uri, &body).await;
        assert_eq!(code, StatusCode::OK, "{json}");
    }
    let ban = |who: &str| format!(r#"{{"action":"ban","target":"{who}"}}"#);
    let (code, json) = call(&daemon, "POST", &moderation("ann"), &ban("nobody here")).await;
    assert_eq!(code, StatusCode::NOT_FOUND, "{json}");
    assert!(message(&json).contains("petname “nobody here”"), "{json}");
    let (code, json) = call(&daemon, "POST", &moderation("ann"), &ban("TWIN")).await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{json}");
    let bob_key: NodeId = bob.parse().unwrap();
    for fingerprint in [bob_key.fingerprint(), twin.fingerprint()] {
        assert!(message(&json).contains(&fingerprint), "{json}");
    }
    let (code, json) = call(&daemon, "GET", "/api/nodes/ann/people/spammer", "").await;
    assert_eq!(
        (code, json["id"].as_str()),
        (StatusCode::OK, Some(carol.as_str())),
        "{json}"
    );

    // Her next post is declined by ann and bob.
    let ban = ban(" spammer ");
    let (code, json) = call(&daemon, "POST", &moderation("ann"), &ban).await;
    assert_eq!(code, StatusCode::OK, "{json}");
    wait_for(
        &daemon,
        &moderation("bob"),
        "bob never applied the ban",
        |v| v["banned"][0]["id"] == carol.as_str(),
    )
    .await;
    let post = format!(r#"{{"subject":"Again","body":"buy more","parent":"{root}"}}"#);
    let (_, json) = call(&daemon, "POST", "/api/nodes/carol/documents", &post).await;
    let more = json["id"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_secs(3)).await;
    for name in ["ann", "bob"] {
        let (code, view) = call(
            &daemon,
            "GET",
            &format!("/api/nodes/{name}/documents/{more}"),
            "",
        )
        .await;
        assert!(
            code == StatusCode::NOT_FOUND || view["document"].is_null(),
            "{name} stored a banned author's post: {view}"
        );
    }
}
