//! `cliqueclique demo`: installations on loopback sharing a sample forum, with their web UIs.

use cliqueclique_daemon::api::DocumentView;
use cliqueclique_daemon::client::Client;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Command, Stdio};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_shares_a_forum_between_installations() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cliqueclique"))
        .args(["demo", "--installations", "2", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the demo");
    let stdout = child.stdout.take().unwrap();
    let lines = tokio::task::spawn_blocking(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let done = line.starts_with("Press Ctrl-C");
            lines.push(line);
            if done {
                break;
            }
        }
        lines
    });
    let lines = tokio::time::timeout(crate::support::DEADLINE, lines)
        .await
        .expect("the demo printed its addresses")
        .unwrap();
    let urls: Vec<(String, String)> = lines
        .iter()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let name = words.next()?;
            let url = words.next()?.strip_prefix("http://")?;
            Some((name.to_owned(), url.to_owned()))
        })
        .collect();
    assert_eq!(urls.len(), 2, "{lines:?}");
    for (name, url) in &urls {
        let (address, root) = url.split_once("/t/").unwrap();
        let client = Client::new(address.parse::<SocketAddr>().unwrap());
        let view: DocumentView = client
            .get(&format!("/api/nodes/{name}/documents/{root}"))
            .await
            .unwrap();
        let subject = view.document.expect("the forum is held").subject;
        assert_eq!(subject, "Welcome to the demo forum");
        let login = client
            .request(cliqueclique_daemon::client::Method::GET, "/login", None)
            .await
            .unwrap();
        assert!(String::from_utf8_lossy(&login).contains("Log in"));
    }
    let _ = Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
}
