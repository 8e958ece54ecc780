//! The node's forums as newsgroups of the NNTP server (`serve --nntp`): renaming one locally.

use super::ApiResult;
use super::extract::{ApiJson, NodeParam};
use crate::api::NewsgroupName;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;

/// Gives the group of a forum the name the user chose.
pub(super) async fn rename(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
    ApiJson(rename): ApiJson<NewsgroupName>,
) -> ApiResult<NewsgroupName> {
    state
        .handle
        .rename_news_group(node, rename.root, rename.name.clone())
        .await?;
    Ok(Json(rename))
}
