//! Replying: the text answered above the editor, Quote, Preview (which posts nothing), and the
//! whole thread shown at the new reply afterwards.

use super::harness::{Browser, Harness};
use crate::Settings;
use axum::http::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_shows_its_parent_quotes_previews_and_lands_in_the_whole_thread() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let root = ann.post(&h, "Gardening", "About gardens.", None).await;
    let topic = ann
        .post(&h, "Tomatoes", "When to <plant>?\nIn May?", Some(&root))
        .await;
    let reply = ann
        .post(&h, "Re: Tomatoes", "After the frost.", Some(&topic))
        .await;

    // The form shows the text answered, escaped, with its author, and a Quote link.
    let form = ann.get(&h, &format!("/compose?parent={topic}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("id=\"answering\""), "{}", form.body);
    assert!(
        form.body.contains("When to &lt;plant&gt;?")
            || form.body.contains("When to &#60;plant&#62;?")
    );
    assert!(
        form.body.contains("class=\"author"),
        "the author with identicon and fingerprint"
    );
    assert!(
        form.body
            .contains(&format!("/compose?parent={topic}&amp;quote=1"))
    );
    let quoted = ann
        .get(&h, &format!("/compose?parent={topic}&quote=1"))
        .await;
    let editor = &quoted.body[quoted.body.find("id=\"body\"").unwrap()..];
    let editor = &editor[..editor.find("</textarea>").unwrap()];
    assert!(
        editor.contains("ann wrote:\n&gt; When to &lt;plant&gt;?\n&gt; In May?")
            || editor.contains("ann wrote:\n&#62; When to &#60;plant&#62;?\n&#62; In May?"),
        "{editor}"
    );

    // Preview renders the markdown and posts nothing; the script's fragment does the same.
    let csrf = ann.csrf(&h).await;
    let markdown = "text/markdown; charset=utf-8";
    let form = [
        ("csrf", csrf.as_str()),
        ("parent", &reply),
        ("subject", "Re: Tomatoes"),
        ("body", "**Which** frost?"),
        ("content_type", markdown),
    ];
    let previewed = ann
        .multipart(&h, "/compose", &[&form[..], &[("preview", "1")]].concat())
        .await;
    assert_eq!(previewed.status, StatusCode::OK, "{}", previewed.body);
    assert!(previewed.body.contains("<strong>Which</strong> frost?"));
    assert!(
        previewed.body.contains("**Which** frost?"),
        "the text stays in the editor"
    );
    let fragment = ann
        .form(
            &h,
            "/compose/preview",
            &[
                ("csrf", &csrf),
                ("body", "*May*"),
                ("content_type", markdown),
            ],
        )
        .await;
    assert_eq!(fragment.body.trim(), "<p><em>May</em></p>");
    let forged = ann
        .form(&h, "/compose/preview", &[("csrf", "x"), ("body", "b")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let thread = ann
        .get(&h, &format!("/api/nodes/ann/documents/{reply}"))
        .await;
    assert!(
        thread.body.contains("\"children\":[]"),
        "nothing posted: {}",
        thread.body
    );

    // Posting a reply deep in the thread goes to the whole thread, at the reply.
    let posted = ann.multipart(&h, "/compose", &form).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let location = posted.location().to_owned();
    let (path, id) = location.split_once("#c-").unwrap();
    assert_eq!(path, format!("/t/{topic}"));
    let page = ann.get(&h, path).await;
    assert!(page.body.contains(&format!("id=\"c-{id}\"")));
    assert!(
        page.body
            .contains(&format!("<a href=\"/t/{root}\">Gardening</a>"))
    );
    h.stop().await;
}
