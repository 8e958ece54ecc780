//! Atom feeds of forums and threads, and the account's feed page.
//!
//! `GET /feed/{id}.atom` is the feed below document `id`: for a forum (a document without a
//! parent) its new threads, for any other document every comment below it, newest first. A
//! local installation serves them as its owner's node, like the JSON API, to programs on this
//! machine; a public website only with `?token=` and an account's feed token, a random secret
//! made (and replaced or revoked) on `/account/feeds`, never the session cookie. Reading a feed
//! changes nothing: it does not mark anything read.

use super::{Nav, parse_doc};
use crate::atom::{Entry, Feed};
use crate::auth::{User, random_token};
use crate::error::{WebError, WebResult};
use crate::render::body_html;
use crate::state::{WebState, now_secs};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use cliqueclique_daemon::api::ThreadEntry;
use cliqueclique_doc::{DocId, NodeId};
use serde::Deserialize;

/// The most entries in a feed.
pub const MAX_ENTRIES: usize = 50;

/// The query of a feed address.
#[derive(Deserialize)]
pub struct FeedQuery {
    /// The account's feed token (public mode).
    token: Option<String>,
}

/// The node a feed request reads as, or why it may not read.
async fn reader(state: &WebState, token: Option<String>) -> WebResult<NodeId> {
    let node = if state.settings.public {
        match token {
            Some(token) if !token.is_empty() && token.len() <= 128 => {
                state.api.handle.node_of_feed_token(token).await?
            }
            _ => None,
        }
    } else {
        state.api.handle.default_node().await?
    };
    // An unknown token is told apart from nothing: both are "not found".
    node.ok_or_else(|| {
        WebError::Api(cliqueclique_daemon::ApiError::NotFound(
            "no such feed".into(),
        ))
    })
}

/// The address of the feed below `doc` for `user`: with the account's feed token on a public
/// website (none until the account made one).
pub async fn address(state: &WebState, user: &User, doc: &DocId) -> WebResult<Option<String>> {
    if !state.settings.public {
        return Ok(Some(format!("/feed/{doc}.atom")));
    }
    Ok(state
        .api
        .handle
        .feed_token(user.account.id)
        .await?
        .map(|token| format!("/feed/{doc}.atom?token={token}")))
}

/// Whether a document is shown in feeds: not hidden from the user (a muted or blocked author,
/// or a moderator of the forum) and not retracted by its author. Every entry passes here; an
/// edited one carries its newest text.
fn shown(entry: &ThreadEntry) -> bool {
    !entry.hidden && !entry.retracted
}

/// `GET /feed/{id}.atom`.
pub async fn feed(
    State(state): State<WebState>,
    Path(file): Path<String>,
    Query(query): Query<FeedQuery>,
) -> WebResult<Response> {
    let id = file
        .strip_suffix(".atom")
        .ok_or_else(|| WebError::BadRequest("a feed address ends in .atom".into()))?;
    let doc = parse_doc(id)?;
    let node = reader(&state, query.token.clone()).await?;
    let (tree, view) = state.api.handle.thread_and_view(node, doc).await?;
    let forum = view.document.as_ref().is_some_and(|c| c.parent.is_none());
    let mut below = Vec::new();
    if forum {
        below.extend(tree.children.iter().filter(|e| shown(e)));
    } else {
        collect(&tree, &mut below);
    }
    below.sort_by_key(|e| std::cmp::Reverse((e.date, e.id)));
    below.truncate(MAX_ENTRIES);
    let title = if tree.subject.is_empty() {
        "(no subject)".to_owned()
    } else {
        tree.subject.clone()
    };
    let token = query
        .token
        .as_ref()
        .map(|t| format!("?token={t}"))
        .unwrap_or_default();
    let feed = Feed {
        id: format!("urn:cliqueclique:{doc}"),
        title: if forum {
            format!("{title}: new threads")
        } else {
            format!("{title}: new comments")
        },
        link: format!("/t/{doc}"),
        self_link: format!("/feed/{doc}.atom{token}"),
        updated: below.first().map_or(tree.date, |e| e.date),
        entries: below.into_iter().map(entry).collect(),
    };
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.render(),
    )
        .into_response())
}

/// Every shown document below `entry`, at every depth.
fn collect<'a>(entry: &'a ThreadEntry, out: &mut Vec<&'a ThreadEntry>) {
    for child in &entry.children {
        if shown(child) {
            out.push(child);
        }
        collect(child, out);
    }
}

fn entry(e: &ThreadEntry) -> Entry {
    let author = match &e.author_info {
        Some(a) => format!(
            "{} ({})",
            a.petname.as_deref().unwrap_or(&a.name),
            a.fingerprint
        ),
        None => e.author_name.clone(),
    };
    Entry {
        id: format!("urn:cliqueclique:{}", e.id),
        title: if e.subject.is_empty() {
            "(no subject)".to_owned()
        } else {
            e.subject.clone()
        },
        author,
        updated: e.date,
        link: format!("/d/{}", e.id),
        html: body_html(
            e.content_type.as_deref().unwrap_or("text/plain"),
            e.body.as_deref(),
        ),
    }
}

/// `/account/feeds`: the account's feed token.
#[derive(Template, WebTemplate)]
#[template(path = "feeds.html")]
pub struct FeedsPage {
    nav: Nav,
    token: Option<String>,
}

/// `GET /account/feeds`.
pub async fn feeds_page(State(state): State<WebState>, user: User) -> WebResult<FeedsPage> {
    let token = state.api.handle.feed_token(user.account.id).await?;
    Ok(FeedsPage {
        nav: Nav::of(&user, &state),
        token,
    })
}

/// The form of `/account/feeds`.
#[derive(Deserialize)]
pub struct FeedTokenForm {
    csrf: String,
    /// `new` makes (or replaces) the token, `revoke` deletes it.
    action: String,
}

/// `POST /account/feeds`: a new feed token (the old addresses stop working), or none.
pub async fn set_feed_token(
    State(state): State<WebState>,
    user: User,
    Form(form): Form<FeedTokenForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let token = match form.action.as_str() {
        "new" => Some(random_token()),
        "revoke" => None,
        other => return Err(WebError::BadRequest(format!("bad action {other:?}"))),
    };
    state
        .api
        .handle
        .set_feed_token(user.account.id, token, now_secs())
        .await?;
    Ok(Redirect::to("/account/feeds").into_response())
}
