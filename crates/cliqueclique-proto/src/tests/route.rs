//! Route selection and the feasibility condition.

use crate::message::{Advert, Rank};
use crate::route::{FeasibilityTable, Offer, Route, select};
use cliqueclique_doc::NodeId;

const ME: NodeId = NodeId([5; 32]);
const UNSUB: Rank = Rank {
    subscribed: false,
    author: false,
};
const SUB: Rank = Rank {
    subscribed: true,
    author: false,
};

fn offer(peer: u8, center: u8, rank: Rank, seq: u32, dist: u32, flags: u8) -> Offer {
    Offer {
        peer: NodeId([peer; 32]),
        advert: Advert {
            center: NodeId([center; 32]),
            rank,
            seq,
            dist,
            flags,
        },
    }
}

fn me_claim() -> Route {
    Route::self_claim(ME, UNSUB, 1)
}

#[test]
fn a_better_center_is_followed_at_its_distance_plus_one() {
    let table = FeasibilityTable::default();
    let s = select(
        ME,
        me_claim(),
        None,
        [offer(1, 9, UNSUB, 1, 2, 0)],
        &table,
        64,
    );
    assert_eq!(s.route.center, NodeId([9; 32]));
    assert_eq!(s.route.dist, 3);
    assert_eq!(s.route.upstream, Some(NodeId([1; 32])));
    assert_eq!(s.blocked, None);
}

#[test]
fn a_subscribed_center_beats_a_larger_id() {
    let table = FeasibilityTable::default();
    let offers = [offer(1, 9, UNSUB, 1, 0, 0), offer(2, 1, SUB, 1, 0, 0)];
    let s = select(ME, me_claim(), None, offers, &table, 64);
    assert_eq!(s.route.center, NodeId([1; 32]));
}

#[test]
fn worse_centers_lose_to_the_self_claim() {
    let table = FeasibilityTable::default();
    let s = select(
        ME,
        me_claim(),
        None,
        [offer(1, 2, UNSUB, 1, 0, 0)],
        &table,
        64,
    );
    assert_eq!(s.route, me_claim());
}

#[test]
fn followers_and_echoes_are_never_upstream() {
    let table = FeasibilityTable::default();
    let offers = [
        offer(1, 9, UNSUB, 1, 1, Advert::UPSTREAM_IS_YOU),
        offer(2, 5, UNSUB, 1, 1, 0),
    ];
    let s = select(ME, me_claim(), None, offers, &table, 64);
    assert_eq!(s.route, me_claim());
}

#[test]
fn routes_longer_than_the_cap_are_ignored() {
    let table = FeasibilityTable::default();
    let s = select(
        ME,
        me_claim(),
        None,
        [offer(1, 9, UNSUB, 1, 64, 0)],
        &table,
        64,
    );
    assert_eq!(s.route, me_claim());
    assert_eq!(s.blocked, None);
}

#[test]
fn feasibility_rejects_longer_routes_of_the_same_sequence_number() {
    let mut table = FeasibilityTable::default();
    let advertised = Route {
        center: NodeId([9; 32]),
        rank: UNSUB,
        seq: 4,
        dist: 2,
        upstream: Some(NodeId([1; 32])),
    };
    table.advertise(&advertised);
    assert!(!table.is_feasible(&NodeId([9; 32]), 4, 2));
    assert!(!table.is_feasible(&NodeId([9; 32]), 3, 1));
    assert!(table.is_feasible(&NodeId([9; 32]), 4, 1));
    assert!(table.is_feasible(&NodeId([9; 32]), 5, 50));

    // The old upstream is gone; a neighbour downstream of us offers the same center further away.
    let s = select(
        ME,
        me_claim(),
        None,
        [offer(3, 9, UNSUB, 4, 3, 0)],
        &table,
        64,
    );
    assert_eq!(s.route, me_claim(), "an infeasible route must not be taken");
    let blocked = s.blocked.expect("a sequence number request");
    assert_eq!(blocked.center, NodeId([9; 32]));
    assert_eq!(blocked.seq, 5);
    assert_eq!(blocked.peer, NodeId([3; 32]));

    // Once the center answers with a newer sequence number the route is taken.
    let s = select(
        ME,
        me_claim(),
        None,
        [offer(3, 9, UNSUB, 5, 3, 0)],
        &table,
        64,
    );
    assert_eq!(s.route.center, NodeId([9; 32]));
    assert_eq!(s.route.dist, 4);
}

#[test]
fn ties_keep_the_current_upstream() {
    let table = FeasibilityTable::default();
    let offers = [offer(1, 9, UNSUB, 1, 1, 0), offer(2, 9, UNSUB, 1, 1, 0)];
    let s = select(ME, me_claim(), Some(NodeId([2; 32])), offers, &table, 64);
    assert_eq!(s.route.upstream, Some(NodeId([2; 32])));
    let s = select(ME, me_claim(), None, offers, &table, 64);
    assert_eq!(s.route.upstream, Some(NodeId([1; 32])));
}

#[test]
fn the_table_stays_bounded() {
    let mut table = FeasibilityTable::default();
    for c in 10..40u8 {
        table.advertise(&Route {
            center: NodeId([c; 32]),
            rank: UNSUB,
            seq: 1,
            dist: 1,
            upstream: Some(NodeId([1; 32])),
        });
    }
    assert!(table.get(&NodeId([39; 32])).is_some());
    assert!(table.get(&NodeId([10; 32])).is_none());
}
