//! The directory pages, publishing under a name (document page and compose form), the browse page
//! with paging, and the search page with its mistakes marked.

use super::harness::{Browser, Harness};
use crate::Settings;
use axum::http::StatusCode;

/// The directory id from a `/dir/ID…` location.
pub(super) fn dir_of(location: &str) -> String {
    let rest = location
        .strip_prefix("/dir/")
        .expect("a directory location");
    rest.split('?').next().unwrap_or(rest).to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directories_publish_browse_and_escaping() {
    let h = Harness::start(Settings::local()).await;
    let mut anon = Browser::default();
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    assert_eq!(
        anon.get(&h, "/directories").await.status,
        StatusCode::SEE_OTHER,
        "a login is needed"
    );
    let empty = ann.get(&h, "/directories").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("no-directories"), "{}", empty.body);

    // Creating needs the CSRF token; titles are escaped.
    let forged = ann
        .form(&h, "/directories", &[("csrf", "x"), ("title", "Fruit")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let csrf = ann.csrf(&h).await;
    let untitled = ann
        .form(&h, "/directories", &[("csrf", &csrf), ("title", "  ")])
        .await;
    assert_eq!(untitled.status, StatusCode::BAD_REQUEST);
    let created = ann
        .form(
            &h,
            "/directories",
            &[
                ("csrf", &csrf),
                ("title", "<b>Fruit</b>"),
                ("description", "names & fruit"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let root = dir_of(created.location());
    let listed = ann.get(&h, "/directories").await;
    assert!(listed.body.contains(&format!("/dir/{root}")));
    assert!(listed.body.contains("&#60;b&#62;Fruit&#60;/b&#62;"));
    assert!(!listed.body.contains("<b>Fruit</b>"));
    assert!(listed.body.contains("created here"));

    // Publishing from the document page: the form lists the directory, needs the token.
    let doc = ann.post(&h, "Apple pie", "with cinnamon", None).await;
    let page = ann.get(&h, &format!("/d/{doc}")).await;
    assert!(page.body.contains("publish-form"), "{}", page.body);
    assert!(page.body.contains(&format!("<option value=\"{root}\">")));
    let publish = format!("/d/{doc}/publish");
    let forged = ann
        .form(
            &h,
            &publish,
            &[("csrf", "x"), ("root", &root), ("name", "apple")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let bad_root = ann
        .form(
            &h,
            &publish,
            &[("csrf", &csrf), ("root", "nope"), ("name", "apple")],
        )
        .await;
    assert_eq!(bad_root.status, StatusCode::BAD_REQUEST);
    let published = ann
        .form(
            &h,
            &publish,
            &[
                ("csrf", &csrf),
                ("root", &root),
                ("name", "Apple <i>pie</i>"),
            ],
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    assert_eq!(
        published.location(),
        format!("/dir/{root}?prefix=Apple%20%3Ci%3Epie%3C%2Fi%3E")
    );

    // Browsing: the prefix ignores case, names are escaped and link to their documents.
    let found = ann.get(&h, &format!("/dir/{root}?prefix=apP")).await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(
        found.body.contains(&format!(
            "<a href=\"/d/{doc}\">Apple &#60;i&#62;pie&#60;/i&#62;</a>"
        )),
        "{}",
        found.body
    );
    assert!(!found.body.contains("<i>pie</i>"));
    assert!(found.body.contains("&#60;b&#62;Fruit&#60;/b&#62;"));
    let missing = ann.get(&h, &format!("/dir/{root}?prefix=zz%3Cx")).await;
    assert!(missing.body.contains("No names starting with “zz&#60;x”"));
    assert!(!missing.body.contains(&format!("/d/{doc}")));
    assert_eq!(
        ann.get(&h, "/dir/nope").await.status,
        StatusCode::BAD_REQUEST
    );
    let unheld = "a".repeat(52);
    assert_eq!(
        ann.get(&h, &format!("/dir/{unheld}")).await.status,
        StatusCode::NOT_FOUND,
        "a directory not held must be joined first"
    );

    // The compose form publishes too (the subject when no name is given), and paging works.
    let compose = ann.get(&h, "/compose").await;
    assert!(compose.body.contains("id=\"dir_root\""));
    for i in 0..22 {
        let subject = format!("Berry {i:02}");
        let answer = ann
            .multipart(
                &h,
                "/compose",
                &[
                    ("csrf", &csrf),
                    ("subject", &subject),
                    ("body", "sweet"),
                    ("content_type", "text/plain; charset=utf-8"),
                    ("dir_root", &root),
                    ("dir_name", ""),
                ],
            )
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    }
    let first = ann.get(&h, &format!("/dir/{root}?prefix=berry")).await;
    assert_eq!(first.body.matches("<li><a href=\"/d/").count(), 20);
    assert!(first.body.contains(">Berry 00<"));
    assert!(!first.body.contains(">Berry 21<"));
    let at = first.body.find("id=\"more\"").expect("a more link");
    let start = first.body[..at].rfind("href=\"").expect("its href") + 6;
    let href = first.body[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&");
    let second = ann.get(&h, &href).await;
    assert_eq!(second.status, StatusCode::OK, "{href}");
    assert_eq!(second.body.matches("<li><a href=\"/d/").count(), 2);
    assert!(second.body.contains(">Berry 21<"));
    assert!(second.body.contains("id=\"more\" hidden"));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_page_shows_results_and_marks_mistakes() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let home = ann.get(&h, "/").await;
    assert!(
        home.body.contains("id=\"header-q\""),
        "a search box on every page"
    );

    let blank = ann.get(&h, "/search").await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(!blank.body.contains("search-total"));

    let doc = ann.post(&h, "Tomatoes <b>red</b>", "ripe ones", None).await;
    ann.post(&h, "Cucumbers", "green ones", None).await;
    let found = ann.get(&h, "/search?q=tomato*").await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(
        found.body.contains(&format!("href=\"/d/{doc}\"")),
        "{}",
        found.body
    );
    assert!(found.body.contains("Tomatoes &#60;b&#62;red&#60;/b&#62;"));
    assert!(!found.body.contains("<b>red</b>"));
    assert!(!found.body.contains("Cucumbers"));
    assert!(found.body.contains("1 document for"));

    // A mistake: 400, the message and the place marked; the query is escaped.
    let wrong = ann.get(&h, "/search?q=ripe%20colour%3A%3Cb%3E").await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("at character 6"), "{}", wrong.body);
    assert!(wrong.body.contains("is not a field"));
    assert!(
        wrong.body.contains(
            "<pre class=\"query\" id=\"query-pointed\">ripe <mark>c</mark>olour:&#60;b&#62;</pre>"
        ),
        "{}",
        wrong.body
    );
    let unclosed = ann.get(&h, "/search?q=%28ripe").await;
    assert_eq!(unclosed.status, StatusCode::BAD_REQUEST);
    assert!(
        unclosed.body.contains("<mark>(</mark>ripe"),
        "{}",
        unclosed.body
    );
    h.stop().await;
}
