//! The simulator's own parts: queue order, partition groups, bounds, the ledger, the link model.

use crate::fault::{Bound, assign_groups};
use crate::ledger::{DocKind, Ledger, NO_HOPS};
use crate::link::LinkModel;
use crate::queue::Queue;
use cliqueclique_doc::DocId;
use cliqueclique_proto::Time;

#[test]
fn queue_pops_by_time_then_insertion_order() {
    let mut q = Queue::default();
    q.push(Time(5), "b");
    q.push(Time(1), "a");
    q.push(Time(5), "c");
    q.push(Time(9), "d");
    assert_eq!(q.pop_until(Time(4)), Some((Time(1), "a")));
    assert_eq!(q.pop_until(Time(4)), None);
    assert_eq!(q.pop_until(Time(9)), Some((Time(5), "b")));
    assert_eq!(q.pop_until(Time(9)), Some((Time(5), "c")));
    assert_eq!(q.next_time(), Some(Time(9)));
    assert_eq!(q.len(), 1);
}

#[test]
fn partition_groups_and_bounds() {
    assert_eq!(Bound::Fraction(0.5).index(10), 5);
    assert_eq!(Bound::Fraction(1.0).index(7), 7);
    assert_eq!(Bound::Index(3).index(10), 3);
    assert_eq!(Bound::Index(30).index(10), 10);
    assert_eq!(assign_groups(6, &[0..2, 4..6]), vec![1, 1, 0, 0, 2, 2]);
}

#[test]
fn ledger_counts_hops_and_flags_double_storage() {
    let doc = DocId::of(b"doc");
    let mut ledger = Ledger::new(4);
    ledger.track(doc, DocKind::Comment, "c".into(), None, 2, Time(0));
    ledger.arrived(1, &doc, Some(2));
    ledger.arrived(0, &doc, Some(1));
    let t = ledger.get(&doc).unwrap();
    assert_eq!(t.hops, vec![2, 1, 0, NO_HOPS]);
    assert_eq!(ledger.duplicate_arrivals().count(), 0);
    // Removed and stored again: fine. Stored again without a removal: a duplicate.
    ledger.removed(0, &doc);
    ledger.arrived(0, &doc, Some(2));
    assert_eq!(ledger.duplicate_arrivals().count(), 0);
    ledger.arrived(0, &doc, Some(2));
    assert_eq!(ledger.duplicate_arrivals().count(), 1);
    assert_eq!(
        ledger.get(&doc).unwrap().hops[0],
        2,
        "the first copy's hops are kept"
    );
}

#[test]
fn link_model_validation() {
    assert!(LinkModel::default().validate().is_ok());
    let mut bad = LinkModel::default();
    bad.latency.min_ms = 200;
    assert!(bad.validate().is_err());
    let bad = LinkModel {
        loss: 0.99,
        ..LinkModel::default()
    };
    assert!(bad.validate().is_err());
}
