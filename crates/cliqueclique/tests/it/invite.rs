//! Invites between two installations: `cliqueclique invite ID` prints one line carrying the
//! forum's id and the installation's address, `cliqueclique join INVITE` takes it, and the
//! mistakes a person makes with them get clear errors.

use crate::support::{FAST_CONFIG, Installation, eventually};
use cliqueclique_daemon::api::InviteView;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_printed_by_one_installation_joins_another() {
    let ann = Installation::start("ann").await;
    let bob = Installation::start("bob").await;
    ann.create_node("ann");
    bob.create_node("bob");
    let root = ann.start_forum("Gardening", "About gardens.");
    let prefix = &root.to_string()[..8];

    // The invite names the forum and ann's address; on loopback it warns that only this
    // computer can use it.
    let printed = ann.cli(&["invite", prefix]);
    assert!(printed.status.success(), "{printed:?}");
    let invite = String::from_utf8(printed.stdout).unwrap().trim().to_owned();
    assert_eq!(invite, format!("cliqueclique:{root}?via={}", ann.address));
    let warning = String::from_utf8_lossy(&printed.stderr);
    assert!(warning.contains("only loopback addresses"), "{warning}");
    let json: InviteView =
        serde_json::from_str(&ann.cli_ok(&["--json", "invite", prefix])).unwrap();
    assert_eq!(json.invite, invite);
    assert_eq!(json.addresses, vec![ann.address.clone()]);

    // Bob joins with the invite alone, then replies; ann receives the reply.
    let joined = bob.cli_ok(&["join", &invite]);
    assert!(joined.contains("joined \"Gardening\""), "{joined}");
    let reply = bob
        .cli_ok_with_input(&["reply", &root.to_string()], Some("Tomatoes need sun."))
        .trim()
        .parse()
        .unwrap();
    eventually("bob's reply at ann's", || async {
        ann.holds("ann", reply).await
    })
    .await;

    // An invite with an unreachable address first still joins through the next one.
    let cleo = Installation::start("cleo").await;
    cleo.create_node("cleo");
    let two = format!(
        "cliqueclique:{root}?via=tcp://127.0.0.1:1&via={}",
        ann.address
    );
    let joined = cleo.cli_ok(&["join", &two, "--timeout", "60"]);
    assert!(joined.contains("joined \"Gardening\""), "{joined}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mistakes_with_invites_get_clear_errors() {
    let ann = Installation::start("ann").await;
    ann.create_node("ann");
    let root = ann.start_forum("Gardening", "About gardens.");
    let errors = [
        (
            vec![
                "join".to_owned(),
                format!("cliqueclique:{root}?via={}", ann.address),
                root.to_string(),
            ],
            "give the invite alone",
        ),
        (
            vec!["join".to_owned(), ann.address.clone()],
            "give an invite",
        ),
        (
            vec!["join".to_owned(), format!("cliqueclique:{root}")],
            "carries no address",
        ),
        (
            vec![
                "join".to_owned(),
                format!("cliqueclique:{}?via=tcp://127.0.0.1:1", "a".repeat(52)),
            ],
            "127.0.0.1:1",
        ),
        (
            vec!["invite".to_owned(), "a".repeat(52)],
            "cannot invite anyone",
        ),
        // A forum held already has no join to cancel, given by id or by invite.
        (
            vec!["join".to_owned(), "--cancel".to_owned(), root.to_string()],
            "no join of document",
        ),
        (
            vec![
                "join".to_owned(),
                "--cancel".to_owned(),
                format!("cliqueclique:{root}?via={}", ann.address),
            ],
            "no join of document",
        ),
    ];
    for (args, message) in errors {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = ann.cli(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_installation_without_an_address_prints_no_invite() {
    // Listening on every interface without --advertise: the cards carry no address.
    let config = FAST_CONFIG.replace("{proto}", "");
    let ann = Installation::start_custom("ann", &config, Some("tcp://0.0.0.0:0"), &[]).await;
    ann.create_node("ann");
    let root = ann.start_forum("Gardening", "About gardens.");
    let output = ann.cli(&["invite", &root.to_string()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(
        stderr.contains("advertises no address") && stderr.contains("--advertise"),
        "{stderr}"
    );
}
