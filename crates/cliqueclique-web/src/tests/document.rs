//! The document page as a reader meets it: where the document sits in its thread, with a link
//! to the whole thread at it, its author, its replies, and the protocol details folded away.

use super::harness::{Browser, Harness};
use crate::Settings;
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_page_shows_its_place_in_the_thread_and_folds_the_protocol_away() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let [root, topic, reply] = ann.gardening(&h).await;

    let page = ann.get(&h, &format!("/d/{topic}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    // Where it sits: the way up to the forum, what it answers, and the whole thread at it.
    let crumbs = &body[body.find("id=\"crumbs\"").expect(body)..];
    let crumbs = &crumbs[..crumbs.find("</nav>").unwrap()];
    assert!(
        crumbs.contains(&format!("href=\"/d/{root}\"")) && crumbs.contains("Gardening"),
        "{crumbs}"
    );
    assert!(body.contains("id=\"in-reply-to\""), "{body}");
    assert!(
        body.contains(&format!("href=\"/t/{topic}\" id=\"in-thread\"")),
        "a topic is its own thread: {body}"
    );
    // Its author as everywhere: identicon and fingerprint.
    assert!(body.contains("class=\"identicon\""), "{body}");
    // Its replies.
    let replies = &body[body.find("id=\"comments\"").expect(body)..];
    assert!(
        replies.contains(&format!("data-doc=\"{reply}\"")),
        "{replies}"
    );
    // The protocol details, folded away below the reading.
    let protocol = body.find("<details id=\"protocol\">").expect(body);
    assert!(protocol > body.find("id=\"comments\"").unwrap());
    assert!(body[protocol..].contains("id=\"doc-id\""));
    assert!(!body[..protocol].contains("Center") && !body[..protocol].contains("Serial"));

    // A reply is read in its topic's thread, at the reply.
    let answer = ann.get(&h, &format!("/d/{reply}")).await;
    assert!(
        answer
            .body
            .contains(&format!("href=\"/t/{topic}#c-{reply}\" id=\"in-thread\"")),
        "{}",
        answer.body
    );

    // A forum's root is its own thread.
    let forum = ann.get(&h, &format!("/d/{root}")).await;
    assert!(
        forum
            .body
            .contains(&format!("href=\"/t/{root}\" id=\"in-thread\"")),
        "{}",
        forum.body
    );
    assert!(!forum.body.contains("id=\"crumbs\""));
    h.stop().await;
}
