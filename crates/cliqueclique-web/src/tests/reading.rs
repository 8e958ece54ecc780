//! Read state on the pages: comments are marked read only by the script's POST of what was
//! shown (with the CSRF token), never by a GET; the thread page marks what is new with a divider
//! and the tab's title, and Home and the title count what is unread.

use super::harness::{Browser, Harness};
use crate::Settings;
use axum::http::StatusCode;

/// The comment right below the "new since your last visit" divider.
fn first_new(body: &str) -> Option<&str> {
    let after = &body[body.find("id=\"new-divider\"")?..];
    let at = after.find("id=\"c-")? + 6;
    after.get(at..at + 52)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shown_comments_are_marked_read_by_post_only() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let root = ann.post(&h, "Gardening", "About gardens.", None).await;
    let topic = ann.post(&h, "Tomatoes", "When?", Some(&root)).await;
    let mut replies = Vec::new();
    for text in ["May.", "June.", "Never."] {
        replies.push(ann.post(&h, "Re: Tomatoes", text, Some(&topic)).await);
    }
    // Ann's own posts are read; she marks the three replies unread, as if others wrote them.
    let csrf = ann.csrf(&h).await;
    for id in &replies {
        let answer = ann
            .form(
                &h,
                &format!("/d/{id}/flags"),
                &[("csrf", &csrf), ("flag", "read"), ("value", "false")],
            )
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
    }

    // The thread page: three new, the divider above the first, the count in the title, and the
    // Next unread link to the first; the same on a second GET (a GET marks nothing).
    for _ in 0..2 {
        let page = ann.get(&h, &format!("/t/{topic}")).await;
        assert!(
            page.body
                .contains("<title>(3) Tomatoes · cliqueclique</title>"),
            "{}",
            page.body
        );
        assert_eq!(page.body.matches("id=\"new-divider\"").count(), 1);
        // Posts of the same second are in id order: the first new one follows the divider.
        let first_new = first_new(&page.body).unwrap();
        assert!(replies.iter().any(|r| r == first_new));
        assert!(
            page.body
                .contains(&format!("href=\"#c-{first_new}\" id=\"next-unread\""))
        );
    }
    let home = ann.get(&h, "/").await;
    assert!(
        home.body.contains("<title>(3) Home · cliqueclique</title>"),
        "{}",
        home.body
    );

    // The script reports the first two as shown: the divider moves to the third.
    let ids = format!("{} {}", replies[0], replies[1]);
    let marked = ann
        .form(&h, "/read", &[("csrf", &csrf), ("ids", &ids)])
        .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.body);
    assert_eq!(marked.body, "{\"marked\":2}");
    let again = ann
        .form(&h, "/read", &[("csrf", &csrf), ("ids", &ids)])
        .await;
    assert_eq!(again.body, "{\"marked\":0}", "already read");
    let page = ann.get(&h, &format!("/t/{topic}")).await;
    assert!(page.body.contains("<title>(1) Tomatoes"));
    assert_eq!(first_new(&page.body), Some(replies[2].as_str()));

    // Refused: a forged token, a bad id, too many ids; an unknown id is left out.
    let forged = ann
        .form(&h, "/read", &[("csrf", "x"), ("ids", &replies[2])])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let bad = ann
        .form(&h, "/read", &[("csrf", &csrf), ("ids", "nonsense")])
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let many = vec![replies[2].as_str(); crate::pages::reading::MAX_MARKED + 1].join(",");
    let refused = ann
        .form(&h, "/read", &[("csrf", &csrf), ("ids", &many)])
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("at most 500"));
    let unknown = "a".repeat(52);
    let mixed = format!("{unknown},{}", replies[2]);
    let marked = ann
        .form(&h, "/read", &[("csrf", &csrf), ("ids", &mixed)])
        .await;
    assert_eq!(marked.body, "{\"marked\":1}");
    let page = ann.get(&h, &format!("/t/{topic}")).await;
    assert!(page.body.contains("<title>Tomatoes · cliqueclique</title>"));
    assert!(!page.body.contains("id=\"new-divider\""));
    assert!(!page.body.contains("id=\"next-unread\""));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_notifications_page_lists_nothing_of_ones_own() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let root = ann.post(&h, "Gardening", "About gardens.", None).await;
    let topic = ann.post(&h, "Tomatoes", "When?", Some(&root)).await;
    ann.post(&h, "Re: Tomatoes", "Asking myself, @ann.", Some(&topic))
        .await;
    let page = ann.get(&h, "/notifications").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("id=\"no-notifications\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("<code>@ann</code>"));
    assert!(
        page.body.contains("id=\"notifications-link\""),
        "in the header"
    );
    let csrf = ann.csrf(&h).await;
    let forged = ann.form(&h, "/notifications/read", &[("csrf", "x")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let read = ann
        .form(&h, "/notifications/read", &[("csrf", &csrf)])
        .await;
    assert_eq!(read.location(), "/notifications");
    h.stop().await;
}
