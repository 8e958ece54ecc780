//! The account pages: setup, login and logout, and the login limits that slow an attacker
//! without locking out the owner of the password.

use super::harness::{Browser, CLIENT, Harness};
use crate::Settings;
use crate::auth::limiter::LoginLimits;
use axum::http::StatusCode;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_login_and_logout() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    let first = ann.get(&h, "/").await;
    assert_eq!(
        (first.status, first.location()),
        (StatusCode::SEE_OTHER, "/setup")
    );
    assert_eq!(
        ann.get(&h, "/login").await.location(),
        "/setup",
        "no account yet"
    );

    // Setup refuses a missing or wrong CSRF token, a short password.
    ann.get(&h, "/setup").await;
    let forged = ann
        .form(
            &h,
            "/setup",
            &[
                ("csrf", "x"),
                ("username", "ann"),
                ("password", "long enough"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let csrf = ann.get(&h, "/setup").await.csrf();
    let short = ann
        .form(
            &h,
            "/setup",
            &[("csrf", &csrf), ("username", "ann"), ("password", "short")],
        )
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(short.body.contains("too short"), "{}", short.body);
    ann.setup(&h, "ann").await;
    let home = ann.get(&h, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Forums"));
    assert_eq!(
        ann.get(&h, "/setup").await.location(),
        "/login",
        "setup happens once"
    );

    // A second browser: wrong password, then the right one.
    let mut other = Browser::default();
    let csrf = other.get(&h, "/login").await.csrf();
    let wrong = other
        .form(
            &h,
            "/login",
            &[
                ("csrf", &csrf),
                ("username", "ann"),
                ("password", "wrong one"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("wrong name or password"));
    let right = other
        .form(
            &h,
            "/login",
            &[
                ("csrf", &csrf),
                ("username", "ann"),
                ("password", "correct horse"),
            ],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert_eq!(other.get(&h, "/").await.status, StatusCode::OK);

    // Logout needs the token, then ends the session.
    let bad = other.form(&h, "/logout", &[("csrf", "nope")]).await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
    let csrf = other.csrf(&h).await;
    let out = other.form(&h, "/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.location(), "/login");
    let stale = Browser {
        cookies: right_cookies(&other),
        bearer: None,
    };
    assert_eq!(other.get(&h, "/").await.location(), "/login");
    drop(stale);
    // Ann's own session is untouched.
    assert_eq!(ann.get(&h, "/").await.status, StatusCode::OK);
    h.stop().await;
}

fn right_cookies(b: &Browser) -> std::collections::BTreeMap<String, String> {
    b.cookies.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v6_wrong_passwords_slow_a_name_but_never_lock_out_its_owner() {
    let settings = Settings {
        login_limits: LoginLimits {
            free_failures: 2,
            first_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(100),
            ..LoginLimits::default()
        },
        ..Settings::local()
    };
    let h = Harness::start(settings).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let mut guesser = Browser::default();
    let csrf = guesser.get(&h, "/login").await.csrf();
    for _ in 0..10 {
        let answer = guesser.login(&h, &csrf, "ann", "guess guess", &[]).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    }
    // The right password still logs in, only later.
    let mut owner = Browser::default();
    let csrf = owner.get(&h, "/login").await.csrf();
    let right = owner.login(&h, &csrf, "ann", "correct horse", &[]).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert_eq!(right.location(), "/");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v6_behind_a_trusted_proxy_each_client_has_its_own_address_limit() {
    let settings = Settings {
        login_limits: LoginLimits {
            address_burst: 3,
            free_failures: 100,
            ..LoginLimits::default()
        },
        ..Settings::local()
    };
    // Every request reaches the server from the proxy, which names the client.
    let h = Harness::start_with(settings, |config| {
        config.http.trusted_proxies = vec![CLIENT.into()];
    })
    .await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let mut guesser = Browser::default();
    let csrf = guesser.get(&h, "/login").await.csrf();
    let from_guesser = [("x-forwarded-for", "198.51.100.7")];
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let answer = guesser
            .login(&h, &csrf, "anyone", "guess guess", &from_guesser)
            .await;
        statuses.push(answer.status);
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    // Another client behind the same proxy is not limited by the guesser's failures.
    let mut owner = Browser::default();
    let csrf = owner.get(&h, "/login").await.csrf();
    let from_owner = [("x-forwarded-for", "198.51.100.8")];
    let wrong = owner
        .login(&h, &csrf, "ann", "guess guess", &from_owner)
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
    let right = owner
        .login(&h, &csrf, "ann", "correct horse", &from_owner)
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    // A client that is not a trusted proxy cannot pick its address by the header.
    let h2 = Harness::start(Settings {
        login_limits: LoginLimits {
            address_burst: 1,
            free_failures: 100,
            ..LoginLimits::default()
        },
        ..Settings::local()
    })
    .await;
    let mut direct = Browser::default();
    direct.setup(&h2, "bob").await;
    let mut direct = Browser::default();
    let csrf = direct.get(&h2, "/login").await.csrf();
    for (i, status) in [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS]
        .into_iter()
        .enumerate()
    {
        let forged = format!("198.51.100.{i}");
        let answer = direct
            .login(
                &h2,
                &csrf,
                "bob",
                "guess guess",
                &[("x-forwarded-for", &forged)],
            )
            .await;
        assert_eq!(answer.status, status, "{}", answer.body);
    }
    h2.stop().await;
    h.stop().await;
}
