//! Catch-up after a restart costs the difference, not the shared state (docs/protocol.md §3.1).

use crate::catch_up::{catch_up, catch_ups};

#[test]
fn nothing_missed_costs_a_digest_and_an_answer() {
    let figures = catch_up(600, 0, 1).unwrap();
    assert!(figures.violations.is_empty(), "{:?}", figures.violations);
    assert_eq!(figures.out_of_sync, 0, "{figures:?}");
    assert_eq!(figures.updates, 0, "{figures:?}");
    assert_eq!(figures.acks, 0, "{figures:?}");
    // Both ask about everything; the node with the lower id keeps its question.
    assert_eq!(figures.digests, 3, "{figures:?}");
}

#[test]
fn the_cost_follows_the_missed_comments_not_the_shared_ones() {
    let small = catch_up(150, 5, 2).unwrap();
    let large = catch_up(600, 5, 2).unwrap();
    for figures in [&small, &large] {
        assert!(figures.violations.is_empty(), "{:?}", figures.violations);
        assert_eq!(figures.out_of_sync, 0, "{figures:?}");
        assert_eq!(figures.bodies, 5, "{figures:?}");
        // A few states per missed comment: its own, and those of its small range.
        assert!(figures.updates <= 5 * 2 * 8, "{figures:?}");
    }
    // Four times the shared comments: at most one more level of digests per difference, where
    // sending every link's state again would cost four times as much.
    assert!(
        large.parts <= small.parts + 5 * 2 * 16 + 16,
        "{small:?}\n{large:?}"
    );
}

#[test]
fn a_catch_up_over_a_lossy_link_ends_in_sync() {
    for seed in 0..4 {
        let figures = catch_ups(200, &[10], seed, 0.2).unwrap().remove(0);
        assert!(
            figures.violations.is_empty(),
            "seed {seed}: {:?}",
            figures.violations
        );
        assert_eq!(figures.out_of_sync, 0, "seed {seed}: {figures:?}");
        assert!(figures.bodies >= 10, "seed {seed}: {figures:?}");
    }
}
