//! The NNTP reader server with real clients: Python's nntplib reads a forum from one
//! installation, posts a reply, and reads it at a second installation that got it through the
//! network; the refusals of a non-loopback address without accounts, and of unauthenticated
//! reading on a public website.

use crate::support::{Installation, client_present, join, run_python};
use cliqueclique_daemon::api::DocId;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nntplib_reads_posts_and_the_reply_reaches_a_second_installation() {
    if !client_present("python3", &["-c", "import nntplib"], "python3") {
        return;
    }
    let a = Installation::start_with_args("a", &["--nntp", "127.0.0.1:0"]).await;
    let b = Installation::start_with_args("b", &["--nntp", "127.0.0.1:0"]).await;
    a.create_node("a");
    let b_node = b.create_node("b").id;
    let root: DocId = a.start_forum("The forum", "Welcome.");
    let thread = a.post("a", "A thread", "Let us talk.", Some(root)).await;
    join(&b, "b", &a, root);
    crate::support::eventually("b holds the thread", || async {
        b.holds("b", thread).await
    })
    .await;
    let (port_a, port_b) = (a.nntp_port().await, b.nntp_port().await);
    let stdout = run_python(
        "nntp_client.py",
        vec![
            port_a.to_string(),
            port_b.to_string(),
            root.to_string(),
            thread.to_string(),
        ],
    )
    .await;
    assert!(stdout.contains("arrived ok"), "{stdout}");

    // Once A's user mutes B, B's reply is no longer served there.
    let reply = stdout
        .lines()
        .find_map(|l| l.strip_prefix("post ok "))
        .expect("the reply's message-id")
        .to_owned();
    a.cli_ok(&["mute", &b_node.to_string()]);
    let group = format!("cc.{}", &root.to_string()[..12]);
    let after = tokio::task::spawn_blocking(move || {
        transcript(
            port_a,
            &[
                &format!("GROUP {group}"),
                "XHDR Message-ID 1-",
                &format!("STAT {reply}"),
            ],
        )
        .replace(&reply, "REPLY")
    })
    .await
    .unwrap();
    assert!(
        after.contains(&format!("<{thread}@cliqueclique>")),
        "{after}"
    );
    assert!(!after.contains(" REPLY\r\n"), "{after}");
    assert!(after.contains("\r\n430 "), "{after}");
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

/// Sends `commands` and returns everything the server said until `QUIT` was answered.
fn transcript(port: u16, commands: &[&str]) -> String {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut writer = stream.try_clone().expect("clone");
    for command in commands.iter().chain(&["QUIT"]) {
        writer
            .write_all(format!("{command}\r\n").as_bytes())
            .expect("send");
    }
    let mut all = String::new();
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("read") == 0 {
            break;
        }
        all.push_str(&line);
        if line.starts_with("205 ") {
            break;
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renamed_group_keeps_its_name_and_numbers_across_a_restart() {
    let mut a = Installation::start_with_args("a", &["--nntp", "127.0.0.1:0"]).await;
    a.create_node("a");
    let root: DocId = a.start_forum("The forum", "Welcome.");
    let first = a.post("a", "First", "one", Some(root)).await;
    let port = a.nntp_port().await;
    let before = tokio::task::spawn_blocking(move || transcript(port, &["LIST"]))
        .await
        .unwrap();
    assert!(
        before.contains(&format!("cc.{} 2 1 y", &root.to_string()[..12])),
        "{before}"
    );

    let out = a.cli_ok(&["newsgroup", &root.to_string()[..8], "local.forum"]);
    assert!(out.contains("local.forum"), "{out}");
    let refused = a.cli(&["newsgroup", &root.to_string(), "Bad Name"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("bad group name"));

    a.terminate();
    a.restart().await;
    let second = a.post("a", "Second", "two", Some(root)).await;
    let port = a.nntp_port_not(port).await;
    let after = tokio::task::spawn_blocking(move || {
        transcript(port, &["LIST", "GROUP local.forum", "XHDR Message-ID 1-"])
    })
    .await
    .unwrap();
    assert!(after.contains("local.forum 3 1 y"), "{after}");
    assert!(
        after.contains(&format!("\r\n1 <{root}@cliqueclique>\r\n")),
        "{after}"
    );
    assert!(
        after.contains(&format!("\r\n2 <{first}@cliqueclique>\r\n")),
        "{after}"
    );
    assert!(
        after.contains(&format!("\r\n3 <{second}@cliqueclique>\r\n")),
        "{after}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_lines_get_their_codes_and_an_overlong_one_ends_only_its_connection() {
    let a = Installation::start_with_args("a", &["--nntp", "127.0.0.1:0"]).await;
    a.create_node("a");
    let port = a.nntp_port().await;
    tokio::task::spawn_blocking(move || {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut writer = stream;
        let mut answer = || {
            let mut line = String::new();
            reader.read_line(&mut line).expect("answer");
            line
        };
        assert!(answer().starts_with("200 "));
        writer.write_all(b"\xff\xfe\x00 GROUP\r\n").unwrap();
        assert!(answer().starts_with("501 "));
        writer
            .write_all(format!("GROUP {}\r\n", "x".repeat(600)).as_bytes())
            .unwrap();
        assert!(answer().starts_with("501 "));
        writer.write_all(&vec![b'y'; 20_000]).unwrap();
        writer.write_all(b"\r\n").unwrap();
        assert!(answer().starts_with("500 "));
        assert_eq!(answer(), "", "the connection is closed");
        // The server goes on.
        let again = converse(port, &["DATE"]);
        assert!(again[1].starts_with("111 "), "{again:?}");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newsreader_logs_in_to_a_website_as_an_account_and_acts_as_its_node() {
    if !client_present("python3", &["-c", "import nntplib"], "python3") {
        return;
    }
    let site = Installation::start_with_args("site", &["--public", "--nntp", "127.0.0.1:0"]).await;
    let port = site.nntp_port().await;
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/public_nntp.py");
    let mut client = std::process::Command::new("python3")
        .arg(script)
        .args([format!("http://{}", site.client.addr()), port.to_string()])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run python3");
    let mut stdout = BufReader::new(client.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "setup ok");
    // The owner's account acts as the installation's only node, which starts a forum.
    let root: DocId = site.start_forum("The website's forum", "Welcome.");
    client.stdin.take().unwrap().write_all(b"ready\n").unwrap();
    let out = client.wait_with_output().expect("python3");
    line.clear();
    stdout.read_line(&mut line).unwrap();
    assert!(
        out.status.success() && line.contains("read and posted as ann"),
        "{line}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let thread = site.thread("ann", root).await;
    assert!(
        thread
            .children
            .iter()
            .any(|c| c.subject == "From a newsreader"),
        "{thread:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forum_published_in_a_directory_is_a_group_of_its_name() {
    let a = Installation::start_with_args("a", &["--nntp", "127.0.0.1:0"]).await;
    a.create_node("a");
    let forum: DocId = a.start_forum("Gardening", "Welcome.");
    let directory = a.cli_ok(&["dir", "create", "Forums"]).trim().to_owned();
    a.cli_ok(&[
        "dir",
        "publish",
        &directory,
        "Gardening & Allotments",
        &forum.to_string(),
    ]);
    let port = a.nntp_port().await;
    let list = tokio::task::spawn_blocking(move || transcript(port, &["LIST"]))
        .await
        .unwrap();
    assert!(
        list.contains("\r\ngardening-allotments 1 1 y\r\n"),
        "{list}"
    );
    // The directory itself is no discussion: it is not a group.
    assert!(
        !list.contains(&format!("cc.{}", &directory[..12])),
        "{list}"
    );
}

/// The newsreader sees what the pages show: an edit, a retraction and a moderation decision are
/// no articles of their own, and a retracted or hidden post is no longer served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_retractions_and_hidden_posts_are_not_served_as_articles() {
    let a = Installation::start_with_args("a", &["--nntp", "127.0.0.1:0"]).await;
    a.create_node("a");
    let root: DocId = a.start_forum("The forum", "Welcome.");
    let kept = a.post("a", "Kept", "This stays.", Some(root)).await;
    let regretted = a
        .post("a", "Regretted", "I take it back.", Some(root))
        .await;
    let spam = a.post("a", "Spam", "Buy now.", Some(root)).await;
    let edited = a.post("a", "Edited", "First words.", Some(root)).await;
    let file = std::env::temp_dir().join(format!("cc-nntp-edit-{}", std::process::id()));
    std::fs::write(&file, "Better words.").expect("write the edit");
    a.cli_ok(&[
        "edit",
        &edited.to_string(),
        "--file",
        file.to_str().unwrap(),
    ]);
    a.cli_ok(&["retract", &regretted.to_string()]);
    a.cli_ok(&["hide", &spam.to_string()]);
    let port = a.nntp_port().await;
    let group = format!("cc.{}", &root.to_string()[..12]);
    let listing = tokio::task::spawn_blocking(move || {
        transcript(port, &[&format!("GROUP {group}"), "XHDR Message-ID 1-"])
    })
    .await
    .unwrap();
    let ids: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.split_once(" <").map(|(_, id)| id))
        .collect();
    assert!(
        listing.contains(&format!("<{kept}@cliqueclique>")),
        "{listing}"
    );
    assert!(
        listing.contains(&format!("<{edited}@cliqueclique>")),
        "{listing}"
    );
    for gone in [regretted, spam] {
        assert!(
            !listing.contains(&gone.to_string()),
            "{gone} served: {listing}"
        );
    }
    // The root, the kept post and the edited original: no edit, retraction or decision.
    assert_eq!(ids.len(), 3, "{listing}");
    let _ = std::fs::remove_file(file);
}
