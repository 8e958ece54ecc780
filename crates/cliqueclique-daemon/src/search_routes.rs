//! The API of directories and local search (`docs/api.md`, `docs/directory.md`,
//! `docs/query.md`).
//!
//! Publishing and listing run in steps on the node thread: a step that must wait for a level
//! to arrive or settle says how long, and the handler sleeps (off the node thread) and calls
//! again, up to [`DIRECTORY_TIMEOUT`].

use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use cliqueclique_dir::Follow;

use crate::actor::{Actor, Progress};
use crate::api::{
    ListNames, NamePage, NewDirectory, Posted, PublishName, Published, SearchRequest, SearchResults,
};
use crate::error::ApiError;
use crate::router::{ApiResult, AppState, parse, parse_doc, resolve};

/// How long a publication or a listing waits for levels to arrive, unless the request says.
pub const DIRECTORY_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest wait a request may ask for.
const MAX_TIMEOUT: Duration = Duration::from_secs(120);

fn timeout(ms: Option<u64>) -> Duration {
    ms.map_or(DIRECTORY_TIMEOUT, Duration::from_millis)
        .min(MAX_TIMEOUT)
}

/// The default and the largest page or result count.
const DEFAULT_LIMIT: usize = 50;
const MAX_LIMIT: usize = 1000;

/// Calls `step` on the node thread until it is done or `timeout` passes (also used by the web
/// UI's directory pages).
pub async fn until_done<T: Send + 'static>(
    state: &AppState,
    timeout: Duration,
    step: impl Fn(&mut Actor) -> Result<Progress<T>, ApiError> + Send + Sync + Clone + 'static,
) -> Result<T, ApiError> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let once = step.clone();
        match state.handle.try_call(move |a| once(a)).await? {
            Progress::Done(value) => return Ok(value),
            Progress::Wait(wait) => {
                if tokio::time::Instant::now() + wait > deadline {
                    // The steps taken so far (subscriptions) stay: a later call goes on from them.
                    return Err(ApiError::Timeout(
                        "the directory's levels did not arrive in time: is a peer holding them reachable?"
                            .into(),
                    ));
                }
                tokio::time::sleep(wait).await;
            }
        }
    }
}

pub(crate) async fn create_directory(
    State(state): State<AppState>,
    Path(node): Path<String>,
    body: Bytes,
) -> ApiResult<Posted> {
    let new: NewDirectory = parse(&body)?;
    let node = resolve(&state, node).await?;
    let id = state
        .handle
        .try_call(move |a| a.dir_create(node, &new.title, &new.description))
        .await?;
    Ok(Json(Posted { id }))
}

pub(crate) async fn publish_name(
    State(state): State<AppState>,
    Path((node, root)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Published> {
    let root = parse_doc(&root)?;
    let request: PublishName = parse(&body)?;
    let node = resolve(&state, node).await?;
    let wait = timeout(request.timeout_ms);
    let published = until_done(&state, wait, move |a| {
        a.dir_publish(node, root, &request.name, request.target)
    })
    .await?;
    Ok(Json(published))
}

pub(crate) async fn list_names(
    State(state): State<AppState>,
    Path((node, root)): Path<(String, String)>,
    Query(request): Query<ListNames>,
) -> ApiResult<NamePage> {
    let root = parse_doc(&root)?;
    let follow = match request.follow.as_deref() {
        None | Some("all") => Follow::All,
        Some("winners") => Follow::Winners,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "follow must be `all` or `winners`, not {other:?}"
            )));
        }
    };
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let node = resolve(&state, node).await?;
    let wait = timeout(request.timeout_ms);
    let page = until_done(&state, wait, move |a| {
        a.dir_list(
            node,
            root,
            &request.prefix,
            request.after.as_deref(),
            limit,
            follow,
        )
    })
    .await?;
    Ok(Json(page))
}

pub(crate) async fn search(
    State(state): State<AppState>,
    Path(node): Path<String>,
    Query(request): Query<SearchRequest>,
) -> ApiResult<SearchResults> {
    let query = cliqueclique_query::parse(&request.q)
        .map_err(|e| ApiError::BadRequest(format!("bad query: {e}")))?;
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let node = resolve(&state, node).await?;
    let results = state
        .handle
        .try_call(move |a| a.search(node, &query, limit))
        .await?;
    Ok(Json(results))
}
