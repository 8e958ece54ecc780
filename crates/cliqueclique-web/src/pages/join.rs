//! Joining a forum: a peer's address and the root document's id. The join runs in the
//! background; its page shows the progress (refreshing itself, no script needed) until the root
//! arrives, then goes to the thread, or shows why it failed.

use super::{Nav, parse_doc};
use crate::auth::User;
use crate::error::WebResult;
use crate::render::url_escape;
use crate::state::{JoinProgress, WebState, now_secs};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "join.html")]
/// The template of this page.
pub struct JoinPage {
    nav: Nav,
    address: String,
    doc: String,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "joining.html")]
/// The template of this page.
pub struct JoiningPage {
    doc: String,
    address: String,
    waited: u64,
    error: Option<String>,
}

/// `?address=…&doc=…` fill in the join form (the failed join page's "Try again" link).
#[derive(Deserialize)]
pub struct JoinQuery {
    #[serde(default)]
    address: String,
    #[serde(default)]
    doc: String,
}

impl JoiningPage {
    /// The join form filled in with this join's address and id.
    fn retry(&self) -> String {
        format!(
            "/join?address={}&doc={}",
            url_escape(&self.address),
            url_escape(&self.doc)
        )
    }
}

/// `GET /join`.
pub async fn join_page(
    State(state): State<WebState>,
    user: User,
    Query(query): Query<JoinQuery>,
) -> JoinPage {
    JoinPage {
        nav: Nav::of(&user, &state),
        address: query.address,
        doc: query.doc,
        error: None,
    }
}

/// The join form.
#[derive(Deserialize)]
pub struct JoinForm {
    csrf: String,
    address: String,
    doc: String,
}

/// `POST /join`: starts the join and goes to its progress page.
pub async fn join(
    State(state): State<WebState>,
    user: User,
    Form(form): Form<JoinForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let address = form.address.trim().to_owned();
    let doc = match parse_doc(&form.doc) {
        Ok(doc) => doc,
        Err(e) => {
            let page = JoinPage {
                nav: Nav::of(&user, &state),
                address,
                doc: form.doc,
                error: Some(e.to_string()),
            };
            return Ok((e.status(), page).into_response());
        }
    };
    let node = user.node();
    state.set_join(
        (node, doc),
        JoinProgress::Waiting {
            address: address.clone(),
            since: now_secs(),
        },
    );
    let background = state.clone();
    tokio::spawn(async move {
        let wait = background.api.config.join_timeout;
        let result =
            cliqueclique_daemon::join::join(&background.api, node, &address, doc, wait).await;
        let progress = match result {
            Ok(_) => JoinProgress::Done,
            Err(e) => JoinProgress::Failed {
                address,
                error: e.to_string(),
            },
        };
        background.set_join((node, doc), progress);
    });
    Ok(Redirect::to(&format!("/join/{doc}")).into_response())
}

/// `GET /join/{doc}`: the progress of a join.
pub async fn progress(
    State(state): State<WebState>,
    user: User,
    Path(doc): Path<String>,
) -> WebResult<Response> {
    let doc = parse_doc(&doc)?;
    let node = user.node();
    let held = state.api.handle.has_body(node, doc).await?;
    let progress = state.joins().get(&(node, doc)).cloned();
    if held || progress == Some(JoinProgress::Done) {
        return Ok(Redirect::to(&format!("/t/{doc}")).into_response());
    }
    let (address, waited, error) = match progress {
        Some(JoinProgress::Waiting { address, since }) => {
            (address, now_secs().saturating_sub(since), None)
        }
        Some(JoinProgress::Failed { address, error }) => (address, 0, Some(error)),
        Some(JoinProgress::Done) | None => (String::new(), 0, None),
    };
    Ok(JoiningPage {
        doc: doc.to_string(),
        address,
        waited,
        error,
    }
    .into_response())
}
