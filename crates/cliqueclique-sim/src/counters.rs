//! What the network counts: traffic per phase of a run, message outcomes, parts by kind.
//!
//! These are raw tallies kept while the simulation runs; [`crate::metrics`] turns them into the
//! figures of a report.

use cliqueclique_proto::Part;
use serde::Serialize;

/// The part of a run traffic is counted against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Posting the root, joins, the thread and subscriptions.
    Setup,
    /// From the first comment until the network is quiet again (faults included).
    Comments,
    /// The idle period at the end.
    Idle,
}

impl Phase {
    pub(crate) const ALL: [Phase; 3] = [Phase::Setup, Phase::Comments, Phase::Idle];

    pub(crate) fn slot(self) -> usize {
        self as usize
    }
}

/// Traffic handed to the network during one phase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Traffic {
    /// Batches sent by the protocol cores.
    pub messages: u64,
    /// Their encoded bytes.
    pub bytes: u64,
    /// Document bodies carried by Update parts.
    pub bodies: u64,
    /// Bytes of those bodies.
    pub body_bytes: u64,
}

impl Traffic {
    pub(crate) fn add(&mut self, other: &Traffic) {
        self.messages += other.messages;
        self.bytes += other.bytes;
        self.bodies += other.bodies;
        self.body_bytes += other.body_bytes;
    }
}

/// What happened to messages and inputs over the whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// Frames that reached a running node.
    pub delivered: u64,
    /// Frames lost by the link model.
    pub lost: u64,
    /// Extra copies made by the link model.
    pub duplicated: u64,
    /// Frames dropped by a partition (at sending or on arrival).
    pub dropped_partition: u64,
    /// Frames to or from a node that was crashed, had left or restarted meanwhile.
    pub dropped_dead: u64,
    /// Batches addressed to a node id the simulation does not know.
    pub unroutable: u64,
    /// Frames the decoder refused.
    pub decode_errors: u64,
    /// Inputs the cores rejected (`Event::Rejected`).
    pub rejected: u64,
    /// Link requests declined (`Event::LinkRefused`).
    pub refusals: u64,
    /// Suggestions received with declines.
    pub suggestions: u64,
    /// `handle_peer_down` calls.
    pub peer_downs: u64,
    /// `handle_peer_up` calls.
    pub peer_ups: u64,
    /// Node crashes.
    pub crashes: u64,
    /// Node restarts.
    pub restarts: u64,
    /// Nodes that left for good.
    pub departures: u64,
    /// Hostile frames sent by malicious nodes (not counted in the phase traffic).
    pub malicious_frames: u64,
    /// Their bytes.
    pub malicious_bytes: u64,
    /// Deliveries of tracked comments (`Event::DocumentArrived`).
    pub comment_deliveries: u64,
    /// Events processed (deliveries, wake-ups, notifications, actions).
    pub events: u64,
    /// Parts sent, by kind.
    pub parts: PartCounts,
}

/// Parts handed to the network, by kind (malicious frames excluded).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PartCounts {
    /// Updates without a body.
    pub update: u64,
    /// Updates carrying a body.
    pub update_with_body: u64,
    /// Acks.
    pub ack: u64,
    /// Body requests.
    pub need_body: u64,
    /// Declined links.
    pub decline: u64,
    /// Goodbyes.
    pub goodbye: u64,
    /// Goodbye acknowledgements.
    pub goodbye_ack: u64,
    /// Sequence-number requests.
    pub seq_request: u64,
    /// Introductions.
    pub introduce: u64,
    /// Own contact cards.
    pub card: u64,
    /// Requests for a missing contact card.
    pub card_request: u64,
    /// Center cards passed on.
    pub center: u64,
    /// Heir lists sent by centers.
    pub heirs: u64,
    /// Deputy lists sent up to centers and down from them.
    pub deputies: u64,
    /// Reconciliation digests after a session came up.
    pub digest: u64,
    /// Answers that end a range's reconciliation.
    pub reconciled: u64,
}

impl PartCounts {
    /// Every part counted.
    pub fn total(&self) -> u64 {
        let PartCounts {
            update,
            update_with_body,
            ack,
            need_body,
            decline,
            goodbye,
            goodbye_ack,
            seq_request,
            introduce,
            card,
            card_request,
            center,
            heirs,
            deputies,
            digest,
            reconciled,
        } = self;
        update
            + update_with_body
            + ack
            + need_body
            + decline
            + goodbye
            + goodbye_ack
            + seq_request
            + introduce
            + card
            + card_request
            + center
            + heirs
            + deputies
            + digest
            + reconciled
    }

    pub(crate) fn count(&mut self, part: &Part) {
        let slot = match part {
            Part::Update { body: Some(_), .. } => &mut self.update_with_body,
            Part::Update { .. } => &mut self.update,
            Part::Ack { .. } => &mut self.ack,
            Part::NeedBody { .. } => &mut self.need_body,
            Part::Decline { .. } => &mut self.decline,
            Part::Goodbye { .. } => &mut self.goodbye,
            Part::GoodbyeAck { .. } => &mut self.goodbye_ack,
            Part::SeqRequest { .. } => &mut self.seq_request,
            Part::Introduce { .. } => &mut self.introduce,
            Part::Card { .. } => &mut self.card,
            Part::CardRequest => &mut self.card_request,
            Part::Center { .. } => &mut self.center,
            Part::Heirs { .. } => &mut self.heirs,
            Part::Deputies { .. } => &mut self.deputies,
            Part::Digest { .. } => &mut self.digest,
            Part::Reconciled { .. } => &mut self.reconciled,
        };
        *slot += 1;
    }
}
