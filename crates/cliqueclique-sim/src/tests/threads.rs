//! Whole threads under faults: 200 small networks in which every subscriber follows the thread
//! (every document below it, at any depth) and most comments reply to earlier comments, with
//! loss, duplication, reordering and one random fault (a partition that heals, crashes with
//! restarts, or a departure for good). After quiet every member of a thread set must hold every
//! document below its thread (`docs/protocol.md` §6.1), and `thread_completeness` must be 1.

use super::faults::sweep_with;
use super::{with_random_departure, with_random_fault};
use crate::Scenario;

/// Every subscriber follows the whole thread, and comments nest deeply.
fn deep(mut scenario: Scenario) -> Scenario {
    scenario.forum.thread_subscription = true;
    scenario.forum.reply_probability = 0.8;
    scenario.forum.comments = scenario.forum.comments.max(10);
    scenario
}

#[test]
fn deep_threads_with_faults_seeds_0_to_49() {
    sweep_with(0..50, |s| with_random_fault(deep(s)));
}

#[test]
fn deep_threads_with_faults_seeds_50_to_99() {
    sweep_with(50..100, |s| with_random_fault(deep(s)));
}

#[test]
fn deep_threads_with_faults_seeds_100_to_149() {
    sweep_with(100..150, |s| with_random_fault(deep(s)));
}

#[test]
fn deep_threads_with_departures_seeds_150_to_199() {
    sweep_with(150..200, |s| with_random_departure(deep(s)));
}
