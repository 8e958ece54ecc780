//! The peer table under throw-away node keys: no record for a mere sender, a bound on records,
//! and the least recently heard forgotten first, never a linked peer.

use super::Net;
use crate::{Advert, Batch, Config, Event, Part, Rank, Store, Time};
use cliqueclique_doc::{ContactCard, DocId, DocumentBuilder, Identity};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Node 0 holds a forum that node 1 joined.
fn forum(config: Config) -> (Net, DocId) {
    let mut net = Net::new(2, config);
    let root = net.post(0, DocumentBuilder::new("forum").text("welcome"));
    net.join(1, root, 0);
    net.run_for(5_000);
    assert!(net.holds(1, &root));
    (net, root)
}

/// `n` throw-away identities, each with its card.
fn throwaway(n: usize) -> Vec<(Identity, ContactCard)> {
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    (0..n)
        .map(|i| {
            let identity = Identity::generate(&mut rng);
            let card = ContactCard::new(&identity, format!("fake{i}"), vec![], 0);
            (identity, card)
        })
        .collect()
}

/// Hands node 0 a batch from `from`: its card, then `parts`; one millisecond after the last.
fn deliver(net: &mut Net, (from, card): &(Identity, ContactCard), parts: Vec<Part>) {
    net.now = Time(net.now.0 + 1);
    let batch = Batch {
        from: from.node_id(),
        to: net.id(0),
        parts: [Part::Card { card: card.clone() }]
            .into_iter()
            .chain(parts)
            .collect(),
    };
    let now = net.now;
    net.nodes[0].handle_batch(now, from.node_id(), batch);
}

/// An offer of `doc` from a node that holds it and follows `center`.
fn offer(doc: DocId, center: cliqueclique_doc::NodeId) -> Part {
    Part::Update {
        doc,
        serial: 1,
        advert: Advert {
            center,
            rank: Rank::default(),
            seq: 1,
            dist: 1,
            flags: Advert::HAS_BODY | Advert::WANTED,
        },
        body: None,
        thread: None,
    }
}

#[test]
fn v3_throwaway_senders_make_no_peer_records() {
    let (mut net, root) = forum(Config::default());
    let before = net.nodes[0].peers().len();
    let unknown = DocId::of(b"a document node 0 does not hold");
    let fakes = throwaway(2_000);
    let mut answered = 0;
    for fake in &fakes {
        // A card, a request for ours, and an offer of a document node 0 does not hold.
        let sender = fake.0.node_id();
        deliver(
            &mut net,
            fake,
            vec![Part::CardRequest, offer(unknown, sender)],
        );
        // The sender is still answered: our card and a request for the body.
        while let Some(t) = net.nodes[0].poll_transmit() {
            assert_eq!(t.to, sender);
            answered += 1;
        }
    }
    let node = &net.nodes[0];
    assert_eq!(node.peers().len(), before, "records of throw-away keys");
    assert_eq!(
        node.store().cards().len(),
        before,
        "cards of throw-away keys"
    );
    assert_eq!(node.stats().cards_ignored, fakes.len() as u64);
    assert_eq!(answered, fakes.len());
    // The node still serves its forum.
    let comment = net.post(1, DocumentBuilder::new("still here").parent(root));
    net.run_for(5_000);
    assert!(net.holds(0, &comment));
}

#[test]
fn v3_peer_records_stay_within_the_bound_and_the_oldest_are_forgotten() {
    let max_peer_records = 64;
    let (mut net, root) = forum(Config {
        max_peer_records,
        ..Config::default()
    });
    let (center, linked) = (net.id(0), net.id(1));
    let fakes = throwaway(1_000);
    for fake in &fakes {
        // A link request for the forum with a card, then a goodbye: each leaves a record with a
        // card behind, and no link.
        deliver(
            &mut net,
            fake,
            vec![
                offer(root, center),
                Part::Goodbye {
                    doc: root,
                    serial: 1,
                    suggestions: Vec::new(),
                },
            ],
        );
        let node = &net.nodes[0];
        assert!(
            node.peers().len() <= max_peer_records,
            "{} records",
            node.peers().len()
        );
        assert!(node.store().cards().len() <= max_peer_records);
        assert!(node.peers().contains_key(&linked), "the linked peer stays");
    }
    let node = &net.nodes[0];
    // The most recently heard are kept, the oldest forgotten.
    let last = fakes.last().expect("fakes").0.node_id();
    let first = fakes[0].0.node_id();
    assert!(node.peers().contains_key(&last));
    assert!(!node.peers().contains_key(&first));
    let forgotten = node.stats().peers_forgotten;
    assert!(
        forgotten >= (fakes.len() - max_peer_records) as u64,
        "{forgotten}"
    );
    net.collect();
    let events = super::count_events(
        &net,
        0,
        |e| matches!(e, Event::PeerForgotten { node } if *node == first),
    );
    assert_eq!(events, 1, "the driver hears of each forgotten peer");
    // The linked peer's traffic still flows.
    let comment = net.post(1, DocumentBuilder::new("still linked").parent(root));
    net.run_for(5_000);
    assert!(net.holds(0, &comment));
}
