//! Keyboard only (Tab, Enter and typed keys; no clicks), at phone and desktop widths.
//!
//! On a phone-width window: from a document page, Tab reaches Reply, Enter opens the form, Tab
//! reaches the editor and Send, and Enter posts the reply into the whole thread; on a forum's
//! page Tab reaches the Share box's Copy button and Enter copies the invite.
//!
//! Between installations: a reply and a mention from bob light the header's notification count
//! at ann's (390 px); Tab and Enter open her notifications and the first one, which shows its
//! post in its thread. On a thread page, at 390 and at 1200 px, Tab and Enter switch to the
//! subject-only view, which hides the comments' text, and back. At 1200 px a third installation
//! joins by typing the invite from ann's Share box into the Join page and pressing Enter.

use crate::support::*;
use cliqueclique_web::Settings;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

/// The most Tab presses a page may need to reach an element.
const MAX_TABS: usize = 80;

/// Whether the focused element matches `css`.
async fn focused_is(client: &Client, css: &str) -> bool {
    let script = format!(
        "return !!document.activeElement && document.activeElement.matches({});",
        serde_json::to_string(css).unwrap()
    );
    client.execute(&script, vec![]).await.unwrap() == serde_json::json!(true)
}

/// Presses `key` where the focus is, as the keyboard does (not typed into an element, which a
/// file field would take for a file name).
async fn press(client: &Client, key: impl Into<char>) {
    let value = key.into();
    let actions = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value })
        .then(KeyAction::Up { value });
    client.perform_actions(actions).await.unwrap();
}

/// Types `text` where the focus is, key by key.
async fn type_keys(client: &Client, text: &str) {
    let mut actions = KeyActions::new("keyboard".to_owned());
    for value in text.chars() {
        actions = actions
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
    }
    client.perform_actions(actions).await.unwrap();
}

/// Presses Tab until the element matching `css` has the focus; panics if it never gets it.
async fn tab_to(client: &Client, css: &str) {
    for _ in 0..MAX_TABS {
        if focused_is(client, css).await {
            return;
        }
        press(client, Key::Tab).await;
    }
    panic!("{MAX_TABS} presses of Tab did not reach {css}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_and_an_invite_copy_by_keyboard_on_a_phone() {
    let Some(driver) = driver().await else {
        return;
    };
    let site = Site::start("ann", Settings::local()).await;
    let ann = browser(&driver).await;
    set_up(&ann, &site, "ann").await;
    let plain = "text/plain; charset=utf-8";
    let root = compose(&ann, &site, None, "Gardening", "About gardens.", plain).await;
    let topic = compose(&ann, &site, Some(&root), "Tomatoes", "When?", plain).await;
    ann.set_window_size(390, 844).await.unwrap();

    // Reply: Tab to the document page's Reply, Enter, Tab to the editor, type, Tab to Send, Enter.
    ann.goto(&format!("{}/d/{topic}", site.url)).await.unwrap();
    tab_to(&ann, "#reply").await;
    press(&ann, Key::Enter).await;
    until("the reply form", || async {
        path(&ann).await == "/compose"
    })
    .await;
    tab_to(&ann, "#body").await;
    type_keys(&ann, "After the frost.").await;
    tab_to(&ann, "#send").await;
    press(&ann, Key::Enter).await;
    until("the thread, at the new reply", || async {
        path(&ann).await == format!("/t/{topic}")
    })
    .await;
    let reply = ann
        .current_url()
        .await
        .unwrap()
        .fragment()
        .unwrap_or_default()
        .to_owned();
    assert!(
        reply.starts_with("c-"),
        "scrolled to the new reply: {reply}"
    );
    let shown = text_when(&ann, "the reply", &format!("#{reply}")).await;
    assert!(shown.contains("After the frost."), "{shown}");

    // The Share box: Tab to Copy, Enter; the whole invite is selected (and copied).
    ann.goto(&format!("{}/t/{root}", site.url)).await.unwrap();
    tab_to(&ann, "#share button.copy").await;
    press(&ann, Key::Enter).await;
    let selected = ann
        .execute(
            "const f = document.getElementById('invite');
             return [f.selectionStart, f.selectionEnd, f.value.length];",
            vec![],
        )
        .await
        .unwrap();
    let [start, end, len]: [u64; 3] = serde_json::from_value(selected).unwrap();
    assert!(
        len > 0 && (start, end) == (0, len),
        "{start}..{end} of {len}"
    );
    site.stop().await;
}

/// Whether the elements matching `css` are there, and each shown (`true`) or each hidden
/// (`false`).
async fn all_shown(client: &Client, css: &str, shown: bool) -> bool {
    let found = client
        .execute(
            "return Array.from(document.querySelectorAll(arguments[0])).map(function (e) { return e.checkVisibility(); });",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap();
    let found: Vec<bool> = serde_json::from_value(found).unwrap();
    !found.is_empty() && found.iter().all(|&s| s == shown)
}

/// On the thread page `url`: Tab and Enter on "Subjects only" hide every comment's text and keep
/// the subjects, and Tab and Enter on "Expanded" show the text again.
async fn views_by_keyboard(client: &Client, url: &str) {
    client.goto(url).await.unwrap();
    until("the comments", || async {
        all_shown(client, "#tree li.comment .body", true).await
    })
    .await;
    tab_to(client, "#view-subjects").await;
    press(client, Key::Enter).await;
    until("the subject-only view", || async {
        client
            .current_url()
            .await
            .unwrap()
            .query()
            .is_some_and(|q| q.contains("view=subjects"))
            && client.find(Locator::Css("#view-expanded")).await.is_ok()
    })
    .await;
    assert!(
        all_shown(client, "#tree li.comment .body", false).await,
        "the comments' text is hidden"
    );
    assert!(
        all_shown(client, "#tree li.comment summary .subject", true).await,
        "the subjects are shown"
    );
    tab_to(client, "#view-expanded").await;
    press(client, Key::Enter).await;
    until("the expanded view", || async {
        client.find(Locator::Css("#view-subjects")).await.is_ok()
    })
    .await;
    assert_eq!(client.current_url().await.unwrap().query(), None);
    assert!(
        all_shown(client, "#tree li.comment .body", true).await,
        "the comments' text is shown again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_thread_views_and_a_join_by_keyboard() {
    let Some(driver) = driver().await else {
        return;
    };
    let (sites, ann, bob, root) = ann_and_bob_in_a_forum(&driver).await;
    let [ann_site, bob_site] = &sites;
    let plain = "text/plain; charset=utf-8";

    // Bob answers ann's topic, and starts one of his own that names her.
    let bodies = ("When?", "After the frost, @ann.");
    let (topic, reply) = topic_and_reply(&sites, &ann, &bob, &root, bodies).await;
    ann.set_window_size(390, 844).await.unwrap();
    bob.set_window_size(1200, 900).await.unwrap();
    compose(
        &bob,
        bob_site,
        Some(&root),
        "Seeds",
        "Which seeds, @ann?",
        plain,
    )
    .await;

    // At ann's, on a phone: the header counts both; Tab and Enter open the notifications.
    ann.goto(&ann_site.url).await.unwrap();
    until("2 in the header's notification count", || async {
        text_when(&ann, "the notification count", "#n-notifications").await == "2"
    })
    .await;
    tab_to(&ann, "#notifications-link").await;
    press(&ann, Key::Enter).await;
    until("the notifications page", || async {
        path(&ann).await == "/notifications"
    })
    .await;
    let listed = text_when(&ann, "the notifications", "#notifications").await;
    assert!(
        listed.contains("replied to you") && listed.contains("mentioned you"),
        "{listed}"
    );
    screenshot(&ann, "phone-notifications").await;

    // The first one (either: they may share a second) opens its thread, at its post.
    let first = "#notifications li:first-child a.subject";
    let href = ann
        .find(Locator::Css(first))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    tab_to(&ann, first).await;
    press(&ann, Key::Enter).await;
    let target = format!("{}{href}", ann_site.url);
    until("the notification's thread", || async {
        ann.current_url().await.unwrap().as_str() == target
    })
    .await;
    let shown = match href.split_once('#') {
        Some((_, fragment)) => {
            assert_eq!(
                fragment,
                format!("c-{reply}"),
                "only the reply is a comment"
            );
            text_when(&ann, "the reply", &format!("#{fragment}")).await
        }
        None => text_when(&ann, "the topic", "article.thread-root").await,
    };
    assert!(shown.contains("@ann"), "{shown}");

    // The subject-only view and back, on the phone and on the desktop.
    let thread = |site: &Site| format!("{}/t/{topic}", site.url);
    views_by_keyboard(&ann, &thread(ann_site)).await;
    views_by_keyboard(&bob, &thread(bob_site)).await;

    // Cleo, on a desktop, joins by the invite in ann's Share box: Tab, type, Enter.
    ann.goto(&format!("{}/t/{root}", ann_site.url))
        .await
        .unwrap();
    let invite = value(&ann, "#invite").await;
    let cleo_site = Site::start("cleo", Settings::local()).await;
    let cleo = browser(&driver).await;
    cleo.set_window_size(1200, 900).await.unwrap();
    set_up(&cleo, &cleo_site, "cleo").await;
    cleo.goto(&format!("{}/join", cleo_site.url)).await.unwrap();
    tab_to(&cleo, "#invite").await;
    type_keys(&cleo, &invite).await;
    assert_eq!(value(&cleo, "#invite").await, invite);
    press(&cleo, Key::Enter).await;
    until("the forum at cleo's", || async {
        path(&cleo).await == format!("/t/{root}")
    })
    .await;
    assert_eq!(text_when(&cleo, "the forum", "#subject").await, "Gardening");
    until("the forum's topics at cleo's", || async {
        text(&cleo).await.contains("Tomatoes")
    })
    .await;

    for client in [ann, bob, cleo] {
        client.close().await.unwrap();
    }
    for site in sites {
        site.stop().await;
    }
    cleo_site.stop().await;
}
