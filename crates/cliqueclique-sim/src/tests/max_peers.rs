//! `max_peers_per_document` bounds the branching: a node that is full declines further links with
//! suggestions, and the joiners it turns away attach elsewhere.

use super::assert_ok;
use crate::link::LinkModel;
use crate::scenario::{Forum, JoinVia, Scenario};

fn star(seed: u64, nodes: usize, max: usize) -> Scenario {
    let mut scenario = Scenario {
        name: "star".into(),
        seed,
        nodes,
        network: LinkModel {
            loss: 0.02,
            ..LinkModel::default()
        },
        forum: Forum {
            join_via: JoinVia::First,
            join_interval_ms: 30,
            subscribers: 5,
            posters: 2,
            comments: 10,
            ..Forum::default()
        },
        idle_ms: 600_000,
        ..Scenario::default()
    };
    scenario.proto.max_peers_per_document = max;
    scenario.proto.target_peers_per_document = 2;
    scenario
}

/// Everyone joins through node 0, which may keep only 3 peers.
#[test]
fn joins_beyond_the_limit_are_redirected() {
    let scenario = star(51, 30, 3);
    let report = crate::run(&scenario).unwrap();
    // The invariants include "no node has more active links than max_peers_per_document".
    assert_ok(&report);
    assert!(
        report.counters.refusals > 0,
        "seed {}: joins were declined",
        scenario.seed
    );
    assert!(
        report.counters.suggestions > 0,
        "seed {}: declines carried suggestions",
        scenario.seed
    );
    assert!(
        report.convergence_ms_after_join.is_some(),
        "seed {}: every node got the root",
        scenario.seed
    );
}

/// Many nodes join a small star at once: every one of them must find room somewhere, and the
/// network must go quiet (a stranded joiner may not cycle through full nodes forever).
#[test]
fn crowded_star_finds_room_for_everyone() {
    let mut scenario = star(1, 150, 3);
    scenario.forum.join_interval_ms = 2;
    scenario.forum.comments = 3;
    scenario.forum.posters = 1;
    let report = crate::run(&scenario).unwrap();
    assert_ok(&report);
}
