//! Keyboard only, on a phone-width window: from a document page, Tab reaches Reply, Enter opens
//! the form, Tab reaches the editor and Send, and Enter posts the reply into the whole thread;
//! on a forum's page Tab reaches the Share box's Copy button and Enter copies the invite.

use crate::support::*;
use cliqueclique_web::Settings;
use fantoccini::Client;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

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
    for letter in "After the frost.".chars() {
        press(&ann, letter).await;
    }
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
