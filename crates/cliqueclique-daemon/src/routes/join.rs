//! Joining a document through an installation's address ([`crate::join`]).

use super::ApiResult;
use super::extract::{ApiJson, NodeParam};
use crate::api::{JoinRequest, Joined};
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
    Ok(Json(
        crate::join::join(&state, node, &request.address, request.doc, wait).await?,
    ))
}
