//! Document bodies as HTML, and small display helpers.
//!
//! - `text/plain` (and any other `text/*` that is not below) is escaped and shown pre-formatted;
//! - `text/markdown` is rendered with pulldown-cmark and then sanitised, since markdown may carry
//!   raw HTML;
//! - `text/html` is sanitised with ammonia: no script, event handler, `javascript:` URL, style,
//!   frame or form survives, and links get `rel="noopener noreferrer nofollow"`;
//! - anything else is offered as a download only.
//!
//! The page's Content-Security-Policy (no inline script, images only from this site) is a second
//! wall behind the sanitiser.

/// The HTML of a document's main content.
pub fn body_html(content_type: &str, body: Option<&str>) -> String {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let Some(text) = body else {
        return format!(
            "<p class=\"muted\">The content is {}: download it below.</p>",
            escape(&mime)
        );
    };
    match mime.as_str() {
        "text/markdown" | "text/x-markdown" => sanitize(&markdown(text)),
        "text/html" => sanitize(text),
        _ => format!("<pre class=\"plain\">{}</pre>", escape(text)),
    }
}

/// A document's text as plain text, for quoting: markdown and plain text as written, HTML
/// without its tags.
pub fn plain_text(content_type: &str, body: &str) -> String {
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if !mime.eq_ignore_ascii_case("text/html") {
        return body.to_owned();
    }
    let text = ammonia::Builder::empty()
        .clean_content_tags(std::collections::HashSet::from(["script", "style"]))
        .clean(body)
        .to_string();
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

fn markdown(text: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(text, options));
    out
}

fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes text for a URL's query string (everything but letters, digits and `-_.~`).
pub fn url_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The first characters of an id, for compact display.
pub fn short(id: &impl std::fmt::Display) -> String {
    id.to_string().chars().take(10).collect()
}

pub use cliqueclique_daemon::api::format_date;

#[cfg(test)]
mod tests {
    use super::{body_html, plain_text};

    #[test]
    fn quoting_keeps_text_and_drops_html_tags() {
        assert_eq!(plain_text("text/markdown", "*hi* <b>"), "*hi* <b>");
        assert_eq!(
            plain_text(
                "text/html; charset=utf-8",
                "<p>a &amp; <b>b</b> &lt;c&gt;</p><script>x</script>"
            ),
            "a & b <c>"
        );
    }

    #[test]
    fn plain_text_is_escaped() {
        let html = body_html(
            "text/plain; charset=utf-8",
            Some("<script>alert(1)</script> & co"),
        );
        assert_eq!(
            html,
            "<pre class=\"plain\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</pre>"
        );
    }

    #[test]
    fn markdown_is_rendered_and_sanitised() {
        let html = body_html(
            "text/markdown",
            Some(
                "# Title\n\n*hi* [x](javascript:alert(1)) <img src=x onerror=alert(1)><script>bad()</script>",
            ),
        );
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<em>hi</em>"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn html_is_sanitised() {
        let html = body_html(
            "text/html",
            Some(
                "<p onclick=\"x()\">ok <a href=\"https://example.org\">l</a></p><iframe src=x></iframe><style>*{}</style>",
            ),
        );
        assert!(html.contains("<p>ok"), "{html}");
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("iframe"), "{html}");
        assert!(!html.contains("<style"), "{html}");
    }

    #[test]
    fn binary_content_is_not_shown() {
        assert!(body_html("image/png", None).contains("image/png"));
    }
}
