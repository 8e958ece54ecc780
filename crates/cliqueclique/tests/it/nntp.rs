//! The NNTP reader server with real clients: Python's nntplib reads a forum from one
//! installation, posts a reply, and reads it at a second installation that got it through the
//! network; the refusals of a non-loopback address without accounts, and of unauthenticated
//! reading on a public website.

use crate::support::{Installation, client_present, join};
use cliqueclique_daemon::api::DocId;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::Command;

const CLIENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/nntp_client.py");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nntplib_reads_posts_and_the_reply_reaches_a_second_installation() {
    if !client_present("python3", &["-c", "import nntplib"], "python3") {
        return;
    }
    let a = Installation::start_with_args("a", &["--nntp", "127.0.0.1:0"]).await;
    let b = Installation::start_with_args("b", &["--nntp", "127.0.0.1:0"]).await;
    a.create_node("a");
    b.create_node("b");
    let root: DocId = a
        .cli_ok_with_input(&["post", "-s", "The forum"], Some("Welcome."))
        .trim()
        .parse()
        .expect("an id");
    let thread = a.post("a", "A thread", "Let us talk.", Some(root)).await;
    join(&b, "b", &a, root);
    crate::support::eventually("b holds the thread", || async {
        b.holds("b", thread).await
    })
    .await;
    let (port_a, port_b) = (a.nntp_port().await, b.nntp_port().await);
    let out = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .arg(CLIENT)
            .args([
                port_a.to_string(),
                port_b.to_string(),
                root.to_string(),
                thread.to_string(),
            ])
            .output()
            .expect("run python3")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "nntp_client.py failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("arrived ok"), "{stdout}");
}

/// Sends `commands` on a fresh connection and returns the greeting and each first answer line.
fn converse(port: u16, commands: &[&str]) -> Vec<String> {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut writer = stream;
    let mut answers = Vec::new();
    let mut line = String::new();
    reader.read_line(&mut line).expect("greeting");
    answers.push(line.trim_end().to_owned());
    for command in commands {
        writer
            .write_all(format!("{command}\r\n").as_bytes())
            .expect("send");
        line.clear();
        reader.read_line(&mut line).expect("answer");
        answers.push(line.trim_end().to_owned());
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_website_asks_newsreaders_to_log_in() {
    let site = Installation::start_with_args("site", &["--public", "--nntp", "127.0.0.1:0"]).await;
    let port = site.nntp_port().await;
    let answers = tokio::task::spawn_blocking(move || {
        converse(
            port,
            &[
                "LIST",
                "GROUP x",
                "AUTHINFO PASS secret",
                "AUTHINFO USER nobody",
                "AUTHINFO PASS wrong password",
                "QUIT",
            ],
        )
    })
    .await
    .expect("join");
    let codes: Vec<&str> = answers.iter().map(|a| &a[..3]).collect();
    assert_eq!(
        codes,
        ["200", "480", "480", "482", "381", "481", "205"],
        "{answers:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_installation_refuses_a_public_nntp_address() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = crate::support::run_cli(dir.path(), &["serve", "--nntp", "0.0.0.0:0"], None);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a loopback address"), "{stderr}");
}
