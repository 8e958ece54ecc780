//! Tests of the simulator and, through it, of the protocol core: one file per behaviour of
//! the protocol (`docs/protocol.md`) and of its invariants (§11). Every failure message starts with the seed, so it replays with
//! `cliqueclique-sim SCENARIO --seed N` or by rerunning the test.

use crate::fault::{EventSpec, FaultKind};
use crate::link::{Latency, LinkModel};
use crate::metrics::Report;
use crate::scenario::{Forum, Scenario};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

mod ban;
mod catch_up;
mod chain;
mod decline;
mod faults;
mod malicious;
mod max_peers;
mod pair;
mod relay;
mod retract;
mod scenarios;
mod spam;
mod stale;
mod threads;
mod units;
mod unwanted;

/// Panics with the seed and every violation if the run failed.
#[track_caller]
fn assert_ok(report: &Report) {
    if report.is_failing() {
        panic!("{}", failure(report));
    }
}

/// The failure text of a run: seed, delivery ratio, violations.
fn failure(report: &Report) -> String {
    let mut text = format!(
        "failing seed: {} (scenario {}): delivery ratio {:.4} ({} / {})",
        report.seed,
        report.scenario,
        report.delivery_ratio,
        report.deliveries,
        report.deliveries_expected
    );
    for v in report.invariant_violations.iter().take(20) {
        text.push_str("\n  - ");
        text.push_str(v);
    }
    if report.invariant_violations.len() > 20 {
        text.push_str(&format!(
            "\n  ... and {} more",
            report.invariant_violations.len() - 20
        ));
    }
    text
}

/// A small network with loss, duplication and reordering, drawn from `seed`, without faults.
/// A 16-node forum with 5% loss and duplication whose six subscribers follow the thread, set up
/// and with its `comments` posted, ready for a test to act on it.
fn followed_small_forum(name: &str, seed: u64, comments: usize) -> crate::run::Runner {
    let scenario = Scenario {
        name: name.into(),
        seed,
        nodes: 16,
        network: LinkModel {
            loss: 0.05,
            duplicate: 0.05,
            ..LinkModel::default()
        },
        forum: Forum {
            subscribers: 6,
            posters: 3,
            comments,
            thread_subscription: true,
            ..Forum::default()
        },
        idle_ms: 300_000,
        ..Scenario::default()
    };
    let mut runner = crate::run::Runner::new(&scenario).unwrap();
    runner.setup().unwrap();
    runner.comments();
    runner
}

fn small_scenario(seed: u64) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_5eed);
    let nodes = rng.random_range(5..=30usize);
    let subscribers = rng.random_range(2..=(nodes / 2).max(2));
    Scenario {
        name: "small-random".into(),
        seed,
        nodes,
        network: LinkModel {
            latency: Latency {
                min_ms: rng.random_range(2..20),
                max_ms: rng.random_range(40..150),
                tail_probability: 0.02,
                tail_max_ms: 800,
            },
            loss: rng.random_range(0.0..0.1),
            duplicate: rng.random_range(0.0..0.05),
            detect_ms: rng.random_range(500..3000),
        },
        forum: Forum {
            join_interval_ms: rng.random_range(5..50),
            subscribers,
            posters: rng.random_range(1..=subscribers.min(3)),
            comments: rng.random_range(5..=15),
            comment_interval_ms: rng.random_range(50..300),
            reply_probability: if rng.random_bool(0.3) { 0.2 } else { 0.0 },
            thread_subscription: rng.random_bool(0.3),
            ..Forum::default()
        },
        idle_ms: 600_000,
        ..Scenario::default()
    }
}

/// Adds one random fault to a small scenario: partition and heal, crash and restart, or a departure.
fn with_random_fault(scenario: Scenario) -> Scenario {
    with_fault_from(scenario, false)
}

/// The same small network with one node leaving for good at a random time.
fn with_random_departure(scenario: Scenario) -> Scenario {
    with_fault_from(scenario, true)
}

/// The same small network whose root's center leaves for good at a random time.
fn with_center_departure(mut scenario: Scenario) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(scenario.seed ^ 0xce17);
    let span = scenario.forum.comments as u64 * scenario.forum.comment_interval_ms;
    scenario.events = vec![EventSpec {
        at_ms: rng.random_range(0..span.max(1)),
        kind: FaultKind::CenterLeave,
        node: None,
        count: None,
        groups: None,
        doc: Some(crate::fault::Target::Root),
        restart_after_ms: None,
        duration_ms: None,
        interval_ms: None,
        heirs: None,
    }];
    scenario
}

/// The same small network whose root's center and the heirs it named leave for good at once.
fn with_center_and_heirs_departure(scenario: Scenario) -> Scenario {
    let mut scenario = with_center_departure(scenario);
    for event in &mut scenario.events {
        event.heirs = Some(true);
    }
    scenario
}

/// Adds one random fault: a partition that heals or crashes with restarts, or (with
/// `departure`) a node leaving for good.
fn with_fault_from(mut scenario: Scenario, departure: bool) -> Scenario {
    let mut rng = ChaCha8Rng::seed_from_u64(scenario.seed ^ 0xfa17);
    let span = scenario.forum.comments as u64 * scenario.forum.comment_interval_ms;
    let at_ms = rng.random_range(0..span.max(1));
    let event = |kind| EventSpec {
        at_ms,
        kind,
        node: None,
        count: None,
        groups: None,
        doc: None,
        restart_after_ms: None,
        duration_ms: None,
        interval_ms: None,
        heirs: None,
    };
    let kind = if departure { 2 } else { rng.random_range(0..2) };
    match kind {
        0 => {
            let split = rng.random_range(0.2..0.8);
            let mut partition = event(FaultKind::Partition);
            partition.groups = Some(vec![[
                crate::fault::Bound::Fraction(0.0),
                crate::fault::Bound::Fraction(split),
            ]]);
            let mut heal = event(FaultKind::Heal);
            heal.at_ms = at_ms + rng.random_range(500..5000);
            scenario.events = vec![partition, heal];
        }
        1 => {
            let mut crash = event(FaultKind::Crash);
            crash.count = Some(rng.random_range(1..=(scenario.nodes / 4).max(1)));
            crash.restart_after_ms = Some(rng.random_range(100..5000));
            scenario.events = vec![crash];
        }
        _ => {
            let mut leave = event(FaultKind::Leave);
            leave.count = Some(1);
            scenario.events = vec![leave];
        }
    }
    scenario
}
