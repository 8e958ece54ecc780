//! The installation as a whole: its status, its local nodes, its peers and the stream of events.

use super::ApiResult;
use super::extract::ApiJson;
use crate::actor::NodeEvent;
use crate::api::{CreateNode, NodeInfo, Peers, SessionView, Status};
use crate::error::ApiError;
use crate::handle::ThreadStatus;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use std::collections::BTreeMap;
use std::convert::Infallible;
use tokio::sync::broadcast;

/// The installation's status: nodes, sessions, queues and counters.
pub(super) async fn status(State(state): State<AppState>) -> ApiResult<Status> {
    let queued_inputs = state.handle.queued_inputs() as u64;
    let ThreadStatus {
        nodes,
        documents,
        mut counters,
        local_queue,
    } = state.handle.status().await?;
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
        ("net_address_refused", c.address_refused),
        ("net_unattested_refused", c.unattested_refused),
        ("net_stray_lookup_replies", c.stray_lookup_replies),
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
pub(super) struct EventFilter {
    node: Option<String>,
}

/// Core events of the local nodes as server-sent events, one JSON object each.
pub(super) async fn events(
    State(state): State<AppState>,
    Query(filter): Query<EventFilter>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let only = match filter.node {
        Some(node) => Some(state.handle.resolve(node).await?),
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

pub(super) async fn list_nodes(State(state): State<AppState>) -> ApiResult<Vec<NodeInfo>> {
    Ok(Json(state.handle.node_infos().await?))
}

pub(super) async fn create_node(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<CreateNode>,
) -> ApiResult<NodeInfo> {
    Ok(Json(state.handle.create_node(request.name).await?))
}

pub(super) async fn peers(State(state): State<AppState>) -> ApiResult<Peers> {
    let peers = state.handle.peer_views().await?;
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
