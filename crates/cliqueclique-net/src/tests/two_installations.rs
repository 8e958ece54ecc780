//! Two installations with two nodes each: one session between them carries every node pair, both ways.

use std::collections::BTreeSet;
use std::time::Duration;

use super::{Installation, batch, bounded, fast_config, identity, wait_status};
use crate::Event;

/// Collects `n` received batches as (from, to) pairs.
async fn receive_pairs(
    installation: &mut Installation,
    n: usize,
) -> BTreeSet<(cliqueclique_doc::NodeId, cliqueclique_doc::NodeId)> {
    let mut got = BTreeSet::new();
    while got.len() < n {
        if let Event::Received { batch } = installation
            .expect("a batch", |e| matches!(e, Event::Received { .. }))
            .await
        {
            got.insert((batch.from, batch.to));
        }
    }
    got
}

#[tokio::test]
async fn batches_flow_both_ways_between_the_right_nodes_over_one_session() {
    bounded(async {
        let mut a = Installation::start(1, 2, fast_config()).await;
        let mut b = Installation::start(2, 2, fast_config()).await;
        a.learn(&b).await;
        b.learn(&a).await;
        let (a_nodes, b_nodes) = (a.node_ids(), b.node_ids());

        // The first batch makes A dial B.
        a.manager
            .send(&batch(a_nodes[0], b_nodes[0], 0))
            .await
            .expect("queued");
        let up = a
            .expect("session up", |e| matches!(e, Event::SessionUp { .. }))
            .await;
        let Event::SessionUp {
            installation,
            remote_nodes,
            ..
        } = up
        else {
            unreachable!()
        };
        assert_eq!(installation, b.key.public());
        assert_eq!(
            remote_nodes.iter().collect::<BTreeSet<_>>(),
            b_nodes.iter().collect()
        );
        assert_eq!(
            receive_pairs(&mut b, 1).await,
            [(a_nodes[0], b_nodes[0])].into()
        );

        // Every pair, both ways.
        let mut expected_at_b = BTreeSet::new();
        let mut expected_at_a = BTreeSet::new();
        for &x in &a_nodes {
            for &y in &b_nodes {
                a.manager.send(&batch(x, y, 0)).await.expect("queued");
                b.manager.send(&batch(y, x, 0)).await.expect("queued");
                expected_at_b.insert((x, y));
                expected_at_a.insert((y, x));
            }
        }
        assert_eq!(receive_pairs(&mut b, 4).await, expected_at_b);
        assert_eq!(receive_pairs(&mut a, 4).await, expected_at_a);

        // One session on each side, attesting the other side's two nodes; B never dialed.
        for (me, other, delivered) in [(&a, &b, 4), (&b, &a, 5)] {
            let status = me.status().await;
            assert_eq!(status.sessions.len(), 1, "{status:#?}");
            let session = &status.sessions[0];
            assert_eq!(session.installation, Some(other.key.public()));
            assert_eq!(
                session.remote_nodes.iter().collect::<BTreeSet<_>>(),
                other.node_ids().iter().collect()
            );
            assert_eq!(status.counters.sessions_up, 1);
            assert_eq!(status.counters.batches_delivered, delivered);
            assert!(status.dialing.is_empty());
        }
        assert_eq!(a.status().await.counters.dials, 1);
        assert_eq!(b.status().await.counters.dials, 0);
        assert_eq!(a.status().await.sessions[0].dialed, Some(b.address.clone()));
    })
    .await;
}

#[tokio::test]
async fn simultaneous_dials_settle_on_one_session() {
    bounded(async {
        let mut a = Installation::start(3, 1, fast_config()).await;
        let mut b = Installation::start(4, 1, fast_config()).await;
        a.learn(&b).await;
        b.learn(&a).await;
        let (x, y) = (a.node_ids()[0], b.node_ids()[0]);
        // Both send before either has a session: both dial. The protocol resends, and so do we.
        let mut got_a = false;
        let mut got_b = false;
        while !(got_a && got_b) {
            a.manager.send(&batch(x, y, 0)).await.expect("queued");
            b.manager.send(&batch(y, x, 0)).await.expect("queued");
            let deadline = tokio::time::sleep(Duration::from_millis(100));
            tokio::pin!(deadline);
            loop {
                tokio::select! {
                    Some(event) = a.events.recv() => got_a |= matches!(event, Event::Received { .. }),
                    Some(event) = b.events.recv() => got_b |= matches!(event, Event::Received { .. }),
                    () = &mut deadline => break,
                }
            }
        }
        for me in [&a, &b] {
            let status = wait_status(&me.manager, "a single session", |s| {
                s.sessions.len() == 1 && s.established().count() == 1
            })
            .await;
            assert!(status.dialing.is_empty(), "{status:#?}");
        }
        // Both sides kept the same connection: it stays up and carries traffic.
        tokio::time::sleep(Duration::from_millis(300)).await;
        for me in [&a, &b] {
            assert_eq!(me.status().await.established().count(), 1);
        }
    })
    .await;
}

#[tokio::test]
async fn nodes_added_later_are_announced_on_the_running_session() {
    bounded(async {
        let mut a = Installation::start(5, 1, fast_config()).await;
        let mut b = Installation::start(6, 1, fast_config()).await;
        a.learn(&b).await;
        let (x, y) = (a.node_ids()[0], b.node_ids()[0]);
        a.manager.send(&batch(x, y, 0)).await.expect("queued");
        b.expect("the first batch", |e| matches!(e, Event::Received { .. }))
            .await;

        let late = identity(6999);
        b.manager.add_node(late.clone()).await.expect("add");
        let event = a
            .expect("the new node", |e| matches!(e, Event::NodesUp { .. }))
            .await;
        let Event::NodesUp { remote_nodes, .. } = event else {
            unreachable!()
        };
        assert_eq!(remote_nodes, vec![late.node_id()]);
        // No address is needed: the session attests the node.
        a.manager
            .send(&batch(x, late.node_id(), 0))
            .await
            .expect("routed by attestation");
        let event = b
            .expect("a batch to the new node", |e| {
                matches!(e, Event::Received { .. })
            })
            .await;
        assert!(matches!(event, Event::Received { batch } if batch.to == late.node_id()));
        assert_eq!(a.status().await.counters.sessions_up, 1);
    })
    .await;
}

#[tokio::test]
async fn sending_checks_the_sender_and_the_route() {
    bounded(async {
        let a = Installation::start(7, 2, fast_config()).await;
        let (x, y) = (a.node_ids()[0], a.node_ids()[1]);
        let stranger = identity(7999).node_id();
        assert_eq!(
            a.manager.send(&batch(stranger, y, 0)).await,
            Err(crate::SendError::UnknownSender(stranger))
        );
        assert_eq!(
            a.manager.send(&batch(x, y, 0)).await,
            Err(crate::SendError::LocalDestination(y))
        );
        assert_eq!(
            a.manager.send(&batch(x, stranger, 0)).await,
            Err(crate::SendError::NoAddress(stranger))
        );
        a.manager.shutdown().await;
        assert_eq!(
            a.manager.send(&batch(x, stranger, 0)).await,
            Err(crate::SendError::Stopped)
        );
    })
    .await;
}

/// Opens two sessions between installation `a_seed` and a raw peer with key `raw_seed` (one each way) and
/// returns whether the manager kept the one the raw peer opened.
async fn inbound_session_survives(a_seed: u8, raw_seed: u8) -> bool {
    use crate::session::{Role, handshake};
    use crate::{Config, PeerAddress, SessionMessage};

    let mut a = Installation::start(a_seed, 1, fast_config()).await;
    let node = identity(u64::from(raw_seed) * 1000);
    let mut inbound =
        super::RawPeer::connect(a.socket, raw_seed, std::slice::from_ref(&node)).await;
    a.expect("the inbound session", |e| {
        matches!(e, Event::SessionUp { .. })
    })
    .await;

    // A lookup to the raw peer's own listener makes A dial it: a second session to the same installation.
    let listener = tokio::net::TcpListener::bind(super::localhost())
        .await
        .expect("bind");
    let address = PeerAddress::tcp(listener.local_addr().expect("address"));
    let doc = cliqueclique_doc::DocId::of(b"x");
    a.manager.lookup(address, 1, doc).await.expect("queued");
    let (stream, _) = listener.accept().await.expect("accept");
    let key = super::static_key(raw_seed);
    let mut outbound = handshake(
        Box::new(stream),
        Role::Responder,
        &key,
        Config::default().max_message_bytes,
    )
    .await
    .expect("handshake");
    let hello = SessionMessage::Hello {
        attestations: vec![crate::Attestation::sign(
            &node,
            &outbound.handshake_hash,
            &key.public(),
        )],
    };
    outbound.sender.send(&hello).await.expect("hello");

    // The kept session gets the lookup; the other one is closed.
    async fn lookup_arrives(receiver: &mut crate::SessionReceiver) -> bool {
        loop {
            match receiver.recv().await {
                Ok(SessionMessage::Lookup { .. }) => return true,
                Ok(_) => continue,
                Err(_) => return false,
            }
        }
    }
    let limit = Duration::from_secs(5);
    let (via_inbound, via_outbound) = tokio::join!(
        tokio::time::timeout(limit, lookup_arrives(&mut inbound.session.receiver)),
        tokio::time::timeout(limit, lookup_arrives(&mut outbound.receiver)),
    );
    let (via_inbound, via_outbound) = (
        via_inbound.expect("inbound decided in time"),
        via_outbound.expect("outbound decided in time"),
    );
    assert_ne!(via_inbound, via_outbound, "exactly one session is kept");
    let status = a.status().await;
    assert_eq!(status.sessions.len(), 1, "{status:#?}");
    assert_eq!(status.counters.duplicate_sessions, 1);
    via_inbound
}

#[tokio::test]
async fn of_two_sessions_to_one_installation_the_one_opened_by_the_smaller_key_is_kept() {
    bounded(async {
        let a_seed = 8;
        let a_key = super::static_key(a_seed).public();
        // One raw key smaller than A's and one larger, so that both outcomes are checked.
        let smaller = (60..120)
            .find(|&s| super::static_key(s).public() < a_key)
            .expect("a smaller key");
        let larger = (60..120)
            .find(|&s| super::static_key(s).public() > a_key)
            .expect("a larger key");
        assert!(inbound_session_survives(a_seed, smaller).await);
        assert!(!inbound_session_survives(a_seed, larger).await);
    })
    .await;
}
