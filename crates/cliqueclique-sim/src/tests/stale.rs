//! A delayed copy of an old batch must not bring back a link that the Goodbye handshake removed,
//! and a node that comes back to a document after leaving it must be heard again.
//!
//! The transport may deliver any batch late (reordering) or twice (duplication). Here the last
//! batch a node sent before unsubscribing (its Update and its Ack of the peer's serial) arrives
//! again after the Goodbye/GoodbyeAck handshake finished.

use crate::ledger::DocKind;
use crate::link::{Latency, LinkModel};
use crate::network::Network;
use cliqueclique_doc::{DocId, DocumentBuilder};
use cliqueclique_proto::{Batch, Command, Config, Part};

const SEED: u64 = 61;

fn pair() -> (Network, cliqueclique_doc::DocId) {
    let link = LinkModel {
        latency: Latency {
            min_ms: 20,
            max_ms: 20,
            ..Latency::default()
        },
        ..LinkModel::default()
    };
    let mut net = Network::new(2, Config::default(), link, SEED);
    let root = DocumentBuilder::new("root")
        .text("root")
        .date(1)
        .build(net.sim_node(0).identity());
    let root = net.post(0, root, DocKind::Root, "root".into()).unwrap();
    let peer = net.sim_node(0).card().clone();
    net.command(1, Command::Join { doc: root, peer }).unwrap();
    assert!(
        net.run_until_quiet(600_000, 1000),
        "seed {SEED}: the join settles"
    );
    (net, root)
}

/// What node 1 last told node 0 about the root, encoded for a later replay: its state and its
/// ack of node 0's state.
fn last_words(net: &Network, root: DocId) -> Vec<u8> {
    let (id0, id1) = (net.sim_node(0).id(), net.sim_node(1).id());
    let s0 = net.node(0).unwrap().subscription(&root).unwrap().serial;
    let sub1 = net.node(1).unwrap().subscription(&root).unwrap();
    Batch {
        from: id1,
        to: id0,
        parts: vec![
            Part::Update {
                doc: root,
                serial: sub1.serial,
                advert: sub1.advert_for(&id0),
                body: None,
                thread: None,
            },
            Part::Ack {
                doc: root,
                serial: s0,
                has_body: true,
            },
        ],
    }
    .encode()
}

#[test]
fn replayed_batch_does_not_resurrect_a_removed_link() {
    let (mut net, root) = pair();
    let id1 = net.sim_node(1).id();
    let stale = last_words(&net, root);
    net.command(1, Command::Unsubscribe { doc: root }).unwrap();
    assert!(
        net.run_until_quiet(600_000, 1000),
        "seed {SEED}: the goodbye settles"
    );
    assert!(
        net.node(1).unwrap().subscription(&root).is_none(),
        "node 1 left the root"
    );
    let linked = |net: &Network| {
        net.node(0)
            .unwrap()
            .subscription(&root)
            .is_some_and(|s| s.links.contains_key(&id1))
    };
    assert!(
        !linked(&net),
        "seed {SEED}: the handshake removed node 0's link"
    );

    net.inject_frame(1, 0, stale);
    let quiet = net.run_until_quiet(600_000, 1000);
    assert!(
        !linked(&net),
        "seed {SEED}: a replayed batch made node 0 link again to node 1, which holds nothing for the root (quiet: {quiet})"
    );
}

#[test]
fn returning_node_is_heard_after_a_replayed_batch() {
    let (mut net, root) = pair();
    let (id0, id1) = (net.sim_node(0).id(), net.sim_node(1).id());
    let stale = last_words(&net, root);
    net.command(1, Command::Unsubscribe { doc: root }).unwrap();
    assert!(net.run_until_quiet(600_000, 1000));
    net.inject_frame(1, 0, stale);
    net.run_until_quiet(600_000, 1000);
    // Node 1 comes back: its new subscription starts its serials afresh.
    let peer = net.sim_node(0).card().clone();
    net.command(1, Command::Join { doc: root, peer }).unwrap();
    let quiet = net.run_until_quiet(600_000, 1000);
    let sub1 = net.node(1).unwrap().subscription(&root).unwrap();
    let seen = net
        .node(0)
        .unwrap()
        .subscription(&root)
        .and_then(|s| s.links.get(&id1).cloned());
    assert!(
        quiet,
        "seed {SEED}: node 1 resends forever: node 0 ignores serial {} because it saw serial {:?}",
        sub1.serial,
        seen.as_ref().map(|l| l.peer_serial)
    );
    let seen = seen.expect("node 0 links to node 1 again");
    assert_eq!(
        seen.advert,
        Some(sub1.advert_for(&id0)),
        "seed {SEED}: node 0 knows node 1's state"
    );
}
