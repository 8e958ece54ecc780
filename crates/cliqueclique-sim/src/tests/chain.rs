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
