//! `POST /people/{id}`: the forms beside an author (petname, mute, block). Each is a POST with
//! the session's CSRF token; the page that sent it is shown again.

use super::document::back_or;
use crate::auth::User;
use crate::error::{WebError, WebResult};
use crate::state::WebState;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use cliqueclique_daemon::api::PeerMarksChange;
use serde::Deserialize;

/// One of the forms beside an author.
#[derive(Deserialize)]
pub struct MarkForm {
    csrf: String,
    /// `petname`, `mute`, `unmute`, `block` or `unblock`.
    action: String,
    /// With `petname`: the new name (empty clears it).
    #[serde(default)]
    petname: String,
    /// Where to go back to (a path on this site).
    #[serde(default)]
    back: String,
}

/// `POST /people/{id}`: changes the user's marks of the node `id`.
pub async fn mark(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<MarkForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let mut change = PeerMarksChange::default();
    match form.action.as_str() {
        "petname" => change.petname = Some(form.petname),
        "mute" => change.muted = Some(true),
        "unmute" => change.muted = Some(false),
        "block" => change.blocked = Some(true),
        "unblock" => change.blocked = Some(false),
        other => return Err(WebError::BadRequest(format!("no action {other:?}"))),
    }
    state.api.handle.mark_peer(user.node(), id, change).await?;
    let back = back_or(form.back, || "/".to_owned());
    Ok(Redirect::to(&back).into_response())
}
