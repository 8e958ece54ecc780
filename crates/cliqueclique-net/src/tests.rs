//! Tests, one file per concept, sharing the helpers below.
//!
//! Everything runs over real TCP sockets on 127.0.0.1 with port 0, with short keepalive and back-off periods
//! instead of paused time, and every test is bounded by [`bounded`].

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use cliqueclique_doc::{DocId, Identity, NodeId};
use cliqueclique_proto::{Advert, Batch, Part, Rank};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use tokio::sync::mpsc;

use crate::{
    Attestation, Config, Event, Listener, PeerAddress, Role, Session, SessionManager,
    SessionMessage, StaticKey, Status, TcpTransport, Transport,
};

mod address;
mod attestation;
mod flood;
mod frame;
mod hostile;
mod i2p;
mod keepalive;
mod large;
mod lookup;
mod session;
mod two_installations;

/// The longest any test may take.
const TEST_LIMIT: Duration = Duration::from_secs(30);
/// The longest to wait for one expected event.
const EVENT_LIMIT: Duration = Duration::from_secs(10);

/// Runs a test body, failing it if it takes longer than [`TEST_LIMIT`].
pub(crate) async fn bounded<F: Future<Output = ()>>(body: F) {
    tokio::time::timeout(TEST_LIMIT, body)
        .await
        .expect("test took too long");
}

/// A deterministic node identity for test number `seed`.
pub(crate) fn identity(seed: u64) -> Identity {
    Identity::generate(&mut ChaCha8Rng::seed_from_u64(seed))
}

/// A deterministic installation key for test number `seed`.
pub(crate) fn static_key(seed: u8) -> StaticKey {
    StaticKey::from_secret_bytes([seed; 32])
}

/// Short timers, so that liveness and reconnection happen within a test's time.
pub(crate) fn fast_config() -> Config {
    Config {
        keepalive: Duration::from_millis(100),
        dead_after: Duration::from_millis(600),
        dial_timeout: Duration::from_secs(2),
        handshake_timeout: Duration::from_secs(2),
        backoff_initial: Duration::from_millis(50),
        backoff_max: Duration::from_millis(400),
        ..Config::default()
    }
}

/// A batch from `from` to `to` whose one part carries `body_len` bytes (0: a small part without a body).
pub(crate) fn batch(from: NodeId, to: NodeId, body_len: usize) -> Batch {
    let doc = DocId::of(b"test document");
    let part = if body_len == 0 {
        Part::NeedBody { doc }
    } else {
        let body: Vec<u8> = (0..body_len).map(|i| (i % 251) as u8).collect();
        Part::Update {
            doc,
            serial: 1,
            advert: Advert {
                center: from,
                rank: Rank::default(),
                seq: 0,
                dist: 0,
                flags: Advert::HAS_BODY,
            },
            body: Some(Bytes::from(body)),
            thread: None,
        }
    };
    Batch {
        from,
        to,
        parts: vec![part],
    }
}

/// A running manager with its nodes and event channel.
pub(crate) struct Installation {
    pub(crate) manager: SessionManager,
    pub(crate) events: mpsc::Receiver<Event>,
    pub(crate) socket: SocketAddr,
    pub(crate) address: PeerAddress,
    pub(crate) key: StaticKey,
    pub(crate) nodes: Vec<Identity>,
}

impl Installation {
    /// Starts an installation with key `seed`, hosting `n_nodes` nodes, listening on `bind`.
    pub(crate) async fn start_on(
        seed: u8,
        n_nodes: u64,
        config: Config,
        bind: SocketAddr,
    ) -> Installation {
        let listener = TcpTransport::bind(bind).await.expect("bind");
        let socket = listener.local_addr();
        let address = listener.local_address();
        let key = static_key(seed);
        let transports: Vec<Arc<dyn Transport>> = vec![Arc::new(TcpTransport::new())];
        let listeners: Vec<Box<dyn Listener>> = vec![Box::new(listener)];
        let (manager, events) = SessionManager::spawn(config, key.clone(), transports, listeners);
        let nodes: Vec<Identity> = (0..n_nodes)
            .map(|i| identity(u64::from(seed) * 1000 + i))
            .collect();
        for node in &nodes {
            manager.add_node(node.clone()).await.expect("add node");
        }
        Installation {
            manager,
            events,
            socket,
            address,
            key,
            nodes,
        }
    }

    /// Starts an installation on a free port of 127.0.0.1.
    pub(crate) async fn start(seed: u8, n_nodes: u64, config: Config) -> Installation {
        Installation::start_on(seed, n_nodes, config, localhost()).await
    }

    /// The node ids hosted here.
    pub(crate) fn node_ids(&self) -> Vec<NodeId> {
        self.nodes.iter().map(Identity::node_id).collect()
    }

    /// Tells this installation where `other`'s nodes are.
    pub(crate) async fn learn(&self, other: &Installation) {
        for node in other.node_ids() {
            self.manager
                .set_address(node, Some(other.address.clone()))
                .await
                .expect("set address");
        }
    }

    /// The next event matching `predicate`, skipping others; panics after [`EVENT_LIMIT`].
    pub(crate) async fn expect(&mut self, what: &str, predicate: impl Fn(&Event) -> bool) -> Event {
        expect_event(&mut self.events, what, predicate).await
    }

    pub(crate) async fn status(&self) -> Status {
        self.manager.status().await.expect("manager running")
    }
}

/// The next event matching `predicate`, skipping others; panics after [`EVENT_LIMIT`].
pub(crate) async fn expect_event(
    events: &mut mpsc::Receiver<Event>,
    what: &str,
    predicate: impl Fn(&Event) -> bool,
) -> Event {
    let wait = async {
        loop {
            let event = events.recv().await.expect("event channel open");
            if predicate(&event) {
                return event;
            }
        }
    };
    match tokio::time::timeout(EVENT_LIMIT, wait).await {
        Ok(event) => event,
        Err(_) => panic!("timed out waiting for {what}"),
    }
}

/// Polls `status` until `condition` holds; panics after [`EVENT_LIMIT`].
pub(crate) async fn wait_status(
    manager: &SessionManager,
    what: &str,
    condition: impl Fn(&Status) -> bool,
) -> Status {
    let deadline = tokio::time::Instant::now() + EVENT_LIMIT;
    loop {
        let status = manager.status().await.expect("manager running");
        if condition(&status) {
            return status;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out waiting for {what}: {status:#?}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// 127.0.0.1 with port 0.
pub(crate) fn localhost() -> SocketAddr {
    "127.0.0.1:0".parse().expect("valid socket address")
}

/// A hand-driven peer: a raw TCP connection with a completed handshake, playing whatever the test needs.
pub(crate) struct RawPeer {
    pub(crate) session: Session,
    pub(crate) key: StaticKey,
    /// The `Hello` the manager sent.
    pub(crate) their_hello: Vec<Attestation>,
}

impl RawPeer {
    /// Connects to `to` and completes the handshake with key `seed`, without sending a `Hello`.
    pub(crate) async fn handshake(to: SocketAddr, seed: u8) -> RawPeer {
        let stream = tokio::net::TcpStream::connect(to).await.expect("connect");
        let key = static_key(seed);
        let session = crate::session::handshake(
            Box::new(stream),
            Role::Initiator,
            &key,
            Config::default().max_message_bytes,
        )
        .await
        .expect("handshake");
        RawPeer {
            session,
            key,
            their_hello: Vec::new(),
        }
    }

    /// Connects, completes the handshake and exchanges `Hello`s, attesting `nodes`.
    pub(crate) async fn connect(to: SocketAddr, seed: u8, nodes: &[Identity]) -> RawPeer {
        let mut peer = RawPeer::handshake(to, seed).await;
        let attestations = nodes.iter().map(|node| peer.attest(node)).collect();
        peer.send(&SessionMessage::Hello { attestations }).await;
        match peer.recv().await {
            SessionMessage::Hello { attestations } => peer.their_hello = attestations,
            other => panic!("expected a hello, got {other:?}"),
        }
        peer
    }

    /// A valid attestation of `node` for this session.
    pub(crate) fn attest(&self, node: &Identity) -> Attestation {
        Attestation::sign(node, &self.session.handshake_hash, &self.key.public())
    }

    pub(crate) async fn send(&mut self, message: &SessionMessage) {
        self.session.sender.send(message).await.expect("send");
    }

    pub(crate) async fn send_batch(&mut self, batch: &Batch) {
        self.send(&SessionMessage::Batch(Bytes::from(batch.encode())))
            .await;
    }

    /// The next message other than `Ping`/`Pong`.
    pub(crate) async fn recv(&mut self) -> SessionMessage {
        loop {
            let message = tokio::time::timeout(EVENT_LIMIT, self.session.receiver.recv())
                .await
                .expect("message in time")
                .expect("receive");
            if !matches!(message, SessionMessage::Ping | SessionMessage::Pong) {
                return message;
            }
        }
    }
}
