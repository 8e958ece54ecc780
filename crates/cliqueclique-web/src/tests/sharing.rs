//! Inviting: a forum's Share box with its invite and the warning when others cannot reach this
//! installation, the way back up a thread, and the Join form taking an invite.

use super::harness::{Browser, Harness};
use crate::Settings;
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forum_page_shares_an_invite_and_a_topic_leads_back_to_it() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let [root, topic, reply] = ann.gardening(&h).await;

    // The test installation listens on loopback only: the invite carries that address, and the
    // box says that only this computer can use it, with the fix.
    let advertised = h.daemon.as_ref().unwrap().state().advertised[0].clone();
    assert!(advertised.starts_with("tcp://127.0.0.1:"), "{advertised}");
    let forum = ann.get(&h, &format!("/t/{root}")).await;
    let invite = format!("cliqueclique:{root}?via={advertised}");
    assert!(forum.body.contains("id=\"share\""), "{}", forum.body);
    assert!(
        forum.body.contains(&format!("value=\"{invite}\"")),
        "{}",
        forum.body
    );
    assert!(forum.body.contains("id=\"share-warning\""));
    assert!(forum.body.contains("only programs on this computer"));
    assert!(forum.body.contains("--advertise tcp://HOST:7117"));
    assert!(forum.body.contains(&format!("href=\"/d/{root}/export\"")));
    assert!(
        !forum.body.contains("id=\"crumbs\""),
        "a forum has nothing above it"
    );

    // A thread has no Share box but the way back to its forum; a sub-thread the whole chain.
    let thread = ann.get(&h, &format!("/t/{topic}")).await;
    assert!(!thread.body.contains("id=\"share\""));
    assert!(thread.body.contains("id=\"crumbs\""));
    assert!(
        thread
            .body
            .contains(&format!("<a href=\"/t/{root}\">Gardening</a>"))
    );
    let sub = ann.get(&h, &format!("/t/{reply}")).await;
    let at_root = sub.body.find(&format!("href=\"/t/{root}\"")).unwrap();
    let at_topic = sub.body.find(&format!("href=\"/t/{topic}\"")).unwrap();
    assert!(at_root < at_topic, "the forum first, then the thread");

    // The API gives the same invite.
    let api = ann
        .get(&h, &format!("/api/nodes/ann/documents/{root}/invite"))
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let view: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(view["invite"], invite.as_str());
    assert!(view["warning"].as_str().unwrap().contains("loopback"));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_installation_without_addresses_says_that_nobody_can_join() {
    let h = Harness::start_with(Settings::local(), |config| {
        config.listen.clear();
    })
    .await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let root = ann.post(&h, "Gardening", "About gardens.", None).await;
    let forum = ann.get(&h, &format!("/t/{root}")).await;
    assert!(
        forum
            .body
            .contains("advertises no address, so nobody can join")
    );
    assert!(
        !forum.body.contains("id=\"invite\""),
        "no invite that cannot work"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_join_form_takes_an_invite() {
    let h = Harness::start(Settings::local()).await;
    let mut bob = Browser::default();
    bob.setup(&h, "bob").await;
    let csrf = bob.csrf(&h).await;
    let unknown = "a".repeat(52);

    let refused = [
        ("https://example.org/", "an invite starts with"),
        (
            "cliqueclique:zz?via=tcp://127.0.0.1:1",
            "document id is malformed",
        ),
        (&*format!("cliqueclique:{unknown}"), "carries no address"),
        (
            &*format!("cliqueclique:{unknown}?via=ftp://x"),
            "is malformed",
        ),
    ];
    for (invite, message) in refused {
        let answer = bob
            .form(&h, "/join", &[("csrf", &csrf), ("invite", invite)])
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{invite}");
        assert!(answer.body.contains(message), "{invite}: {}", answer.body);
        assert!(answer.body.contains("value=\""), "what was typed stays");
    }
    let empty = bob.form(&h, "/join", &[("csrf", &csrf)]).await;
    assert!(empty.body.contains("paste an invite"), "{}", empty.body);

    // A good invite starts the join, also when pasted into the address field; a failed one
    // offers to try the same invite again.
    let invite = format!("cliqueclique:{unknown}?via=tcp://127.0.0.1:1");
    for field in ["invite", "address"] {
        let answer = bob
            .form(&h, "/join", &[("csrf", &csrf), (field, &invite)])
            .await;
        assert_eq!(
            answer.location(),
            format!("/join/{unknown}"),
            "{}",
            answer.body
        );
    }
    let mut failed = None;
    for _ in 0..200 {
        let page = bob.get(&h, &format!("/join/{unknown}")).await;
        if page.body.contains("The join failed") {
            failed = Some(page);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let failed = failed.expect("the join to an unreachable address fails within 20 s");
    let escaped = crate::render::url_escape(&invite);
    assert!(
        failed.body.contains(&format!("/join?invite={escaped}")),
        "{}",
        failed.body
    );
    let form = bob.get(&h, &format!("/join?invite={escaped}")).await;
    assert!(form.body.contains(&format!("value=\"{invite}\"")));
    h.stop().await;
}
