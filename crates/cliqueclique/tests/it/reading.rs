//! The command line as a newsreader: documents named by the first characters of their ids, the
//! list of forums with unread counts, a thread with authors and unread marks, one's own posts
//! read, refusals of empty posts and of unknown nodes, errors as JSON, a closed output pipe, and
//! no guessed API address.

use crate::support::{Installation, eventually, join, run_cli, run_cli_with_env};
use cliqueclique_daemon::api::{DocId, DocumentView, NewPost, Posted, ThreadSummary};
use cliqueclique_daemon::client::{ClientError, StatusCode};
use std::process::{Command, Stdio};

/// The standard error of a run, as text.
fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs the CLI and expects it to fail with status 1; returns its standard error.
fn fails(server: &Installation, args: &[&str], input: Option<&str>) -> String {
    let output = server.cli_with_input(args, input);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{args:?}: {}",
        stderr(&output)
    );
    stderr(&output)
}

/// `args` with `--node ann` before them.
fn as_ann<'a>(args: &[&'a str]) -> Vec<&'a str> {
    [&["--node", "ann"], args].concat()
}

/// The line of `text` that contains `needle`.
fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forum_read_from_the_command_line() {
    let server = Installation::start("reader").await;
    let ann = server.create_node("ann");
    server.create_node("bob");

    // `serve` said where its web UI is.
    let web = format!("web UI: http://{}/", server.client.addr());
    assert!(server.stdout().contains(&web), "{}", server.stdout());

    // Ann starts a forum and comments on it three times, naming the root by 8 characters.
    let root: DocId = server
        .cli_ok_with_input(
            &as_ann(&["post", "-s", "Gardening"]),
            Some("About gardens."),
        )
        .trim()
        .parse()
        .expect("an id");
    let short = &root.to_string()[..8];
    let mut comments = Vec::new();
    for i in 0..3 {
        let id: DocId = server
            .cli_ok_with_input(&as_ann(&["reply", short]), Some(&format!("comment {i}")))
            .trim()
            .parse()
            .expect("an id");
        let view = server.show("ann", id).await.expect("held");
        assert_eq!(view.document.expect("body").parent, Some(root));
        comments.push(id);
    }

    // Her own posts are read: her forum has nothing unread.
    let view: DocumentView =
        serde_json::from_str(&server.cli_ok(&as_ann(&["--json", "show", short]))).expect("json");
    assert!(view.flags.read && view.flags.own, "{:?}", view.flags);
    let forums = server.cli_ok(&as_ann(&["forums"]));
    let line = line_with(&forums, &root.to_string());
    assert!(
        line.contains("0 unread of 4") && line.contains("Gardening"),
        "{forums}"
    );

    // Bob, another node of the installation, joins and answers the second comment.
    join(&server, "bob", &server, root);
    let answer: DocId = server
        .cli_ok_with_input(
            &[
                "--node",
                "bob",
                "reply",
                &comments[1].to_string()[..10],
                "-s",
                "Tomatoes",
            ],
            Some("They need sun."),
        )
        .trim()
        .parse()
        .expect("an id");
    eventually("ann gets bob's answer", || async {
        server.holds("ann", answer).await
    })
    .await;

    // Forums: one unread, in text and JSON.
    let forums = server.cli_ok(&as_ann(&["forums"]));
    assert!(
        line_with(&forums, &root.to_string()).contains("1 unread of 5"),
        "{forums}"
    );
    let listed: Vec<ThreadSummary> =
        serde_json::from_str(&server.cli_ok(&as_ann(&["--json", "forums"]))).expect("json");
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].id, listed[0].unread), (root, 1));

    // The thread: authors, and the one unread document marked.
    let thread = server.cli_ok(&as_ann(&["thread", short]));
    let bobs = line_with(&thread, "Tomatoes");
    assert!(bobs.contains("(\"bob\" ["), "{thread}");
    let marked: Vec<&str> = thread.lines().filter(|l| l.contains(" * ")).collect();
    assert_eq!(marked, vec![bobs], "{thread}");
    assert_eq!(thread.matches("(\"ann\" [").count(), 4, "{thread}");
    assert!(thread.contains("1 unread (marked *)"), "{thread}");
    // The id the thread prints is one that every command takes.
    let printed = bobs.split_whitespace().next().expect("an id first");
    assert!(answer.to_string().starts_with(printed), "{bobs}");
    let shown = server.cli_ok(&as_ann(&["show", printed]));
    assert!(shown.contains("They need sun."), "{shown}");
    assert!(
        shown.contains(&format!("id:       {answer}")),
        "show prints full ids: {shown}"
    );
    let overlay = line_with(&shown, "overlay:");
    assert!(
        overlay
            .split_whitespace()
            .any(|word| word.len() == 52 && word.parse::<cliqueclique_doc::NodeId>().is_ok()),
        "the center in full: {overlay}"
    );
    server.cli_ok(&as_ann(&["read", printed]));
    let thread = server.cli_ok(&as_ann(&["thread", short]));
    assert!(!thread.contains(" * "), "{thread}");
    assert!(thread.contains("nothing unread"), "{thread}");

    // Peers name the local node and the peer by ids the commands take.
    let peers = server.cli_ok(&["--node", "bob", "peers"]);
    let line = line_with(&peers, &ann.id.to_string());
    assert!(line.trim_start().starts_with("bob →"), "{peers}");
    // Nodes too go by a unique prefix of their id.
    let prefix = &ann.id.to_string()[..10];
    let forums = server.cli_ok(&["--node", prefix, "forums"]);
    assert!(forums.contains(&root.to_string()), "{forums}");

    // An unknown prefix, a bad one and an ambiguous one are errors that say so.
    let mut held: Vec<String> = [root, answer]
        .iter()
        .chain(&comments)
        .map(ToString::to_string)
        .collect();
    let unknown = "2222222222";
    assert!(held.iter().all(|id| !id.starts_with(unknown)));
    let error = fails(&server, &as_ann(&["show", unknown]), None);
    assert!(error.contains("no document known here"), "{error}");
    let error = fails(&server, &as_ann(&["show", "tomato!"]), None);
    assert!(error.contains("bad document id"), "{error}");
    // Post until two documents share their first character (at most 33 by pigeonhole).
    let first = loop {
        let shared = {
            let mut seen = std::collections::BTreeSet::new();
            held.iter()
                .map(|id| id[..1].to_owned())
                .find(|first| !seen.insert(first.clone()))
        };
        if let Some(first) = shared {
            break first;
        }
        let body = format!("filler {}", held.len());
        let id = server.post("ann", "filler", &body, None).await;
        held.push(id.to_string());
    };
    let error = fails(&server, &as_ann(&["show", &first]), None);
    let sharing: Vec<&String> = held.iter().filter(|id| id.starts_with(&first)).collect();
    assert!(error.contains("matches"), "{error}");
    for id in &sharing {
        assert!(error.contains(id.as_str()), "{id} listed: {error}");
    }
    let json = fails(&server, &as_ann(&["--json", "show", &first]), None);
    let json: serde_json::Value = serde_json::from_str(json.trim()).expect("a JSON error");
    assert_eq!(json["ambiguous"]["total"], sharing.len(), "{json}");
    assert!(
        json["error"].as_str().unwrap().contains("matches"),
        "{json}"
    );

    // Errors under --json are JSON, with the daemon's status when it refused.
    let missing = DocId([7; 32]).to_string();
    let json = fails(&server, &as_ann(&["--json", "show", &missing]), None);
    let json: serde_json::Value = serde_json::from_str(json.trim()).expect("a JSON error");
    assert_eq!(json["status"], 404, "{json}");
    assert!(
        json["error"].as_str().unwrap().contains("not known"),
        "{json}"
    );
    let usage = server.cli(&["--json", "show"]);
    assert_eq!(usage.status.code(), Some(2));
    let json: serde_json::Value =
        serde_json::from_str(stderr(&usage).trim()).expect("a JSON usage error");
    assert!(
        json["error"].as_str().unwrap().contains("required"),
        "{json}"
    );

    // Empty subjects and bodies are refused by the command and by the API.
    let error = fails(&server, &as_ann(&["post", "-s", "Empty"]), Some(" \n"));
    assert!(error.contains("the body is empty"), "{error}");
    let error = fails(&server, &as_ann(&["post", "-s", "  "]), Some("text"));
    assert!(error.contains("the subject is empty"), "{error}");
    let error = fails(&server, &as_ann(&["reply", short, "-s", ""]), Some("x"));
    assert!(error.contains("the subject is empty"), "{error}");
    for (subject, body) in [("", "text"), ("Subject", ""), ("Subject", "\n\t ")] {
        let new = NewPost {
            subject: subject.into(),
            body: Some(body.into()),
            ..NewPost::default()
        };
        let refused = server
            .client
            .post::<_, Posted>("/api/nodes/ann/documents", &new)
            .await;
        assert!(
            matches!(&refused, Err(ClientError::Api { status, message })
                if *status == StatusCode::BAD_REQUEST && message.contains("is empty")),
            "{subject:?}/{body:?}: {refused:?}"
        );
    }

    // A search without hits says so.
    let nothing = server.cli(&["--node", "ann", "search", "zucchini"]);
    assert!(nothing.status.success());
    assert!(nothing.stdout.is_empty());
    assert!(
        stderr(&nothing).contains("no documents match"),
        "{nothing:?}"
    );

    // `status --node` names a node that must exist, and shows only it.
    let error = fails(&server, &["--node", "nosuch", "status"], None);
    assert!(error.contains("no local node \"nosuch\""), "{error}");
    let status = server.cli_ok(&["--node", "bob", "status"]);
    assert!(status.lines().any(|l| l.starts_with("bob ")), "{status}");
    assert!(!status.lines().any(|l| l.starts_with("ann ")), "{status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_output_pipe_ends_the_command_quietly() {
    let server = Installation::start("piped").await;
    server.create_node("ann");
    for args in [&["--json", "status"][..], &["status"], &["forums"]] {
        // The reading end is closed before the command writes: every write fails.
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let output = Command::new(env!("CARGO_BIN_EXE_cliqueclique"))
            .arg("--data-dir")
            .arg(&server.dir)
            .args(args)
            .stdout(Stdio::from(writer))
            .stderr(Stdio::piped())
            .output()
            .expect("run cliqueclique");
        assert!(output.status.success(), "{args:?}: {output:?}");
        assert!(output.stderr.is_empty(), "{args:?}: {}", stderr(&output));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_api_addr_the_commands_refuse_to_guess() {
    let server = Installation::start("elsewhere").await;
    server.create_node("ann");
    let empty = tempfile::tempdir().expect("temp dir");

    let refused = run_cli(empty.path(), &["status"], None);
    assert_eq!(refused.status.code(), Some(1));
    let error = stderr(&refused);
    assert!(
        error.contains("no cliqueclique node is running for the data directory")
            && error.contains("serve")
            && error.contains("--api"),
        "{error}"
    );
    let refused = run_cli(empty.path(), &["--json", "node", "list"], None);
    let json: serde_json::Value = serde_json::from_str(stderr(&refused).trim()).expect("JSON");
    assert!(
        json["error"]
            .as_str()
            .unwrap()
            .contains("no cliqueclique node"),
        "{json}"
    );

    // Named explicitly, a daemon is reached from anywhere.
    let api = server.client.addr().to_string();
    let listed = run_cli(empty.path(), &["--api", &api, "node", "list"], None);
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(String::from_utf8_lossy(&listed.stdout).contains("ann"));
    let listed = run_cli_with_env(
        empty.path(),
        &["node", "list"],
        None,
        &[("CLIQUECLIQUE_API", &api)],
    );
    assert!(listed.status.success(), "{}", stderr(&listed));
    assert!(String::from_utf8_lossy(&listed.stdout).contains("ann"));
}
