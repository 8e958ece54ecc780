//! Commands a user (through the UI, CLI or a test) gives a node.

use cliqueclique_doc::{ContactCard, DocId, Document, Export, NodeId};

/// An action of the node's user.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Command {
    /// Publish a document authored by this node. Its semantic parent, if any, is subscribed to
    /// (so that the comment travels to and with the parent's subscribers), as the prototype did.
    Post {
        /// The signed document; its author must be this node.
        document: Document,
        /// Subscribe to comments on the new document.
        subscribe: bool,
    },
    /// Subscribe to a held document; with `thread`, arriving comments are subscribed to as well.
    Subscribe {
        /// The document.
        doc: DocId,
        /// Subscribe to the whole thread below it.
        thread: bool,
    },
    /// Fetch the whole thread below a held document once, without following it: for
    /// [`FETCH_HOLD`](crate::node::FETCH_HOLD) the node is in the thread's set, so every document below it arrives;
    /// afterwards what nobody wants is collected again.
    Fetch {
        /// The document.
        doc: DocId,
    },
    /// Stop the subscription (the document stays while it is wanted for other reasons). A join
    /// whose body has not arrived is given up.
    Unsubscribe {
        /// The document.
        doc: DocId,
    },
    /// Set or clear the bookmark: a bookmarked document is kept.
    Bookmark {
        /// The document.
        doc: DocId,
        /// The new value.
        on: bool,
    },
    /// Mark a document read or unread.
    MarkRead {
        /// The document.
        doc: DocId,
        /// The new value.
        read: bool,
    },
    /// Join a document through a peer known by its contact card: fetch it, subscribe, link.
    Join {
        /// The document (for a forum: its root).
        doc: DocId,
        /// A peer that holds it.
        peer: ContactCard,
    },
    /// Add a peer for a held or wanted document, without changing flags.
    AddPeer {
        /// The document.
        doc: DocId,
        /// The peer.
        peer: ContactCard,
    },
    /// Block a node: decline its documents (whoever relays them), drop every link to it and
    /// refuse new ones, and let go of the documents it authored. Kept in the store.
    Block {
        /// The node.
        node: NodeId,
    },
    /// Unblock a node: its documents and links are accepted again.
    Unblock {
        /// The node.
        node: NodeId,
    },
    /// Set the nodes banned from a forum by its moderation, as the driver read it from the
    /// forum's moderation documents: their new documents below `forum` are declined, whoever
    /// offers them. Not kept in the store: the driver sets it again when the node starts.
    SetForumBans {
        /// The forum's root.
        forum: DocId,
        /// The banned nodes; empty lifts every ban.
        nodes: std::collections::BTreeSet<NodeId>,
    },
    /// Set the proof of work a forum's owner requires, as the driver read it from the forum's
    /// moderation documents: new documents below `forum` whose id lacks `bits` leading zero bits
    /// are declined, whoever offers them, unless their author is in `exempt` (the owner and the
    /// moderators). Not kept in the store: the driver sets it again when the node starts.
    SetForumWork {
        /// The forum's root.
        forum: DocId,
        /// Leading zero bits required; 0 lifts the requirement.
        bits: u8,
        /// Authors whose documents need no work.
        exempt: std::collections::BTreeSet<NodeId>,
    },
    /// Import a verified export: store its document, subscribe, and link to the exporter.
    Import {
        /// The export.
        export: Export,
    },
}

/// What a successful command produced.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Done.
    Done,
    /// The document was stored (posted or imported) under this id.
    Stored(DocId),
}

/// Why a command was refused. Nothing was changed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandError {
    /// The document is not held or wanted by this node.
    #[error("unknown document {0}")]
    UnknownDocument(DocId),
    /// A posted document is authored by another node.
    #[error("the document is signed by {0}, not by this node")]
    NotAuthor(NodeId),
    /// A posted comment's parent (or a link's attached document) is not held here.
    #[error("the referenced document {0} is not held by this node")]
    MissingReference(DocId),
    /// A peer card failed verification.
    #[error("the peer's contact card does not verify")]
    BadCard,
    /// The peer named is this node itself.
    #[error("a node cannot be its own peer")]
    SelfPeer,
    /// A retraction or an edit names a document by another author.
    #[error("document {doc} is by {author}, not by this node: only its author can revise it")]
    NotYours {
        /// The document to revise.
        doc: DocId,
        /// Its author.
        author: NodeId,
    },
    /// The document was retracted by its author: it is neither revised, posted nor imported again.
    #[error("document {0} was retracted")]
    Retracted(DocId),
    /// A document lacks the proof of work its forum requires.
    #[error("document {doc} lacks the proof of work of {bits} bits its forum requires")]
    MissingWork {
        /// The document.
        doc: DocId,
        /// The bits required.
        bits: u8,
    },
    /// A document exceeds the configured limits.
    #[error("document of {size} bytes exceeds the maximum of {max}")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
}
