//! Pages as a user meets them: a viewport on every page, error and joining pages that keep
//! what was typed, a 404 page, Home's lists of forums and directories, and the Node page's peers.

use super::harness::{Browser, Harness};
use super::pages::{forum_list, import_from_bob};
use crate::Settings;
use axum::http::StatusCode;
use std::time::Duration;

/// The viewport tag every page carries, so that it is usable on a phone.
const VIEWPORT: &str = "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";

#[test]
fn every_page_template_has_a_viewport_tag() {
    let base = include_str!("../../templates/base.html");
    assert!(base.contains(VIEWPORT));
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let page = text.starts_with("<!doctype html>");
        assert!(
            !page || text.contains(VIEWPORT),
            "{} has no viewport tag",
            path.display()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_and_joining_pages_fit_a_phone_and_a_failed_join_keeps_the_form() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let error = ann.get(&h, "/d/nonsense").await;
    assert_eq!(error.status, StatusCode::BAD_REQUEST);
    assert!(error.body.contains(VIEWPORT), "{}", error.body);

    let csrf = ann.csrf(&h).await;
    let unknown = "a".repeat(52);
    let join = ann
        .form(
            &h,
            "/join",
            &[
                ("csrf", &csrf),
                ("address", "no address & more"),
                ("doc", &unknown),
            ],
        )
        .await;
    assert_eq!(join.location(), format!("/join/{unknown}"));
    let mut failed = ann.get(&h, &format!("/join/{unknown}")).await;
    for _ in 0..100 {
        if failed.body.contains("The join failed") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        failed = ann.get(&h, &format!("/join/{unknown}")).await;
    }
    assert!(failed.body.contains(VIEWPORT), "{}", failed.body);
    assert!(failed.body.contains("The join failed"), "{}", failed.body);
    let retry = format!("/join?address=no%20address%20%26%20more&doc={unknown}");
    assert!(
        failed
            .body
            .contains(&format!("href=\"{}\"", retry.replace('&', "&#38;"))),
        "{}",
        failed.body
    );
    let again = ann.get(&h, &retry).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(
        again.body.contains("value=\"no address &#38; more\""),
        "{}",
        again.body
    );
    assert!(
        again.body.contains(&format!("value=\"{unknown}\"")),
        "{}",
        again.body
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_post_keeps_the_compose_form() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let root = ann.post(&h, "Forum", "hello", None).await;
    let csrf = ann.csrf(&h).await;
    let refused = ann
        .multipart(
            &h,
            "/compose",
            &[
                ("csrf", &csrf),
                ("subject", "  "),
                ("body", "my <long> text"),
                ("content_type", "text/markdown; charset=utf-8"),
                ("parent", &root),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.body.contains("a subject is needed"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("my &#60;long&#62; text</textarea>"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains("value=\"text/markdown; charset=utf-8\" selected"),
        "{}",
        refused.body
    );
    assert!(
        refused
            .body
            .contains(&format!("name=\"parent\" value=\"{root}\"")),
        "{}",
        refused.body
    );
    // A forged token still gets no form back.
    let forged = ann
        .multipart(&h, "/compose", &[("csrf", "x"), ("subject", "s")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(!forged.body.contains("<textarea"), "{}", forged.body);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_answer_a_page_and_unknown_api_paths_json() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    let anonymous = ann.get(&h, "/no/such/page").await;
    assert_eq!(anonymous.status, StatusCode::NOT_FOUND);
    ann.setup(&h, "ann").await;
    let page = ann.get(&h, "/no/such/%3Cpage%3E").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let content_type = page.headers[axum::http::header::CONTENT_TYPE]
        .to_str()
        .unwrap();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(page.body.contains(VIEWPORT), "{}", page.body);
    assert!(
        page.body.contains("href=\"/compose\""),
        "the site's menu: {}",
        page.body
    );
    assert!(!page.body.contains("<page>"), "{}", page.body);
    let api = ann.get(&h, "/api/no/such/endpoint").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    let json: serde_json::Value = serde_json::from_str(&api.body).expect(&api.body);
    assert!(json["error"].is_string(), "{json}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_lists_directories_apart_from_forums() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let forum = ann.post(&h, "Real forum", "hello", None).await;
    let csrf = ann.csrf(&h).await;
    let created = ann
        .form(&h, "/directories", &[("csrf", &csrf), ("title", "Fruit")])
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let dir = super::directories::dir_of(created.location());
    let home = ann.get(&h, "/").await;
    let forums = forum_list(&home.body);
    assert!(forums.contains(&format!("/t/{forum}")), "{forums}");
    assert!(!forums.contains(&dir), "a directory is no forum: {forums}");
    assert!(
        home.body
            .contains(&format!("href=\"/dir/{dir}\">Fruit</a>")),
        "{}",
        home.body
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_tells_an_empty_subject_from_a_missing_body() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    // The API refuses empty subjects; a document from elsewhere may still have one.
    let untitled = import_from_bob(&h, &mut ann, "").await;

    let home = ann.get(&h, "/").await;
    let forums = forum_list(&home.body);
    let row = &forums[forums.find(&format!("/t/{untitled}")).expect(forums)..];
    assert!(
        row[..row.find("</a>").unwrap()].ends_with("(no subject)"),
        "{row}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_without_a_session_is_not_shown_up() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    // Importing a document makes its exporter a peer, with no session to it.
    import_from_bob(&h, &mut ann, "From Bob").await;
    let page = ann.get(&h, "/node").await;
    assert_eq!(page.status, StatusCode::OK);
    let row = &page.body[page.body.find("<td>Bob</td>").expect(&page.body)..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("<td class=\"session\">no session</td>"),
        "{row}"
    );
    h.stop().await;
}
