//! Reading as in a newsreader, in the browser: bob's replies arrive at ann's; her Home and the
//! tab's title count them live; on the thread page a divider stands above what is new, a comment
//! becomes read only once its text has been on the screen, and the keys n, j, k and ? move
//! through the thread and list themselves.

use crate::support::*;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

/// The page's title.
async fn title(client: &Client) -> String {
    client.title().await.unwrap()
}

/// Whether the comment `id` is still marked unread on the open page.
async fn unread(client: &Client, id: &str) -> bool {
    let script = format!("return document.getElementById('c-{id}').classList.contains('unread');");
    client.execute(&script, vec![]).await.unwrap() == serde_json::json!(true)
}

/// Presses `key` on the page.
async fn press(client: &Client, key: &str) {
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
}

/// The id of the comment in focus.
async fn focused(client: &Client) -> String {
    let id = client
        .execute("return document.activeElement.dataset.doc || '';", vec![])
        .await
        .unwrap();
    id.as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_counts_follow_what_was_shown_and_keys_move_through_the_thread() {
    let Some(driver) = driver().await else {
        return;
    };
    let (sites, ann, bob, root) = ann_and_bob_in_a_forum(&driver).await;
    let [ann_site, bob_site] = &sites;
    let plain = "text/plain; charset=utf-8";
    let topic = compose(
        &ann,
        ann_site,
        Some(&root),
        "Tomatoes",
        "When to plant?",
        plain,
    )
    .await;
    ann.goto(&ann_site.url).await.unwrap();
    ann.execute("window.ccStay = 1; return true;", vec![])
        .await
        .unwrap();

    // Bob writes three long replies; ann's Home counts them as they arrive, without a reload.
    let forum = format!("{}/t/{root}", bob_site.url);
    until_shown(&bob, "the topic at bob's", &forum, &format!("#c-{topic}")).await;
    let long: String = (1..=40)
        .map(|i| format!("Line {i} of a long answer.\n"))
        .collect();
    let mut replies = Vec::new();
    for n in 1..=3 {
        let text = format!("Answer {n}.\n{long}");
        replies.push(compose(&bob, bob_site, Some(&topic), "Re: Tomatoes", &text, plain).await);
    }
    until("(3) in ann's Home title", || async {
        title(&ann).await.starts_with("(3) Home")
    })
    .await;
    let count = text_when(&ann, "the forum's unread count", "#forums .unread-count").await;
    assert_eq!(count, "3 unread");
    let stayed = ann.execute("return window.ccStay;", vec![]).await.unwrap();
    assert_eq!(stayed, serde_json::json!(1), "Home was not reloaded");
    // They are replies to ann: the header counts them, and her notifications list them.
    until("3 in the header's notification count", || async {
        text_when(&ann, "the notification count", "#n-notifications").await == "3"
    })
    .await;
    click(&ann, "#notifications-link").await;
    let listed = text_when(&ann, "the notifications", "#notifications").await;
    assert_eq!(listed.matches("replied to you").count(), 3, "{listed}");
    screenshot(&ann, "notifications").await;

    // The thread page: the divider above the first new reply; the last one, below the fold,
    // stays unread until it is scrolled to.
    ann.goto(&format!("{}/t/{topic}", ann_site.url))
        .await
        .unwrap();
    let divider = text_when(&ann, "the divider", "#new-divider").await;
    assert_eq!(divider, "New since your last visit");
    screenshot(&ann, "reading-new").await;
    // Replies of the same second stand in id order: the page's order is the one to follow.
    let order = ann
        .execute(
            "return Array.from(document.querySelectorAll('#tree li.comment')).map(function (li) { return li.dataset.doc; });",
            vec![],
        )
        .await
        .unwrap();
    let order: Vec<String> = serde_json::from_value(order).unwrap();
    let mut sorted = order.clone();
    sorted.sort();
    replies.sort();
    assert_eq!(sorted, replies);
    let replies = order;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(
        unread(&ann, &replies[2]).await,
        "a reply never shown is still unread"
    );
    assert!(title(&ann).await.starts_with('('), "{}", title(&ann).await);

    // n goes to the first new reply, j and k move by one; each shown reply becomes read.
    press(&ann, "n").await;
    assert_eq!(focused(&ann).await, replies[0]);
    press(&ann, "j").await;
    assert_eq!(focused(&ann).await, replies[1]);
    press(&ann, "j").await;
    assert_eq!(focused(&ann).await, replies[2]);
    press(&ann, "k").await;
    assert_eq!(focused(&ann).await, replies[1]);
    until("every reply read", || async {
        title(&ann).await == "Tomatoes · cliqueclique"
    })
    .await;
    assert_eq!(text_when(&ann, "the count", "#n-unread").await, "0");

    // ? lists the keys; Escape closes the list.
    press(&ann, "?").await;
    let keys = text_when(&ann, "the list of keys", "#keys").await;
    assert!(keys.contains("next / previous unread comment"), "{keys}");
    press(&ann, &Key::Escape.to_string()).await;
    until("the list closed", || async {
        ann.execute("return document.getElementById('keys').open;", vec![])
            .await
            .unwrap()
            == serde_json::json!(false)
    })
    .await;

    // The read state was stored: a reload shows nothing new, and Home counts nothing.
    until("the read state stored", || async {
        ann.refresh().await.unwrap();
        ann.find(Locator::Css("#subject")).await.is_ok()
            && ann.find(Locator::Css("#new-divider")).await.is_err()
    })
    .await;
    ann.goto(&ann_site.url).await.unwrap();
    assert_eq!(title(&ann).await, "Home · cliqueclique");
    until("no unread notification", || async {
        ann.execute(
            "return document.getElementById('n-notifications').hidden;",
            vec![],
        )
        .await
        .unwrap()
            == serde_json::json!(true)
    })
    .await;
    for site in sites {
        site.stop().await;
    }
}
