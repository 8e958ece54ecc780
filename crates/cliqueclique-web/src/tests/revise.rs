//! An author's edits and retractions, and a forum owner's hiding, through POST forms with
//! the CSRF token.

use super::harness::{Browser, Harness};
use crate::Settings;
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_author_edits_and_retracts_with_post_forms() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let csrf = ann.csrf(&h).await;
    let forum = ann.post(&h, "Forum", "where people read", None).await;
    let post = ann
        .post(&h, "Tomatos", "plant them in Febuary", Some(&forum))
        .await;
    let page = ann.get(&h, &format!("/d/{post}")).await;
    assert!(page.body.contains("id=\"edit\"") && page.body.contains("id=\"retract\""));

    // Nothing changes without the token, nor by a GET.
    let bad = ann
        .form(
            &h,
            &format!("/d/{post}/edit"),
            &[("csrf", "x"), ("subject", "S"), ("body", "B")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
    let bad = ann
        .form(&h, &format!("/d/{post}/retract"), &[("csrf", "x")])
        .await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
    let get = ann.get(&h, &format!("/d/{post}/retract")).await;
    assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED);

    // The edit form is filled with the current text; a blank body is refused with the form again.
    let form = ann.get(&h, &format!("/d/{post}/edit")).await;
    assert!(form.body.contains("plant them in Febuary"), "{}", form.body);
    let blank = ann
        .form(
            &h,
            &format!("/d/{post}/edit"),
            &[("csrf", &csrf), ("subject", "Tomatoes"), ("body", " ")],
        )
        .await;
    assert!(blank.body.contains("id=\"error\""), "{}", blank.body);
    let saved = ann
        .form(
            &h,
            &format!("/d/{post}/edit"),
            &[
                ("csrf", &csrf),
                ("subject", "Tomatoes"),
                ("body", "plant them in May"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = ann.get(&h, &format!("/d/{post}")).await;
    assert!(page.body.contains("id=\"edited\""), "{}", page.body);
    assert!(page.body.contains("plant them in May"));
    assert!(page.body.contains("id=\"versions\""));
    let thread = ann.get(&h, &format!("/t/{forum}")).await;
    assert!(thread.body.contains("Tomatoes") && thread.body.contains("class=\"edited\""));
    assert!(!thread.body.contains("Tomatos"), "{}", thread.body);

    // Retracted: the text is gone from both pages, and the buttons with it.
    let retracted = ann
        .form(&h, &format!("/d/{post}/retract"), &[("csrf", &csrf)])
        .await;
    assert_eq!(
        retracted.status,
        StatusCode::SEE_OTHER,
        "{}",
        retracted.body
    );
    let page = ann.get(&h, &format!("/d/{post}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"retracted\""), "{}", page.body);
    assert!(!page.body.contains("plant them"), "{}", page.body);
    assert!(!page.body.contains("id=\"retract\""));
    let thread = ann.get(&h, &format!("/t/{forum}")).await;
    assert!(thread.body.contains("(retracted)"), "{}", thread.body);
    assert!(!thread.body.contains("plant them"), "{}", thread.body);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forum_owner_hides_and_unhides_with_post_forms() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let csrf = ann.csrf(&h).await;
    let forum = ann.post(&h, "Forum", "where people read", None).await;
    let post = ann.post(&h, "Off topic", "about cars", Some(&forum)).await;
    let page = ann.get(&h, &format!("/d/{post}")).await;
    assert!(
        page.body.contains("id=\"toggle-hide\""),
        "the owner may hide"
    );
    let root_page = ann.get(&h, &format!("/d/{forum}")).await;
    assert!(
        !root_page.body.contains("id=\"toggle-hide\""),
        "a root is not hidden"
    );

    let bad = ann
        .form(
            &h,
            &format!("/d/{post}/hide"),
            &[("csrf", "x"), ("hide", "true")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
    let hidden = ann
        .form(
            &h,
            &format!("/d/{post}/hide"),
            &[("csrf", &csrf), ("hide", "true")],
        )
        .await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER, "{}", hidden.body);
    let page = ann.get(&h, &format!("/d/{post}")).await;
    assert!(page.body.contains("id=\"hidden-body\""), "{}", page.body);
    assert!(page.body.contains("Hidden by moderator"), "{}", page.body);
    assert!(page.body.contains(">Unhide<"));
    let shown = ann
        .form(
            &h,
            &format!("/d/{post}/hide"),
            &[("csrf", &csrf), ("hide", "false")],
        )
        .await;
    assert_eq!(shown.status, StatusCode::SEE_OTHER);
    let page = ann.get(&h, &format!("/d/{post}")).await;
    assert!(!page.body.contains("id=\"hidden-body\""), "{}", page.body);
    h.stop().await;
}
