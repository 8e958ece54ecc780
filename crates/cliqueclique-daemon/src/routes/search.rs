//! Local search (`docs/query.md`).

use super::ApiResult;
use super::directories::{DEFAULT_LIMIT, MAX_LIMIT};
use super::extract::NodeParam;
use crate::api::{SearchRequest, SearchResults};
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};

/// Runs a query over the node's documents.
pub(super) async fn search(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
    Query(request): Query<SearchRequest>,
) -> ApiResult<SearchResults> {
    let query = cliqueclique_query::parse(&request.q)
        .map_err(|e| ApiError::BadRequest(format!("bad query: {e}")))?;
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    Ok(Json(state.handle.search(node, query, limit).await?))
}
