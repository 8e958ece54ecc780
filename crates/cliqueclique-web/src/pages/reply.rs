//! What the reply form shows around the editor: the text being answered with its author, a
//! quote of it to start from, and a preview of the reply as readers will see it.
//!
//! The quote and the preview work without the script: Quote is a link that opens the form with
//! the quote filled in, and Preview submits the form to come back with the preview above it. The
//! script does both in place, keeping attached files and what was typed.

use crate::auth::User;
use crate::error::{WebError, WebResult};
use crate::identity::author_or_name;
use crate::render::{body_html, format_date, plain_text};
use crate::state::WebState;
use axum::extract::{Form, State};
use axum::response::Html;
use cliqueclique_daemon::api::{Contents, DocumentView};
use serde::Deserialize;

/// The most characters of the parent quoted (the rest is cut with an ellipsis).
const MAX_QUOTED_CHARS: usize = 4_000;

/// The document a reply answers, as the form shows it.
pub struct ParentContext {
    /// Its author, as HTML (identicon, name, fingerprint).
    pub author: String,
    /// When it was written.
    pub date: String,
    /// Its text, rendered as on the thread page.
    pub body: String,
    /// Its text quoted, to start the reply from.
    pub quote: String,
}

impl ParentContext {
    /// The context of `view`'s newest version; none while its body is missing or retracted.
    pub fn of(view: &DocumentView) -> Option<ParentContext> {
        let shown: &Contents = view.newest.as_ref().or(view.document.as_ref())?;
        if view.retracted {
            return None;
        }
        let name = shown.author_info.name.clone();
        Some(ParentContext {
            author: author_or_name(Some(&shown.author_info), &shown.author_name),
            date: format_date(shown.date),
            body: body_html(&shown.content_type, shown.body.as_deref()),
            quote: shown
                .body
                .as_deref()
                .map(|b| quote(&name, &plain_text(&shown.content_type, b)))
                .unwrap_or_default(),
        })
    }
}

/// `text` as a quote: an attribution line, then each line behind `> `, then a blank line.
pub fn quote(author: &str, text: &str) -> String {
    let mut text: String = text.trim().chars().take(MAX_QUOTED_CHARS + 1).collect();
    if text.chars().count() > MAX_QUOTED_CHARS {
        text = text.chars().take(MAX_QUOTED_CHARS).collect::<String>() + " …";
    }
    let mut out = format!("{author} wrote:\n");
    for line in text.lines() {
        if line.is_empty() {
            out.push_str(">\n");
        } else {
            out.push_str("> ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

/// The preview of a reply being written: its text rendered as readers will see it.
pub fn preview(content_type: &str, body: &str) -> String {
    if body.trim().is_empty() {
        return "<p class=\"muted\">Nothing to preview yet.</p>".to_owned();
    }
    body_html(content_type, Some(&body.replace("\r\n", "\n")))
}

/// The preview form the script sends.
#[derive(Deserialize)]
pub struct PreviewForm {
    csrf: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    content_type: String,
}

/// `POST /compose/preview`: the preview's HTML alone, for the script (nothing is stored).
pub async fn preview_fragment(
    State(_state): State<WebState>,
    user: User,
    Form(form): Form<PreviewForm>,
) -> WebResult<Html<String>> {
    user.check_csrf(&form.csrf)?;
    if form.body.len() > 1 << 20 {
        return Err(WebError::BadRequest(
            "the text is too long to preview".into(),
        ));
    }
    Ok(Html(preview(&form.content_type, &form.body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_marks_every_line_and_names_the_author() {
        assert_eq!(
            quote("ann", "Tomatoes need sun.\n\nAnd water.\n"),
            "ann wrote:\n> Tomatoes need sun.\n>\n> And water.\n\n"
        );
        let long = "x".repeat(MAX_QUOTED_CHARS + 10);
        let quoted = quote("bob", &long);
        assert!(quoted.ends_with(" …\n\n"), "{quoted:.40}");
        assert!(quoted.len() < MAX_QUOTED_CHARS + 40);
    }

    #[test]
    fn a_preview_renders_markdown_and_never_script() {
        let html = preview(
            "text/markdown; charset=utf-8",
            "**sun**\r\n<script>alert(1)</script>",
        );
        assert!(html.contains("<strong>sun</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(preview("text/plain", "  ").contains("Nothing to preview"));
    }
}
