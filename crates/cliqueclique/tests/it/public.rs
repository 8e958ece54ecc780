//! `serve --public`: the API refuses calls without credentials, and the CLI gets in with the owner
//! token that serve writes to the data directory (readable by the owner only).

use crate::support::Installation;
use cliqueclique_daemon::client::{Client, ClientError, StatusCode};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_website_needs_credentials_and_the_cli_has_the_owner_token() {
    let site = Installation::start_public("site").await;
    let token_file = site.dir.join("owner.token");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let anonymous = Client::new(site.client.addr());
    let refused = anonymous.get::<serde_json::Value>("/api/status").await;
    assert!(
        matches!(refused, Err(ClientError::Api { status, .. }) if status == StatusCode::UNAUTHORIZED),
        "{refused:?}"
    );
    let wrong = Client::new(site.client.addr()).with_token(Some("guess".into()));
    assert!(wrong.get::<serde_json::Value>("/api/nodes").await.is_err());

    // A second daemon on the same directory is refused and leaves the token alone.
    let token = std::fs::read_to_string(&token_file).unwrap();
    let second = crate::support::run_cli(
        &site.dir,
        &[
            "--api",
            "127.0.0.1:0",
            "serve",
            "--public",
            "--listen",
            "tcp://127.0.0.1:0",
        ],
        None,
    );
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("another cliqueclique daemon"));
    assert_eq!(std::fs::read_to_string(&token_file).unwrap(), token);

    // The CLI reads the token file: node creation, posting and reading work as before.
    site.create_node("ann");
    let id = site.cli_ok_with_input(&["post", "--subject", "Hello"], Some("from the CLI"));
    let shown = site.cli_ok(&["show", id.trim()]);
    assert!(shown.contains("from the CLI"), "{shown}");

    // A public website dials no address on its own machine or a private network, whoever asks.
    let joined = site.cli(&["join", "--timeout", "5", "tcp://127.0.0.1:9", id.trim()]);
    assert!(!joined.status.success());
    let error = String::from_utf8_lossy(&joined.stderr);
    assert!(error.contains("not a public address"), "{error}");
}
