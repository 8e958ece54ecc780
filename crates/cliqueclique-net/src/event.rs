//! What a [`SessionManager`](crate::SessionManager) reports to its owner.

use cliqueclique_doc::{ContactCard, DocId, NodeId};
use cliqueclique_proto::Batch;

use crate::counters::DropReason;
use crate::key::InstallationKey;
use crate::status::SessionId;

/// An event from a [`SessionManager`](crate::SessionManager), in the order things happened per session.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A session finished its handshake and the remote's first `Hello`: the daemon can call
    /// `handle_peer_up` for these nodes. At most one session per remote installation is up at a time.
    SessionUp {
        /// The session.
        session: SessionId,
        /// The remote installation.
        installation: InstallationKey,
        /// The remote nodes attested in the first `Hello`.
        remote_nodes: Vec<NodeId>,
    },
    /// A later `Hello` on an established session attested more remote nodes.
    NodesUp {
        /// The session.
        session: SessionId,
        /// The newly attested nodes.
        remote_nodes: Vec<NodeId>,
    },
    /// An established session closed (or was replaced by a newer one to the same installation).
    SessionDown {
        /// The session.
        session: SessionId,
        /// The remote installation.
        installation: InstallationKey,
        /// Every remote node that was attested on it.
        remote_nodes: Vec<NodeId>,
    },
    /// A batch that passed the checks: decoded within the size limit, its `from` attested on its
    /// session by the remote installation, its `to` a node hosted here.
    Received {
        /// The decoded batch.
        batch: Batch,
    },
    /// A remote installation asks which local nodes hold `doc`; answer with
    /// [`SessionManager::reply_lookup`](crate::SessionManager::reply_lookup).
    Lookup {
        /// The session to answer on.
        session: SessionId,
        /// The asker's request number.
        request: u64,
        /// The document asked about.
        doc: DocId,
    },
    /// The answer to a [`SessionManager::lookup`](crate::SessionManager::lookup).
    LookupReply {
        /// The session it came on.
        session: SessionId,
        /// The request number given to `lookup`.
        request: u64,
        /// Unverified contact cards: verify them before use.
        cards: Vec<ContactCard>,
    },
    /// Something was rejected (best effort: see [`Counters`](crate::Counters) for exact numbers).
    Rejected {
        /// Why.
        reason: DropReason,
    },
}
