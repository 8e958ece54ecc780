//! Bad input from peers: every kind is dropped and counted, and the installation keeps serving others.

use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{Installation, RawPeer, batch, bounded, fast_config, identity, wait_status};
use crate::session::{MAX_NOISE_MESSAGE, NOISE_PARAMS, PROLOGUE};
use crate::{Event, SessionMessage};

/// Waits until the manager closes `stream` (reads return end-of-stream or an error).
async fn closed_by_peer(mut stream: TcpStream) {
    let mut buf = [0; 1024];
    let wait = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), wait)
        .await
        .expect("the manager closes the connection");
}

#[tokio::test]
async fn unattested_senders_and_misaddressed_batches_are_dropped_and_counted() {
    bounded(async {
        let mut a = Installation::start(10, 1, fast_config()).await;
        let local = a.node_ids()[0];
        let attested = identity(10_500);
        let stranger = identity(10_501);
        let mut raw = RawPeer::connect(a.socket, 50, std::slice::from_ref(&attested)).await;
        assert_eq!(raw.their_hello.len(), 1);
        assert_eq!(raw.their_hello[0].node_id(), local);
        a.expect("session up", |e| {
            matches!(e, Event::SessionUp { remote_nodes, .. } if *remote_nodes == vec![attested.node_id()])
        })
        .await;

        raw.send_batch(&batch(stranger.node_id(), local, 0)).await;
        raw.send_batch(&batch(attested.node_id(), identity(10_502).node_id(), 0))
            .await;
        raw.send(&SessionMessage::Batch(Bytes::from_static(b"\x01not a batch")))
            .await;
        raw.send_batch(&batch(attested.node_id(), local, 0)).await;
        let event = a
            .expect("the good batch", |e| matches!(e, Event::Received { .. }))
            .await;
        assert!(matches!(event, Event::Received { batch } if batch.from == attested.node_id() && batch.to == local));

        let status = a.status().await;
        assert_eq!(status.counters.unattested, 1);
        assert_eq!(status.counters.misaddressed, 1);
        assert_eq!(status.counters.malformed_batches, 1);
        assert_eq!(status.counters.batches_delivered, 1);
        assert_eq!(status.established().count(), 1, "the session stays up");
        // And it still works.
        raw.send_batch(&batch(attested.node_id(), local, 0)).await;
        a.expect("another batch", |e| matches!(e, Event::Received { .. }))
            .await;
    })
    .await;
}

#[tokio::test]
async fn bad_input_on_the_listener_is_rejected_and_counted() {
    bounded(async {
        let mut a = Installation::start(11, 1, fast_config()).await;

        // 1. Garbage: a small length prefix and bytes that are not a Noise message.
        let mut stream = TcpStream::connect(a.socket).await.expect("connect");
        stream
            .write_all(&[0, 0, 0, 5, b'h', b'e', b'l', b'l', b'o'])
            .await
            .expect("write");
        closed_by_peer(stream).await;
        wait_status(&a.manager, "garbage counted", |s| {
            s.counters.handshake_failures == 1
        })
        .await;

        // 2. An oversize length prefix (any ASCII text starts with one, e.g. an HTTP request).
        let mut stream = TcpStream::connect(a.socket).await.expect("connect");
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("write");
        closed_by_peer(stream).await;
        wait_status(&a.manager, "oversize counted", |s| s.counters.oversize == 1).await;

        // 3. A truncated handshake: a valid first message, then the connection closes.
        let mut stream = TcpStream::connect(a.socket).await.expect("connect");
        let mut initiator = snow::Builder::new(NOISE_PARAMS.parse().expect("params"))
            .local_private_key(&[77; 32])
            .expect("key")
            .prologue(PROLOGUE)
            .expect("prologue")
            .build_initiator()
            .expect("initiator");
        let mut buf = vec![0; MAX_NOISE_MESSAGE];
        let len = initiator.write_message(&[], &mut buf).expect("m1");
        crate::frame::write_frame(&mut stream, &buf[..len], MAX_NOISE_MESSAGE)
            .await
            .expect("write");
        stream.shutdown().await.expect("shutdown");
        closed_by_peer(stream).await;
        wait_status(&a.manager, "truncated handshake counted", |s| {
            s.counters.handshake_failures == 2
        })
        .await;

        // 4. A complete handshake, then garbage where the first encrypted message should be.
        let mut raw = RawPeer::handshake(a.socket, 51).await;
        raw.session
            .sender
            .send_raw_frame(&[0x42; 64])
            .await
            .expect("write");
        wait_status(&a.manager, "garbage ciphertext counted", |s| {
            s.counters.garbage == 1
        })
        .await;

        // 5. A replayed attestation: same installation key, same node, but made for an earlier session.
        let node = identity(11_500);
        let first = RawPeer::connect(a.socket, 53, std::slice::from_ref(&node)).await;
        let recorded = first.attest(&node);
        a.expect("the first session", |e| {
            matches!(e, Event::SessionUp { .. })
        })
        .await;
        drop(first);
        a.expect("its end", |e| matches!(e, Event::SessionDown { .. }))
            .await;
        let mut replayer = RawPeer::handshake(a.socket, 53).await;
        assert_ne!(replayer.session.handshake_hash, [0; 32]);
        replayer
            .send(&SessionMessage::Hello {
                attestations: vec![recorded],
            })
            .await;
        wait_status(&a.manager, "replay counted", |s| {
            s.counters.bad_attestations == 1
        })
        .await;

        // 6. An attestation stolen from another installation's `Hello` (bound to that installation's key).
        let b = Installation::start(12, 1, fast_config()).await;
        let spy = RawPeer::connect(b.socket, 52, &[]).await;
        assert_eq!(spy.their_hello.len(), 1);
        let stolen = spy.their_hello[0].clone();
        let mut thief = RawPeer::handshake(a.socket, 52).await;
        thief
            .send(&SessionMessage::Hello {
                attestations: vec![stolen],
            })
            .await;
        wait_status(&a.manager, "stolen attestation counted", |s| {
            s.counters.bad_attestations == 2
        })
        .await;

        // Only the honest first session came up; the counters are exact.
        let status = a.status().await;
        assert_eq!(status.counters.sessions_up, 1, "{status:#?}");
        assert_eq!(status.established().count(), 0);
        assert_eq!(status.counters.handshake_failures, 2);
        assert_eq!(status.counters.oversize, 1);
        assert_eq!(status.counters.garbage, 1);
        assert_eq!(status.counters.bad_attestations, 2);

        // The listener still serves a well-behaved installation.
        b.learn(&a).await;
        b.manager
            .send(&batch(b.node_ids()[0], a.node_ids()[0], 0))
            .await
            .expect("queued");
        a.expect(
            "a batch from the good peer",
            |e| matches!(e, Event::Received { batch } if batch.from == b.node_ids()[0]),
        )
        .await;
        drop((spy, raw, replayer, thief));
    })
    .await;
}

#[tokio::test]
async fn stalled_handshakes_time_out() {
    bounded(async {
        let config = crate::Config {
            handshake_timeout: Duration::from_millis(300),
            ..fast_config()
        };
        let a = Installation::start(13, 1, config).await;
        // Connects and says nothing.
        let mute = TcpStream::connect(a.socket).await.expect("connect");
        // Completes the Noise handshake but never sends its `Hello`.
        let no_hello = RawPeer::handshake(a.socket, 54).await;
        let status = wait_status(&a.manager, "both timed out", |s| {
            s.counters.handshake_failures == 2 && s.sessions.is_empty()
        })
        .await;
        assert_eq!(status.counters.sessions_up, 0);
        closed_by_peer(mute).await;
        drop(no_hello);
    })
    .await;
}
