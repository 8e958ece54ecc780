//! Debug tracing: one readable line per batch exchanged among chosen nodes.
//!
//! `cliqueclique-sim SCENARIO --trace 3,7` (or [`crate::Network::trace`]) prints every batch sent
//! and delivered between the listed nodes, plus losses and liveness reports, on stderr. Node ids
//! are shown as node indices and documents by their ledger labels, so a failing seed can be read
//! step by step.

use cliqueclique_doc::{DocId, NodeId};
use cliqueclique_proto::{Part, Time};

/// Prints one batch: `at ms, what, from -> to: part, part, ...`.
pub fn print(
    now: Time,
    what: &str,
    from: usize,
    to: usize,
    parts: &[Part],
    name: impl Fn(&NodeId) -> String,
    label: impl Fn(&DocId) -> String,
) {
    let parts: Vec<String> = parts.iter().map(|p| describe(p, &name, &label)).collect();
    eprintln!(
        "{:>9} ms {what} {from} -> {to}: {}",
        now.as_millis(),
        parts.join(", ")
    );
}

/// One part in a line: its kind, document and the fields that matter for debugging.
pub fn describe(
    part: &Part,
    name: &impl Fn(&NodeId) -> String,
    label: &impl Fn(&DocId) -> String,
) -> String {
    match part {
        Part::Update {
            doc,
            serial,
            advert,
            body,
            ..
        } => format!(
            "Update({} serial {serial} center {} seq {} dist {} flags {:#x}{})",
            label(doc),
            name(&advert.center),
            advert.seq,
            advert.dist,
            advert.flags,
            if body.is_some() { " +body" } else { "" }
        ),
        Part::Ack {
            doc,
            serial,
            has_body,
            ..
        } => format!("Ack({} serial {serial} body {has_body})", label(doc)),
        Part::NeedBody { doc } => format!("NeedBody({})", label(doc)),
        Part::Decline {
            doc,
            serial,
            suggestions,
            ..
        } => format!(
            "Decline({} serial {serial} {} suggestions)",
            label(doc),
            suggestions.len()
        ),
        Part::Goodbye {
            doc,
            serial,
            suggestions,
        } => format!(
            "Goodbye({} serial {serial} {} suggestions)",
            label(doc),
            suggestions.len()
        ),
        Part::GoodbyeAck { doc } => format!("GoodbyeAck({})", label(doc)),
        Part::SeqRequest { doc, center, seq } => {
            format!(
                "SeqRequest({} center {} seq {seq})",
                label(doc),
                name(center)
            )
        }
        Part::Introduce { doc, card } => {
            format!("Introduce({} {})", label(doc), name(&card.node_id()))
        }
        Part::Card { card } => format!("Card({})", name(&card.node_id())),
        Part::CardRequest => "CardRequest".to_string(),
        Part::Heirs { doc, cards } => format!("Heirs({} {} cards)", label(doc), cards.len()),
        Part::Deputies { doc, cards } => {
            format!("Deputies({} {} cards)", label(doc), cards.len())
        }
        Part::Digest {
            range,
            count,
            fingerprint,
        } => format!(
            "Digest({}/{:08x} {count} links {:02x}{:02x})",
            range.bits, range.prefix, fingerprint[0], fingerprint[1]
        ),
        Part::Reconciled { range, same } => {
            format!(
                "Reconciled({}/{:08x} same={same})",
                range.bits, range.prefix
            )
        }
        Part::Center { doc, card } => {
            format!("Center({} {})", label(doc), name(&card.node_id()))
        }
    }
}
