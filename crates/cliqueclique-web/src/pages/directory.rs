//! Directories (`docs/directory.md`): the directories this node holds with a form to create one,
//! the browse page (the names below a prefix; the script updates them as you type through the
//! JSON API, a plain GET form does the same without it), and publishing a held document under a
//! name (from the document page and the compose form).
//!
//! Listing and publishing may wait for levels of the directory's tree to arrive from peers; the
//! browse page waits only briefly ([`BROWSE_WAIT`]) and says "searching peers" when that was not
//! enough, since what the wait subscribed to stays subscribed and a later look goes on from it.

use super::{Nav, parse_doc};
use crate::auth::User;
use crate::error::{WebError, WebResult};
use crate::render::{short, url_escape};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use cliqueclique_daemon::api::{NameEntry, Published};
use cliqueclique_daemon::handle::NamesPage;
use cliqueclique_daemon::{ApiError, DIRECTORY_TIMEOUT};
use cliqueclique_dir::Follow;
use cliqueclique_doc::{DocId, NodeId};
use serde::Deserialize;
use std::time::Duration;

/// The query that finds the directory roots a node holds (`docs/query.md`).
const ROOTS_QUERY: &str = "header.x-cc-dir:directory";

/// The most directories listed.
const MAX_DIRECTORIES: usize = 500;

/// Names per page on the browse page.
pub const PAGE_SIZE: usize = 20;

/// How long the browse page waits for levels before it answers "searching peers".
pub const BROWSE_WAIT: Duration = Duration::from_secs(3);

/// A directory, as a link or a choice in a form.
#[derive(Clone, Debug)]
pub struct Choice {
    /// Its root's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Created by this node.
    pub own: bool,
}

/// The directories `node` holds (created or joined), newest first.
pub async fn held_directories(state: &WebState, node: NodeId) -> WebResult<Vec<Choice>> {
    let query = cliqueclique_query::parse(ROOTS_QUERY)
        .map_err(|e| WebError::Internal(format!("the directory query does not parse: {e}")))?;
    let results = state
        .api
        .handle
        .search(node, query, MAX_DIRECTORIES)
        .await?;
    Ok(results
        .hits
        .into_iter()
        .map(|hit| Choice {
            title: if hit.subject.is_empty() {
                short(&hit.id)
            } else {
                hit.subject
            },
            id: hit.id.to_string(),
            own: hit.flags.own,
        })
        .collect())
}

/// Publishes `target` under `name` in directory `root`, waiting for levels up to the daemon's
/// default timeout.
pub async fn publish(
    state: &WebState,
    node: NodeId,
    root: DocId,
    name: String,
    target: DocId,
) -> Result<Published, ApiError> {
    state
        .api
        .handle
        .publish_name(node, root, name, target, DIRECTORY_TIMEOUT)
        .await
}

#[derive(Template, WebTemplate)]
#[template(path = "directories.html")]
/// The template of this page.
pub struct DirectoriesPage {
    nav: Nav,
    directories: Vec<Choice>,
}

/// `GET /directories`.
pub async fn directories_page(
    State(state): State<WebState>,
    user: User,
) -> WebResult<DirectoriesPage> {
    let directories = held_directories(&state, user.node()).await?;
    Ok(DirectoriesPage {
        nav: Nav::of(&user, &state),
        directories,
    })
}

/// The form that creates a directory.
#[derive(Deserialize)]
pub struct CreateForm {
    csrf: String,
    title: String,
    #[serde(default)]
    description: String,
}

/// `POST /directories`: creates a directory and goes to its page.
pub async fn create(
    State(state): State<WebState>,
    user: User,
    Form(form): Form<CreateForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let node = user.node();
    let id = state
        .api
        .handle
        .create_directory(node, form.title, form.description)
        .await?;
    Ok(Redirect::to(&format!("/dir/{id}")).into_response())
}

/// One name on the browse page.
#[derive(Clone, Debug)]
pub struct NameLink {
    /// The name as published.
    pub name: String,
    /// The named document.
    pub target: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "directory.html")]
/// The template of this page.
pub struct BrowsePage {
    nav: Nav,
    root: String,
    title: String,
    description: String,
    prefix: String,
    names: Vec<NameLink>,
    /// The link to the next page, if there is one.
    more: Option<String>,
    /// The cursor of the next page (for the script).
    next: String,
    /// The levels had not all arrived from peers in time.
    searching: bool,
}

/// `?prefix=P&after=CURSOR` on the browse page.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BrowseQuery {
    prefix: String,
    after: Option<String>,
}

/// `GET /dir/{root}`: the names below a prefix.
pub async fn browse(
    State(state): State<WebState>,
    user: User,
    Path(root): Path<String>,
    Query(query): Query<BrowseQuery>,
) -> WebResult<Response> {
    let root = parse_doc(&root)?;
    let node = user.node();
    let contents = state.api.handle.show(node, root).await?.document;
    let (title, description) = contents.map_or_else(
        || (short(&root), String::new()),
        |c| (c.subject, c.body.unwrap_or_default()),
    );
    let prefix = query.prefix.clone();
    let after = query.after.filter(|a| !a.is_empty());
    let page = NamesPage {
        prefix,
        after,
        limit: PAGE_SIZE,
        follow: Follow::All,
    };
    let listed = state
        .api
        .handle
        .list_names(node, root, page, BROWSE_WAIT)
        .await;
    let (names, next, searching) = match listed {
        Ok(page) => (page.names, page.next, false),
        Err(ApiError::Timeout(_)) => (Vec::new(), None, true),
        Err(e) => return Err(e.into()),
    };
    let more = next.as_ref().map(|cursor| {
        format!(
            "/dir/{root}?prefix={}&after={}",
            url_escape(&query.prefix),
            url_escape(cursor)
        )
    });
    Ok(BrowsePage {
        nav: Nav::of(&user, &state),
        root: root.to_string(),
        title,
        description,
        prefix: query.prefix,
        names: names.into_iter().map(name_link).collect(),
        more,
        next: next.unwrap_or_default(),
        searching,
    }
    .into_response())
}

fn name_link(entry: NameEntry) -> NameLink {
    NameLink {
        name: entry.name,
        target: entry.target.to_string(),
    }
}

/// The publish form on a document page.
#[derive(Deserialize)]
pub struct PublishForm {
    csrf: String,
    /// The directory's root id.
    root: String,
    /// The name.
    name: String,
}

/// `POST /d/{id}/publish`: publishes the document under a name, then shows the name in its
/// directory.
pub async fn publish_document(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<PublishForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let target = parse_doc(&id)?;
    let root = parse_doc(&form.root)?;
    let published = publish(&state, user.node(), root, form.name, target).await?;
    Ok(Redirect::to(&format!(
        "/dir/{root}?prefix={}",
        url_escape(&published.name)
    ))
    .into_response())
}
