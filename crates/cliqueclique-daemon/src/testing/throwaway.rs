//! A stranger with throw-away node keys, over real sessions: it opens sessions under fresh
//! installation keys, attests fresh nodes on each, and sends a batch from every node. Node keys
//! cost nothing to make, so this is what anyone who can reach the peer port can do; the tests and
//! the flood benchmark check that the installation's peer records stay bounded under it.

use bytes::Bytes;
use cliqueclique_doc::{ContactCard, DocId, Identity, NodeId};
use cliqueclique_net::session::{Session, handshake};
use cliqueclique_net::{Attestation, Role, SessionMessage, StaticKey};
use cliqueclique_proto::{Advert, Batch, Part, Rank};
use std::time::Duration;
use tokio::net::TcpStream;

/// How long one session of the flood may take before it is given up.
const SESSION_DEADLINE: Duration = Duration::from_secs(60);

/// Opens a session to the `tcp://` `address` under a fresh installation key, attesting `nodes`,
/// and returns it once the installation's `Hello` has arrived.
pub async fn open_session(address: &str, nodes: &[Identity]) -> std::io::Result<Session> {
    let key = StaticKey::from_secret_bytes(rand::random());
    let stream = TcpStream::connect(address.trim_start_matches("tcp://")).await?;
    let max = cliqueclique_net::Config::default().max_message_bytes;
    let mut session = handshake(Box::new(stream), Role::Initiator, &key, max)
        .await
        .map_err(std::io::Error::other)?;
    let attestations = nodes
        .iter()
        .map(|node| Attestation::sign(node, &session.handshake_hash, &key.public()))
        .collect();
    let hello = SessionMessage::Hello { attestations };
    session
        .sender
        .send(&hello)
        .await
        .map_err(std::io::Error::other)?;
    match session.receiver.recv().await {
        Ok(SessionMessage::Hello { .. }) => Ok(session),
        Ok(other) => Err(std::io::Error::other(format!("not a Hello: {other:?}"))),
        Err(error) => Err(std::io::Error::other(error)),
    }
}

/// What each throw-away node sends `target`: its card, a link request for `doc` (as a holder
/// following `target`), and a goodbye. A record and a card are the most a stranger can make the
/// installation keep.
fn batch(node: &Identity, target: NodeId, doc: DocId) -> Batch {
    let card = ContactCard::new(node, "throw-away", Vec::new(), 0);
    let advert = Advert {
        center: target,
        rank: Rank::default(),
        seq: 1,
        dist: 1,
        flags: Advert::HAS_BODY | Advert::WANTED,
    };
    Batch {
        from: node.node_id(),
        to: target,
        parts: vec![
            Part::Card { card },
            Part::Update {
                doc,
                serial: 1,
                advert,
                body: None,
                thread: None,
            },
            Part::Goodbye {
                doc,
                serial: 1,
                suggestions: Vec::new(),
            },
        ],
    }
}

/// One session of the flood: `nodes` attested, one batch from each, then a `Ping` whose `Pong`
/// shows that the installation has read everything before it.
async fn one_session(
    address: &str,
    nodes: &[Identity],
    target: NodeId,
    doc: DocId,
) -> std::io::Result<()> {
    let mut session = open_session(address, nodes).await?;
    for node in nodes {
        let message = SessionMessage::Batch(Bytes::from(batch(node, target, doc).encode()));
        session
            .sender
            .send(&message)
            .await
            .map_err(std::io::Error::other)?;
    }
    session
        .sender
        .send(&SessionMessage::Ping)
        .await
        .map_err(std::io::Error::other)?;
    loop {
        match session.receiver.recv().await {
            Ok(SessionMessage::Pong) => return Ok(()),
            Ok(_) => {}
            Err(error) => return Err(std::io::Error::other(error)),
        }
    }
}

/// Sends `target` (a node of the installation at `address`) one batch from each of `keys` fresh
/// nodes, `per_session` nodes to a session and `parallel` sessions at once; returns how many
/// sessions failed (closed or refused by the installation's bounds, or over a minute).
pub async fn flood(
    address: &str,
    target: NodeId,
    doc: DocId,
    keys: usize,
    per_session: usize,
    parallel: usize,
) -> usize {
    let per_session = per_session.max(1);
    let mut sessions = (0..keys.div_ceil(per_session)).map(|i| {
        let n = per_session.min(keys - i * per_session);
        let address = address.to_owned();
        async move {
            let nodes: Vec<Identity> = (0..n)
                .map(|_| Identity::generate(&mut rand::rng()))
                .collect();
            tokio::time::timeout(SESSION_DEADLINE, one_session(&address, &nodes, target, doc)).await
        }
    });
    let mut failed = 0;
    let mut running = tokio::task::JoinSet::new();
    loop {
        while running.len() < parallel.max(1) {
            match sessions.next() {
                Some(session) => {
                    running.spawn(session);
                }
                None => break,
            }
        }
        match running.join_next().await {
            Some(Ok(Ok(Ok(())))) => {}
            Some(_) => failed += 1,
            None => return failed,
        }
    }
}
