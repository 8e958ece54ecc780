//! Events the core reports to its user interface and driver.

use cliqueclique_doc::{ContactCard, DocId, NodeId};

/// Something that happened inside a node, for the UI, logs and counters.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A document body arrived and was stored.
    DocumentArrived {
        /// The document.
        doc: DocId,
        /// Its semantic parent, if any.
        parent: Option<DocId>,
        /// The neighbour it came from.
        from: NodeId,
    },
    /// A document nobody here wants any more was removed (its user flags are remembered).
    DocumentRemoved {
        /// The document.
        doc: DocId,
    },
    /// The overlay state of a document changed (center, distance, subscription, neighbours).
    StateChanged {
        /// The document.
        doc: DocId,
    },
    /// A new or updated contact card: the driver keeps it in its address book.
    PeerContact {
        /// The verified card.
        card: Box<ContactCard>,
    },
    /// The node forgot its record of a peer (and its card) to stay within `Config::max_peer_records`:
    /// the driver may forget the peer's address too.
    PeerForgotten {
        /// The peer.
        node: NodeId,
    },
    /// A peer asked for a document refused or could not provide it.
    LinkRefused {
        /// The document.
        doc: DocId,
        /// The peer.
        peer: NodeId,
        /// Whether the peer suggested other holders.
        suggestions: usize,
    },
    /// Input from a peer was rejected; nothing was changed by it.
    Rejected {
        /// The peer.
        peer: NodeId,
        /// Why.
        reason: RejectReason,
    },
}

/// Why input from a peer was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RejectReason {
    /// The batch was addressed to another node.
    Misaddressed,
    /// The batch claims a sender other than the authenticated one.
    WrongSender,
    /// A document body failed verification.
    BadDocument(String),
    /// A contact card failed verification or does not belong to its sender.
    BadCard,
}

impl std::fmt::Display for RejectReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RejectReason::Misaddressed => f.write_str("batch addressed to another node"),
            RejectReason::WrongSender => {
                f.write_str("batch sender differs from the session's node")
            }
            RejectReason::BadDocument(e) => write!(f, "invalid document: {e}"),
            RejectReason::BadCard => f.write_str("invalid contact card"),
        }
    }
}
