//! (e) Bad input from a raw socket and from a peer that speaks the session protocol: rejected,
//! counted in `status`, and the daemon keeps serving its API and its peers.

use crate::support::{Installation, eventually, join};
use bytes::Bytes;
use cliqueclique_daemon::api::{DocId, Status};
use cliqueclique_daemon::testing::throwaway::open_session;
use cliqueclique_doc::{DocumentBuilder, Identity, NodeId};
use cliqueclique_net::{
    Attestation, PeerAddress, SessionManager, SessionMessage, StaticKey, TcpTransport, Transport,
};
use cliqueclique_proto::{Advert, Batch, Part, Rank};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

fn counter(status: &Status, name: &str) -> u64 {
    status.counters.get(name).copied().unwrap_or(0)
}

/// Opens a raw TCP connection to the transport port and writes `bytes`, then closes it.
async fn raw(address: &str, bytes: &[u8]) {
    let socket = address.trim_start_matches("tcp://");
    let mut stream = TcpStream::connect(socket).await.expect("connect");
    let _ = stream.write_all(bytes).await;
    let _ = stream.flush().await;
    // Let the daemon read before the connection closes.
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// Speaks the session protocol by hand to send what a well-behaved transport never sends.
async fn raw_session(address: &str, target: NodeId) {
    let mallory = Identity::generate(&mut rand::rng());
    let mut session = open_session(address, std::slice::from_ref(&mallory))
        .await
        .expect("a session");
    let batch = |from: NodeId, to: NodeId| {
        SessionMessage::Batch(Bytes::from(
            Batch {
                from,
                to,
                parts: Vec::new(),
            }
            .encode(),
        ))
    };
    let stranger = NodeId(rand::random());
    for message in [
        batch(mallory.node_id(), stranger),
        batch(stranger, target),
        SessionMessage::Batch(Bytes::from_static(b"not a batch")),
    ] {
        session.sender.send(&message).await.expect("send");
    }
    // An attestation signed by another key than the one it names: the session is closed.
    let other = Identity::generate(&mut rand::rng());
    let key = StaticKey::from_secret_bytes(rand::random());
    let mut forged = Attestation::sign(&other, &session.handshake_hash, &key.public());
    forged.key = Identity::generate(&mut rand::rng()).public_key();
    let hello = SessionMessage::Hello {
        attestations: vec![forged],
    };
    session.sender.send(&hello).await.expect("second hello");
    // The daemon closes the session: reading ends with an error.
    let closed = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            if session.receiver.recv().await.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(
        closed.is_ok(),
        "the session with a forged attestation was closed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_rejected_and_the_daemon_keeps_serving() {
    let target = Installation::start("target").await;
    let node = target.create_node("t");
    let root: DocId = target.start_forum("Still here", "body");

    // Garbage where a Noise handshake should be.
    let mut garbage = 64u32.to_be_bytes().to_vec();
    garbage.extend((0..64u8).map(|i| i.wrapping_mul(37)));
    raw(&target.address, &garbage).await;
    // A length prefix far over the limit.
    raw(&target.address, &u32::MAX.to_be_bytes()).await;
    // A handshake frame cut short.
    let mut truncated = 48u32.to_be_bytes().to_vec();
    truncated.extend([7u8; 10]);
    raw(&target.address, &truncated).await;
    eventually("the transport counts the raw-socket garbage", || async {
        let status = target.status().await;
        counter(&status, "net_oversize") >= 1 && counter(&status, "net_handshake_failures") >= 2
    })
    .await;

    // A peer with a real session sends a document whose signature does not verify.
    let config = cliqueclique_net::Config {
        backoff_initial: Duration::from_millis(100),
        backoff_max: Duration::from_millis(500),
        ..cliqueclique_net::Config::default()
    };
    let transports: Vec<Arc<dyn Transport>> = vec![Arc::new(TcpTransport::new())];
    let (net, mut events) = SessionManager::spawn(
        config,
        StaticKey::from_secret_bytes(rand::random()),
        transports,
        Vec::new(),
    );
    tokio::spawn(async move { while events.recv().await.is_some() {} });
    let mallory = Identity::generate(&mut rand::rng());
    net.add_node(mallory.clone()).await.expect("add node");
    let address: PeerAddress = target.address.parse().expect("address");
    net.set_address(node.id, Some(address))
        .await
        .expect("address");
    let genuine = DocumentBuilder::new("forged")
        .text("hello, this was signed")
        .date(1)
        .build(&mallory);
    let mut forged = genuine.bytes().to_vec();
    // Change the signed subject ("forged" → "forget"): the signature no longer matches.
    let at = forged
        .windows(6)
        .position(|w| w == b"forged")
        .expect("the subject is in the bytes");
    forged[at + 5] = b't';
    let advert = Advert {
        center: mallory.node_id(),
        rank: Rank::default(),
        seq: 1,
        dist: 0,
        flags: Advert::HAS_BODY,
    };
    let forged_batch = Batch {
        from: mallory.node_id(),
        to: node.id,
        parts: vec![Part::Update {
            doc: DocId::of(&forged),
            serial: 1,
            advert,
            body: Some(Bytes::from(forged.clone())),
            thread: None,
        }],
    };
    net.send(&forged_batch).await.expect("queued");
    // The same bytes under the genuine document's id: the hash does not match.
    let mut misnamed = forged_batch.clone();
    if let Part::Update { doc, .. } = &mut misnamed.parts[0] {
        *doc = genuine.id();
    }
    net.send(&misnamed).await.expect("queued");
    eventually("the core rejects the forged documents", || async {
        counter(&target.status().await, "core_bad_document") >= 2
    })
    .await;
    // A flood of lookups: answered or dropped within the transport's bounds.
    for request in 0..2000 {
        let _ = net
            .lookup(target.address.parse().expect("address"), request, root)
            .await;
    }
    // A batch to a node the installation does not host is refused by the sending transport, so
    // the misaddressed path is covered by the transport's own tests.
    let stranger = NodeId(rand::random());
    assert!(
        net.send(&Batch {
            from: mallory.node_id(),
            to: stranger,
            parts: Vec::new()
        })
        .await
        .is_err()
    );

    // A hand-made session: batches to a node not hosted there, from a node not attested, that do
    // not decode; then an attestation that does not verify.
    raw_session(&target.address, node.id).await;
    eventually("the transport counts the bad batches", || async {
        let status = target.status().await;
        counter(&status, "net_misaddressed") >= 1
            && counter(&status, "net_unattested") >= 1
            && counter(&status, "net_malformed_batches") >= 1
            && counter(&status, "net_bad_attestations") >= 1
    })
    .await;

    // Nothing stored was lost, nothing forged was stored, and the daemon still serves.
    assert!(target.holds("t", root).await);
    assert!(target.show("t", DocId::of(&forged)).await.is_none());
    assert!(target.show("t", genuine.id()).await.is_none());
    let status = target.status().await;
    assert_eq!(status.documents, 1);
    let text = target.cli_ok(&["status"]);
    assert!(text.contains("core_bad_document"), "{text}");
    assert!(text.contains("net_oversize"), "{text}");

    // And it still serves peers.
    let friend = Installation::start("friend").await;
    friend.create_node("f");
    join(&friend, "f", &target, root);
    assert!(friend.holds("f", root).await);
    net.shutdown().await;
}
