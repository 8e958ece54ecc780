//! The node page: my node's id and addresses, its peers with their session state as the transport
//! reports it, and (for the owner of a local node) the transport's sessions.

use super::Nav;
use crate::auth::User;
use crate::error::{WebError, WebResult};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use cliqueclique_daemon::api::{NodeInfo, PeerView};
use cliqueclique_doc::NodeId;
use std::collections::BTreeSet;

#[derive(Template, WebTemplate)]
#[template(path = "node.html")]
/// The template of this page.
pub struct NodePage {
    nav: Nav,
    info: NodeInfo,
    peers: Vec<PeerView>,
    sessions: Vec<(String, String, usize)>,
    show_sessions: bool,
    /// The remote nodes attested on a transport session.
    connected: BTreeSet<NodeId>,
    /// The nodes of this installation (reached without a session).
    locals: BTreeSet<NodeId>,
}

impl NodePage {
    /// A peer's session state: a node of this installation, one with a working transport
    /// session, or one without.
    fn session(&self, peer: &PeerView) -> &'static str {
        if self.locals.contains(&peer.peer) {
            "this installation"
        } else if self.connected.contains(&peer.peer) {
            "up"
        } else {
            "no session"
        }
    }
}

/// `GET /node`.
pub async fn node_page(State(state): State<WebState>, user: User) -> WebResult<NodePage> {
    let node = user.node();
    let infos = state.api.handle.node_infos().await?;
    let locals = infos.iter().map(|n| n.id).collect();
    let peers: Vec<PeerView> = state
        .api
        .handle
        .peer_views()
        .await?
        .into_iter()
        .filter(|p| p.node == node)
        .collect();
    let info = infos
        .into_iter()
        .find(|n| n.id == node)
        .ok_or_else(|| WebError::Internal("the account's node is gone".into()))?;
    let show_sessions = !state.settings.public || user.account.is_owner;
    let status = state
        .api
        .net
        .status()
        .await
        .map_err(|_| WebError::Api(cliqueclique_daemon::ApiError::Stopped))?;
    let connected = status
        .sessions
        .iter()
        .filter(|s| s.installation.is_some())
        .flat_map(|s| s.remote_nodes.iter().copied())
        .collect();
    let sessions = if show_sessions {
        status
            .sessions
            .iter()
            .map(|s| {
                (
                    s.dialed
                        .as_ref()
                        .map_or_else(|| "incoming".to_owned(), ToString::to_string),
                    s.installation
                        .map_or_else(|| "handshaking".to_owned(), |k| crate::render::short(&k)),
                    s.remote_nodes.len(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(NodePage {
        nav: Nav::of(&user, &state),
        info,
        peers,
        sessions,
        show_sessions,
        connected,
        locals,
    })
}
