//! A comment declined by a node that was unsubscribed for a moment must still reach it once it
//! subscribes again.
//!
//! State sync coalesces transitions: if the update saying "no longer subscribed" is lost, the
//! pusher only ever sees "subscribed", so it cannot rely on seeing a new subscription to take
//! back a decline that arrived in between.

use crate::ledger::DocKind;
use crate::link::{Latency, LinkModel};
use crate::network::Network;
use cliqueclique_doc::DocumentBuilder;
use cliqueclique_proto::{Command, Config, Store};

const SEED: u64 = 101;

#[test]
fn comment_declined_during_a_brief_unsubscription_arrives_later() {
    let link = LinkModel {
        latency: Latency {
            min_ms: 20,
            max_ms: 20,
            ..Latency::default()
        },
        detect_ms: 60_000,
        ..LinkModel::default()
    };
    let mut net = Network::new(2, Config::default(), link, SEED);
    let identity = net.sim_node(0).identity().clone();
    let root = DocumentBuilder::new("root")
        .text("root")
        .date(1)
        .build(&identity);
    let root = net.post(0, root, DocKind::Root, "root".into()).unwrap();
    let peer = net.sim_node(0).card().clone();
    net.command(1, Command::Join { doc: root, peer }).unwrap();
    assert!(net.run_until_quiet(600_000, 100));
    let thread = DocumentBuilder::new("thread")
        .parent(root)
        .text("thread")
        .date(2)
        .build(&identity);
    let thread = net
        .post(0, thread, DocKind::Thread, "thread".into())
        .unwrap();
    assert!(net.run_until_quiet(600_000, 100));
    let subscribe = Command::Subscribe {
        doc: thread,
        thread: false,
    };
    net.command(1, subscribe.clone()).unwrap();
    assert!(net.run_until_quiet(600_000, 100));

    if std::env::var_os("SIM_TRACE").is_some() {
        net.trace([0, 1]);
    }
    // Node 1 unsubscribes; the update saying so is lost.
    net.lose_next(1, 0, 1);
    net.command(1, Command::Unsubscribe { doc: thread })
        .unwrap();
    // Node 0, still believing node 1 subscribed, pushes a new comment: node 1 declines it.
    let comment = DocumentBuilder::new("comment")
        .parent(thread)
        .text("comment")
        .date(3)
        .build(&identity);
    let comment = net
        .post(0, comment, DocKind::Comment, "comment".into())
        .unwrap();
    net.run_for(25, |_, _| {});
    // Node 1 subscribes again before its decline reaches node 0.
    net.command(1, subscribe).unwrap();
    let quiet = net.run_until_quiet(600_000, 100);
    let held = net.node(1).unwrap().store().document(&comment).is_some();
    assert!(
        held,
        "seed {SEED}: node 1 subscribed to the thread but never got the comment it declined (quiet: {quiet})"
    );
}
