//! 200 small networks (5 to 30 nodes) with loss, duplication, reordering and one random fault
//! (a partition that heals, or crashes with restarts): every invariant must hold and every
//! comment must reach every subscriber.
//!
//! The seeds are split over four tests so that they run in parallel. Permanent departures have
//! their own sweep, run on demand: a departing cut vertex can still split a document's overlay
//! (`docs/protocol.md`, "Known limitations").

use super::{failure, small_scenario, with_random_departure, with_random_fault};
use crate::run;

fn sweep(seeds: std::ops::Range<u64>) {
    sweep_with(seeds, with_random_fault);
}

fn sweep_with(seeds: std::ops::Range<u64>, fault: fn(crate::Scenario) -> crate::Scenario) {
    let mut failures = Vec::new();
    for seed in seeds {
        let scenario = fault(small_scenario(seed));
        let report = run(&scenario).expect("valid scenario");
        if report.is_failing() {
            failures.push(format!(
                "{}\n  replay: {}",
                failure(&report),
                save(&scenario)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} seeds failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Writes a failing scenario where the CLI can replay it; returns the command.
fn save(scenario: &crate::Scenario) -> String {
    let dir = std::env::temp_dir().join("cliqueclique-sim-failures");
    let path = dir.join(format!("small-random-{}.toml", scenario.seed));
    let written = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, toml::to_string(scenario).unwrap_or_default()));
    match written {
        Ok(()) => format!(
            "cargo run --release -p cliqueclique-sim -- {}",
            path.display()
        ),
        Err(e) => format!("(could not save the scenario: {e})"),
    }
}

#[test]
fn random_faults_seeds_0_to_49() {
    sweep(0..50);
}

#[test]
fn random_faults_seeds_50_to_99() {
    sweep(50..100);
}

#[test]
fn random_faults_seeds_100_to_149() {
    sweep(100..150);
}

#[test]
fn random_faults_seeds_150_to_199() {
    sweep(150..200);
}

/// One node leaves for good. Fails on a few seeds (about one in ten): when the node that left
/// was the only connection of some nodes to the rest of an overlay, they stay cut off.
#[test]
#[ignore = "known limitation: a departing cut vertex can split S(x); see docs/protocol.md, Known limitations"]
fn random_departures_seeds_0_to_99() {
    sweep_with(0..100, with_random_departure);
}

#[test]
#[ignore]
fn tmp_wide_departures() {
    sweep_with(100..700, with_random_departure);
}

#[test]
#[ignore]
fn tmp_wide_faults() {
    sweep(200..800);
}
