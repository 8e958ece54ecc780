//! A relay of the thread's subscribing tree crashes while comments flow and restarts from its
//! store: every comment still reaches every subscriber, and no node stores a comment twice.

use super::assert_ok;
use crate::fault::{Fault, Who};
use crate::link::LinkModel;
use crate::run::Runner;
use crate::scenario::{Forum, Scenario};

#[test]
fn restarted_relay_loses_nothing() {
    let scenario = Scenario {
        name: "relay-restart".into(),
        seed: 31,
        nodes: 40,
        network: LinkModel {
            loss: 0.03,
            duplicate: 0.02,
            detect_ms: 800,
            ..LinkModel::default()
        },
        forum: Forum {
            subscribers: 8,
            posters: 2,
            comments: 60,
            comment_interval_ms: 100,
            ..Forum::default()
        },
        idle_ms: 600_000,
        ..Scenario::default()
    };
    let mut runner = Runner::new(&scenario).unwrap();
    runner.setup().unwrap();
    let thread = runner.thread().unwrap();
    // A relay: in S(thread) without a subscribed user, with a subscribed node downstream of it.
    let net = runner.network();
    let relay = net
        .alive()
        .find(|&i| {
            let sub = net.node(i).unwrap().subscription(&thread);
            let is_relay = sub.is_some_and(|s| s.derived.subscribed && !s.flags.subscribed);
            let id = net.sim_node(i).id();
            is_relay
                && net.alive().any(|j| {
                    net.node(j)
                        .unwrap()
                        .subscription(&thread)
                        .is_some_and(|s| s.route.upstream == Some(id) && s.derived.subscribed)
                })
        })
        .unwrap_or_else(|| panic!("seed {}: no relay in S(thread)", scenario.seed));
    runner.add_fault(
        1500,
        Fault::Crash {
            who: Who::Node(relay),
            restart_after_ms: Some(2500),
        },
    );
    runner.comments();
    runner.idle();
    let report = runner.report();
    assert_ok(&report);
    assert_eq!(report.counters.crashes, 1);
    assert_eq!(report.counters.restarts, 1);
    assert_eq!(
        report.comments, 60,
        "seed {}: no comment was skipped",
        scenario.seed
    );
}
