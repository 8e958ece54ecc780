//! A spammer under loss, duplication and reordering: in small forums a follower of the thread
//! floods it with comments and the forum's owner bans it part-way through. The ban reaches every
//! node within a few rounds, no node stores spam after it applied the ban, the honest comments
//! are all delivered, and every invariant holds (`docs/moderation.md`, `docs/protocol.md` §8.4).

use super::assert_ok;
use crate::link::LinkModel;
use crate::run::Runner;
use crate::scenario::{Forum, Scenario, Spam};

/// The most rounds (longest one-way latency) a ban may take to reach every node of these forums:
/// a few hops of the root's tree, with room for resends after a loss (1 s, then 2 s).
const MAX_BAN_ROUNDS: f64 = 60.0;

fn spam_run(seed: u64) {
    let scenario = Scenario {
        name: "spam-small".into(),
        seed,
        nodes: 24,
        network: LinkModel {
            loss: 0.05,
            duplicate: 0.05,
            ..LinkModel::default()
        },
        forum: Forum {
            subscribers: 8,
            posters: 3,
            comments: 20,
            comment_interval_ms: 50,
            ..Forum::default()
        },
        spam: Spam {
            comments: 80,
            interval_ms: 10,
            ban_at_ms: Some(300),
            ..Spam::default()
        },
        idle_ms: 300_000,
        ..Scenario::default()
    };
    let mut runner = Runner::new(&scenario).unwrap();
    runner.execute().unwrap();
    let report = runner.report();
    assert_ok(&report);
    assert_eq!(report.spam_comments, 80, "seed {seed}: the spam was posted");
    assert!(
        report.spam_deliveries > 0,
        "seed {seed}: spam posted before the ban travelled"
    );
    assert_eq!(
        report.spam_deliveries_after_ban,
        Some(0),
        "seed {seed}: spam stored after the ban"
    );
    let rounds = report
        .ban_propagation_rounds
        .unwrap_or_else(|| panic!("seed {seed}: the ban did not reach every node"));
    assert!(
        rounds <= MAX_BAN_ROUNDS,
        "seed {seed}: the ban took {rounds} rounds"
    );
    assert_eq!(report.delivery_ratio, 1.0, "seed {seed}");
}

#[test]
fn spam_seeds_0_to_19() {
    for seed in 0..20 {
        spam_run(seed);
    }
}

#[test]
fn spam_keys_are_checked() {
    for text in [
        "[spam]\ncomments = 5\nspammer = 0",
        "nodes = 10\n[spam]\ncomments = 5\nspammer = 10",
        "[spam]\nbogus = 1",
    ] {
        assert!(Scenario::from_toml(text).is_err(), "accepted: {text}");
    }
}
