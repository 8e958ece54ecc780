//! Thread views: the tree collapsed to subject lines or expanded, and long threads in pages cut
//! between whole answers, with the way to the first unread comment on whichever page it is.

use super::harness::{Browser, Harness};
use crate::Settings;
use crate::pages::document::paging::PAGE_ROWS;
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subjects_only_and_pages_of_a_long_thread() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let root = ann.post(&h, "Gardening", "About gardens.", None).await;
    let topic = ann.post(&h, "Tomatoes", "When?", Some(&root)).await;
    let first = ann.post(&h, "Re: Tomatoes", "In May.", Some(&topic)).await;
    ann.post(&h, "Re: Re: Tomatoes", "Or June.", Some(&first))
        .await;

    // Expanded, every comment open; subjects only, every comment closed to its subject line.
    let expanded = ann.get(&h, &format!("/t/{topic}")).await;
    assert_eq!(
        expanded.body.matches("<details open>").count(),
        2,
        "{}",
        expanded.body
    );
    assert!(expanded.body.contains(&format!(
        "href=\"/t/{topic}?view=subjects\" id=\"view-subjects\""
    )));
    let subjects = ann.get(&h, &format!("/t/{topic}?view=subjects")).await;
    assert_eq!(subjects.body.matches("<details open>").count(), 0);
    assert_eq!(subjects.body.matches("<details>").count(), 2);
    assert!(subjects.body.contains("id=\"view-expanded\""));
    assert!(
        subjects.body.contains("data-view=\"subjects\""),
        "the live refresh keeps the view"
    );
    assert!(!subjects.body.contains("class=\"pager\""), "one page");

    // Beyond a page: answers up to PAGE_ROWS rows on page 1 (the first answer with its reply
    // counts two), the rest on page 2.
    for i in 0..PAGE_ROWS {
        ann.post(&h, "Re: Tomatoes", &format!("answer {i}"), Some(&topic))
            .await;
    }
    // Posts of one second stand in id order: the comment to mark unread is read off page 2.
    let page2 = ann.get(&h, &format!("/t/{topic}?page=2")).await;
    let at = page2.body.find("<li id=\"c-").expect("a comment on page 2") + 10;
    let last = page2.body[at..at + 52].to_owned();
    let csrf = ann.csrf(&h).await;
    ann.form(
        &h,
        &format!("/d/{last}/flags"),
        &[("csrf", &csrf), ("flag", "read"), ("value", "false")],
    )
    .await;
    let page1 = ann.get(&h, &format!("/t/{topic}")).await;
    assert_eq!(page1.status, StatusCode::OK);
    assert!(page1.body.contains("Page 1 of 2"), "{:.400}", page1.body);
    assert_eq!(page1.body.matches("class=\"comment").count(), PAGE_ROWS);
    assert!(
        page1
            .body
            .contains(&format!("href=\"/t/{topic}?page=2\" rel=\"next\""))
    );
    assert!(!page1.body.contains("rel=\"prev\""));
    assert!(page1.body.contains(&format!(
        "replies: <span id=\"n-comments\">{}</span>",
        PAGE_ROWS + 2
    )));
    // The unread comment is on page 2: Next unread goes there.
    assert!(
        page1
            .body
            .contains(&format!("href=\"?page=2#c-{last}\" id=\"next-unread\"")),
        "{:.300}",
        page1.body
    );
    let page2 = ann
        .get(&h, &format!("/t/{topic}?page=2&view=subjects"))
        .await;
    assert_eq!(page2.body.matches("class=\"comment").count(), 2);
    assert!(page2.body.contains(&format!("id=\"c-{last}\"")));
    // The way back keeps the view (the page escapes its `&`).
    let prev = page2.body.replace("&#38;", "&").replace("&amp;", "&");
    assert!(
        prev.contains(&format!(
            "href=\"/t/{topic}?page=1&view=subjects\" rel=\"prev\""
        )),
        "{:.300}",
        page2.body
    );
    // The live refresh asks for the page it shows.
    let fragment = ann
        .get(&h, &format!("/t/{topic}?fragment=tree&page=2"))
        .await;
    assert_eq!(fragment.body.matches("class=\"comment").count(), 2);
    // A page beyond the last shows the last.
    let beyond = ann.get(&h, &format!("/t/{topic}?page=99")).await;
    assert!(beyond.body.contains("Page 2 of 2"));
    h.stop().await;
}
