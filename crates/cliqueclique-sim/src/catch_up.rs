//! Catch-up after a restart: what two nodes that share a forum send each other when one of them
//! comes back after missing a few comments.
//!
//! Node 0 starts a forum and posts `shared` comments under its root; node 1 joins and holds them
//! all. Node 1 crashes, node 0 posts `missed` comments more, and node 1 restarts from its store.
//! Everything both send from the restart until the network is quiet is counted, with the time
//! until node 1 holds every missed comment. The links are lossless with a fixed latency, so the
//! time is a count of round trips. Reconciliation (`docs/protocol.md` §3.1) makes the cost grow
//! with `missed`, not with `shared`.

use crate::counters::PartCounts;
use crate::error::SimError;
use crate::invariants;
use crate::ledger::DocKind;
use crate::link::{Latency, LinkModel};
use crate::network::Network;
use cliqueclique_doc::{DocId, DocumentBuilder};
use cliqueclique_proto::{Command, Config, Store};
use serde::Serialize;
use std::collections::BTreeSet;

/// One way latency of the two nodes' link, in milliseconds.
pub const LATENCY_MS: u64 = 50;

/// The figures of one catch-up.
#[derive(Clone, Debug, Serialize)]
pub struct CatchUp {
    /// Comments both nodes held before the crash.
    pub shared: usize,
    /// Comments posted while node 1 was down.
    pub missed: usize,
    /// Parts both nodes sent from the restart until quiet.
    pub parts: u64,
    /// Updates among them (with or without a body).
    pub updates: u64,
    /// Acks among them.
    pub acks: u64,
    /// Reconciliation digests and answers among them.
    pub digests: u64,
    /// Document bodies among them.
    pub bodies: u64,
    /// Batches.
    pub messages: u64,
    /// Encoded bytes of those batches, bodies included.
    pub bytes: u64,
    /// Encoded bytes without the bodies.
    pub control_bytes: u64,
    /// From the restart until node 1 held every missed comment, in round trips.
    pub round_trips: f64,
    /// Links on which, once quiet, a side does not hold the other's current state and serial,
    /// or its own serial is not acknowledged (none expected).
    pub out_of_sync: usize,
    /// Invariant violations once quiet (none expected).
    pub violations: Vec<String>,
}

/// Runs one catch-up over a lossless link; see the module documentation.
pub fn catch_up(shared: usize, missed: usize, seed: u64) -> Result<CatchUp, SimError> {
    let mut rounds = catch_ups(shared, &[missed], seed, 0.0)?;
    Ok(rounds.remove(0))
}

/// Runs a catch-up for each entry of `missed` in turn on the same two nodes (the comments of
/// each round are shared in the next), over a link that loses, and duplicates, the fraction
/// `loss` of the batches, with latencies between one and three times [`LATENCY_MS`] when lossy
/// (so that batches overtake each other).
pub fn catch_ups(
    shared: usize,
    missed: &[usize],
    seed: u64,
    loss: f64,
) -> Result<Vec<CatchUp>, SimError> {
    let link = LinkModel {
        latency: Latency {
            min_ms: LATENCY_MS,
            max_ms: if loss > 0.0 {
                3 * LATENCY_MS
            } else {
                LATENCY_MS
            },
            tail_probability: 0.0,
            tail_max_ms: LATENCY_MS,
        },
        loss,
        duplicate: loss,
        detect_ms: 1000,
    };
    let mut net = Network::new(2, Config::default(), link, seed);
    let root = DocumentBuilder::new("forum root")
        .text("the forum")
        .date(crate::run::EPOCH_SECS)
        .build(net.sim_node(0).identity());
    let root = net.post(0, root, DocKind::Root, "root".into())?;
    let peer = net.sim_node(0).card().clone();
    net.command(1, Command::Join { doc: root, peer })?;
    settle(&mut net)?;
    for k in 0..shared {
        post(&mut net, root, k)?;
        if k % 500 == 499 {
            net.run_for(200, |_, _| {});
        }
    }
    settle(&mut net)?;
    let mut posted = shared;
    let mut rounds = Vec::new();
    for &missed in missed {
        rounds.push(round(&mut net, root, posted, missed)?);
        posted += missed;
    }
    Ok(rounds)
}

/// Node 1 crashes, misses `missed` comments, restarts and catches up.
fn round(
    net: &mut Network,
    root: DocId,
    shared: usize,
    missed: usize,
) -> Result<CatchUp, SimError> {
    net.crash(1)?;
    net.run_for(2000, |_, _| {});
    let missed_ids: Vec<DocId> = (shared..shared + missed)
        .map(|k| post(net, root, k))
        .collect::<Result<_, _>>()?;
    net.run_for(1000, |_, _| {});

    let traffic = net.total_traffic();
    let parts = net.counters().parts.clone();
    let start = net.now();
    net.restart(1)?;
    let holds_all = |net: &Network| {
        net.sim_node(1)
            .store()
            .is_some_and(|s| missed_ids.iter().all(|d| s.document(d).is_some()))
    };
    while !holds_all(net) {
        if net.now().since(start).as_secs() > 600 {
            return Err(SimError::NotQuiet("the catch-up".into()));
        }
        net.run_for(10, |_, _| {});
    }
    let caught_up = net.now().since(start).as_millis() as f64;
    settle(net)?;
    let after = net.total_traffic();
    let now_parts = &net.counters().parts;
    let count = |f: fn(&PartCounts) -> u64| f(now_parts) - f(&parts);
    Ok(CatchUp {
        shared,
        missed,
        parts: count(PartCounts::total),
        updates: count(|p| p.update + p.update_with_body),
        acks: count(|p| p.ack),
        digests: count(|p| p.digest + p.reconciled),
        bodies: after.bodies - traffic.bodies,
        messages: after.messages - traffic.messages,
        bytes: after.bytes - traffic.bytes,
        control_bytes: (after.bytes - after.body_bytes) - (traffic.bytes - traffic.body_bytes),
        round_trips: caught_up / (2 * LATENCY_MS) as f64,
        out_of_sync: out_of_sync(net),
        violations: invariants::check_quiet(net, &BTreeSet::new()),
    })
}

/// The links of the two nodes whose two ends disagree.
fn out_of_sync(net: &Network) -> usize {
    let (Some(a), Some(b)) = (net.node(0), net.node(1)) else {
        return usize::MAX;
    };
    let mut count = 0;
    for mine in a.subscriptions() {
        let theirs = b.subscription(&mine.doc);
        for (me, other, mine, theirs) in [(a, b, Some(mine), theirs), (b, a, theirs, Some(mine))] {
            let (Some(mine), Some(theirs)) = (mine, theirs) else {
                count += 1;
                continue;
            };
            let in_sync = mine.links.get(&other.id()).is_some_and(|link| {
                link.advert == Some(theirs.advert_for(&me.id()))
                    && link.peer_serial == theirs.serial
                    && link.acked == mine.serial
            });
            count += usize::from(!in_sync);
        }
    }
    count
}

fn post(net: &mut Network, root: DocId, k: usize) -> Result<DocId, SimError> {
    let document = DocumentBuilder::new(format!("comment {k}"))
        .parent(root)
        .text(format!("comment {k}: lorem ipsum dolor sit amet"))
        .date(crate::run::EPOCH_SECS + net.now().as_millis() / 1000)
        .build(net.sim_node(0).identity());
    net.post(0, document, DocKind::Comment, format!("comment {k}"))
}

fn settle(net: &mut Network) -> Result<(), SimError> {
    if net.run_until_quiet(3_600_000, 1000) {
        Ok(())
    } else {
        Err(SimError::NotQuiet("the two nodes".into()))
    }
}
