//! Joining a document knowing only an installation's address, and waiting for the body.
//!
//! 1. A `Lookup { doc }` goes to the address through the transport (which dials it); the remote
//!    daemon answers with the contact cards of its local nodes that hold the document.
//! 2. The cards are verified (the transport does not), and ones naming a local node are dropped.
//! 3. The local node gets `Command::Join` with the first card (the next two become extra peers; the
//!    rest are not kept), and the call waits until the body arrives, the peer refuses, or the time
//!    is up.
//!
//! While waiting for the lookup answer, the transport's dial state for the address is watched, so
//! an unreachable address fails fast with a clear message instead of a timeout.

use crate::api::Joined;
use crate::error::ApiError;
use crate::state::AppState;
use cliqueclique_doc::{ContactCard, DocId, NodeId};
use cliqueclique_net::PeerAddress;
use cliqueclique_proto::Event;
use std::time::Duration;
use tokio::time::{Instant, sleep, timeout_at};

/// How often the dial state and the document are checked while waiting.
const POLL: Duration = Duration::from_millis(200);

/// Joins `doc` as local node `node` through the installation at `address`.
pub async fn join(
    state: &AppState,
    node: NodeId,
    address: &str,
    doc: DocId,
    wait: Duration,
) -> Result<Joined, ApiError> {
    let address: PeerAddress = address
        .parse()
        .map_err(|e| ApiError::BadRequest(format!("bad address {address:?}: {e}")))?;
    // A public website dials no private address; say so now rather than after the join's timeout.
    if matches!(address, PeerAddress::Tcp { .. }) && !state.config.dials_private() {
        cliqueclique_net::resolve_public(&address)
            .await
            .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    }
    let deadline = Instant::now() + wait;
    if state.handle.has_body(node, doc).await? {
        return done(state, node, doc, None).await;
    }
    let own_address = is_own(state, &address);
    let cards = if own_address {
        // Another user of this installation holds it: no lookup over the network.
        state.handle.holders(doc).await?
    } else {
        lookup(state, &address, doc, deadline, wait).await?
    };
    let own: Vec<NodeId> = state.handle.local_ids().await?;
    let n_received = cards.len();
    let cards: Vec<ContactCard> = cards.into_iter().filter(|c| c.verify().is_ok()).collect();
    if cards.len() < n_received {
        let bad = (n_received - cards.len()) as u64;
        tracing::warn!(%address, bad, "lookup answer with cards that do not verify");
        state.handle.count_bad_lookup_cards(bad).await?;
    }
    // A remote installation cannot hand us our own nodes; locally, only the joiner itself is left out.
    let cards: Vec<ContactCard> = cards
        .into_iter()
        .filter(|c| c.node_id() != node && (own_address || !own.contains(&c.node_id())))
        .collect();
    if cards.is_empty() {
        return Err(ApiError::NotFound(format!(
            "the installation at {address} holds no copy of document {doc}{}",
            if own_address {
                " (that is this installation)"
            } else {
                ""
            }
        )));
    }

    join_through(state, node, doc, cards, address, deadline, wait).await
}

/// Tells local node `node` to join `doc` through the first of `cards` (verified holders found at
/// `address`) and waits for the body until `deadline`. If the wait fails, the node goes on
/// fetching the document, and the overview shows why the wait failed.
pub(crate) async fn join_through(
    state: &AppState,
    node: NodeId,
    doc: DocId,
    cards: Vec<ContactCard>,
    address: PeerAddress,
    deadline: Instant,
    wait: Duration,
) -> Result<Joined, ApiError> {
    let mut events = state.handle.subscribe();
    let card = state.handle.join(node, doc, cards, address).await?;
    let result = wait_for_body(state, node, doc, &card, &mut events, deadline, wait).await;
    if let Err(e) = &result {
        state
            .handle
            .record_join_error(node, doc, e.to_string())
            .await?;
    }
    result
}

/// Waits until `doc`'s body arrives from the peer of `card`, the peer refuses it, or `deadline`.
async fn wait_for_body(
    state: &AppState,
    node: NodeId,
    doc: DocId,
    card: &ContactCard,
    events: &mut tokio::sync::broadcast::Receiver<crate::actor::NodeEvent>,
    deadline: Instant,
    wait: Duration,
) -> Result<Joined, ApiError> {
    let peer = card.node_id();
    loop {
        if state.handle.has_body(node, doc).await? {
            return done(state, node, doc, Some((peer, card.name.clone()))).await;
        }
        match timeout_at(deadline.min(Instant::now() + POLL * 5), events.recv()).await {
            Ok(Ok(event)) if event.node == node => {
                if let Event::LinkRefused {
                    doc: refused,
                    peer: by,
                    suggestions: 0,
                } = event.event
                    && refused == doc
                    && by == peer
                {
                    return Err(ApiError::NotFound(format!(
                        "{} ({peer}) refused to share document {doc}",
                        card.name
                    )));
                }
            }
            Ok(_) => {}
            Err(_) if Instant::now() < deadline => {}
            Err(_) => {
                return Err(ApiError::Timeout(format!(
                    "document {doc} did not arrive from {} within {} s; the node keeps trying in the background until the join is cancelled",
                    card.name,
                    wait.as_secs()
                )));
            }
        }
    }
}

/// Joins `doc` through the first of `addresses` that works (an invite's addresses, in order);
/// if none does, the error names each address's failure.
pub async fn join_any(
    state: &AppState,
    node: NodeId,
    addresses: &[String],
    doc: DocId,
    wait: Duration,
) -> Result<Joined, ApiError> {
    let deadline = Instant::now() + wait;
    let mut failures = Vec::new();
    let mut last = None;
    for address in addresses {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match join(state, node, address, doc, left).await {
            Ok(joined) => return Ok(joined),
            Err(e) => {
                failures.push(format!("{address}: {e}"));
                last = Some(e);
            }
        }
    }
    match (last, failures.len()) {
        (None, _) => Err(ApiError::BadRequest(
            "no address to join through: give an installation's address or an invite".into(),
        )),
        (Some(only), 1) => Err(only),
        (Some(last), _) => Err(last.with_message(format!(
            "no address of the invite worked: {}",
            failures.join("; ")
        ))),
    }
}

/// Whether `address` reaches this installation: one of its own addresses, or a loopback address
/// on one of its listening ports.
fn is_own(state: &AppState, address: &PeerAddress) -> bool {
    let text = address.to_string();
    if state.listening.contains(&text) || state.advertised.contains(&text) {
        return true;
    }
    let PeerAddress::Tcp { host, port } = address else {
        return false;
    };
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    loopback
        && state.listening.iter().any(|l| {
            l.parse::<PeerAddress>()
                .is_ok_and(|l| matches!(l, PeerAddress::Tcp { port: p, .. } if p == *port))
        })
}

/// Asks the installation at `address` for the holders of `doc`.
async fn lookup(
    state: &AppState,
    address: &PeerAddress,
    doc: DocId,
    deadline: Instant,
    wait: Duration,
) -> Result<Vec<ContactCard>, ApiError> {
    let (request, answer) = state.handle.start_lookup(address.clone(), doc).await?;
    tokio::pin!(answer);
    loop {
        tokio::select! {
            cards = &mut answer => return cards.map_err(|_| ApiError::Stopped),
            () = sleep(POLL) => {}
        }
        if Instant::now() >= deadline {
            cancel(state, request).await;
            return Err(ApiError::Timeout(format!(
                "no answer from {address} within {} s",
                wait.as_secs()
            )));
        }
        if unreachable(state, address).await {
            cancel(state, request).await;
            return Err(ApiError::Unreachable(format!(
                "cannot connect to {address}: is a cliqueclique daemon listening there?"
            )));
        }
    }
}

/// The answer once the body is held.
async fn done(
    state: &AppState,
    node: NodeId,
    doc: DocId,
    peer: Option<(NodeId, String)>,
) -> Result<Joined, ApiError> {
    let view = state.handle.show(node, doc).await?;
    let (peer, peer_name) = peer.unwrap_or_else(|| {
        view.state
            .as_ref()
            .and_then(|s| s.links.first())
            .map(|l| (l.peer, l.name.clone().unwrap_or_default()))
            .unwrap_or((node, String::new()))
    });
    Ok(Joined {
        doc,
        subject: view.document.map(|d| d.subject).unwrap_or_default(),
        peer,
        peer_name,
        has_body: true,
    })
}

/// Forgets a lookup nobody waits for any more, and has the transport stop dialing its address
/// unless something else waits there.
async fn cancel(state: &AppState, request: u64) {
    let _ = state.handle.cancel_lookup(request).await;
    let _ = state.net.forget_lookup(request).await;
}

/// Whether the transport failed to dial `address` and has no session there.
async fn unreachable(state: &AppState, address: &PeerAddress) -> bool {
    // A fresh I2P destination is often not found for a while (its lease set is still spreading), and
    // the manager redials with back-off: over I2P only the join's deadline ends the wait.
    if matches!(address, PeerAddress::I2p { .. }) {
        return false;
    }
    let Ok(status) = state.net.status().await else {
        return false;
    };
    let connected = status
        .sessions
        .iter()
        .any(|s| s.installation.is_some() && s.dialed.as_ref() == Some(address));
    !connected
        && status
            .dialing
            .iter()
            .any(|d| &d.address == address && d.failures > 0)
}

#[cfg(test)]
mod tests {
    use crate::Config;
    use crate::error::ApiError;
    use cliqueclique_doc::DocId;
    use cliqueclique_net::PeerAddress;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_address_that_failed_a_join_is_dialed_no_more() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let daemon = crate::Daemon::start(crate::testing::config(dir.path()))
            .await
            .expect("daemon");
        let state = daemon.state();
        let ann = state
            .handle
            .create_node("ann".into())
            .await
            .expect("node")
            .id;
        // A port nobody listens on.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = format!("tcp://{}", closed.local_addr().expect("address"));
        drop(closed);
        let doc = DocId::of(b"a forum");
        let error = super::join(&state, ann, &address, doc, Duration::from_secs(30)).await;
        assert!(matches!(error, Err(ApiError::Unreachable(_))), "{error:?}");
        let status = state.net.status().await.expect("transport");
        assert!(
            !status
                .dialing
                .iter()
                .any(|d| d.address.to_string() == address),
            "{status:#?}"
        );
        assert!(state.handle.joining(ann).await.expect("joins").is_empty());
        daemon.stop().await.expect("stop");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn v4_lookup_request_numbers_cannot_be_guessed() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let config = Config {
            data_dir: dir.path().to_owned(),
            listen: vec!["tcp://127.0.0.1:0".to_owned()],
            api: ([127, 0, 0, 1], 0).into(),
            ..Config::default()
        };
        let daemon = crate::Daemon::start(config).await.expect("daemon");
        let handle = daemon.handle();
        let address: PeerAddress = "tcp://127.0.0.1:9".parse().expect("address");
        let doc = DocId::of(b"a document");
        let mut requests = Vec::new();
        for _ in 0..4 {
            let (request, _) = handle
                .start_lookup(address.clone(), doc)
                .await
                .expect("lookup sent");
            requests.push(request);
        }
        // An installation asked once must not be able to tell the numbers of the next lookups.
        assert!(
            requests
                .windows(2)
                .all(|pair| pair[1].wrapping_sub(pair[0]) > 1 << 32),
            "{requests:?}"
        );
        daemon.stop().await.expect("stop");
    }
}
