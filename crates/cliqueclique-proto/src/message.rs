//! The wire messages: the only types that cross between nodes.
//!
//! Everything one node owes another leaves in one [`Batch`] addressed to the receiving node's id.
//! A batch holds [`Part`]s for any number of documents, so all document overlays that two nodes
//! share ride on one transport session and one frame.
//! The encoding is postcard (a stable, documented, compact serde format); see `docs/protocol.md`.
//!
//! Decoding never panics and never allocates more than the frame it was given:
//! [`Batch::decode`] rejects oversize frames before parsing.

use bytes::Bytes;
use cliqueclique_doc::{ContactCard, DocId, NodeId};
use serde::{Deserialize, Serialize};

/// The version byte that starts every encoded batch.
pub const WIRE_VERSION: u8 = 1;

/// One authenticated unit of traffic between two nodes.
///
/// The transport proves `from`; the core checks that `to` is the receiving node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// The sending node.
    pub from: NodeId,
    /// The receiving node.
    pub to: NodeId,
    /// What the sender owes the receiver, for any number of documents.
    pub parts: Vec<Part>,
}

/// One protocol message about one document (or about the sender itself, for [`Part::Card`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    /// The sender's state for a document (the founding design's "metadata sync" data), with its serial.
    ///
    /// Sent until the receiver echoes `serial` in an [`Part::Ack`]; carries the document body
    /// when the sender believes the receiver lacks it.
    Update {
        /// The document.
        doc: DocId,
        /// The sender's serial for this state; grows on every change.
        serial: u64,
        /// The sender's overlay state as seen by this receiver.
        advert: Advert,
        /// The exact signed document bytes, when the receiver lacks them.
        body: Option<Bytes>,
        /// With a body: the followed thread along whose tree it is pushed (the receiver keeps a
        /// document whose ancestors have not arrived yet on this claim), or the document's own
        /// tally when it has replies; the sender's count of that thread, for completeness.
        thread: Option<ThreadClaim>,
    },
    /// The echo of an update's serial: "I hold your state up to this serial".
    Ack {
        /// The document.
        doc: DocId,
        /// The serial being acknowledged.
        serial: u64,
        /// Whether the acknowledging node holds the document body.
        has_body: bool,
    },
    /// "I do not hold this document": an answer to an update without a body.
    NeedBody {
        /// The document.
        doc: DocId,
    },
    /// "I will not hold a link with you for this document"; try these nodes instead.
    Decline {
        /// The document.
        doc: DocId,
        /// The decliner's serial for the document, or, when it has no state for it, the serial
        /// a subscription created now would start from: an update from the decliner with this
        /// serial or a newer one means the decline is stale and must be ignored.
        serial: u64,
        /// Whether the decliner holds the document's body.
        held: bool,
        /// For a declined push: the decliner's serial for the document's semantic parent (0 if
        /// none), so that a decline overtaken by a newer "subscribed" advert is recognised.
        parent_serial: u64,
        /// Other holders of the document, as self-signed contact cards.
        suggestions: Vec<ContactCard>,
    },
    /// The founding design's "metadata deletion": drop your record of me for this document, then acknowledge.
    Goodbye {
        /// The document.
        doc: DocId,
        /// The leaving node's serial: an update from it with a newer serial makes this stale.
        serial: u64,
        /// Other holders to link to instead, when a node that keeps the document sheds the link
        /// to stay within `max_peers_per_document`; empty when the sender leaves the document.
        suggestions: Vec<ContactCard>,
    },
    /// The acknowledgement of a [`Part::Goodbye`]: the receiver dropped its record.
    GoodbyeAck {
        /// The document.
        doc: DocId,
    },
    /// Ask the center of a document (forwarded hop by hop upstream) for a sequence number of at least `seq`.
    ///
    /// Sent by a node that sees a better center only through routes its feasibility condition rejects.
    SeqRequest {
        /// The document.
        doc: DocId,
        /// The center whose sequence number is requested.
        center: NodeId,
        /// The smallest sequence number that would make the requester's routes feasible.
        seq: u32,
    },
    /// "Here is another holder of this document": a contact card signed by that holder.
    Introduce {
        /// The document.
        doc: DocId,
        /// The introduced node's own signed contact card.
        card: ContactCard,
    },
    /// The sender's own contact card, sent once to each new peer so that it can be introduced on.
    Card {
        /// The sender's own signed contact card.
        card: ContactCard,
    },
    /// "I lack your contact card": the receiver sends its [`Part::Card`] again.
    CardRequest,
    /// The contact card of the center the sender follows for a document, sent along with an
    /// update until acknowledged: a node cut off from the rest of the overlay can reach that
    /// center directly (docs/protocol.md §5.4). Accepted only for the center the sender advertises.
    Center {
        /// The document.
        doc: DocId,
        /// The center's own signed contact card.
        card: ContactCard,
    },
    /// From the center of a document to its neighbours: its best neighbours, which the others
    /// reach if the center leaves for good and its overlay falls apart (docs/protocol.md §5.4).
    /// Sent along with an update until acknowledged; at most [`MAX_HEIRS`] cards.
    Heirs {
        /// The document.
        doc: DocId,
        /// The heirs' own signed contact cards, best first.
        cards: Vec<ContactCard>,
    },
    /// The second line of succession, reached if the center and all its heirs leave at once
    /// (docs/protocol.md §5.4). From an heir to the center: the heir's own heirs, at most
    /// [`MAX_HEIRS`] cards. From the center to its neighbours: the heirs' heirs and its next best
    /// neighbours; from a neighbour of the center to its downstream neighbours: the center's heirs
    /// and that second line. At most [`MAX_DEPUTIES`] cards; sent along with an update until
    /// acknowledged, and accepted only from a sender in one of those positions.
    Deputies {
        /// The document.
        doc: DocId,
        /// The deputies' own signed contact cards, best first.
        cards: Vec<ContactCard>,
    },
    /// The sender's fingerprint of the links it shares with the receiver for the documents in
    /// `range`: a question of set reconciliation after a session comes up (docs/protocol.md
    /// §3.1). Answered by [`Part::Reconciled`], or by digests of the range's sixteen parts.
    Digest {
        /// The documents covered.
        range: DigestRange,
        /// How many shared links the sender has in the range.
        count: u32,
        /// The sum of the links' fingerprints (`node/reconcile.rs`).
        fingerprint: [u8; 16],
    },
    /// The answer to a [`Part::Digest`] that ends its range's reconciliation: `same` when the
    /// fingerprints agree; otherwise the answering node resynchronised its links in the range,
    /// and the receiver does the same with its own.
    Reconciled {
        /// The range of the digest answered.
        range: DigestRange,
        /// The fingerprints agreed.
        same: bool,
    },
}

/// The documents whose ids start with the `bits` high bits of `prefix` (`bits` a multiple of
/// four, at most 32; the other bits of `prefix` are zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DigestRange {
    /// How many leading bits of a document id are fixed.
    pub bits: u8,
    /// Those bits, in the high end of the word.
    pub prefix: u32,
}

/// A sender's view of a thread: which one, and how many documents it holds below its top.
///
/// Travels with pushed bodies only, so it costs no message of its own (docs/protocol.md §6.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ThreadClaim {
    /// The thread's top document.
    pub root: DocId,
    /// How many documents below it the sender holds.
    pub below: u32,
    /// The XOR of the first eight bytes of their ids: equal counts with different sets differ here.
    pub digest: [u8; 8],
}

/// How many heirs a center names.
pub const MAX_HEIRS: usize = 3;

/// How many cards a [`Part::Deputies`] carries at most: the heirs' heirs and as many reserves,
/// and, passed on below the center's neighbours, the heirs themselves.
pub const MAX_DEPUTIES: usize = MAX_HEIRS * (MAX_HEIRS + 2);

impl Part {
    /// The document this part is about, if any.
    pub fn doc(&self) -> Option<DocId> {
        match self {
            Part::Update { doc, .. }
            | Part::Ack { doc, .. }
            | Part::NeedBody { doc }
            | Part::Decline { doc, .. }
            | Part::Goodbye { doc, .. }
            | Part::GoodbyeAck { doc }
            | Part::SeqRequest { doc, .. }
            | Part::Introduce { doc, .. }
            | Part::Center { doc, .. }
            | Part::Heirs { doc, .. }
            | Part::Deputies { doc, .. } => Some(*doc),
            Part::Card { .. }
            | Part::CardRequest
            | Part::Digest { .. }
            | Part::Reconciled { .. } => None,
        }
    }

    /// The size of the document body this part carries, if any.
    pub fn body_len(&self) -> usize {
        match self {
            Part::Update { body: Some(b), .. } => b.len(),
            _ => 0,
        }
    }
}

/// A node's overlay state for one document, as advertised to one peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Advert {
    /// The center the sender currently follows (itself when it is the center).
    pub center: NodeId,
    /// The election rank of that center.
    pub rank: Rank,
    /// The center's sequence number as known to the sender.
    pub seq: u32,
    /// The sender's hop count to the center.
    pub dist: u32,
    /// Bit flags, see the `Advert::*` constants.
    pub flags: u8,
}

impl Advert {
    /// The receiver is the sender's upstream (next hop toward the center).
    pub const UPSTREAM_IS_YOU: u8 = 1;
    /// The sender is in the subscribing set: its user, or a node downstream of it, subscribed.
    pub const SUBSCRIBED: u8 = 2;
    /// The sender wants the document (itself or downstream).
    pub const WANTED: u8 = 4;
    /// The sender holds the document body.
    pub const HAS_BODY: u8 = 8;
    /// The sender would like more peers for this document (introductions welcome).
    pub const WANTS_PEERS: u8 = 16;
    /// The sender has `max_peers_per_document` links: do not introduce or suggest it.
    pub const FULL: u8 = 32;
    /// The sender holds the contact card of the center it advertises (and passes it on).
    pub const ANCHORED: u8 = 64;
    /// The sender follows the whole thread below the document (itself or downstream): every
    /// document below it, at any depth, is pushed to it along this tree.
    pub const THREAD: u8 = 128;

    /// Whether a flag is set.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// The election rank of a center candidate; together with the node id it totally orders candidates.
///
/// Ordered field by field: a subscribed candidate beats an unsubscribed one, then the document's
/// author beats others, then the larger node id wins.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Rank {
    /// The candidate's user subscribed to the document.
    pub subscribed: bool,
    /// The candidate is the document's author.
    pub author: bool,
}

/// Why a frame could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum WireError {
    /// The frame is larger than the configured maximum.
    #[error("frame of {size} bytes exceeds the maximum of {max}")]
    TooLarge {
        /// The frame's size.
        size: usize,
        /// The maximum.
        max: usize,
    },
    /// The frame is empty.
    #[error("empty frame")]
    Empty,
    /// The frame starts with an unknown version byte.
    #[error("unknown wire version {0}")]
    Version(u8),
    /// The frame is not a valid encoding of a batch.
    #[error("malformed batch: {0}")]
    Malformed(String),
}

impl Batch {
    /// Encodes the batch as `WIRE_VERSION` followed by its postcard encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![WIRE_VERSION];
        // Serializing plain data into a Vec cannot fail.
        out.extend(postcard::to_stdvec(self).expect("batch serialization is infallible"));
        out
    }

    /// Decodes a frame, refusing anything larger than `max` bytes before parsing it.
    pub fn decode(frame: &[u8], max: usize) -> Result<Batch, WireError> {
        if frame.len() > max {
            return Err(WireError::TooLarge {
                size: frame.len(),
                max,
            });
        }
        let (&version, rest) = frame.split_first().ok_or(WireError::Empty)?;
        if version != WIRE_VERSION {
            return Err(WireError::Version(version));
        }
        let (batch, trailing) = postcard::take_from_bytes::<Batch>(rest)
            .map_err(|e| WireError::Malformed(e.to_string()))?;
        if !trailing.is_empty() {
            return Err(WireError::Malformed(format!(
                "{} trailing bytes",
                trailing.len()
            )));
        }
        Ok(batch)
    }

    /// The encoded size of this batch in bytes.
    pub fn encoded_len(&self) -> usize {
        1 + postcard::experimental::serialized_size(self).unwrap_or(0)
    }
}
