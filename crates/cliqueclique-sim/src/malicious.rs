//! A malicious node's traffic: forged documents, lying batches and garbage frames.
//!
//! A malicious node keeps running its honest protocol core, and in addition sends each of its
//! peers one hostile frame per volley, cycling through [`Forgery`] kinds. The protocol must reject
//! all of them: every decoder refuses the garbage, no store accepts a forged body, no core panics.
//! The ids of forged bodies are returned so that the invariants can check that no store holds one.

use crate::network::Network;
use bytes::Bytes;
use cliqueclique_doc::{ContactCard, DocId, Document, DocumentBuilder, NodeId};
use cliqueclique_proto::message::WIRE_VERSION;
use cliqueclique_proto::{Advert, Batch, Part, Rank};
use rand::RngExt;

/// The kinds of hostile frames, in the order a malicious node cycles through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forgery {
    /// Random bytes.
    Garbage,
    /// A valid batch behind an unknown version byte.
    BadVersion,
    /// A valid batch cut short.
    Truncated,
    /// A new document's id with another (valid) document's body.
    WrongId,
    /// A new comment with one byte flipped, announced under the hash of the flipped bytes.
    Tampered,
    /// A comment signed by the malicious node that names another node's key as its author.
    ForgedAuthor,
    /// A batch claiming to come from another node.
    WrongSender,
    /// A batch addressed to another node.
    Misaddressed,
    /// Another node's contact card, altered after signing.
    BadCard,
    /// An introduction carrying an altered card.
    BadIntroduction,
    /// A frame larger than any node accepts.
    Oversize,
}

impl Forgery {
    /// Every kind, in cycling order.
    pub const ALL: [Forgery; 11] = [
        Forgery::Garbage,
        Forgery::BadVersion,
        Forgery::Truncated,
        Forgery::WrongId,
        Forgery::Tampered,
        Forgery::ForgedAuthor,
        Forgery::WrongSender,
        Forgery::Misaddressed,
        Forgery::BadCard,
        Forgery::BadIntroduction,
        Forgery::Oversize,
    ];
}

/// Sends one hostile frame from node `m` to each of its peers (or to three random nodes if it has
/// none yet). `docs` are documents the victims may hold; `round` picks the forgeries.
/// Returns the ids of the forged bodies sent.
pub fn volley(net: &mut Network, m: usize, round: u64, docs: &[DocId]) -> Vec<DocId> {
    let mut victims: Vec<usize> = net.sessions(m).iter().copied().collect();
    if victims.is_empty() {
        let n = net.len();
        for _ in 0..3 {
            let j = net.rng().random_range(0..n);
            if j != m {
                victims.push(j);
            }
        }
    }
    let mut forged = Vec::new();
    for (k, &j) in victims.iter().enumerate() {
        let kind = Forgery::ALL[(round as usize + k) % Forgery::ALL.len()];
        let (frame, id) = forge(net, m, j, kind, round, docs);
        forged.extend(id);
        net.send_frame(m, j, frame);
    }
    forged
}

/// Builds one hostile frame from `m` to `j`, with the id of any forged body it carries.
pub fn forge(
    net: &mut Network,
    m: usize,
    j: usize,
    kind: Forgery,
    round: u64,
    docs: &[DocId],
) -> (Vec<u8>, Option<DocId>) {
    let me = net.sim_node(m).id();
    let victim = net.sim_node(j).id();
    // A third node, neither the sender nor the victim.
    let third = (0..net.len())
        .map(|k| (j + 1 + k) % net.len())
        .find(|&k| k != m && k != j);
    let other = third.map_or_else(|| NodeId::from([7; 32]), |k| net.sim_node(k).id());
    let doc = if docs.is_empty() {
        DocId::of(b"nothing")
    } else {
        docs[round as usize % docs.len()]
    };
    let batch = |from: NodeId, to: NodeId, parts: Vec<Part>| Batch { from, to, parts }.encode();
    let update = |doc: DocId, body: Option<Bytes>| Part::Update {
        doc,
        // Serial 0 never overrides what the sender's honest core advertised on an existing link.
        serial: 0,
        advert: Advert {
            center: me,
            rank: Rank::default(),
            seq: 1,
            dist: 1,
            flags: Advert::HAS_BODY | Advert::WANTED,
        },
        body,
        thread: None,
    };
    match kind {
        Forgery::Garbage => {
            let len = net.rng().random_range(1..400);
            let mut bytes = vec![0u8; len];
            net.rng().fill(&mut bytes[..]);
            (bytes, None)
        }
        Forgery::BadVersion => {
            let mut frame = batch(me, victim, vec![update(doc, None)]);
            frame[0] = WIRE_VERSION.wrapping_add(1 + (round % 200) as u8);
            (frame, None)
        }
        Forgery::Truncated => {
            let comment = comment(net, m, doc, round);
            let mut frame = batch(
                me,
                victim,
                vec![update(comment.id(), Some(comment.bytes().clone()))],
            );
            let cut = net.rng().random_range(1..frame.len());
            frame.truncate(cut);
            (frame, None)
        }
        Forgery::WrongId => {
            // Announce one new comment and carry another: the receiver holds neither.
            let announced = comment(net, m, doc, round);
            let carried = comment(net, m, doc, round);
            let part = update(announced.id(), Some(carried.bytes().clone()));
            (batch(me, victim, vec![part]), Some(carried.id()))
        }
        Forgery::Tampered => {
            let comment = comment(net, m, doc, round);
            let mut bytes = comment.bytes().to_vec();
            let at = net.rng().random_range(0..bytes.len());
            bytes[at] ^= 1 << net.rng().random_range(0..8u32);
            let id = DocId::of(&bytes);
            (
                batch(me, victim, vec![update(id, Some(Bytes::from(bytes)))]),
                Some(id),
            )
        }
        Forgery::ForgedAuthor => {
            let comment = comment(net, m, doc, round);
            let mine = net.sim_node(m).identity().public_key().to_string();
            let theirs = net.sim_node(j).identity().public_key().to_string();
            let text = String::from_utf8_lossy(comment.bytes()).replace(&mine, &theirs);
            let bytes = Bytes::from(text.into_bytes());
            let id = DocId::of(&bytes);
            (batch(me, victim, vec![update(id, Some(bytes))]), Some(id))
        }
        Forgery::WrongSender => {
            let comment = comment(net, m, doc, round);
            let part = update(comment.id(), Some(comment.bytes().clone()));
            (batch(other, victim, vec![part]), Some(comment.id()))
        }
        Forgery::Misaddressed => {
            let comment = comment(net, m, doc, round);
            let part = update(comment.id(), Some(comment.bytes().clone()));
            (batch(me, other, vec![part]), Some(comment.id()))
        }
        Forgery::BadCard => {
            let card = altered_card(net.sim_node(j).card());
            (batch(me, victim, vec![Part::Card { card }]), None)
        }
        Forgery::BadIntroduction => {
            let card = altered_card(net.sim_node((j + 1) % net.len()).card());
            (batch(me, victim, vec![Part::Introduce { doc, card }]), None)
        }
        Forgery::Oversize => (vec![WIRE_VERSION; net.max_frame() + 1], None),
    }
}

/// A fresh, validly signed comment of node `m` under `parent`.
fn comment(net: &mut Network, m: usize, parent: DocId, round: u64) -> Document {
    let salt = net.rng().random::<u64>();
    DocumentBuilder::new(format!("forged {round}"))
        .parent(parent)
        .text(format!("not what it seems {salt}"))
        .date(net.now().as_millis() / 1000)
        .build(net.sim_node(m).identity())
}

/// A card whose fields no longer match its signature.
fn altered_card(card: &ContactCard) -> ContactCard {
    let mut card = card.clone();
    card.addresses = vec!["sim://attacker".into()];
    card
}
