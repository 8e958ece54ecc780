//! Garbage collection: a node whose user drops its interest ends up holding nothing for the
//! document, its peers hold no link to it, and the user's read and bookmark flags survive.

use super::assert_ok;
use crate::run::Runner;
use crate::scenario::{Forum, Scenario};
use cliqueclique_doc::DocId;
use cliqueclique_proto::{Command, Store};

fn forum(seed: u64) -> Runner {
    let scenario = Scenario {
        name: "unwanted".into(),
        seed,
        nodes: 14,
        forum: Forum {
            subscribers: 3,
            posters: 1,
            comments: 5,
            ..Forum::default()
        },
        idle_ms: 600_000,
        ..Scenario::default()
    };
    let mut runner = Runner::new(&scenario).unwrap();
    runner.setup().unwrap();
    runner.comments();
    runner
}

/// A node nobody follows in the root's and the thread's overlays, and that plays no part in the forum.
fn leaf(runner: &Runner) -> usize {
    let net = runner.network();
    let docs = [runner.root().unwrap(), runner.thread().unwrap()];
    let follows = |j: usize, doc: &DocId, i: usize| {
        net.node(j)
            .unwrap()
            .subscription(doc)
            .is_some_and(|s| s.route.upstream == Some(net.sim_node(i).id()))
    };
    (1..net.len())
        .find(|&i| {
            let author = net.ledger().get(&docs[1]).unwrap().author;
            i != author
                && !runner.subscribers().contains(&i)
                && docs.iter().all(|d| net.alive().all(|j| !follows(j, d, i)))
        })
        .expect("a leaf")
}

fn assert_gone(runner: &Runner, i: usize, docs: &[DocId]) {
    let net = runner.network();
    let seed = runner.scenario().seed;
    let me = net.sim_node(i).id();
    let node = net.node(i).unwrap();
    for doc in docs {
        assert!(
            node.subscription(doc).is_none(),
            "seed {seed}: node {i} still holds state for {}",
            net.ledger().label(doc)
        );
        assert!(
            node.store().document(doc).is_none(),
            "seed {seed}: node {i} still stores the body"
        );
        for j in net.alive() {
            let linked = net
                .node(j)
                .unwrap()
                .subscription(doc)
                .is_some_and(|s| s.links.contains_key(&me));
            assert!(
                !linked,
                "seed {seed}: node {j} still links to node {i} for {}",
                net.ledger().label(doc)
            );
        }
    }
}

#[test]
fn unsubscribed_node_keeps_nothing() {
    let mut runner = forum(41);
    let (root, thread) = (runner.root().unwrap(), runner.thread().unwrap());
    let i = leaf(&runner);
    let net = runner.network_mut();
    net.command(
        i,
        Command::MarkRead {
            doc: root,
            read: true,
        },
    )
    .unwrap();
    net.command(i, Command::Unsubscribe { doc: root }).unwrap();
    assert!(
        runner.settle("the unsubscription"),
        "{:?}",
        runner.violations()
    );
    assert_gone(&runner, i, &[root, thread]);
    let node = runner.network().node(i).unwrap();
    assert_eq!(node.store().n_documents(), 0, "node {i} stores nothing");
    let flags = node.flags(&root).expect("flags are remembered");
    assert!(
        flags.read && !flags.subscribed,
        "the read flag survives: {flags:?}"
    );
    runner.idle();
    assert_ok(&runner.report());
}

#[test]
fn unbookmarked_document_is_collected() {
    let mut runner = forum(42);
    let (root, thread) = (runner.root().unwrap(), runner.thread().unwrap());
    let i = leaf(&runner);
    let net = runner.network_mut();
    net.command(
        i,
        Command::Bookmark {
            doc: thread,
            on: true,
        },
    )
    .unwrap();
    net.command(i, Command::Unsubscribe { doc: root }).unwrap();
    assert!(
        runner.settle("the unsubscription"),
        "{:?}",
        runner.violations()
    );
    // The bookmark keeps the thread; the root goes.
    assert_gone(&runner, i, &[root]);
    assert!(
        runner
            .network()
            .node(i)
            .unwrap()
            .subscription(&thread)
            .is_some()
    );
    let net = runner.network_mut();
    net.command(
        i,
        Command::Bookmark {
            doc: thread,
            on: false,
        },
    )
    .unwrap();
    net.command(
        i,
        Command::MarkRead {
            doc: thread,
            read: true,
        },
    )
    .unwrap();
    assert!(
        runner.settle("the unbookmarking"),
        "{:?}",
        runner.violations()
    );
    assert_gone(&runner, i, &[root, thread]);
    let flags = runner
        .network()
        .node(i)
        .unwrap()
        .flags(&thread)
        .expect("remembered");
    assert!(flags.read && !flags.bookmarked, "{flags:?}");
    runner.idle();
    assert_ok(&runner.report());
}

/// A subscriber leaves for good: the relays that carried its interest must leave S(x) once the
/// interest grace after the transport reported it gone has passed (2 minutes; a restart within
/// it keeps the tree), instead of pulling every comment until `peer_expiry` (7 days).
#[test]
fn departed_subscribers_interest_does_not_outlive_it() {
    use crate::fault::{Fault, Who};
    use crate::scenario::JoinVia;
    let mut scenario = Scenario {
        name: "departed-subscriber".into(),
        seed: 43,
        nodes: 6,
        forum: Forum {
            join_via: JoinVia::Previous,
            thread_author: Some(0),
            subscriber_nodes: vec![5],
            poster_nodes: vec![0],
            comments: 5,
            ..Forum::default()
        },
        idle_ms: 600_000,
        ..Scenario::default()
    };
    scenario.proto.target_peers_per_document = 1;
    let mut runner = Runner::new(&scenario).unwrap();
    runner.setup().unwrap();
    runner.add_fault(1000, Fault::Leave { who: Who::Node(5) });
    runner.comments();
    runner.idle();
    let thread = runner.thread().unwrap();
    let net = runner.network();
    for relay in 1..5 {
        let sub = net.node(relay).unwrap().subscription(&thread).unwrap();
        assert!(
            !sub.derived.subscribed,
            "seed {}: relay {relay} is still in S(thread) for node 5, which left",
            scenario.seed
        );
    }
    assert_ok(&runner.report());
}
