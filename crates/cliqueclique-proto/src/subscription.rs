//! Per-(node, document) state and per-(subscription, peer) sync state.
//!
//! A [`Subscription`] is what one node knows about one document it holds or is fetching: the
//! user's flags, the route toward the document's center, and one [`Link`] per overlay neighbour.
//! A link carries both halves of the founding design's metadata sync: the neighbour's last advertised state
//! with its serial (the "client" side), and whether the neighbour has echoed our current serial,
//! with the resend back-off (the "server" side).
//!
//! The persisted fields are serialized as they are (the store keeps them as one record); fields
//! marked `serde(skip)` are transient and rebuilt after a restart.

use crate::message::{Advert, Rank};
use crate::route::{FeasibilityTable, Route};
use crate::time::Time;
use cliqueclique_doc::{DocId, Document, NodeId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What a user said about a document. These flags survive garbage collection of the document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flags {
    /// The user has read the document.
    pub read: bool,
    /// The user bookmarked the document: it is kept.
    pub bookmarked: bool,
    /// The user subscribed: comments are pushed here.
    pub subscribed: bool,
    /// With `subscribed`: the user follows the whole thread below the document, every document
    /// at any depth, existing and future (docs/protocol.md §6.1).
    pub thread: bool,
    /// The user authored the document: it is kept.
    pub own: bool,
    /// The user asked to fetch the document and its body has not arrived yet.
    pub joining: bool,
}

impl Flags {
    /// Whether these flags are worth remembering after the document is gone.
    pub fn worth_remembering(&self) -> bool {
        self.read || self.bookmarked || self.subscribed
    }
}

/// What the core needs to know about a document's body, kept without the body itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    /// The author.
    pub author: NodeId,
    /// The semantic parent: comments are pushed to its subscribers.
    pub parent: Option<DocId>,
    /// For link documents: the document the link attaches (travels along with the link).
    pub link_child: Option<DocId>,
    /// The body's size in bytes.
    pub len: u32,
}

impl DocMeta {
    /// Extracts the metadata of a verified document.
    pub fn of(doc: &Document) -> DocMeta {
        DocMeta {
            author: doc.author(),
            parent: doc.semantic_parent(),
            link_child: doc.semantic_child(),
            len: doc.len() as u32,
        }
    }
}

/// Whether a link is in use or being torn down.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkState {
    /// Both sides exchange updates.
    Active,
    /// This side no longer wants the document and repeats a goodbye until it is acknowledged.
    Leaving,
    /// This side still wants the document but sheds this redundant link (over the peer limit,
    /// not a tree edge, and the peer holds the body): it repeats a goodbye until acknowledged.
    Dropping,
}

/// Sync state toward one overlay neighbour for one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// In use or being torn down.
    pub state: LinkState,
    /// The neighbour's last advertised state, if any arrived.
    pub advert: Option<Advert>,
    /// The serial of that advert.
    pub peer_serial: u64,
    /// Our serial that the neighbour has echoed (0 = none).
    pub acked: u64,
    /// The newest serial sent on this link since it was (re)established: an ack counts only for
    /// a serial actually sent here, so a stale ack from an earlier link cannot fake a sync.
    #[serde(skip)]
    pub sent: u64,
    /// The neighbour said it holds the body.
    pub peer_has_body: bool,
    /// The next update should carry the body.
    #[serde(skip)]
    pub body_due: bool,
    /// The body was sent on this link since it was (re)established.
    #[serde(skip)]
    pub body_sent: bool,
    /// For a push along a followed thread's tree: the thread, and the neighbour's serial for it
    /// when the push was opened. A decline answered a state older than a newer advert of the
    /// thread that still follows it (docs/protocol.md §8.1).
    #[serde(skip)]
    pub pushed_under: Option<(DocId, u64)>,
    /// We owe the neighbour an ack of `peer_serial`.
    #[serde(skip)]
    pub ack_owed: bool,
    /// When the current update or goodbye may be resent; `None` = now.
    #[serde(skip)]
    pub next_send: Option<Time>,
    /// The current resend interval in milliseconds (0 = not started).
    #[serde(skip)]
    pub backoff_ms: u64,
    /// Introductions sent to this neighbour.
    #[serde(skip)]
    pub introductions: u8,
    /// The heirs last sent on this link, with the serial of the update they went with.
    #[serde(skip)]
    pub heirs_sent: Option<(Vec<NodeId>, u64)>,
    /// The heirs the neighbour acknowledged (by acking that serial).
    #[serde(skip)]
    pub heirs_acked: Vec<NodeId>,
    /// The deputies last sent on this link, with the serial of the update they went with.
    #[serde(skip)]
    pub deputies_sent: Option<(Vec<NodeId>, u64)>,
    /// The deputies the neighbour acknowledged (by acking that serial).
    #[serde(skip)]
    pub deputies_acked: Vec<NodeId>,
}

impl Link {
    /// A fresh link: our state is owed to the neighbour.
    pub fn new() -> Link {
        Link {
            state: LinkState::Active,
            advert: None,
            peer_serial: 0,
            acked: 0,
            sent: 0,
            peer_has_body: false,
            body_due: false,
            body_sent: false,
            pushed_under: None,
            ack_owed: false,
            next_send: None,
            backoff_ms: 0,
            introductions: 0,
            heirs_sent: None,
            heirs_acked: Vec::new(),
            deputies_sent: None,
            deputies_acked: Vec::new(),
        }
    }

    /// Forget what the neighbour acknowledged so that everything is sent again (after a reconnect).
    pub fn resync(&mut self) {
        self.acked = 0;
        self.sent = 0;
        self.next_send = None;
        self.backoff_ms = 0;
        self.body_sent = false;
        self.heirs_sent = None;
        self.heirs_acked.clear();
        self.deputies_sent = None;
        self.deputies_acked.clear();
        self.ack_owed = self.advert.is_some();
    }

    /// Whether the neighbour follows us toward the center.
    pub fn is_downstream(&self) -> bool {
        self.state == LinkState::Active
            && self.advert.is_some_and(|a| a.has(Advert::UPSTREAM_IS_YOU))
    }
}

impl Default for Link {
    fn default() -> Link {
        Link::new()
    }
}

/// Values derived from the persisted state; recomputed whenever the subscription settles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Derived {
    /// In the subscribing set: the user subscribed, or a downstream neighbour is subscribed.
    pub subscribed: bool,
    /// In the thread set: the user follows the thread below the document, or a downstream
    /// neighbour advertises `THREAD`. Every held document below it is pushed along this tree.
    pub thread: bool,
    /// Wanted here: by the user, as a comment of a subscribed parent, or by a downstream neighbour.
    pub wanted: bool,
    /// The advert fields common to all neighbours, last computed.
    pub advert: Option<Advert>,
}

/// One node's state for one document.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Subscription {
    /// The document.
    pub doc: DocId,
    /// Metadata of the body, once the body is held.
    pub meta: Option<DocMeta>,
    /// The user's flags.
    pub flags: Flags,
    /// Our serial: bumped whenever the state we advertise changes.
    pub serial: u64,
    /// Our own sequence number as a center candidate.
    pub own_seq: u32,
    /// The route followed.
    pub route: Route,
    /// Feasibility distances per center.
    pub feasibility: FeasibilityTable,
    /// Overlay neighbours.
    pub links: BTreeMap<NodeId, Link>,
    /// Neighbours that declined this document; it is not pushed to them again.
    pub declined: BTreeSet<NodeId>,
    /// Neighbours this node sent away to keep within `max_peers_per_document` after they
    /// received the body: a parent's push does not open a link to them again.
    #[serde(skip)]
    pub handed_off: BTreeSet<NodeId>,
    /// Nodes already tried through introductions or suggestions.
    pub tried: BTreeSet<NodeId>,
    /// Derived values.
    #[serde(skip)]
    pub derived: Derived,
    /// A pending request for a fresh sequence number: (center, seq, next retry, backoff ms).
    #[serde(skip)]
    pub seq_request: Option<SeqRequestState>,
    /// The last sequence request forwarded upstream, to drop duplicates: (center, seq, when).
    #[serde(skip)]
    pub forwarded: Option<(NodeId, u32, Time)>,
    /// The neighbours comments and thread documents were last pushed to, to notice changes.
    #[serde(skip)]
    pub push_targets: (Vec<NodeId>, Vec<NodeId>),
    /// Neighbours that said goodbye, with the serial of their goodbye: their older updates, if
    /// delayed in the network, must not bring the link back. Cleared by a newer update. Links
    /// dropped by expiry are remembered too (serial 0): a decline to such a peer gets a new serial.
    #[serde(skip)]
    pub gone: BTreeMap<NodeId, (u64, Time)>,
    /// While wanted but without any link: when to retry known holders, and the interval in ms.
    #[serde(skip)]
    pub stranded: Option<(Time, u64)>,
    /// The route lost when the upstream neighbour's session went down: if that neighbour has not
    /// come back when its interest grace ends and the center was not found again, this node
    /// reaches the old center directly, healing a split (docs/protocol.md §5.4).
    #[serde(skip)]
    pub orphaned: Option<Orphaned>,
    /// The nodes asked for a link to heal a split: their declines' suggestions are followed
    /// even when this node has enough links inside its own fragment.
    #[serde(skip)]
    pub reaching: BTreeSet<NodeId>,
    /// The heirs our center named (reached if that center leaves for good).
    #[serde(skip)]
    pub heirs: Vec<NodeId>,
    /// The heirs this node names while it is the center.
    #[serde(skip)]
    pub named_heirs: Vec<NodeId>,
    /// The second line of succession told by our upstream (the center, or a neighbour of the
    /// center): reached if the first line is gone too (docs/protocol.md §5.4).
    #[serde(skip)]
    pub deputies: Vec<NodeId>,
    /// At the center: the heirs each named heir reported.
    #[serde(skip)]
    pub deputies_of: BTreeMap<NodeId, Vec<NodeId>>,
    /// The deputies this node sends: to its upstream, its own heirs if it is an heir
    /// ([`Subscription::deputies_up`]); to its downstream, the line it passes on.
    #[serde(skip)]
    pub named_deputies: NamedDeputies,
    /// The best tally of the thread below this document that a neighbour claimed (`below`,
    /// `digest`), to tell the user what has not arrived yet.
    #[serde(skip)]
    pub claimed_tally: Option<(u32, [u8; 8])>,
    /// Until when a whole-thread fetch holds this document's thread set (`Command::Fetch`).
    #[serde(skip)]
    pub fetch_until: Option<Time>,
    /// The followed thread this document was pushed along while its ancestors were not here:
    /// it is kept on that claim until the chain of parents shows where it hangs. Persisted last,
    /// so that a record of the previous layout reads as one without a claim.
    pub thread_via: Option<DocId>,
    /// The advert last computed before a restart, read from the record: the first settle after
    /// it bumps the serial only if the state it computes differs.
    #[serde(skip)]
    pub restored_advert: Option<Advert>,
}

/// A route lost with its upstream neighbour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orphaned {
    /// The center followed before.
    pub center: NodeId,
    /// The upstream neighbour whose session went down.
    pub via: NodeId,
    /// The heirs that center had named (a fragment's new center names others afterwards).
    pub heirs: Vec<NodeId>,
    /// The second line of succession known then.
    pub deputies: Vec<NodeId>,
    /// When the first line was reached: the second is reached one interest grace later if no
    /// node of the first came up.
    pub reached: Option<(Time, Vec<NodeId>)>,
}

/// The deputies a node sends up and down its subscribing tree (docs/protocol.md §5.4).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedDeputies {
    /// To the upstream neighbour (the center), by an heir: its own heirs.
    pub up: Vec<NodeId>,
    /// To the downstream neighbours: by the center, its second line; by a neighbour of the
    /// center, the center's heirs followed by that second line.
    pub down: Vec<NodeId>,
}

/// A pending sequence-number request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeqRequestState {
    /// The neighbour asked.
    pub peer: NodeId,
    /// The center.
    pub center: NodeId,
    /// The sequence number asked for.
    pub seq: u32,
    /// When to ask again.
    pub next: Time,
    /// The current retry interval in milliseconds.
    pub backoff_ms: u64,
}

/// How many ended links a subscription remembers (see [`Subscription::gone`]).
pub const MAX_TOMBSTONES: usize = 32;

/// The smallest serial a subscription created at `now` starts from.
///
/// A thousand serials per millisecond of headroom: a subscription recreated soon after being
/// dropped still starts above every serial of its previous life, and a decline sent without any
/// state is overtaken by every update of a subscription created after it.
pub fn serial_floor(now: Time) -> u64 {
    now.as_millis().saturating_mul(1000)
}

/// The version byte that starts every persisted subscription record.
///
/// A change to the layout of [`Subscription`] bumps it and keeps a decoder for the old layout, so
/// that a store migration can rewrite old records instead of losing them.
pub const RECORD_VERSION: u8 = 3;

/// Why a persisted subscription record could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordError {
    /// The record is empty.
    #[error("empty subscription record")]
    Empty,
    /// The record was written by a version of the core this build does not know.
    #[error("subscription record version {found} is not supported (this build reads {supported})")]
    Version {
        /// The version found.
        found: u8,
        /// The version this build reads.
        supported: u8,
    },
    /// The record does not decode.
    #[error("malformed subscription record: {0}")]
    Malformed(String),
}

/// What a subscription's record keeps beyond its serialized fields: the lines of succession it
/// learnt and named, what each neighbour acknowledged of the lines this node sent it, and the
/// advert last computed. A session that comes up again reconciles only the links' serials and
/// sends none of these again, and a restart that finds the same state must not take it for a
/// change and bump the serial (docs/protocol.md §3.1).
#[derive(Serialize, Deserialize)]
struct Succession {
    heirs: Vec<NodeId>,
    deputies: Vec<NodeId>,
    deputies_of: BTreeMap<NodeId, Vec<NodeId>>,
    acked: Vec<(NodeId, Vec<NodeId>, Vec<NodeId>)>,
    named_heirs: Vec<NodeId>,
    named_deputies: NamedDeputies,
    advert: Option<Advert>,
}

impl Subscription {
    /// The persisted form: [`RECORD_VERSION`], the postcard encoding, then that of its
    /// [`Succession`].
    pub fn encode_record(&self) -> Vec<u8> {
        let mut out = vec![RECORD_VERSION];
        let succession = Succession {
            heirs: self.heirs.clone(),
            deputies: self.deputies.clone(),
            deputies_of: self.deputies_of.clone(),
            acked: self
                .links
                .iter()
                .filter(|(_, l)| !l.heirs_acked.is_empty() || !l.deputies_acked.is_empty())
                .map(|(p, l)| (*p, l.heirs_acked.clone(), l.deputies_acked.clone()))
                .collect(),
            named_heirs: self.named_heirs.clone(),
            named_deputies: self.named_deputies.clone(),
            advert: self.derived.advert,
        };
        out.extend(postcard::to_stdvec(self).expect("subscription serialization is infallible"));
        out.extend(postcard::to_stdvec(&succession).expect("serialization is infallible"));
        out
    }

    /// Reads a record written by [`Subscription::encode_record`], of this layout or an older
    /// one: version 2 lacked the [`Succession`]; version 1 also lacked the trailing `thread_via`
    /// (postcard encodes an absent option as one zero byte, so the old bytes plus that byte are a
    /// version 2 record).
    pub fn decode_record(bytes: &[u8]) -> Result<Subscription, RecordError> {
        let (&version, rest) = bytes.split_first().ok_or(RecordError::Empty)?;
        let malformed = |e: postcard::Error| RecordError::Malformed(e.to_string());
        match version {
            RECORD_VERSION => {
                let (mut sub, tail): (Subscription, _) =
                    postcard::take_from_bytes(rest).map_err(malformed)?;
                let succession: Succession = postcard::from_bytes(tail).map_err(malformed)?;
                sub.heirs = succession.heirs;
                sub.deputies = succession.deputies;
                sub.deputies_of = succession.deputies_of;
                sub.named_heirs = succession.named_heirs;
                sub.named_deputies = succession.named_deputies;
                sub.restored_advert = succession.advert;
                for (peer, heirs, deputies) in succession.acked {
                    if let Some(link) = sub.links.get_mut(&peer) {
                        link.heirs_acked = heirs;
                        link.deputies_acked = deputies;
                    }
                }
                Ok(sub)
            }
            2 => postcard::from_bytes(rest).map_err(malformed),
            1 => {
                let mut upgraded = rest.to_vec();
                upgraded.push(0);
                postcard::from_bytes(&upgraded).map_err(malformed)
            }
            found => Err(RecordError::Version {
                found,
                supported: RECORD_VERSION,
            }),
        }
    }

    /// A new subscription of node `me`, following itself.
    pub fn new(me: NodeId, doc: DocId, meta: Option<DocMeta>, flags: Flags) -> Subscription {
        let mut sub = Subscription {
            doc,
            meta,
            flags,
            serial: 1,
            own_seq: 1,
            route: Route::self_claim(me, Rank::default(), 1),
            feasibility: FeasibilityTable::default(),
            links: BTreeMap::new(),
            declined: BTreeSet::new(),
            tried: BTreeSet::new(),
            handed_off: BTreeSet::new(),
            derived: Derived::default(),
            seq_request: None,
            forwarded: None,
            push_targets: (Vec::new(), Vec::new()),
            stranded: None,
            orphaned: None,
            reaching: BTreeSet::new(),
            heirs: Vec::new(),
            named_heirs: Vec::new(),
            deputies: Vec::new(),
            deputies_of: BTreeMap::new(),
            named_deputies: NamedDeputies::default(),
            gone: BTreeMap::new(),
            claimed_tally: None,
            fetch_until: None,
            thread_via: None,
            restored_advert: None,
        };
        sub.route.rank = sub.rank(me);
        sub
    }

    /// Starts the serial and the sequence number from the clock, so that a subscription that is
    /// deleted and later created again never reuses numbers its peers have already seen.
    pub fn start_at(mut self, now: Time) -> Subscription {
        self.serial = self.serial.max(serial_floor(now));
        self.own_seq = self.own_seq.max((now.as_millis() / 1000) as u32);
        self.route.seq = self.own_seq;
        self
    }

    /// This node's own election rank for the document.
    pub fn rank(&self, me: NodeId) -> Rank {
        Rank {
            subscribed: self.flags.subscribed,
            author: self.meta.is_some_and(|m| m.author == me),
        }
    }

    /// Remembers that `peer`'s link ended (a goodbye with `serial`, or 0 for an expiry), for at
    /// most [`MAX_TOMBSTONES`] peers.
    pub fn tombstone(&mut self, peer: NodeId, serial: u64, now: Time) {
        self.gone.insert(peer, (serial, now));
        while self.gone.len() > MAX_TOMBSTONES {
            self.gone.pop_first();
        }
    }

    /// Whether this node holds the body.
    pub fn has_body(&self) -> bool {
        self.meta.is_some()
    }

    /// Whether this node is the center it follows.
    pub fn is_center(&self) -> bool {
        self.route.upstream.is_none()
    }

    /// Active links (not being torn down).
    pub fn active_links(&self) -> impl Iterator<Item = (&NodeId, &Link)> {
        self.links
            .iter()
            .filter(|(_, l)| l.state == LinkState::Active)
    }

    /// Neighbours worth introducing to others: active, holding the body, and not full (or, if
    /// every body holder is full, all body holders). A node without the body is never suggested,
    /// so joiners cannot fill each other's slots and form islands without the document.
    pub fn open_neighbours(&self) -> Vec<NodeId> {
        let holders = || {
            self.active_links()
                .filter(|(_, l)| l.advert.is_some_and(|a| a.has(Advert::HAS_BODY)))
        };
        let open: Vec<NodeId> = holders()
            .filter(|(_, l)| !l.advert.is_some_and(|a| a.has(Advert::FULL)))
            .map(|(p, _)| *p)
            .collect();
        if open.is_empty() {
            holders().map(|(p, _)| *p).collect()
        } else {
            open
        }
    }

    /// Whether this node lacks the body and no linked neighbour holds it or may hold it (a link
    /// still waiting for its first advert counts as a possible source).
    pub fn needs_body_source(&self) -> bool {
        !self.has_body()
            && !self
                .active_links()
                .any(|(_, l)| l.advert.is_none_or(|a| a.has(Advert::HAS_BODY)))
    }

    /// Whether a downstream neighbour whose interest still counts advertises `flag`.
    pub fn downstream_has(&self, flag: u8, counts: impl Fn(&NodeId) -> bool) -> bool {
        self.links.iter().any(|(peer, link)| {
            link.is_downstream() && counts(peer) && link.advert.is_some_and(|a| a.has(flag))
        })
    }

    /// Active neighbours holding the body, subscribed ones first, then by node id: the order in
    /// which a center names its heirs and reserves, and an heir its own heirs
    /// (docs/protocol.md §5.4).
    pub fn succession_order(&self) -> Vec<NodeId> {
        let mut order: Vec<(bool, NodeId)> = self
            .active_links()
            .filter_map(|(peer, link)| {
                let advert = link.advert?;
                advert
                    .has(Advert::HAS_BODY)
                    .then(|| (advert.has(Advert::SUBSCRIBED), *peer))
            })
            .collect();
        order.sort_by(|a, b| b.cmp(a));
        order.into_iter().map(|(_, peer)| peer).collect()
    }

    /// Neighbours on the subscribing tree that advertise `flag`: where comments are pushed
    /// (`SUBSCRIBED`), or every document of the thread below (`THREAD`).
    pub fn tree_targets(&self, flag: u8) -> Vec<NodeId> {
        self.active_links()
            .filter(|(peer, link)| {
                let wants = link.advert.is_some_and(|a| a.has(flag));
                let tree = self.route.upstream == Some(**peer) || link.is_downstream();
                wants && tree
            })
            .map(|(peer, _)| *peer)
            .collect()
    }

    /// The advert for one neighbour: the common fields plus whether that neighbour is our upstream.
    pub fn advert_for(&self, peer: &NodeId) -> Advert {
        let mut advert = self.derived.advert.unwrap_or(Advert {
            center: self.route.center,
            rank: self.route.rank,
            seq: self.route.seq,
            dist: self.route.dist,
            flags: 0,
        });
        if self.route.upstream == Some(*peer) {
            advert.flags |= Advert::UPSTREAM_IS_YOU;
        }
        advert
    }
}
