//! The local HTTP JSON API: `pub fn router(state) -> axum::Router`, so that the web UI can merge
//! its pages into the same server. Every endpoint is documented in `docs/api.md`.
//!
//! Handlers are thin: extractors ([`extract`]) parse the path and the body, one typed call of the
//! [`Handle`](crate::Handle) acts on the named node, and the answer becomes JSON. Errors are
//! [`ApiError`]s, sent as `{ "error": "…" }` with a fitting status. The files split the routes by
//! concern; they share only [`extract`] and [`AppState`].

pub(crate) mod directories;
mod documents;
pub(crate) mod extract;
mod join;
mod moderation;
mod newsgroups;
mod people;
mod search;
mod status;

pub use documents::attachment_response;

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};

/// A JSON answer or an API error.
type ApiResult<T> = Result<Json<T>, ApiError>;

/// The mark of a request whose access to the API was checked, set by the layer in front of the API
/// (the web UI's guard) once it knows who calls and what they may call.
///
/// The API has no accounts of its own: on a local node it trusts every caller on the machine, and a
/// public website's API is only as safe as that layer. So in public mode the API refuses every request
/// without this mark: a server started without the layer is closed, not open to everyone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccessChecked;

/// The API routes, all under `/api`; in public mode each refuses a request not marked
/// [`AccessChecked`].
pub fn router(state: AppState) -> Router {
    let body_limit = state.config.proto.limits.max_document_bytes * 2 + 64 * 1024;
    let public = state.config.public;
    let routes = Router::new()
        .route("/api/status", get(status::status))
        .route(
            "/api/nodes",
            get(status::list_nodes).post(status::create_node),
        )
        .route("/api/peers", get(status::peers))
        .route("/api/events", get(status::events))
        .route(
            "/api/nodes/{node}/documents",
            post(documents::post_document),
        )
        .route("/api/nodes/{node}/documents/{id}", get(documents::show))
        .route(
            "/api/nodes/{node}/resolve/{prefix}",
            get(documents::resolve),
        )
        .route(
            "/api/nodes/{node}/documents/{id}/thread",
            get(documents::thread),
        )
        .route(
            "/api/nodes/{node}/documents/{id}/thread/read",
            post(documents::thread_read),
        )
        .route(
            "/api/nodes/{node}/documents/{id}/flags",
            post(documents::flags),
        )
        .route(
            "/api/nodes/{node}/documents/{id}/retract",
            post(documents::retract),
        )
        .route(
            "/api/nodes/{node}/documents/{id}/edit",
            post(documents::edit),
        )
        .route(
            "/api/nodes/{node}/documents/{id}/hide",
            post(moderation::hide),
        )
        .route(
            "/api/nodes/{node}/documents/{id}/unhide",
            post(moderation::unhide),
        )
        .route(
            "/api/nodes/{node}/forums/{root}/moderation",
            get(moderation::show).post(moderation::decide),
        )
        .route(
            "/api/nodes/{node}/forums/{root}/moderation/ignore",
            post(moderation::ignore),
        )
        .route(
            "/api/nodes/{node}/documents/{id}/export",
            get(documents::export),
        )
        .route(
            "/api/nodes/{node}/documents/{id}/attachments/{index}",
            get(documents::attachment),
        )
        .route(
            "/api/nodes/{node}/documents/{id}/network",
            get(documents::network),
        )
        .route("/api/nodes/{node}/overview", get(documents::overview))
        .route(
            "/api/nodes/{node}/notifications",
            get(documents::notifications),
        )
        .route("/api/nodes/{node}/join", post(join::join_document))
        .route(
            "/api/nodes/{node}/documents/{id}/join",
            delete(join::cancel_join),
        )
        .route("/api/nodes/{node}/documents/{id}/invite", get(join::invite))
        .route("/api/nodes/{node}/import", post(documents::import))
        .route(
            "/api/nodes/{node}/directories",
            post(directories::create_directory),
        )
        .route(
            "/api/nodes/{node}/directories/{root}/names",
            get(directories::list_names).post(directories::publish_name),
        )
        .route("/api/nodes/{node}/search", get(search::search))
        .route("/api/nodes/{node}/people", get(people::list))
        .route("/api/nodes/{node}/newsgroups", post(newsgroups::rename))
        .route(
            "/api/nodes/{node}/people/{peer}",
            get(people::show).post(people::mark),
        )
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state);
    if public {
        routes.layer(axum::middleware::from_fn(require_access_checked))
    } else {
        routes
    }
}

/// Public mode: lets a request through only if the layer in front marked it [`AccessChecked`].
async fn require_access_checked(request: Request, next: Next) -> Response {
    if request.extensions().get::<AccessChecked>().is_some() {
        next.run(request).await
    } else {
        ApiError::Unauthorized(
            "this public website's API is served only behind the layer that checks its callers (the web UI's guard)"
                .into(),
        )
        .into_response()
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such API endpoint".into())
}
