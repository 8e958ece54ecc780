//! Liveness: keepalives hold idle sessions up, silent or dead peers are detected, and queued traffic survives a restart.

use std::time::Duration;

use tokio::time::Instant;

use super::{Installation, RawPeer, batch, bounded, fast_config, identity, wait_status};
use crate::Event;

#[tokio::test]
async fn idle_sessions_stay_up_on_keepalives() {
    bounded(async {
        let config = fast_config();
        let mut a = Installation::start(20, 1, config.clone()).await;
        let mut b = Installation::start(21, 1, config.clone()).await;
        a.learn(&b).await;
        a.manager
            .send(&batch(a.node_ids()[0], b.node_ids()[0], 0))
            .await
            .expect("queued");
        b.expect("the batch", |e| matches!(e, Event::Received { .. }))
            .await;
        // Several dead-peer periods without traffic: only pings and pongs flow.
        tokio::time::sleep(config.dead_after * 4).await;
        for me in [&a, &b] {
            let status = me.status().await;
            assert_eq!(status.established().count(), 1, "{status:#?}");
            assert_eq!(status.counters.keepalive_timeouts, 0);
            assert_eq!(status.counters.sessions_up, 1);
            assert!(
                status.counters.messages_in >= 4,
                "pings arrive: {status:#?}"
            );
        }
        assert!(
            a.events
                .try_recv()
                .is_ok_and(|e| matches!(e, Event::SessionUp { .. }))
        );
        assert!(a.events.try_recv().is_err(), "no session went down");
    })
    .await;
}

#[tokio::test]
async fn a_silent_peer_is_declared_down_within_the_timeout() {
    bounded(async {
        let config = fast_config();
        let mut a = Installation::start(22, 1, config.clone()).await;
        let node = identity(22_500);
        // Completes the handshake and the hello, then neither reads nor writes, keeping the socket open.
        let silent = RawPeer::connect(a.socket, 60, std::slice::from_ref(&node)).await;
        a.expect("session up", |e| matches!(e, Event::SessionUp { .. }))
            .await;
        let up_at = Instant::now();
        let event = a
            .expect("session down", |e| matches!(e, Event::SessionDown { .. }))
            .await;
        let elapsed = up_at.elapsed();
        assert!(
            matches!(event, Event::SessionDown { remote_nodes, .. } if remote_nodes == vec![node.node_id()])
        );
        assert!(elapsed >= config.dead_after - Duration::from_millis(50), "{elapsed:?}");
        assert!(elapsed < config.dead_after + Duration::from_secs(1), "{elapsed:?}");
        let status = a.status().await;
        assert_eq!(status.counters.keepalive_timeouts, 1);
        assert!(status.sessions.is_empty());
        drop(silent);
    })
    .await;
}

#[tokio::test]
async fn traffic_queued_while_a_peer_is_down_is_delivered_after_it_restarts() {
    bounded(async {
        let config = fast_config();
        let mut a = Installation::start(23, 1, config.clone()).await;
        let mut b = Installation::start(24, 1, config.clone()).await;
        a.learn(&b).await;
        let (x, y) = (a.node_ids()[0], b.node_ids()[0]);
        a.manager.send(&batch(x, y, 0)).await.expect("queued");
        b.expect("the first batch", |e| matches!(e, Event::Received { .. }))
            .await;
        a.expect("session up", |e| matches!(e, Event::SessionUp { .. }))
            .await;

        // Kill B: its sockets close, and A notices at once (or at the latest after the dead-peer timeout).
        let b_socket = b.socket;
        b.manager.shutdown().await;
        drop(b);
        let killed = Instant::now();
        let event = a
            .expect("session down", |e| matches!(e, Event::SessionDown { .. }))
            .await;
        assert!(
            matches!(event, Event::SessionDown { remote_nodes, .. } if remote_nodes == vec![y])
        );
        assert!(killed.elapsed() < config.dead_after + Duration::from_secs(1));

        // Traffic meanwhile waits in the bounded queue of B's address while A keeps redialing with back-off.
        for n in 1..=3 {
            a.manager.send(&batch(x, y, n)).await.expect("queued");
        }
        let status = wait_status(&a.manager, "failed redials", |s| {
            s.dialing.first().is_some_and(|d| d.failures >= 2)
        })
        .await;
        let dialing = &status.dialing[0];
        assert_eq!(dialing.queue_len, 3);
        assert!(dialing.queue_len <= dialing.queue_capacity);
        assert!(status.counters.dial_failures >= 2);

        // B comes back on the same port with the same keys: the queued batches arrive, in order.
        let mut b = Installation::start_on(24, 1, config.clone(), b_socket).await;
        for n in 1..=3 {
            let event = b
                .expect("a queued batch", |e| matches!(e, Event::Received { .. }))
                .await;
            let Event::Received { batch, .. } = event else {
                unreachable!()
            };
            assert_eq!(batch.parts[0].body_len(), n);
        }
        a.expect("session up again", |e| matches!(e, Event::SessionUp { .. }))
            .await;
        let status = a.status().await;
        assert!(status.dialing.is_empty());
        assert_eq!(status.counters.sessions_up, 2);
    })
    .await;
}
