//! The scenario files, determinism, center departure and partitions.

use super::assert_ok;
use crate::fault::{Fault, Target};
use crate::link::LinkModel;
use crate::run::{Runner, center_of};
use crate::scenario::{Forum, Scenario};
use std::path::Path;

fn scenarios_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

#[test]
fn every_scenario_file_parses() {
    let mut n = 0;
    for entry in std::fs::read_dir(scenarios_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            Scenario::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            n += 1;
        }
    }
    assert!(n >= 7, "found only {n} scenario files");
}

#[test]
fn bad_scenarios_are_refused() {
    for text in [
        "nodes = 1",
        "nodes = 10\n[forum]\nsubscriber_nodes = [10]",
        "bogus = 3",
        "[network]\nloss = 1.5",
        "[[event]]\nat_ms = 0\nkind = \"heal\"\nnode = 3",
        "[[event]]\nat_ms = 0\nkind = \"partition\"",
        "[proto]\nmax_peers = 3",
    ] {
        assert!(Scenario::from_toml(text).is_err(), "accepted: {text}");
    }
}

fn medium(seed: u64) -> Scenario {
    Scenario {
        name: "medium".into(),
        seed,
        nodes: 60,
        network: LinkModel {
            loss: 0.03,
            duplicate: 0.01,
            detect_ms: 1000,
            ..LinkModel::default()
        },
        forum: Forum {
            subscribers: 15,
            posters: 3,
            comments: 40,
            comment_interval_ms: 100,
            ..Forum::default()
        },
        idle_ms: 600_000,
        ..Scenario::default()
    }
}

#[test]
fn runs_are_deterministic() {
    let scenario = super::with_random_fault(super::small_scenario(3));
    let figures = |r: crate::Report| {
        let mut v = serde_json::to_value(&r).unwrap();
        let map = v.as_object_mut().unwrap();
        for key in [
            "wall_seconds",
            "nodes_per_wall_second",
            "events_per_wall_second",
        ] {
            map.remove(key);
        }
        v
    };
    let a = figures(crate::run(&scenario).unwrap());
    let b = figures(crate::run(&scenario).unwrap());
    assert_eq!(a, b, "seed {}: two runs differ", scenario.seed);
}

/// The thread's center leaves for good while comments flow: the best remaining candidate takes
/// over, and every comment reaches every subscriber.
#[test]
fn departed_center_is_replaced() {
    let scenario = medium(21);
    let mut runner = Runner::new(&scenario).unwrap();
    runner.setup().unwrap();
    let thread = runner.thread().unwrap();
    let old = center_of(runner.network(), &thread).unwrap();
    runner.add_fault(
        1500,
        Fault::CenterLeave {
            doc: Target::Thread,
            heirs: false,
        },
    );
    runner.comments();
    runner.idle();
    let report = runner.report();
    assert_ok(&report);
    let new = center_of(runner.network(), &thread).unwrap();
    assert_ne!(old, new, "seed {}: a new center", scenario.seed);
    assert!(runner.network().sim_node(old).has_left());
    assert!(
        report.convergence_ms_after_center_leave.is_some(),
        "seed {}: the overlay converged again",
        scenario.seed
    );
}

/// The forum splits in two while comments flow, then heals: one overlay, one center, every comment.
#[test]
fn partition_heals() {
    let scenario = medium(22);
    let mut runner = Runner::new(&scenario).unwrap();
    runner.setup().unwrap();
    runner.add_fault(
        1000,
        Fault::Partition {
            groups: vec![0..30, 30..60],
        },
    );
    runner.add_fault(5000, Fault::Heal);
    runner.comments();
    runner.idle();
    let report = runner.report();
    assert_ok(&report);
    assert!(
        report.counters.dropped_partition > 0,
        "seed {}: the partition cut traffic",
        scenario.seed
    );
    assert!(report.convergence_ms_after_heal.is_some());
}

/// The benchmark scenario's own file, shrunk to test size, keeps its shape.
#[test]
fn center_leave_scenario_file_holds() {
    let mut scenario = Scenario::load(&scenarios_dir().join("center-leave.toml")).unwrap();
    scenario.idle_ms = 600_000;
    let report = crate::run(&scenario).unwrap();
    assert_ok(&report);
}
