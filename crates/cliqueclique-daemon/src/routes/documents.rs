//! Documents of one local node: posting, reading, threads, flags, attachments, export and import.

use super::ApiResult;
use super::extract::{ApiJson, DocParam, NodeParam};
use crate::api::{
    DocumentView, EditPost, FlagsChange, Joined, Network, NewPost, Overview, Posted, Resolved,
    ThreadEntry,
};
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;

/// Posts a new document.
pub(super) async fn post_document(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
    ApiJson(post): ApiJson<NewPost>,
) -> ApiResult<Posted> {
    let id = state.handle.post(node, post).await?;
    Ok(Json(Posted { id }))
}

/// Retracts one of the node's own documents.
pub(super) async fn retract(
    State(state): State<AppState>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
) -> ApiResult<Posted> {
    let id = state.handle.retract(node, doc).await?;
    Ok(Json(Posted { id }))
}

/// Posts a new version of one of the node's own documents.
pub(super) async fn edit(
    State(state): State<AppState>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
    ApiJson(edit): ApiJson<EditPost>,
) -> ApiResult<Posted> {
    let id = state.handle.edit(node, doc, edit).await?;
    Ok(Json(Posted { id }))
}

/// The documents whose id starts with a prefix.
pub(super) async fn resolve(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
    Path((_, prefix)): Path<(String, String)>,
) -> ApiResult<Resolved> {
    Ok(Json(state.handle.resolve_prefix(node, prefix).await?))
}

/// One document.
pub(super) async fn show(
    State(state): State<AppState>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
) -> ApiResult<DocumentView> {
    Ok(Json(state.handle.show(node, doc).await?))
}

/// `?bodies=true` adds each entry's content type and text body.
#[derive(serde::Deserialize)]
pub(super) struct ThreadQuery {
    #[serde(default)]
    bodies: bool,
}

/// The thread under a document.
pub(super) async fn thread(
    State(state): State<AppState>,
    Query(query): Query<ThreadQuery>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
) -> ApiResult<ThreadEntry> {
    Ok(Json(state.handle.thread(node, doc, query.bodies).await?))
}

/// Marks a thread read.
pub(super) async fn thread_read(
    State(state): State<AppState>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
) -> ApiResult<serde_json::Value> {
    let marked = state.handle.mark_thread_read(node, doc).await?;
    Ok(Json(serde_json::json!({ "marked": marked })))
}

/// The node's forums, bookmarks and recent threads.
pub(super) async fn overview(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
) -> ApiResult<Overview> {
    Ok(Json(state.handle.overview(node).await?))
}

/// `?scope=installation` shows every local node's state, not only `{node}`'s.
#[derive(serde::Deserialize)]
pub(super) struct NetworkQuery {
    scope: Option<String>,
}

/// The overlay around a document.
pub(super) async fn network(
    State(state): State<AppState>,
    Query(query): Query<NetworkQuery>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
) -> ApiResult<Network> {
    let installation = match query.scope.as_deref() {
        None | Some("node") => false,
        Some("installation") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "bad scope {other:?}: use node or installation"
            )));
        }
    };
    Ok(Json(state.handle.network(node, doc, installation).await?))
}

/// One attachment, as a download.
pub(super) async fn attachment(
    State(state): State<AppState>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
    Path((_, _, index)): Path<(String, String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let index: usize = index
        .parse()
        .map_err(|_| ApiError::BadRequest(format!("bad attachment number {index:?}")))?;
    let file = state.handle.attachment(node, doc, index).await?;
    Ok(attachment_response(&file))
}

/// An attachment as a download: its type and a sanitised file name, never rendered inline.
pub fn attachment_response(file: &cliqueclique_doc::Attachment) -> axum::response::Response {
    let safe: String = file
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = if safe.is_empty() {
        "attachment".to_owned()
    } else {
        safe
    };
    let content_type = axum::http::HeaderValue::from_str(&file.content_type).unwrap_or(
        axum::http::HeaderValue::from_static("application/octet-stream"),
    );
    let disposition =
        axum::http::HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            .unwrap_or(axum::http::HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                axum::http::HeaderValue::from_static("nosniff"),
            ),
            // Whatever its type, an attachment opened on its own runs nothing and loads nothing.
            (
                header::CONTENT_SECURITY_POLICY,
                axum::http::HeaderValue::from_static("sandbox; default-src 'none'"),
            ),
        ],
        file.data.clone(),
    )
        .into_response()
}

/// Changes a document's flags; answers with the document.
pub(super) async fn flags(
    State(state): State<AppState>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
    ApiJson(change): ApiJson<FlagsChange>,
) -> ApiResult<DocumentView> {
    Ok(Json(state.handle.change_flags(node, doc, change).await?))
}

/// A document's export file.
pub(super) async fn export(
    State(state): State<AppState>,
    DocParam(doc): DocParam,
    NodeParam(node): NodeParam,
) -> Result<impl IntoResponse, ApiError> {
    let bytes = state.handle.export(node, doc).await?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes))
}

/// Imports an export file.
pub(super) async fn import(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
    body: Bytes,
) -> ApiResult<Joined> {
    let imported = state.handle.import(node, body.to_vec()).await?;
    Ok(Json(Joined {
        doc: imported.doc,
        subject: imported
            .view
            .document
            .map(|d| d.subject)
            .unwrap_or_default(),
        peer: imported.exporter.node_id(),
        peer_name: imported.exporter.name,
        has_body: true,
    }))
}

/// Replies to the node's documents and mentions of its name, newest first.
pub(super) async fn notifications(
    State(state): State<AppState>,
    NodeParam(node): NodeParam,
) -> ApiResult<crate::api::Notifications> {
    let limit = crate::actor::MAX_NOTIFICATIONS;
    Ok(Json(state.handle.notifications(node, limit).await?))
}
