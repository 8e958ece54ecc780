//! Joining a forum: an invite (`cliqueclique:ROOT?via=ADDRESS`, [`cliqueclique_daemon::invite`]),
//! or a peer's address and the root document's id. The join runs in the
//! background; its page shows the progress (refreshing itself, no script needed) until the root
//! arrives, then goes to the thread, or shows why it failed. A node that goes on fetching the
//! root after the wait failed says so, here and on the home page, with a Cancel button.

use super::{Nav, parse_doc};
use crate::auth::User;
use crate::error::{WebError, WebResult};
use crate::render::{format_date, url_escape};
use crate::state::{JoinProgress, WebState, now_secs};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use cliqueclique_daemon::api::Joining;
use cliqueclique_daemon::invite::{Invite, InviteError, SCHEME, is_invite};
use cliqueclique_doc::DocId;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "join.html")]
/// The template of this page.
pub struct JoinPage {
    nav: Nav,
    invite: String,
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
    /// The node is fetching the document (and how the join started here went).
    still: Option<Joining>,
    csrf: String,
}

/// What the node is doing about a join whose document has not arrived: "still trying ADDRESS
/// since DATE", and the last error if a wait for it failed.
pub fn still_trying(join: &Joining) -> String {
    let mut text = match (&join.address, join.since) {
        (Some(address), Some(since)) => {
            format!("still trying {address} since {}", format_date(since))
        }
        _ => "still trying in the background".to_owned(),
    };
    if let Some(error) = &join.last_error {
        text.push_str(&format!("; last error: {error}"));
    }
    text
}

/// `?invite=…`, or `?address=…&doc=…`, fill in the join form (the failed join page's "Try
/// again" link).
#[derive(Deserialize)]
pub struct JoinQuery {
    #[serde(default)]
    invite: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    doc: String,
}

impl JoiningPage {
    /// The join was asked for with an invite.
    fn by_invite(&self) -> bool {
        is_invite(&self.address)
    }

    /// The join form filled in with this join's invite, or address and id.
    fn retry(&self) -> String {
        if is_invite(&self.address) {
            return format!("/join?invite={}", url_escape(&self.address));
        }
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
        invite: query.invite,
        address: query.address,
        doc: query.doc,
        error: None,
    }
}

/// The join form.
#[derive(Deserialize)]
pub struct JoinForm {
    csrf: String,
    #[serde(default)]
    invite: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    doc: String,
}

/// The forum and the addresses to try, from an invite or from an address and an id. A
/// `cliqueclique:` invite pasted into the address field counts as an invite too.
fn target(form: &JoinForm) -> Result<(DocId, Vec<String>, String), WebError> {
    let invite = [&form.invite, &form.address]
        .into_iter()
        .find(|t| is_invite(t));
    if let Some(text) = invite {
        let invite: Invite = text
            .parse()
            .map_err(|e: InviteError| WebError::BadRequest(e.to_string()))?;
        let addresses = invite.addresses.iter().map(ToString::to_string).collect();
        return Ok((invite.doc, addresses, text.trim().to_owned()));
    }
    if !form.invite.trim().is_empty() {
        return Err(WebError::BadRequest(format!(
            "that is not an invite: an invite starts with {SCHEME}"
        )));
    }
    let address = form.address.trim().to_owned();
    if address.is_empty() {
        return Err(WebError::BadRequest(
            "paste an invite, or give an installation's address and the forum's id".into(),
        ));
    }
    let doc = parse_doc(&form.doc)?;
    Ok((doc, vec![address.clone()], address))
}

/// `POST /join`: starts the join and goes to its progress page.
pub async fn join(
    State(state): State<WebState>,
    user: User,
    Form(form): Form<JoinForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let (doc, addresses, address) = match target(&form) {
        Ok(target) => target,
        Err(e) => {
            let page = JoinPage {
                nav: Nav::of(&user, &state),
                invite: form.invite,
                address: form.address,
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
            cliqueclique_daemon::join::join_any(&background.api, node, &addresses, doc, wait).await;
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
    let still = state
        .api
        .handle
        .joining(node)
        .await?
        .into_iter()
        .find(|j| j.doc == doc);
    Ok(JoiningPage {
        doc: doc.to_string(),
        address,
        waited,
        error,
        still,
        csrf: user.csrf.clone(),
    }
    .into_response())
}

/// `POST /join/{doc}/cancel`: the node stops fetching the document; back to the home page.
pub async fn cancel(
    State(state): State<WebState>,
    user: User,
    Path(doc): Path<String>,
    Form(form): Form<super::document::CsrfForm>,
) -> WebResult<Response> {
    user.check_csrf(form.token())?;
    let doc = parse_doc(&doc)?;
    let node = user.node();
    state.api.handle.cancel_join(node, doc).await?;
    state.joins().remove(&(node, doc));
    Ok(Redirect::to("/").into_response())
}
