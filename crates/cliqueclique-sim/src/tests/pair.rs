//! The founding design's two algorithms under a bad link: two nodes with 30% loss, duplication and
//! reordering end up with each side holding exactly the other's state and acknowledging it,
//! and then send nothing at all.

use super::assert_ok;
use crate::link::{Latency, LinkModel};
use crate::run::Runner;
use crate::scenario::{Forum, Scenario};

fn lossy_pair(seed: u64) {
    let scenario = Scenario {
        name: "lossy-pair".into(),
        seed,
        nodes: 2,
        network: LinkModel {
            latency: Latency {
                min_ms: 5,
                max_ms: 300,
                tail_probability: 0.05,
                tail_max_ms: 3000,
            },
            loss: 0.3,
            duplicate: 0.1,
            detect_ms: 1000,
        },
        forum: Forum {
            thread_author: Some(0),
            subscriber_nodes: vec![1],
            poster_nodes: vec![0, 1],
            comments: 20,
            comment_interval_ms: 200,
            reply_probability: 0.3,
            thread_subscription: true,
            ..Forum::default()
        },
        ..Scenario::default()
    };
    let mut runner = Runner::new(&scenario).unwrap();
    runner.execute().unwrap();
    let report = runner.report();
    assert_ok(&report);
    assert_eq!(
        report.idle_bytes, 0,
        "seed {seed}: an idle hour costs nothing"
    );
    let net = runner.network();
    let (a, b) = (net.node(0).unwrap(), net.node(1).unwrap());
    let mut shared = 0;
    for sa in a.subscriptions() {
        let Some(sb) = b.subscription(&sa.doc) else {
            continue;
        };
        shared += 1;
        let doc = net.ledger().label(&sa.doc);
        for (me, other, mine, theirs) in [(a, b, sa, sb), (b, a, sb, sa)] {
            let link = mine
                .links
                .get(&other.id())
                .unwrap_or_else(|| panic!("seed {seed}: {doc}: no link"));
            assert_eq!(
                link.advert,
                Some(theirs.advert_for(&me.id())),
                "seed {seed}: {doc}: a side holds a stale copy of the other's state"
            );
            assert_eq!(
                link.peer_serial, theirs.serial,
                "seed {seed}: {doc}: stale serial"
            );
            assert_eq!(
                link.acked, mine.serial,
                "seed {seed}: {doc}: unacknowledged state"
            );
        }
    }
    assert!(
        shared >= 2,
        "seed {seed}: root and thread are shared ({shared})"
    );
}

#[test]
fn lossy_pair_converges_and_goes_silent() {
    for seed in 0..8 {
        lossy_pair(seed);
    }
}
