//! Forum moderation of one local node: reading a forum's moderation, deciding (as its owner or a
//! moderator, naming a node as [`crate::Handle::person`] resolves it), hiding a document, and
//! ignoring a forum's moderation.

use super::ApiResult;
use super::extract::{ApiJson, DocParam, NodeParam};
use crate::api::{IgnoreModeration, Moderation, ModerationRequest, ModerationView, Posted};
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use cliqueclique_doc::DocId;

/// The `{root}` of a forum route.
fn root(text: &str) -> Result<DocId, ApiError> {
    text.parse()
        .map_err(|e| ApiError::BadRequest(format!("bad forum root {text:?}: {e}")))
}

/// A forum's moderation as the node applies it.
pub(super) async fn show(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
    Path((_, forum)): Path<(String, String)>,
) -> ApiResult<ModerationView> {
    Ok(Json(state.handle.moderation(node, root(&forum)?).await?))
}

/// A moderation decision in the forum.
pub(super) async fn decide(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
    Path((_, forum)): Path<(String, String)>,
    ApiJson(request): ApiJson<ModerationRequest>,
) -> ApiResult<Posted> {
    let handle = &state.handle;
    let named = |who: String| {
        let node = node.clone();
        async move { Ok::<_, ApiError>(handle.person(node, who).await?.id) }
    };
    let decision = match request {
        ModerationRequest::AddModerator(who) => Moderation::AddModerator(named(who).await?),
        ModerationRequest::RemoveModerator(who) => Moderation::RemoveModerator(named(who).await?),
        ModerationRequest::Hide(doc) => Moderation::Hide(doc),
        ModerationRequest::Unhide(doc) => Moderation::Unhide(doc),
        ModerationRequest::Ban(who) => Moderation::Ban(named(who).await?),
        ModerationRequest::Unban(who) => Moderation::Unban(named(who).await?),
        ModerationRequest::Work(bits) => Moderation::Work(bits),
    };
    let id = handle.moderate(node, root(&forum)?, decision).await?;
    Ok(Json(Posted { id }))
}

/// Ignores or applies the forum's moderation for the node.
pub(super) async fn ignore(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
    Path((_, forum)): Path<(String, String)>,
    ApiJson(change): ApiJson<IgnoreModeration>,
) -> ApiResult<ModerationView> {
    let view = state
        .handle
        .ignore_moderation(node, root(&forum)?, change.ignore)
        .await?;
    Ok(Json(view))
}

/// Hides a document in its forum.
pub(super) async fn hide(
    State(state): State<AppState>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
) -> ApiResult<Posted> {
    let id = state.handle.hide(node, doc, true).await?;
    Ok(Json(Posted { id }))
}

/// Unhides a document in its forum.
pub(super) async fn unhide(
    State(state): State<AppState>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
) -> ApiResult<Posted> {
    let id = state.handle.hide(node, doc, false).await?;
    Ok(Json(Posted { id }))
}
