//! A malicious node: forged bodies, wrong ids, lying batches and garbage frames. Every decoder
//! rejects the garbage, every core rejects the forgeries, no store accepts one, nothing panics.

use super::assert_ok;
use crate::fault::{Fault, Who};
use crate::ledger::DocKind;
use crate::link::{Latency, LinkModel};
use crate::malicious::{Forgery, forge};
use crate::network::Network;
use crate::run::Runner;
use crate::scenario::{Forum, Scenario};
use cliqueclique_doc::{DocId, DocumentBuilder};
use cliqueclique_proto::{Advert, Batch, Command, Config, Part, Rank, Store};

#[test]
fn malicious_node_changes_nothing() {
    let scenario = Scenario {
        name: "malicious".into(),
        seed: 71,
        nodes: 20,
        network: LinkModel {
            loss: 0.02,
            ..LinkModel::default()
        },
        forum: Forum {
            subscribers: 6,
            posters: 2,
            comments: 30,
            ..Forum::default()
        },
        idle_ms: 600_000,
        ..Scenario::default()
    };
    let mut runner = Runner::new(&scenario).unwrap();
    runner.setup().unwrap();
    let spared: Vec<usize> = runner.posters().to_vec();
    let m = (1..20).find(|i| !spared.contains(i)).unwrap();
    runner.add_fault(
        500,
        Fault::Malicious {
            who: Who::Node(m),
            duration_ms: 3000,
            interval_ms: 100,
        },
    );
    runner.comments();
    runner.idle();
    let report = runner.report();
    // The invariants include "no store holds a forged body" and "every stored body parses".
    assert_ok(&report);
    let c = &report.counters;
    assert!(
        c.malicious_frames > 50,
        "seed {}: {} hostile frames",
        scenario.seed,
        c.malicious_frames
    );
    assert!(
        c.decode_errors > 0,
        "seed {}: garbage reached the decoders",
        scenario.seed
    );
    assert!(
        c.rejected > 0,
        "seed {}: forgeries reached the cores",
        scenario.seed
    );
    assert!(!runner.forged().is_empty());
}

/// Each kind of forgery, delivered alone over a perfect link, ends in the expected refusal.
#[test]
fn each_forgery_is_refused() {
    let link = LinkModel {
        latency: Latency {
            min_ms: 10,
            max_ms: 10,
            ..Latency::default()
        },
        ..LinkModel::default()
    };
    for kind in Forgery::ALL {
        let mut net = Network::new(3, Config::default(), link.clone(), 81);
        let root = DocumentBuilder::new("root")
            .text("root")
            .date(1)
            .build(net.sim_node(0).identity());
        let root = net.post(0, root, DocKind::Root, "root".into()).unwrap();
        for i in [1, 2] {
            let peer = net.sim_node(0).card().clone();
            net.command(i, Command::Join { doc: root, peer }).unwrap();
        }
        assert!(net.run_until_quiet(600_000, 1000));
        net.set_malicious(1);
        let (decode_before, rejected_before) =
            (net.counters().decode_errors, net.counters().rejected);
        let (frame, forged) = forge(&mut net, 1, 0, kind, 0, &[root]);
        net.send_frame(1, 0, frame);
        assert!(
            net.run_until_quiet(600_000, 1000),
            "seed 81, {kind:?}: the network settles"
        );
        let decode = net.counters().decode_errors - decode_before;
        let rejected = net.counters().rejected - rejected_before;
        let expect_decode = matches!(
            kind,
            Forgery::Garbage | Forgery::BadVersion | Forgery::Truncated | Forgery::Oversize
        );
        if expect_decode {
            assert_eq!(
                (decode, rejected),
                (1, 0),
                "seed 81, {kind:?}: the decoder refuses the frame"
            );
        } else {
            assert_eq!(
                (decode, rejected),
                (0, 1),
                "seed 81, {kind:?}: the core rejects the input"
            );
        }
        for i in 0..3 {
            let store = net.node(i).unwrap().store();
            if let Some(id) = forged {
                assert!(
                    store.document(&id).is_none(),
                    "seed 81, {kind:?}: node {i} stored a forged body"
                );
            }
            assert_eq!(
                store.n_documents(),
                1,
                "seed 81, {kind:?}: node {i} holds only the root"
            );
        }
        // No altered card was learnt: node 0 knows node 2 by its genuine card, if at all.
        let known = net
            .node(0)
            .unwrap()
            .peers()
            .get(&net.sim_node(2).id())
            .and_then(|p| p.card.clone());
        assert!(
            known.is_none_or(|card| card == *net.sim_node(2).card()),
            "seed 81, {kind:?}: an altered card was learnt"
        );
    }
}

/// Every prefix of a valid frame and every single-bit flip of its header is refused or decodes
/// to a batch the core handles; nothing panics.
#[test]
fn decoder_survives_truncation_and_bit_flips() {
    let mut net = Network::new(2, Config::default(), LinkModel::default(), 91);
    let doc = DocumentBuilder::new("x")
        .text("some text")
        .date(1)
        .build(net.sim_node(0).identity());
    let batch = Batch {
        from: net.sim_node(0).id(),
        to: net.sim_node(1).id(),
        parts: vec![
            Part::Update {
                doc: doc.id(),
                serial: 3,
                advert: Advert {
                    center: net.sim_node(0).id(),
                    rank: Rank::default(),
                    seq: 1,
                    dist: 0,
                    flags: Advert::HAS_BODY,
                },
                body: Some(doc.bytes().clone()),
                thread: None,
            },
            Part::Ack {
                doc: DocId::of(b"other"),
                serial: 9,
                has_body: false,
            },
        ],
    };
    let frame = batch.encode();
    let max = net.max_frame();
    assert_eq!(Batch::decode(&frame, max).unwrap(), batch);
    for cut in 0..frame.len() {
        assert!(
            Batch::decode(&frame[..cut], max).is_err(),
            "a {cut}-byte prefix decoded"
        );
    }
    net.set_malicious(0);
    for bit in 0..(200 * 8).min(frame.len() * 8) {
        let mut flipped = frame.clone();
        flipped[bit / 8] ^= 1 << (bit % 8);
        net.send_frame(0, 1, flipped);
    }
    assert!(net.run_until_quiet(600_000, 1000));
    let store = net.node(1).unwrap().store();
    assert!(
        store.document(&doc.id()).is_none()
            || net.node(1).unwrap().subscription(&doc.id()).is_some()
    );
}
