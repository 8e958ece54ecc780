//! Router-level tests of the directory and search routes' error paths.

use crate::support::{SOME_ID, call, daemon, message};
use axum::http::StatusCode;
use cliqueclique_daemon::testing::eventually;

/// Node ann creates a directory titled T; returns the root id.
async fn create_directory(daemon: &cliqueclique_daemon::Daemon) -> String {
    let body = r#"{"title":"T"}"#;
    let (status, json) = call(daemon, "POST", "/api/nodes/ann/directories", body).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    json["id"].as_str().unwrap().to_owned()
}

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
    let root = create_directory(&daemon).await;

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

/// Two local nodes race to create the same level (each plans before the other's level reaches
/// it); the periodic re-planning moves the loser's name onto the winning level.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_level_created_twice_converges_onto_the_winner() {
    use cliqueclique_daemon::api::DocId;
    let dir = tempfile::tempdir().unwrap();
    let daemon = daemon(dir.path()).await;
    let mut ids = Vec::new();
    for name in ["ann", "bob"] {
        let (status, json) = call(
            &daemon,
            "POST",
            "/api/nodes",
            &format!(r#"{{"name":"{name}"}}"#),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        ids.push(
            json["id"]
                .as_str()
                .unwrap()
                .parse::<cliqueclique_doc::NodeId>()
                .unwrap(),
        );
    }
    let (ann, bob) = (ids[0], ids[1]);
    let root: DocId = create_directory(&daemon).await.parse().unwrap();
    let post = |node: &'static str, subject: String| {
        let daemon = &daemon;
        async move {
            let body = format!(r#"{{"subject":"{subject}","body":"x"}}"#);
            let (status, json) = call(
                daemon,
                "POST",
                &format!("/api/nodes/{node}/documents"),
                &body,
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{json}");
            json["id"].as_str().unwrap().parse::<DocId>().unwrap()
        }
    };
    let names = format!("/api/nodes/ann/directories/{root}/names");
    // Fill the root: the next name starting with k needs a level of its own.
    for n in 0..16 {
        let target = post("ann", format!("k{n:02}")).await;
        let body = format!(r#"{{"name":"k{n:02}","target":"{target}"}}"#);
        let (status, json) = call(&daemon, "POST", &names, &body).await;
        assert_eq!(status, StatusCode::OK, "{json}");
    }
    // Bob joins the directory through ann (a local join) and reads it.
    let address = daemon.state().listening[0].clone();
    let join = format!(r#"{{"address":"{address}","doc":"{root}"}}"#);
    let (status, json) = call(&daemon, "POST", "/api/nodes/bob/join", &join).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let bob_names = format!("/api/nodes/bob/directories/{root}/names");
    let (status, json) = call(&daemon, "GET", &bob_names, "").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["names"].as_array().unwrap().len(), 16, "{json}");
    // Both publish a k-name in one step of the node thread: neither sees the other's level.
    let kiwi = post("ann", "kiwi".into()).await;
    let koala = post("bob", "koala".into()).await;
    daemon
        .handle()
        .run_on_thread(move |a| {
            for (node, name, target) in [(ann, "kiwi", kiwi), (bob, "koala", koala)] {
                assert!(a.dir_publish(node, root, name, target).is_ok());
            }
        })
        .await
        .unwrap();
    // Both levels arrive everywhere; the union finds both names, the winner only one of them.
    let all = |follow: &'static str| {
        let daemon = &daemon;
        let names = names.clone();
        async move {
            let (status, json) = call(
                daemon,
                "GET",
                &format!("{names}?prefix=k&limit=100&follow={follow}"),
                "",
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{json}");
            json["names"].as_array().unwrap().len()
        }
    };
    eventually("both names are listed", || async { all("all").await == 18 }).await;
    assert_eq!(all("winners").await, 17);
    let search = "/api/nodes/ann/search?q=header.x-cc-dir%3Alevel";
    let (_, json) = call(&daemon, "GET", search, "").await;
    assert_eq!(json["total"], 2, "two levels for the prefix k: {json}");
    // Converging moves exactly the loser's name; then nothing moves any more.
    // (The loser's publisher must first have settled the winning level: a few tries.)
    let mut moved = 0;
    for _ in 0..100 {
        moved += daemon.handle().converge_directories().await.unwrap();
        if moved > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(moved, 1, "exactly the loser's name moved");
    eventually("the winner lists both names", || async {
        all("winners").await == 18
    })
    .await;
    assert_eq!(daemon.handle().converge_directories().await.unwrap(), 0);
    daemon.stop().await.unwrap();
}
