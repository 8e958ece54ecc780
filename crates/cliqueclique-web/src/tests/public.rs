//! Public mode: registration by setting, one node per account, and no way to act as another's node.

use super::harness::{Browser, Harness};
use crate::{Registration, Settings};
use axum::http::{Method, StatusCode};

async fn register(h: &Harness, name: &str, invite: &str) -> (Browser, axum::http::StatusCode) {
    let mut b = Browser::default();
    let csrf = b.get(h, "/register").await.csrf();
    let answer = b
        .form(
            h,
            "/register",
            &[
                ("csrf", &csrf),
                ("username", name),
                ("password", "secret secret"),
                ("invite", invite),
            ],
        )
        .await;
    (b, answer.status)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_are_isolated_and_the_api_is_guarded() {
    let mut settings = Settings::public("owner-token".into());
    settings.registration = Some(Registration::Open);
    let h = Harness::start(settings).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let root = ann.post(&h, "Ann's forum", "private thoughts", None).await;
    let (mut bob, status) = register(&h, "bob", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let login_page = Browser::default().get(&h, "/login").await;
    let cookie = login_page.headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("; Secure"),
        "a website's cookies are secure: {cookie}"
    );
    assert_eq!(
        register(&h, "bob", "").await.1,
        StatusCode::BAD_REQUEST,
        "name taken"
    );

    // Bob's pages act as his own node: Ann's document is unknown there.
    assert_eq!(
        bob.get(&h, &format!("/d/{root}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bob.get(&h, &format!("/t/{root}")).await.status,
        StatusCode::NOT_FOUND
    );

    // The API: nothing without credentials; an account only as its own node.
    let mut nobody = Browser::default();
    assert_eq!(
        nobody.get(&h, "/api/nodes").await.status,
        StatusCode::UNAUTHORIZED
    );
    let nodes = bob.get(&h, "/api/nodes").await;
    let list: Vec<serde_json::Value> = serde_json::from_str(&nodes.body).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["name"], "bob");
    for path in [
        format!("/api/nodes/ann/documents/{root}"),
        "/api/status".into(),
        "/api/peers".into(),
        format!("/api/nodes/bob/documents/{root}/network?scope=installation"),
    ] {
        assert_eq!(
            bob.get(&h, &path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let flags = bob
        .send(
            &h,
            Method::POST,
            &format!("/api/nodes/ann/documents/{root}/flags"),
            Some("application/json"),
            br#"{"read": true}"#.to_vec(),
            &[],
        )
        .await;
    assert_eq!(flags.status, StatusCode::FORBIDDEN);
    let post = br#"{"subject": "as ann", "body": "forged"}"#.to_vec();
    let forged = bob
        .send(
            &h,
            Method::POST,
            "/api/nodes/ann/documents",
            Some("application/json"),
            post.clone(),
            &[],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // Bob's own node, from the browser session, needs the CSRF header to change anything.
    let no_token = bob
        .send(
            &h,
            Method::POST,
            "/api/nodes/bob/documents",
            Some("application/json"),
            post.clone(),
            &[],
        )
        .await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let csrf = bob.csrf(&h).await;
    let own = bob
        .send(
            &h,
            Method::POST,
            "/api/nodes/bob/documents",
            Some("application/json"),
            post,
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);

    // An account's API token and the owner token.
    let token_page = bob.form(&h, "/account/token", &[("csrf", &csrf)]).await;
    let marker = "id=\"new-token\">";
    let at = token_page.body.find(marker).unwrap() + marker.len();
    let token = token_page.body[at..at + 52].to_owned();
    let mut script = Browser {
        bearer: Some(token),
        ..Browser::default()
    };
    assert_eq!(
        script.get(&h, "/api/nodes/bob/overview").await.status,
        StatusCode::OK
    );
    assert_eq!(
        script.get(&h, "/api/nodes/ann/overview").await.status,
        StatusCode::FORBIDDEN
    );
    let mut owner = Browser {
        bearer: Some("owner-token".into()),
        ..Browser::default()
    };
    assert_eq!(owner.get(&h, "/api/status").await.status, StatusCode::OK);
    assert_eq!(
        owner
            .get(&h, &format!("/api/nodes/ann/documents/{root}"))
            .await
            .status,
        StatusCode::OK
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_by_invite_and_closed() {
    let h = Harness::start(Settings::public("t".into())).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    // Invite-only by default.
    assert_eq!(
        register(&h, "bob", "made-up").await.1,
        StatusCode::FORBIDDEN
    );
    let csrf = ann.csrf(&h).await;
    let page = ann.form(&h, "/account/invites", &[("csrf", &csrf)]).await;
    let marker = "id=\"invite-code\">";
    let at = page.body.find(marker).unwrap() + marker.len();
    let code = page.body[at..at + 52].to_owned();
    let (mut bob, status) = register(&h, "bob", &code).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        register(&h, "cleo", &code).await.1,
        StatusCode::FORBIDDEN,
        "used once"
    );
    let closed = ann
        .form(
            &h,
            "/account/registration",
            &[("csrf", &csrf), ("mode", "closed")],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        Browser::default().get(&h, "/register").await.status,
        StatusCode::FORBIDDEN
    );
    // Only the owner manages registration.
    let bob_csrf = bob.csrf(&h).await;
    let by_bob = bob
        .form(
            &h,
            "/account/registration",
            &[("csrf", &bob_csrf), ("mode", "open")],
        )
        .await;
    assert_eq!(by_bob.status, StatusCode::FORBIDDEN);
    let invite = bob
        .form(&h, "/account/invites", &[("csrf", &bob_csrf)])
        .await;
    assert_eq!(invite.status, StatusCode::FORBIDDEN);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_registers_only_a_few_accounts_an_hour() {
    let mut settings = Settings::public("owner-token".into());
    settings.registration = Some(Registration::Open);
    let h = Harness::start(settings).await;
    Browser::default().setup(&h, "ann").await;
    let limit = crate::auth::limiter::LoginLimits::default().registration_burst;
    for i in 0..limit {
        let (_, status) = register(&h, &format!("user{i}"), "").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "registration {i}");
    }
    let (_, status) = register(&h, "one-too-many", "").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let nodes = h
        .daemon
        .as_ref()
        .unwrap()
        .state()
        .handle
        .node_infos()
        .await
        .unwrap()
        .len();
    assert_eq!(nodes, 1 + limit as usize, "no node for the refused one");
    h.stop().await;
}
