//! The local HTTP JSON API: `pub fn router(state) -> axum::Router`, so that the web UI can merge
//! its pages into the same server. Every endpoint is documented in `docs/api.md`.
//!
//! Handlers are thin: they parse, run a closure on the node thread ([`Handle::call`]) and turn the
//! answer into JSON. Errors are [`ApiError`]s, sent as `{ "error": "…" }` with a fitting status.

use crate::actor::{Handle, NodeEvent};
use crate::api::{
    CreateNode, DocumentView, FlagsChange, JoinRequest, Joined, Network, NewPost, NodeInfo,
    Overview, Peers, Posted, SessionView, Status, ThreadEntry,
};
use crate::config::Config;
use crate::error::ApiError;
use crate::join;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::routing::{get, post};
use axum::{Json, Router};
use cliqueclique_doc::{DocId, NodeId};
use cliqueclique_net::{I2p, SessionManager, TransportState, TransportStatus};
use futures_util::Stream;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The node thread.
    pub handle: Handle,
    /// The transport.
    pub net: SessionManager,
    /// The daemon's settings.
    pub config: Arc<Config>,
    /// The installation's public key, hex.
    pub installation: String,
    /// Bound transport addresses.
    pub listening: Vec<String>,
    /// Addresses in the local nodes' cards.
    pub advertised: Vec<String>,
    /// The API's own address.
    pub api: SocketAddr,
    /// The I2P transport, when enabled (for its status).
    pub i2p: Option<Arc<I2p>>,
}

impl AppState {
    /// Bundles the state.
    pub fn new(
        handle: Handle,
        net: SessionManager,
        config: Arc<Config>,
        installation: String,
        listening: Vec<String>,
        advertised: Vec<String>,
        api: SocketAddr,
    ) -> AppState {
        AppState {
            handle,
            net,
            config,
            installation,
            listening,
            advertised,
            api,
            i2p: None,
        }
    }

    /// The health of each transport: TCP listeners are up once bound; I2P reports its session.
    pub fn transports(&self) -> Vec<TransportStatus> {
        let mut transports: Vec<TransportStatus> = self
            .listening
            .iter()
            .filter(|address| address.starts_with("tcp://"))
            .map(|address| TransportStatus {
                transport: "tcp".to_owned(),
                address: address.clone(),
                state: TransportState::Up,
                detail: "listening".to_owned(),
                failures: 0,
                retry_in_ms: None,
                since_ms: 0,
            })
            .collect();
        transports.extend(self.i2p.as_ref().map(|i2p| i2p.status()));
        transports
    }
}

pub(crate) type ApiResult<T> = Result<Json<T>, ApiError>;

/// The API routes, all under `/api`.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config.proto.limits.max_document_bytes * 2 + 64 * 1024;
    Router::new()
        .route("/api/status", get(status))
        .route("/api/nodes", get(list_nodes).post(create_node))
        .route("/api/peers", get(peers))
        .route("/api/events", get(events))
        .route("/api/nodes/{node}/documents", post(post_document))
        .route("/api/nodes/{node}/documents/{id}", get(show))
        .route("/api/nodes/{node}/documents/{id}/thread", get(thread))
        .route(
            "/api/nodes/{node}/documents/{id}/thread/read",
            post(thread_read),
        )
        .route("/api/nodes/{node}/documents/{id}/flags", post(flags))
        .route("/api/nodes/{node}/documents/{id}/export", get(export))
        .route(
            "/api/nodes/{node}/documents/{id}/attachments/{index}",
            get(attachment),
        )
        .route("/api/nodes/{node}/documents/{id}/network", get(network))
        .route("/api/nodes/{node}/overview", get(overview))
        .route("/api/nodes/{node}/join", post(join_document))
        .route("/api/nodes/{node}/import", post(import))
        .route(
            "/api/nodes/{node}/directories",
            post(crate::search_routes::create_directory),
        )
        .route(
            "/api/nodes/{node}/directories/{root}/names",
            get(crate::search_routes::list_names).post(crate::search_routes::publish_name),
        )
        .route(
            "/api/nodes/{node}/search",
            get(crate::search_routes::search),
        )
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such API endpoint".into())
}

/// Parses a JSON body, with errors in the API's format.
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("bad JSON body: {e}")))
}

pub(crate) fn parse_doc(text: &str) -> Result<DocId, ApiError> {
    text.parse()
        .map_err(|e| ApiError::BadRequest(format!("bad document id {text:?}: {e}")))
}

pub(crate) async fn resolve(state: &AppState, node: String) -> Result<NodeId, ApiError> {
    state.handle.try_call(move |a| a.resolve(&node)).await
}

async fn status(State(state): State<AppState>) -> ApiResult<Status> {
    let queued_inputs = state.handle.queued_inputs() as u64;
    let (nodes, documents, mut counters, local_queue) = state
        .handle
        .call(|a| {
            (
                a.node_statuses(),
                a.distinct_documents(),
                a.counter_values(),
                a.local_queue_len(),
            )
        })
        .await?;
    let net = state.net.status().await.map_err(|_| ApiError::Stopped)?;
    let c = &net.counters;
    for (name, value) in [
        ("net_garbage", c.garbage),
        ("net_oversize", c.oversize),
        ("net_handshake_failures", c.handshake_failures),
        ("net_bad_attestations", c.bad_attestations),
        ("net_unattested", c.unattested),
        ("net_misaddressed", c.misaddressed),
        ("net_malformed_batches", c.malformed_batches),
        ("net_rate_limited", c.rate_limited),
        ("net_queue_dropped", c.queue_dropped),
        ("net_sessions_refused", c.sessions_refused),
        ("net_keepalive_timeouts", c.keepalive_timeouts),
        ("net_dial_failures", c.dial_failures),
        ("net_dials", c.dials),
        ("net_sessions_up", c.sessions_up),
        ("net_duplicate_sessions", c.duplicate_sessions),
        ("net_self_connections", c.self_connections),
        ("net_abandoned", c.abandoned),
        ("net_unroutable", c.unroutable),
        ("net_events_dropped", c.events_dropped),
        ("net_messages_in", c.messages_in),
        ("net_messages_out", c.messages_out),
        ("net_batches_delivered", c.batches_delivered),
    ] {
        counters.insert(name.to_owned(), value);
    }
    let mut queues = BTreeMap::new();
    queues.insert("node_inputs".to_owned(), queued_inputs);
    queues.insert("local_batches".to_owned(), local_queue as u64);
    queues.insert("net_events".to_owned(), net.events_pending as u64);
    queues.insert(
        "net_session_messages".to_owned(),
        net.sessions.iter().map(|s| s.queue_len as u64).sum(),
    );
    queues.insert(
        "net_dialing_messages".to_owned(),
        net.dialing.iter().map(|d| d.queue_len as u64).sum(),
    );
    Ok(Json(Status {
        installation: state.installation.clone(),
        data_dir: state.config.data_dir.display().to_string(),
        listening: state.listening.clone(),
        advertised: state.advertised.clone(),
        api: state.api.to_string(),
        nodes,
        documents,
        sessions: net.established().count(),
        queues,
        counters,
        transports: state.transports(),
    }))
}

/// `?node=NAME_OR_ID` limits the stream to one local node.
#[derive(serde::Deserialize)]
struct EventFilter {
    node: Option<String>,
}

/// Core events of the local nodes as server-sent events, one JSON object each.
async fn events(
    State(state): State<AppState>,
    Query(filter): Query<EventFilter>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let only = match filter.node {
        Some(node) => Some(resolve(&state, node).await?),
        None => None,
    };
    let receiver = state.handle.subscribe();
    let stream = futures_util::stream::unfold(receiver, move |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(event) if only.is_none_or(|n| n == event.node) => {
                    let json = event_json(&event);
                    let sse = SseEvent::default()
                        .event(json["type"].as_str().unwrap_or("event"))
                        .data(json.to_string());
                    return Some((Ok(sse), receiver));
                }
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    let sse = SseEvent::default()
                        .event("lagged")
                        .data(format!("{{\"missed\":{n}}}"));
                    return Some((Ok(sse), receiver));
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// The JSON form of a core event.
fn event_json(event: &NodeEvent) -> serde_json::Value {
    use cliqueclique_proto::Event;
    let node = event.node.to_string();
    match &event.event {
        Event::DocumentArrived { doc, parent, from } => serde_json::json!({
            "type": "document_arrived", "node": node, "doc": doc, "parent": parent, "from": from,
        }),
        Event::DocumentRemoved { doc } => serde_json::json!({
            "type": "document_removed", "node": node, "doc": doc,
        }),
        Event::StateChanged { doc } => serde_json::json!({
            "type": "state_changed", "node": node, "doc": doc,
        }),
        Event::PeerContact { card } => serde_json::json!({
            "type": "peer_contact", "node": node, "peer": card.node_id(), "name": card.name,
            "addresses": card.addresses,
        }),
        Event::LinkRefused {
            doc,
            peer,
            suggestions,
        } => serde_json::json!({
            "type": "link_refused", "node": node, "doc": doc, "peer": peer, "suggestions": suggestions,
        }),
        Event::Rejected { peer, reason } => serde_json::json!({
            "type": "rejected", "node": node, "peer": peer, "reason": reason.to_string(),
        }),
        other => {
            serde_json::json!({ "type": "other", "node": node, "debug": format!("{other:?}") })
        }
    }
}

async fn list_nodes(State(state): State<AppState>) -> ApiResult<Vec<NodeInfo>> {
    Ok(Json(state.handle.call(|a| a.node_infos()).await?))
}

async fn create_node(State(state): State<AppState>, body: Bytes) -> ApiResult<NodeInfo> {
    let request: CreateNode = parse(&body)?;
    let info = state
        .handle
        .try_call(move |a| a.create_node(&request.name))
        .await?;
    Ok(Json(info))
}

async fn peers(State(state): State<AppState>) -> ApiResult<Peers> {
    let peers = state.handle.call(|a| a.peer_views()).await?;
    let net = state.net.status().await.map_err(|_| ApiError::Stopped)?;
    Ok(Json(Peers {
        sessions: net
            .sessions
            .iter()
            .map(|s| SessionView {
                installation: s.installation.map(|k| k.to_string()),
                dialed: s.dialed.as_ref().map(ToString::to_string),
                remote_nodes: s.remote_nodes.clone(),
                queue_len: s.queue_len,
                age_secs: s.age.as_secs(),
            })
            .collect(),
        dialing: net.dialing.iter().map(|d| d.address.to_string()).collect(),
        peers,
    }))
}

async fn post_document(
    State(state): State<AppState>,
    Path(node): Path<String>,
    body: Bytes,
) -> ApiResult<Posted> {
    let post: NewPost = parse(&body)?;
    let node = resolve(&state, node).await?;
    let id = state.handle.try_call(move |a| a.post(node, post)).await?;
    Ok(Json(Posted { id }))
}

async fn show(
    State(state): State<AppState>,
    Path((node, id)): Path<(String, String)>,
) -> ApiResult<DocumentView> {
    let doc = parse_doc(&id)?;
    let node = resolve(&state, node).await?;
    Ok(Json(
        state.handle.try_call(move |a| a.show(node, doc)).await?,
    ))
}

/// `?bodies=true` adds each entry's content type and text body.
#[derive(serde::Deserialize)]
struct ThreadQuery {
    #[serde(default)]
    bodies: bool,
}

async fn thread(
    State(state): State<AppState>,
    Path((node, id)): Path<(String, String)>,
    Query(query): Query<ThreadQuery>,
) -> ApiResult<ThreadEntry> {
    let doc = parse_doc(&id)?;
    let node = resolve(&state, node).await?;
    Ok(Json(
        state
            .handle
            .try_call(move |a| a.thread(node, doc, query.bodies))
            .await?,
    ))
}

async fn thread_read(
    State(state): State<AppState>,
    Path((node, id)): Path<(String, String)>,
) -> ApiResult<serde_json::Value> {
    let doc = parse_doc(&id)?;
    let node = resolve(&state, node).await?;
    let marked = state
        .handle
        .try_call(move |a| a.mark_thread_read(node, doc))
        .await?;
    Ok(Json(serde_json::json!({ "marked": marked })))
}

async fn overview(State(state): State<AppState>, Path(node): Path<String>) -> ApiResult<Overview> {
    let node = resolve(&state, node).await?;
    Ok(Json(state.handle.call(move |a| a.overview(node)).await?))
}

/// `?scope=installation` shows every local node's state, not only `{node}`'s.
#[derive(serde::Deserialize)]
struct NetworkQuery {
    scope: Option<String>,
}

async fn network(
    State(state): State<AppState>,
    Path((node, id)): Path<(String, String)>,
    Query(query): Query<NetworkQuery>,
) -> ApiResult<Network> {
    let doc = parse_doc(&id)?;
    let node = resolve(&state, node).await?;
    let installation = match query.scope.as_deref() {
        None | Some("node") => false,
        Some("installation") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "bad scope {other:?}: use node or installation"
            )));
        }
    };
    Ok(Json(
        state
            .handle
            .try_call(move |a| a.network(node, doc, installation))
            .await?,
    ))
}

async fn attachment(
    State(state): State<AppState>,
    Path((node, id, index)): Path<(String, String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let doc = parse_doc(&id)?;
    let index: usize = index
        .parse()
        .map_err(|_| ApiError::BadRequest(format!("bad attachment number {index:?}")))?;
    let node = resolve(&state, node).await?;
    let file = state
        .handle
        .try_call(move |a| a.attachment(node, doc, index))
        .await?;
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
        ],
        file.data.clone(),
    )
        .into_response()
}

async fn flags(
    State(state): State<AppState>,
    Path((node, id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<DocumentView> {
    let doc = parse_doc(&id)?;
    let change: FlagsChange = parse(&body)?;
    let node = resolve(&state, node).await?;
    let view = state
        .handle
        .try_call(move |a| {
            a.change_flags(node, doc, change)?;
            a.show(node, doc)
        })
        .await?;
    Ok(Json(view))
}

async fn export(
    State(state): State<AppState>,
    Path((node, id)): Path<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let doc = parse_doc(&id)?;
    let node = resolve(&state, node).await?;
    let bytes = state.handle.try_call(move |a| a.export(node, doc)).await?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes))
}

async fn join_document(
    State(state): State<AppState>,
    Path(node): Path<String>,
    body: Bytes,
) -> ApiResult<Joined> {
    let request: JoinRequest = parse(&body)?;
    let node = resolve(&state, node).await?;
    let wait = request
        .timeout_ms
        .map_or(state.config.join_timeout, Duration::from_millis);
    Ok(Json(
        join::join(&state, node, &request.address, request.doc, wait).await?,
    ))
}

async fn import(
    State(state): State<AppState>,
    Path(node): Path<String>,
    body: Bytes,
) -> ApiResult<Joined> {
    let node = resolve(&state, node).await?;
    let (doc, exporter) = state
        .handle
        .try_call(move |a| a.import(node, &body))
        .await?;
    let view = state.handle.try_call(move |a| a.show(node, doc)).await?;
    Ok(Json(Joined {
        doc,
        subject: view.document.map(|d| d.subject).unwrap_or_default(),
        peer: exporter.node_id(),
        peer_name: exporter.name,
        has_body: true,
    }))
}
