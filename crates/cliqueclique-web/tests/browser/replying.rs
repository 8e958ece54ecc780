//! Replying in the browser, with the keyboard: bob opens ann's thread, answers it with her text
//! above his editor, quotes her by keyboard, previews his markdown, posts, and lands in the
//! whole thread at his reply, with the way back to the forum above it.

use crate::support::*;
use fantoccini::Locator;
use fantoccini::key::Key;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_with_quote_and_preview_lands_in_the_whole_thread() {
    let Some(driver) = driver().await else {
        return;
    };
    let (sites, ann, bob, root) = ann_and_bob_in_a_forum(&driver).await;
    let [ann_site, bob_site] = &sites;
    let markdown = "text/markdown; charset=utf-8";
    let topic = compose(
        &ann,
        ann_site,
        Some(&root),
        "Tomatoes",
        "When to *plant*?",
        markdown,
    )
    .await;
    let answer = compose(
        &ann,
        ann_site,
        Some(&topic),
        "Re: Tomatoes",
        "Not before May.",
        markdown,
    )
    .await;

    // Bob opens ann's answer deep in the thread and replies to it.
    let row = format!("#c-{answer}");
    let thread = format!("{}/t/{topic}", bob_site.url);
    until_shown(&bob, "ann's answer at bob's", &thread, &row).await;
    bob.goto(&format!("{}/compose?parent={answer}", bob_site.url))
        .await
        .unwrap();
    let answering = text_when(&bob, "the text answered", "#answering").await;
    assert!(
        answering.contains("Not before May.") && answering.contains("ann"),
        "{answering}"
    );

    // Quote, by keyboard: the editor starts with ann's text quoted.
    bob.find(Locator::Css("#quote"))
        .await
        .unwrap()
        .send_keys(&Key::Enter.to_string())
        .await
        .unwrap();
    let editor = bob.find(Locator::Css("#body")).await.unwrap();
    let quoted = editor.prop("value").await.unwrap().unwrap();
    assert_eq!(quoted, "ann wrote:\n> Not before May.\n\n");
    assert_eq!(
        path(&bob).await,
        "/compose",
        "the script quotes in place, keeping the page"
    );
    editor
        .send_keys("Which **frost** do you mean?")
        .await
        .unwrap();
    bob.find(Locator::Css("#content_type"))
        .await
        .unwrap()
        .select_by_value(markdown)
        .await
        .unwrap();
    click(&bob, "#preview-button").await;
    until("the preview", || async {
        bob.find(Locator::Css("#preview strong")).await.is_ok()
    })
    .await;
    let preview = text_when(&bob, "the preview", "#preview").await;
    assert!(preview.contains("Which frost do you mean?"), "{preview}");
    assert!(preview.contains("ann wrote:"), "{preview}");
    screenshot(&bob, "reply-quote-preview").await;

    // Posting lands in the whole thread at the reply; the crumbs lead back to the forum.
    fill(&bob, "#subject", "Re: Tomatoes").await;
    click(&bob, "#send").await;
    until("the whole thread", || async {
        path(&bob).await == format!("/t/{topic}")
    })
    .await;
    let url = bob.current_url().await.unwrap();
    let reply = url.fragment().unwrap().trim_start_matches("c-").to_owned();
    assert!(bob.find(Locator::Css(&format!("#c-{reply}"))).await.is_ok());
    assert!(
        bob.find(Locator::Css(&row)).await.is_ok(),
        "ann's answer on the same page"
    );
    click(&bob, "#crumbs a").await;
    until("the forum", || async {
        path(&bob).await == format!("/t/{root}")
    })
    .await;

    // Ann reads the reply with its quote rendered.
    let selector = format!("#c-{reply} blockquote");
    let thread = format!("{}/t/{topic}", ann_site.url);
    until_shown(&ann, "bob's quoting reply at ann's", &thread, &selector).await;
    for site in sites {
        site.stop().await;
    }
}
