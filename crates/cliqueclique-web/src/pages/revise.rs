//! Changing how a document shows everywhere: its author's edit page and form (a new version that
//! every holder shows in the document's place, marked edited) and retract button (every holder
//! drops the body and shows "retracted"), and a forum owner's or moderator's hide and unhide
//! buttons (followers collapse it). All are POST forms with the session's CSRF token; the daemon
//! refuses what the node may not do.

use super::{Nav, parse_doc};
use crate::auth::User;
use crate::error::{WebError, WebResult};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use cliqueclique_daemon::api::EditPost;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "edit.html")]
/// The template of the edit page.
pub struct EditPage {
    nav: Nav,
    id: String,
    subject: String,
    body: String,
    error: Option<String>,
}

/// `GET /d/{id}/edit`: the form, filled with the newest version's subject and text.
pub async fn edit_page(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
) -> WebResult<EditPage> {
    let doc = parse_doc(&id)?;
    let view = state.api.handle.show(user.node(), doc).await?;
    let current = view
        .newest
        .or(view.document)
        .ok_or_else(|| WebError::BadRequest("this document's text is not here".into()))?;
    Ok(EditPage {
        nav: Nav::of(&user, &state),
        id: doc.to_string(),
        subject: current.subject,
        body: current.body.unwrap_or_default(),
        error: None,
    })
}

/// The edit form.
#[derive(Deserialize)]
pub struct EditForm {
    csrf: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

/// `POST /d/{id}/edit`: posts the new version and goes back to the document; a refusal shows
/// the form again with what was typed.
pub async fn edit(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<EditForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let doc = parse_doc(&id)?;
    let edit = EditPost {
        subject: Some(form.subject.clone()),
        body: form.body.clone(),
        content_type: None,
    };
    match state.api.handle.edit(user.node(), doc, edit).await {
        Ok(_) => Ok(Redirect::to(&format!("/d/{doc}")).into_response()),
        Err(e) => Ok(EditPage {
            nav: Nav::of(&user, &state),
            id: doc.to_string(),
            subject: form.subject,
            body: form.body,
            error: Some(e.to_string()),
        }
        .into_response()),
    }
}

/// The retract form: only the token.
#[derive(Deserialize)]
pub struct RetractForm {
    csrf: String,
}

/// `POST /d/{id}/retract`: retracts the document and goes back to its page, now "retracted".
pub async fn retract(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<RetractForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let doc = parse_doc(&id)?;
    state.api.handle.retract(user.node(), doc).await?;
    Ok(Redirect::to(&format!("/d/{doc}")).into_response())
}

/// The hide form: the token and whether to hide or unhide.
#[derive(Deserialize)]
pub struct HideForm {
    csrf: String,
    /// `true` hides, `false` unhides.
    hide: bool,
    /// Where to go back to (a path on this site): the document's page when absent.
    #[serde(default)]
    back: String,
}

/// `POST /d/{id}/hide`: hides or unhides the document in its forum, as its owner or a moderator,
/// and goes back to the page that sent it.
pub async fn hide(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<HideForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let doc = parse_doc(&id)?;
    state.api.handle.hide(user.node(), doc, form.hide).await?;
    let back = super::document::back_or(form.back, || format!("/d/{doc}"));
    Ok(Redirect::to(&back).into_response())
}
