//! Refusals at start-up (through the real binary) and the example settings file.

use crate::support::run_cli;
use cliqueclique_daemon::Config;

#[test]
fn serve_refuses_a_corrupt_or_newer_database() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cliqueclique.sqlite3"), vec![b'x'; 4096]).unwrap();
    let out = run_cli(
        dir.path(),
        &[
            "--api",
            "127.0.0.1:0",
            "serve",
            "--listen",
            "tcp://127.0.0.1:0",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is damaged"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cliqueclique.sqlite3");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA application_id = 0x63636c71; PRAGMA user_version = 99; CREATE TABLE t (x)",
    )
    .unwrap();
    drop(conn);
    let out = run_cli(
        dir.path(),
        &[
            "--api",
            "127.0.0.1:0",
            "serve",
            "--listen",
            "tcp://127.0.0.1:0",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("written by a newer cliqueclique"),
        "{stderr}"
    );

    // Usage errors exit with 2.
    let out = run_cli(dir.path(), &["frobnicate"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_example_settings_file_parses_and_shows_the_defaults() {
    let text = include_str!("../../cliqueclique.example.toml");
    let config: Config = toml::from_str(text).expect("the example parses");
    let default = Config::default();
    assert_eq!(config.listen, default.listen);
    assert_eq!(config.api, default.api);
    assert_eq!(config.join_timeout, default.join_timeout);
    assert_eq!(config.reconnect_max, default.reconnect_max);
    assert_eq!(
        config.proto.max_peers_per_document,
        default.proto.max_peers_per_document
    );
    assert_eq!(
        config.proto.max_peer_records,
        default.proto.max_peer_records
    );
    assert_eq!(config.net.keepalive, default.net.keepalive);
    assert_eq!(config.i2p, default.i2p);
}
