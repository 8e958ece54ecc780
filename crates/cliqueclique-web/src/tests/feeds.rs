//! Atom feeds: announced on the pages, served escaped, and in public mode only with the
//! account's feed token, which the account replaces or revokes.

use super::harness::{Browser, Harness};
use crate::Settings;
use axum::http::{StatusCode, header};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_public_feed_needs_the_accounts_feed_token() {
    let h = Harness::start(Settings::public("owner-token".into())).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let root = ann.post(&h, "Ann's forum", "welcome", None).await;
    let thread = ann
        .post(
            &h,
            "<script>alert(1)</script> & more",
            "<b>bold</b> ]]>",
            Some(&root),
        )
        .await;
    let feed = format!("/feed/{root}.atom");

    // No token yet: no feed announced, none served.
    let page = ann.get(&h, &format!("/t/{root}")).await;
    assert!(!page.body.contains("application/atom+xml"), "{}", page.body);
    let mut reader = Browser::default();
    assert_eq!(reader.get(&h, &feed).await.status, StatusCode::NOT_FOUND);

    // A token: the pages announce the address, and a feed reader without a session reads it.
    let csrf = ann.csrf(&h).await;
    let made = ann
        .form(&h, "/account/feeds", &[("csrf", &csrf), ("action", "new")])
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let page = ann.get(&h, "/account/feeds").await;
    let at = page.body.find("id=\"feed-token\">").expect("the token") + 16;
    let token = page.body[at..page.body.find("</code>").unwrap()].to_owned();
    let page = ann.get(&h, &format!("/t/{root}")).await;
    let link = format!(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Feed: Ann&#39;s forum\" href=\"{feed}?token={token}\">"
    );
    assert!(page.body.contains(&link), "{}", page.body);
    let doc_page = ann.get(&h, &format!("/d/{thread}")).await;
    assert!(
        doc_page
            .body
            .contains(&format!("href=\"/feed/{thread}.atom?token={token}\"")),
        "{}",
        doc_page.body
    );

    let answer = reader.get(&h, &format!("{feed}?token={token}")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(
        answer.headers[header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    let xml = answer.body;
    assert!(
        xml.contains("<title>Ann&#39;s forum: new threads</title>"),
        "{xml}"
    );
    assert!(
        xml.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</title>"),
        "{xml}"
    );
    // The body is the page's escaped text, escaped once more as XML text.
    assert!(
        xml.contains("&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; ]]&amp;gt;"),
        "{xml}"
    );
    assert!(!xml.contains("<script") && !xml.contains("<b>"), "{xml}");

    // Another token or none: the old address stops working.
    assert_eq!(
        reader.get(&h, &format!("{feed}?token=wrong")).await.status,
        StatusCode::NOT_FOUND
    );
    let csrf = ann.csrf(&h).await;
    ann.form(
        &h,
        "/account/feeds",
        &[("csrf", &csrf), ("action", "revoke")],
    )
    .await;
    assert_eq!(
        reader
            .get(&h, &format!("{feed}?token={token}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_thread_feed_lists_every_comment_below_it() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let root = ann.post(&h, "Forum", "welcome", None).await;
    let thread = ann.post(&h, "Thread", "first", Some(&root)).await;
    let reply = ann.post(&h, "Reply", "second", Some(&thread)).await;
    let deeper = ann.post(&h, "Deeper", "third", Some(&reply)).await;
    let page = ann.get(&h, &format!("/t/{thread}")).await;
    assert!(
        page.body.contains(&format!("href=\"/feed/{thread}.atom\"")),
        "{}",
        page.body
    );
    let xml = Browser::default()
        .get(&h, &format!("/feed/{thread}.atom"))
        .await
        .body;
    assert!(
        xml.contains(&format!("<id>urn:cliqueclique:{reply}</id>")),
        "{xml}"
    );
    assert!(
        xml.contains(&format!("<id>urn:cliqueclique:{deeper}</id>")),
        "{xml}"
    );
    assert!(
        !xml.contains(&format!("<id>urn:cliqueclique:{root}</id>")),
        "{xml}"
    );
    // The forum's feed has its threads only.
    let xml = Browser::default()
        .get(&h, &format!("/feed/{root}.atom"))
        .await
        .body;
    assert!(
        xml.contains(&format!("<id>urn:cliqueclique:{thread}</id>")),
        "{xml}"
    );
    assert!(
        !xml.contains(&format!("<id>urn:cliqueclique:{reply}</id>")),
        "{xml}"
    );
    h.stop().await;
}
