//! Floods: an inbound flood is rate limited without growing memory, and outbound queues stay within bounds.

use std::time::Duration;

use tokio::time::Instant;

use super::{Installation, RawPeer, batch, bounded, fast_config, identity};
use crate::{Config, Event};

#[tokio::test]
async fn a_flooding_peer_is_rate_limited_and_memory_stays_bounded() {
    bounded(async {
        let config = Config {
            inbound_frames_per_sec: 50,
            inbound_frame_burst: 20,
            event_capacity: 16,
            ..fast_config()
        };
        // The owner does not drain events during the flood.
        let a = Installation::start(30, 1, config.clone()).await;
        let local = a.node_ids()[0];
        let flooder = identity(30_500);
        let mut raw = RawPeer::connect(a.socket, 61, std::slice::from_ref(&flooder)).await;
        let one = batch(flooder.node_id(), local, 0);
        let flood_for = Duration::from_millis(1500);
        let started = Instant::now();
        let flood = tokio::spawn(async move {
            let mut sent = 0u64;
            // Writes block once A stops reading; stop at the deadline either way.
            let _ = tokio::time::timeout(flood_for, async {
                loop {
                    raw.send_batch(&one).await;
                    sent += 1;
                }
            })
            .await;
            (sent, raw)
        });
        let mut max_pending = 0;
        while started.elapsed() < flood_for {
            let status = a.status().await;
            max_pending = max_pending.max(status.events_pending);
            for session in &status.sessions {
                assert!(session.queue_len <= session.queue_capacity);
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let (sent, _raw) = flood.await.expect("flood task");
        let elapsed = started.elapsed().as_secs_f64();
        let status = a.status().await;
        let received = status.counters.messages_in;
        assert!(status.counters.rate_limited > 0, "{status:#?}");
        // The Hello, the burst and the rate, with slack for timing.
        let allowed = 1.0 + 20.0 + 50.0 * (elapsed + 0.5);
        assert!(
            (received as f64) <= allowed,
            "read {received} messages in {elapsed:.2}s (allowed {allowed:.0}); the flooder sent {sent}"
        );
        assert!(sent > received, "the flooder was held back: sent {sent}, read {received}");
        assert!(max_pending <= config.event_capacity, "pending events {max_pending}");
        // The manager kept answering its owner throughout, and the session is still up.
        assert_eq!(status.established().count(), 1);
        drop(a);
    })
    .await;
}

#[tokio::test]
async fn an_outbound_queue_to_a_stalled_peer_drops_its_oldest_messages() {
    bounded(async {
        // The stalled peer sends nothing either: keep it alive for the whole test.
        let config = Config {
            queue_messages: 8,
            dead_after: Duration::from_secs(60),
            ..fast_config()
        };
        let mut a = Installation::start(31, 1, config).await;
        let local = a.node_ids()[0];
        let stalled = identity(31_500);
        // The peer completes the hello and then never reads: A's socket buffers fill, then its queue.
        let raw = RawPeer::connect(a.socket, 62, std::slice::from_ref(&stalled)).await;
        a.expect("session up", |e| matches!(e, Event::SessionUp { .. }))
            .await;
        for _ in 0..400 {
            a.manager
                .send(&batch(local, stalled.node_id(), 64 * 1024))
                .await
                .expect("queued");
            let status = a.status().await;
            let session = &status.sessions[0];
            assert!(session.queue_len <= session.queue_capacity);
            assert_eq!(session.queue_capacity, 8);
        }
        let status = a.status().await;
        assert!(status.counters.queue_dropped > 0, "{status:#?}");
        drop(raw);
    })
    .await;
}

#[tokio::test]
async fn v2_one_address_cannot_take_every_session_slot() {
    bounded(async {
        let config = Config {
            max_sessions: 64,
            // Idle connections must outlive the test, as an attacker keeps them open.
            handshake_timeout: Duration::from_secs(25),
            ..fast_config()
        };
        let mut victim = Installation::start(40, 1, config).await;
        // Far more idle connections than there are session slots, all from one address.
        let flood = 100;
        let mut idle = Vec::new();
        for _ in 0..flood {
            let socket = tokio::net::TcpSocket::new_v4().expect("socket");
            socket
                .bind("127.0.0.2:0".parse().expect("address"))
                .expect("bind 127.0.0.2");
            idle.push(socket.connect(victim.socket).await.expect("connect"));
        }
        super::wait_status(&victim.manager, "every idle connection handled", |s| {
            let c = &s.counters;
            let refused = c.sessions_refused + c.address_refused + c.unattested_refused;
            s.sessions.len() as u64 + refused >= flood
        })
        .await;

        // A real peer from another address still gets in.
        let peer = Installation::start(41, 1, fast_config()).await;
        peer.learn(&victim).await;
        let (from, to) = (peer.node_ids()[0], victim.node_ids()[0]);
        peer.manager
            .send(&batch(from, to, 0))
            .await
            .expect("queued");
        victim
            .expect("the peer's batch", |e| matches!(e, Event::Received { .. }))
            .await;

        // And the victim still dials.
        let mut dialed = Installation::start(42, 1, fast_config()).await;
        victim.learn(&dialed).await;
        let (from, to) = (victim.node_ids()[0], dialed.node_ids()[0]);
        victim
            .manager
            .send(&batch(from, to, 0))
            .await
            .expect("queued");
        dialed
            .expect("the victim's batch", |e| {
                matches!(e, Event::Received { .. })
            })
            .await;

        let status = victim.status().await;
        assert!(status.counters.address_refused > 0, "{:?}", status.counters);
        drop(idle);
    })
    .await;
}
