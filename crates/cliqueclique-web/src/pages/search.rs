//! The search page: the header's search box lands here. It runs the local search over the
//! documents this node holds (`docs/query.md`), and when the query does not parse shows the
//! parser's message with the mistake's position marked in the query.

use super::Nav;
use crate::auth::User;
use crate::error::WebResult;
use crate::render::format_date;
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cliqueclique_daemon::api::SearchResults;
use cliqueclique_query::QueryError;
use serde::Deserialize;

/// The most results shown.
const MAX_HITS: usize = 100;

/// A query that does not parse, as the page shows it.
#[derive(Clone, Debug)]
pub struct Mistake {
    /// The parser's message.
    pub message: String,
    /// The query split around the character the mistake is at (before, it, after).
    pub pointed: Option<(String, String, String)>,
}

impl Mistake {
    fn of(query: &str, error: &QueryError) -> Mistake {
        let pointed = error.position().map(|at| {
            let chars: Vec<char> = query.chars().collect();
            let at = at.saturating_sub(1).min(chars.len());
            let end = (at + 1).min(chars.len());
            let mark: String = chars[at..end].iter().collect();
            (
                chars[..at].iter().collect(),
                // Past the end: mark the place itself.
                if mark.is_empty() { " ".into() } else { mark },
                chars[end..].iter().collect(),
            )
        });
        Mistake {
            message: error.to_string(),
            pointed,
        }
    }
}

/// One result.
#[derive(Clone, Debug)]
pub struct Hit {
    /// The document.
    pub id: String,
    /// Its subject.
    pub subject: String,
    /// Its author's name.
    pub author: String,
    /// Its date.
    pub date: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "search.html")]
/// The template of this page.
pub struct SearchPage {
    nav: Nav,
    q: String,
    mistake: Option<Mistake>,
    results: Option<SearchResults>,
    hits: Vec<Hit>,
}

/// `?q=QUERY`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
}

/// `GET /search?q=QUERY`: 400 with the mistake marked when the query does not parse.
pub async fn search(
    State(state): State<WebState>,
    user: User,
    Query(query): Query<SearchQuery>,
) -> WebResult<Response> {
    let mut page = SearchPage {
        nav: Nav::of(&user, &state),
        q: query.q,
        mistake: None,
        results: None,
        hits: Vec::new(),
    };
    if page.q.trim().is_empty() {
        return Ok(page.into_response());
    }
    let parsed = match cliqueclique_query::parse(&page.q) {
        Ok(parsed) => parsed,
        Err(e) => {
            page.mistake = Some(Mistake::of(&page.q, &e));
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    let node = user.node();
    let results = state.api.handle.search(node, parsed, MAX_HITS).await?;
    page.hits = results
        .hits
        .iter()
        .map(|h| Hit {
            id: h.id.to_string(),
            subject: if h.subject.is_empty() {
                crate::render::short(&h.id)
            } else {
                h.subject.clone()
            },
            author: crate::identity::author_html(&h.author_info),
            date: format_date(h.date),
        })
        .collect();
    page.results = Some(results);
    Ok(page.into_response())
}
