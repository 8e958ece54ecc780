//! Other nodes as one local node's user sees them: petnames, mutes and blocks.
//! `{peer}` is a node id, a unique prefix of one this node knows, or a fingerprint.

use super::ApiResult;
use super::extract::{ApiJson, NodeParam};
use crate::api::{AuthorView, PeerMarksChange, People};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};

/// The nodes the user marked.
pub(super) async fn list(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
) -> ApiResult<People> {
    Ok(Json(state.handle.people(node).await?))
}

/// One node, as the user sees it.
pub(super) async fn show(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
    Path((_, peer)): Path<(String, String)>,
) -> ApiResult<AuthorView> {
    Ok(Json(state.handle.person(node, peer).await?))
}

/// Sets or clears a petname, mutes or unmutes, blocks or unblocks.
pub(super) async fn mark(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
    Path((_, peer)): Path<(String, String)>,
    ApiJson(change): ApiJson<PeerMarksChange>,
) -> ApiResult<AuthorView> {
    Ok(Json(state.handle.mark_peer(node, peer, change).await?))
}
