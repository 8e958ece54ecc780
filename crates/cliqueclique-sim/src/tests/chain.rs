//! Interest crosses relays: on a 10-node chain, a subscriber at one end gets the comments posted
//! at the other end, through eight relays that did not subscribe themselves (the 2011 prototype
//! let interest travel two hops only).

use super::assert_ok;
use crate::link::LinkModel;
use crate::run::Runner;
use crate::scenario::{Forum, JoinVia, Scenario};

#[test]
fn interest_crosses_eight_relays() {
    let mut scenario = Scenario {
        name: "chain-10".into(),
        seed: 11,
        nodes: 10,
        network: LinkModel {
            loss: 0.05,
            duplicate: 0.02,
            ..LinkModel::default()
        },
        forum: Forum {
            join_via: JoinVia::Previous,
            thread_author: Some(0),
            subscriber_nodes: vec![9],
            poster_nodes: vec![0],
            comments: 10,
            ..Forum::default()
        },
        idle_ms: 600_000,
        ..Scenario::default()
    };
    // No introductions: the overlay stays a path.
    scenario.proto.target_peers_per_document = 1;
    let mut runner = Runner::new(&scenario).unwrap();
    runner.execute().unwrap();
    let report = runner.report();
    assert_ok(&report);
    assert_eq!(
        report.deliveries, 20,
        "seed {}: node 9 (and the poster) got every comment",
        scenario.seed
    );
    assert_eq!(
        report.ldh_max,
        Some(9),
        "seed {}: the comments crossed the whole chain",
        scenario.seed
    );
    let thread = runner.thread().unwrap();
    let net = runner.network();
    for relay in 1..9 {
        let sub = net.node(relay).unwrap().subscription(&thread).unwrap();
        assert!(
            !sub.flags.subscribed,
            "seed {}: node {relay} is a relay",
            scenario.seed
        );
        assert!(
            sub.derived.subscribed,
            "seed {}: relay {relay} carries the interest",
            scenario.seed
        );
    }
}

/// A chain longer than `max_distance` (64): the last node cannot follow the center through the
/// chain, so it links to the center directly (its neighbour at the cap hands it the center's
/// card) instead of electing itself; the thread and its comments reach it, and one center
/// remains.
#[test]
fn a_chain_beyond_max_distance_still_serves_its_far_end() {
    let mut scenario = Scenario {
        name: "chain-66".into(),
        seed: 12,
        nodes: 66,
        network: LinkModel {
            loss: 0.02,
            ..LinkModel::default()
        },
        forum: Forum {
            join_via: JoinVia::Previous,
            thread_author: Some(0),
            subscriber_nodes: vec![65],
            poster_nodes: vec![0],
            comments: 5,
            ..Forum::default()
        },
        idle_ms: 600_000,
        ..Scenario::default()
    };
    scenario.proto.target_peers_per_document = 1;
    let mut runner = Runner::new(&scenario).unwrap();
    runner.execute().unwrap();
    let report = runner.report();
    assert_ok(&report);
    assert_eq!(
        report.deliveries, 10,
        "seed {}: node 65 (and the poster) got every comment",
        scenario.seed
    );
}
