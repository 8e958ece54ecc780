//! The reading and writing pages: the login guard and form tokens, documents, threads, toggles,
//! compose, attachments, import, forwarding and the node page.

use super::harness::{Browser, Harness};
use crate::Settings;
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_need_a_login_and_forms_a_token() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let root = ann.post(&h, "Forum", "hello", None).await;
    let mut stranger = Browser::default();
    for path in [
        "/".to_owned(),
        "/join".into(),
        "/import".into(),
        "/compose".into(),
        "/node".into(),
        "/account".into(),
        format!("/d/{root}"),
        format!("/t/{root}"),
        format!("/d/{root}/network"),
        format!("/d/{root}/network.svg"),
        format!("/d/{root}/export"),
        format!("/d/{root}/attachments/0"),
        format!("/join/{root}"),
    ] {
        let answer = stranger.get(&h, &path).await;
        assert_eq!(
            (answer.status, answer.location()),
            (StatusCode::SEE_OTHER, "/login"),
            "{path}"
        );
    }
    for (path, fields) in [
        (
            format!("/d/{root}/flags"),
            vec![("flag", "read"), ("value", "true")],
        ),
        (
            format!("/d/{root}/link"),
            vec![("other", root.as_str()), ("role", "child")],
        ),
        (
            "/join".to_owned(),
            vec![("address", "tcp://127.0.0.1:1"), ("doc", root.as_str())],
        ),
        ("/account/token".to_owned(), vec![]),
        ("/account/invites".to_owned(), vec![]),
        ("/account/registration".to_owned(), vec![("mode", "open")]),
        (
            "/account/password".to_owned(),
            vec![("current", "correct horse"), ("new", "another one")],
        ),
        ("/logout".to_owned(), vec![]),
    ] {
        let mut with_bad = fields.clone();
        with_bad.push(("csrf", "forged"));
        let answer = ann.form(&h, &path, &with_bad).await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            answer.body
        );
        let answer = stranger.form(&h, &path, &with_bad).await;
        assert_eq!(answer.location(), "/login", "{path}");
    }
    for path in ["/compose", "/import"] {
        let answer = ann
            .multipart(
                &h,
                path,
                &[("csrf", "forged"), ("subject", "x"), ("body", "y")],
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_threads_toggles_and_escaping() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let root = ann
        .post(&h, "Our <b>forum</b>", "Welcome & hello", None)
        .await;
    let evil = "<script>alert('x')</script><img src=x onerror=alert(1)><a href=\"javascript:alert(2)\">j</a>";
    let reply = ann
        .post(&h, "Re: <script>s()</script>", evil, Some(&root))
        .await;

    let thread = ann.get(&h, &format!("/t/{root}")).await;
    assert_eq!(thread.status, StatusCode::OK);
    assert!(!thread.body.contains("<b>forum"), "subject escaped");
    assert!(thread.body.contains("forum&#60;/b&#62;") || thread.body.contains("forum&lt;/b&gt;"));
    assert!(thread.body.contains(&format!("id=\"c-{reply}\"")));
    assert!(thread.body.contains("newest"));
    assert!(!thread.body.contains("<script>alert"), "body escaped");
    assert!(!thread.body.contains("<img src=x"), "no live element");
    assert!(thread.body.contains("&lt;script&gt;alert("));
    let fragment = ann.get(&h, &format!("/t/{root}?fragment=tree")).await;
    assert!(
        fragment.body.starts_with("<li id=\"c-"),
        "{}",
        fragment.body
    );

    // V7: a GET of the document page changes nothing (an `<img src>` in a post could make every
    // reader's browser fetch it); the page's script marks it read with a POST. Ann's own reply is
    // read from the start, so she marks it unread first.
    let csrf = ann.csrf(&h).await;
    let unread = ann
        .form(
            &h,
            &format!("/d/{reply}/flags"),
            &[("csrf", &csrf), ("flag", "read"), ("value", "false")],
        )
        .await;
    assert_eq!(unread.location(), format!("/d/{reply}"));
    let page = ann.get(&h, &format!("/d/{reply}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>s()"));
    assert!(page.body.contains("id=\"read-on-open\""), "{}", page.body);
    let again = ann.get(&h, &format!("/d/{reply}")).await;
    assert!(
        again.body.contains("id=\"read-on-open\""),
        "still unread after two views"
    );
    let csrf = page.csrf();
    let read = ann
        .form(
            &h,
            &format!("/d/{reply}/flags"),
            &[("csrf", &csrf), ("flag", "read"), ("value", "true")],
        )
        .await;
    assert_eq!(read.location(), format!("/d/{reply}"));
    let page = ann.get(&h, &format!("/d/{reply}")).await;
    assert!(page.body.contains("data-on=\"true\""), "read by the POST");
    assert!(!page.body.contains("id=\"read-on-open\""));
    // V10: `back` must be a path on this site; `/\evil.example` is read as `//evil.example`.
    for back in [
        "/\\evil.example",
        "//evil.example",
        "https://evil.example",
        "/\t/evil",
    ] {
        let moved = ann
            .form(
                &h,
                &format!("/d/{reply}/flags"),
                &[
                    ("csrf", &csrf),
                    ("flag", "read"),
                    ("value", "true"),
                    ("back", back),
                ],
            )
            .await;
        assert_eq!(moved.location(), format!("/d/{reply}"), "{back:?}");
    }
    let set = ann
        .form(
            &h,
            &format!("/d/{reply}/flags"),
            &[("csrf", &csrf), ("flag", "bookmarked"), ("value", "true")],
        )
        .await;
    assert_eq!(set.location(), format!("/d/{reply}"));
    let json = ann
        .send(
            &h,
            axum::http::Method::POST,
            &format!("/d/{reply}/flags"),
            Some("application/x-www-form-urlencoded"),
            format!("csrf={csrf}&flag=subscribed&value=false").into_bytes(),
            &[("accept", "application/json")],
        )
        .await;
    let flags: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(
        (flags["bookmarked"].as_bool(), flags["subscribed"].as_bool()),
        (Some(true), Some(false))
    );
    let bad_flag = ann
        .form(
            &h,
            &format!("/d/{reply}/flags"),
            &[("csrf", &csrf), ("flag", "own"), ("value", "true")],
        )
        .await;
    assert_eq!(bad_flag.status, StatusCode::BAD_REQUEST);
    let home = ann.get(&h, "/").await;
    assert!(
        home.body.contains(&format!("/d/{reply}")),
        "bookmarked on the home page"
    );

    // Link, network, export and import, node, compose and join pages.
    let link = ann
        .form(
            &h,
            &format!("/d/{root}/link"),
            &[("csrf", &csrf), ("other", &reply), ("role", "child")],
        )
        .await;
    assert_eq!(link.status, StatusCode::SEE_OTHER, "{}", link.body);
    assert!(
        ann.get(&h, &format!("/d/{root}"))
            .await
            .body
            .contains("Link documents")
    );
    let network = ann.get(&h, &format!("/d/{root}/network")).await;
    assert!(network.body.contains("<svg") && network.body.contains("class=\"center\""));
    let svg = ann.get(&h, &format!("/d/{root}/network.svg")).await;
    assert_eq!(svg.headers["content-type"], "image/svg+xml");
    let export = ann.get(&h, &format!("/d/{root}/export")).await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(ann.get(&h, "/node").await.body.contains("node-id"));
    let compose = ann.get(&h, &format!("/compose?parent={root}")).await;
    assert!(compose.body.contains("Re: Our ") && !compose.body.contains("<b>forum"));
    assert_eq!(
        ann.get(&h, "/compose?parent=nonsense").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        ann.get(&h, "/d/nonsense").await.status,
        StatusCode::BAD_REQUEST
    );
    let unknown = "a".repeat(52);
    assert_eq!(
        ann.get(&h, &format!("/d/{unknown}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        ann.get(&h, &format!("/d/{root}/attachments/3"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let import = ann.multipart(&h, "/import", &[("csrf", &csrf)]).await;
    assert_eq!(import.status, StatusCode::BAD_REQUEST, "no file");
    let bad_join = ann
        .form(
            &h,
            "/join",
            &[
                ("csrf", &csrf),
                ("address", "tcp://127.0.0.1:1"),
                ("doc", "zz"),
            ],
        )
        .await;
    assert_eq!(bad_join.status, StatusCode::BAD_REQUEST);
    assert!(bad_join.body.contains("bad document id"));
    let join = ann
        .form(
            &h,
            "/join",
            &[
                ("csrf", &csrf),
                ("address", "tcp://127.0.0.1:1"),
                ("doc", &unknown),
            ],
        )
        .await;
    assert_eq!(join.location(), format!("/join/{unknown}"));
    let progress = ann.get(&h, &format!("/join/{unknown}")).await;
    assert_eq!(progress.status, StatusCode::OK);
    assert!(progress.body.contains("Joining") || progress.body.contains("failed"));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_import_mark_read_and_password_change() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let csrf = ann.csrf(&h).await;

    // An attachment is posted with the compose form and downloaded, never inline.
    let png: &[u8] = b"\x89PNG\r\n\x1a\nnot really";
    let posted = ann
        .multipart_with(
            &h,
            "/compose",
            &[
                ("csrf", &csrf),
                ("subject", "With a file"),
                ("body", "see"),
                ("content_type", "text/plain; charset=utf-8"),
            ],
            &[("attachment", "../evil name.png", "image/png", png)],
        )
        .await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let doc = posted.location().trim_start_matches("/t/").to_owned();
    let page = ann.get(&h, &format!("/d/{doc}")).await;
    assert!(
        page.body.contains(&format!("/d/{doc}/attachments/0")),
        "{}",
        page.body
    );
    let file = ann.get(&h, &format!("/d/{doc}/attachments/0")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers["content-type"], "image/png");
    let disposition = file.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment;") && !disposition.contains('/'),
        "{disposition}"
    );
    assert_eq!(file.bytes, png);
    // V9: an attachment is sandboxed and never sniffed, whatever type it claims.
    assert_eq!(file.headers["x-content-type-options"], "nosniff");
    let csp = file.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.starts_with("sandbox") && csp.contains("default-src 'none'"),
        "{csp}"
    );

    // Import: a document exported by another local node comes in through the upload form.
    let mut cli = Browser::default();
    let made = cli
        .send(
            &h,
            axum::http::Method::POST,
            "/api/nodes",
            Some("application/json"),
            br#"{"name":"other"}"#.to_vec(),
            &[],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let post = cli
        .send(
            &h,
            axum::http::Method::POST,
            "/api/nodes/other/documents",
            Some("application/json"),
            br#"{"subject":"Exported forum","body":"from the other node"}"#.to_vec(),
            &[],
        )
        .await;
    let other_doc: serde_json::Value = serde_json::from_str(&post.body).unwrap();
    let other_doc = other_doc["id"].as_str().unwrap().to_owned();
    let export = cli
        .get(
            &h,
            &format!("/api/nodes/other/documents/{other_doc}/export"),
        )
        .await;
    assert_eq!(export.status, StatusCode::OK);
    let export_bytes = export.bytes;
    let imported = ann
        .multipart_with(
            &h,
            "/import",
            &[("csrf", &csrf)],
            &[(
                "file",
                "forum.cliqueclique",
                "application/octet-stream",
                &export_bytes,
            )],
        )
        .await;
    assert_eq!(
        imported.location(),
        format!("/d/{other_doc}"),
        "{}",
        imported.body
    );
    assert!(
        ann.get(&h, &format!("/d/{other_doc}"))
            .await
            .body
            .contains("from the other node")
    );
    let garbage = ann
        .multipart_with(
            &h,
            "/import",
            &[("csrf", &csrf)],
            &[("file", "x", "application/octet-stream", b"garbage")],
        )
        .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);

    // Mark a whole thread read. One's own posts are read from the start, so Ann marks her comment
    // unread first.
    let root = ann.post(&h, "Root", "r", None).await;
    let body = format!(r#"{{"subject":"Re","body":"unread","parent":"{root}"}}"#);
    let by_api = cli
        .send(
            &h,
            axum::http::Method::POST,
            "/api/nodes/ann/documents",
            Some("application/json"),
            body.into_bytes(),
            &[],
        )
        .await;
    assert_eq!(by_api.status, StatusCode::OK, "{}", by_api.body);
    let comment = serde_json::from_str::<serde_json::Value>(&by_api.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    mark_unread(&mut cli, &h, &comment).await;
    let before = ann.get(&h, &format!("/t/{root}")).await;
    assert!(before.body.contains("comment unread"), "{}", before.body);
    let read = ann
        .form(&h, &format!("/t/{root}/read"), &[("csrf", &csrf)])
        .await;
    assert_eq!(read.location(), format!("/t/{root}"));
    let after = ann.get(&h, &format!("/t/{root}")).await;
    assert!(!after.body.contains("comment unread"), "{}", after.body);

    // The same through the JSON API.
    mark_unread(&mut cli, &h, &comment).await;
    for expected in [1, 0] {
        let marked = cli
            .send(
                &h,
                axum::http::Method::POST,
                &format!("/api/nodes/ann/documents/{root}/thread/read"),
                None,
                Vec::new(),
                &[],
            )
            .await;
        assert_eq!(marked.body, format!("{{\"marked\":{expected}}}"));
    }

    // Password change: the old one stops working, the session goes on.
    let wrong = ann
        .form(
            &h,
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current", "not it"),
                ("new", "new password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let changed = ann
        .form(
            &h,
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current", "correct horse"),
                ("new", "new password"),
            ],
        )
        .await;
    assert_eq!(changed.location(), "/account");
    assert_eq!(ann.get(&h, "/account").await.status, StatusCode::OK);
    let mut again = Browser::default();
    let login_csrf = again.get(&h, "/login").await.csrf();
    let old = again
        .form(
            &h,
            "/login",
            &[
                ("csrf", &login_csrf),
                ("username", "ann"),
                ("password", "correct horse"),
            ],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    let new = again
        .form(
            &h,
            "/login",
            &[
                ("csrf", &login_csrf),
                ("username", "ann"),
                ("password", "new password"),
            ],
        )
        .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forwarded_document_can_be_taken() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let csrf = ann.csrf(&h).await;
    let forum = ann.post(&h, "Forum", "where people read", None).await;
    // A document of another local node, imported by ann so that she can forward it.
    let mut cli = Browser::default();
    cli.send(
        &h,
        axum::http::Method::POST,
        "/api/nodes",
        Some("application/json"),
        br#"{"name":"other"}"#.to_vec(),
        &[],
    )
    .await;
    let made = cli
        .send(
            &h,
            axum::http::Method::POST,
            "/api/nodes/other/documents",
            Some("application/json"),
            br#"{"subject":"Worth reading","body":"news"}"#.to_vec(),
            &[],
        )
        .await;
    let news: serde_json::Value = serde_json::from_str(&made.body).unwrap();
    let news = news["id"].as_str().unwrap().to_owned();
    let export = cli
        .get(&h, &format!("/api/nodes/other/documents/{news}/export"))
        .await;
    ann.multipart_with(
        &h,
        "/import",
        &[("csrf", &csrf)],
        &[("file", "n", "application/octet-stream", &export.bytes)],
    )
    .await;

    let bad = ann
        .form(
            &h,
            &format!("/d/{news}/forward"),
            &[("csrf", "x"), ("to", &forum)],
        )
        .await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
    let forwarded = ann
        .form(
            &h,
            &format!("/d/{news}/forward"),
            &[("csrf", &csrf), ("to", &forum)],
        )
        .await;
    assert_eq!(
        forwarded.status,
        StatusCode::SEE_OTHER,
        "{}",
        forwarded.body
    );
    let comment = forwarded
        .location()
        .rsplit("#c-")
        .next()
        .unwrap()
        .to_owned();
    let page = ann.get(&h, &format!("/d/{comment}")).await;
    assert!(page.body.contains("Fwd: Worth reading"));
    assert!(
        page.body.contains("Take the forwarded document"),
        "{}",
        page.body
    );
    // Taking one's own forward is refused clearly.
    let own = ann
        .form(
            &h,
            &format!("/d/{comment}/attachments/0/import"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
    assert!(own.body.contains("own peer"), "{}", own.body);

    // A forward from another node arrives in a forum ann reads; she takes it, and its forwarder
    // becomes her peer for it.
    let json = |b: &mut Browser, path: String, body: String| {
        let mut b = b.clone();
        let h = &h;
        async move {
            let answer = b
                .send(
                    h,
                    axum::http::Method::POST,
                    &path,
                    Some("application/json"),
                    body.into_bytes(),
                    &[],
                )
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            let v: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
            v["id"].as_str().unwrap().to_owned()
        }
    };
    let their_forum = json(
        &mut cli,
        "/api/nodes/other/documents".into(),
        r#"{"subject":"Their forum","body":"x"}"#.into(),
    )
    .await;
    let export = cli
        .get(
            &h,
            &format!("/api/nodes/other/documents/{their_forum}/export"),
        )
        .await;
    ann.multipart_with(
        &h,
        "/import",
        &[("csrf", &csrf)],
        &[("file", "f", "application/octet-stream", &export.bytes)],
    )
    .await;
    let article = json(
        &mut cli,
        "/api/nodes/other/documents".into(),
        r#"{"subject":"An article","body":"long read"}"#.into(),
    )
    .await;
    let article_export = cli
        .get(&h, &format!("/api/nodes/other/documents/{article}/export"))
        .await;
    let attachment = serde_json::json!({
        "subject": "Fwd: An article",
        "body": "have a look",
        "parent": their_forum,
        "attachments": [{
            "filename": "article.cliqueclique",
            "content_type": crate::pages::compose::FORWARD_TYPE,
            "data": data_encoding::BASE64.encode(&article_export.bytes),
        }],
    });
    let fwd = json(
        &mut cli,
        "/api/nodes/other/documents".into(),
        attachment.to_string(),
    )
    .await;
    let mut arrived = false;
    for _ in 0..100 {
        if ann.get(&h, &format!("/d/{fwd}")).await.status == StatusCode::OK {
            arrived = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(arrived, "the forward reached ann");
    let taken = ann
        .form(
            &h,
            &format!("/d/{fwd}/attachments/0/import"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(taken.location(), format!("/d/{article}"), "{}", taken.body);
    assert!(
        ann.get(&h, &format!("/d/{article}"))
            .await
            .body
            .contains("long read")
    );
    h.stop().await;
}

/// Marks ann's document `doc` unread through the JSON API.
async fn mark_unread(cli: &mut Browser, h: &Harness, doc: &str) {
    let unread = cli
        .send(
            h,
            axum::http::Method::POST,
            &format!("/api/nodes/ann/documents/{doc}/flags"),
            Some("application/json"),
            br#"{"read":false}"#.to_vec(),
            &[],
        )
        .await;
    assert_eq!(unread.status, StatusCode::OK, "{}", unread.body);
}

/// The node id a page's frame carries for the live-update script.
pub(super) fn node_of(page: &str) -> String {
    let at = page.find("data-node=\"").expect("a data-node attribute") + 11;
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

/// The list of forums on the home page.
pub(super) fn forum_list(home: &str) -> &str {
    let start = home.find("id=\"forums\"").expect(home);
    &home[start..start + home[start..].find("</ul>").unwrap()]
}

/// Imports a forum written by another installation's node, Bob (whose card gives an address
/// nobody answers at) into the browser's node; Bob becomes its peer. Returns the forum's id.
pub(super) async fn import_from_bob(h: &Harness, browser: &mut Browser, subject: &str) -> String {
    let bob = cliqueclique_doc::Identity::from_secret_bytes([7; 32]);
    let document = cliqueclique_doc::DocumentBuilder::new(subject)
        .author_name("Bob")
        .date(1_700_000_000)
        .text("hello from Bob")
        .build(&bob);
    let id = document.id().to_string();
    let card = cliqueclique_doc::ContactCard::new(&bob, "Bob", vec!["tcp://127.0.0.1:1".into()], 1);
    let export = cliqueclique_doc::Export::new(&bob, card, document).to_bytes(&bob);
    let node: cliqueclique_doc::NodeId = node_of(&browser.get(h, "/").await.body).parse().unwrap();
    let handle = &h.daemon.as_ref().unwrap().state().handle;
    handle.import(node, export).await.unwrap();
    id
}
