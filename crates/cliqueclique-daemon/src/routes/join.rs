//! Joining a document through an installation's address or an invite ([`crate::join`]),
//! cancelling a join in progress, and the invite to a held document ([`crate::invite`]).

use super::ApiResult;
use super::extract::{ApiJson, DocParam, NodeParam};
use crate::api::{InviteView, JoinRequest, Joined, Joining};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use std::time::Duration;

/// Joins a document and waits for its body.
pub(super) async fn join_document(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
    ApiJson(request): ApiJson<JoinRequest>,
) -> ApiResult<Joined> {
    let node = state.handle.resolve(node).await?;
    let wait = request
        .timeout_ms
        .map_or(state.config.join_timeout, Duration::from_millis);
    let addresses: Vec<String> = std::iter::once(request.address)
        .filter(|a| !a.trim().is_empty())
        .chain(request.addresses)
        .take(crate::invite::MAX_INVITE_ADDRESSES)
        .collect();
    Ok(Json(
        crate::join::join_any(&state, node, &addresses, request.doc, wait).await?,
    ))
}

/// Cancels a join in progress: the node stops fetching the document. Answers the joins left.
pub(super) async fn cancel_join(
    State(state): State<AppState>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
) -> ApiResult<Vec<Joining>> {
    let node = state.handle.resolve(node).await?;
    state.handle.cancel_join(node, doc).await?;
    Ok(Json(state.handle.joining(node).await?))
}

/// The invite to a held document: its id and this installation's advertised addresses.
pub(super) async fn invite(
    State(state): State<AppState>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
) -> ApiResult<InviteView> {
    let node = state.handle.resolve(node).await?;
    if !state.handle.has_body(node, doc).await? {
        return Err(crate::error::ApiError::NotFound(format!(
            "document {doc} is not held by this node, so it cannot invite anyone to it"
        )));
    }
    Ok(Json(crate::invite::view(doc, &state.advertised)))
}
