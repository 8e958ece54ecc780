//! Read state as a reader makes it: the page's script reports the comments that were shown
//! (scrolled into view with their text open) and this marks them read, by a POST with the CSRF
//! token. A GET never marks anything read, so no link or image in a post can change it.

use super::parse_doc;
use crate::auth::User;
use crate::error::{WebError, WebResult};
use crate::state::WebState;
use axum::Json;
use axum::extract::{Form, State};
use serde::{Deserialize, Serialize};

/// The most documents one report marks read.
pub const MAX_MARKED: usize = 500;

/// The documents shown, as the script reports them.
#[derive(Deserialize)]
pub struct ShownForm {
    csrf: String,
    /// Document ids, separated by blanks or commas.
    #[serde(default)]
    ids: String,
}

/// What the report changed.
#[derive(Serialize)]
pub struct Marked {
    /// How many of the documents were unread.
    pub marked: usize,
}

/// `POST /read`: marks the shown documents read.
pub async fn shown(
    State(state): State<WebState>,
    user: User,
    Form(form): Form<ShownForm>,
) -> WebResult<Json<Marked>> {
    user.check_csrf(&form.csrf)?;
    let ids: Vec<&str> = form
        .ids
        .split([' ', ',', '\n'])
        .filter(|t| !t.is_empty())
        .collect();
    if ids.len() > MAX_MARKED {
        return Err(WebError::BadRequest(format!(
            "at most {MAX_MARKED} documents are marked read at once"
        )));
    }
    let docs = ids
        .into_iter()
        .map(parse_doc)
        .collect::<Result<Vec<_>, _>>()?;
    let marked = state.api.handle.mark_read(user.node(), docs).await?;
    Ok(Json(Marked { marked }))
}
