//! The HTTP server itself: its bounds on connections, and the public mode's closed API.

use cliqueclique_daemon::Daemon;
use cliqueclique_daemon::config::HttpConfig;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One `GET` over a fresh connection; the status line of the answer.
async fn status_line(api: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(api).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("send request");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("an answer in time")
        .expect("read answer");
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned()
}

/// Whether the server closes `stream` within `within`, without having been sent anything.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut byte = [0u8; 1];
    matches!(
        tokio::time::timeout(within, stream.read(&mut byte)).await,
        Ok(Ok(0) | Err(_))
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v5_idle_connections_are_bounded_and_closed() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = cliqueclique_daemon::testing::config(dir.path());
    config.http = HttpConfig {
        max_connections: 16,
        max_connections_per_address: 8,
        header_read_timeout: Duration::from_secs(2),
        ..HttpConfig::default()
    };
    let daemon = Daemon::start(config).await.expect("daemon starts");
    let api = daemon.api_addr();
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(TcpStream::connect(api).await.expect("connect"));
    }
    // One address holds at most its share: the next connection is closed at once.
    let mut extra = TcpStream::connect(api).await.expect("connect");
    assert!(
        closed_within(&mut extra, Duration::from_secs(1)).await,
        "a connection beyond the per-address limit stays open"
    );
    // Connections that send no request are closed after the header read timeout.
    for stream in &mut idle {
        assert!(
            closed_within(stream, Duration::from_secs(6)).await,
            "an idle connection stays open"
        );
    }
    // And the API answers again.
    assert_eq!(status_line(api, "/api/status").await, "HTTP/1.1 200 OK");
    daemon.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_api_without_the_guard_in_front_refuses_every_call() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = cliqueclique_daemon::testing::config(dir.path());
    config.public = true;
    let daemon = Daemon::start(config).await.expect("daemon starts");
    let api = daemon.api_addr();
    for path in ["/api/status", "/api/nodes", "/api/peers"] {
        assert_eq!(
            status_line(api, path).await,
            "HTTP/1.1 401 Unauthorized",
            "{path}"
        );
    }
    // The router alone is as closed: the mark comes only from the layer in front.
    let (status, _) = crate::support::call(&daemon, "GET", "/api/status", "").await;
    assert_eq!(status.as_u16(), 401);
    daemon.stop().await.unwrap();
}
