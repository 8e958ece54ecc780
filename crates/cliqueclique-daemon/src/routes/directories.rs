//! Name directories (`docs/directory.md`): creating one, publishing a name, listing names.
//!
//! Publishing and listing run in steps on the node thread: a step that must wait for a level to
//! arrive or settle says how long, and the handle sleeps (off the node thread) and calls again, up
//! to the request's timeout (default [`DIRECTORY_TIMEOUT`]).

use super::ApiResult;
use super::extract::{ApiJson, NodeParam, RootParam};
use crate::api::{ListNames, NamePage, NewDirectory, Posted, PublishName, Published};
use crate::error::ApiError;
use crate::handle::NamesPage;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use cliqueclique_dir::Follow;
use std::time::Duration;

/// How long a publication or a listing waits for levels to arrive, unless the request says.
pub const DIRECTORY_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest wait a request may ask for.
const MAX_TIMEOUT: Duration = Duration::from_secs(120);

/// The wait a request asks for, within bounds.
fn timeout(ms: Option<u64>) -> Duration {
    ms.map_or(DIRECTORY_TIMEOUT, Duration::from_millis)
        .min(MAX_TIMEOUT)
}

/// The default and the largest page or result count.
pub(super) const DEFAULT_LIMIT: usize = 50;
pub(super) const MAX_LIMIT: usize = 1000;

/// Creates a directory.
pub(super) async fn create_directory(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
    ApiJson(new): ApiJson<NewDirectory>,
) -> ApiResult<Posted> {
    let id = state
        .handle
        .create_directory(node, new.title, new.description)
        .await?;
    Ok(Json(Posted { id }))
}

/// Publishes a name.
pub(super) async fn publish_name(
    State(state): State<AppState>,
    RootParam(root): RootParam,
    NodeParam(node): NodeParam,
    ApiJson(request): ApiJson<PublishName>,
) -> ApiResult<Published> {
    let wait = timeout(request.timeout_ms);
    let published = state
        .handle
        .publish_name(node, root, request.name, request.target, wait)
        .await?;
    Ok(Json(published))
}

/// Lists a page of names.
pub(super) async fn list_names(
    State(state): State<AppState>,
    Query(request): Query<ListNames>,
    RootParam(root): RootParam,
    NodeParam(node): NodeParam,
) -> ApiResult<NamePage> {
    let follow = match request.follow.as_deref() {
        None | Some("all") => Follow::All,
        Some("winners") => Follow::Winners,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "follow must be `all` or `winners`, not {other:?}"
            )));
        }
    };
    let page = NamesPage {
        prefix: request.prefix,
        after: request.after,
        limit: request.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
        follow,
    };
    let wait = timeout(request.timeout_ms);
    Ok(Json(state.handle.list_names(node, root, page, wait).await?))
}
