//! The JSON bodies of the local HTTP API, shared by the server ([`crate::router()`]) and the client
//! ([`crate::client`]). `docs/api.md` documents every endpoint with them.
//!
//! Ids are 52-character base32 strings; binary data (attachments, non-text bodies) is base64.

pub use cliqueclique_doc::{DocId, LinkDirection, Moderation, NodeId, Revision};
pub use cliqueclique_proto::Flags;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod contents;
mod joining;
mod notifications;
pub use contents::Contents;
pub use joining::Joining;
pub use notifications::{Notification, NotificationKind, Notifications};

/// A local node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeInfo {
    /// Its id.
    pub id: NodeId,
    /// Its name, unique in this installation.
    pub name: String,
    /// When it was created, in unix seconds.
    pub created_at: u64,
    /// The addresses its contact card advertises.
    pub addresses: Vec<String>,
}

/// `POST /api/nodes`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CreateNode {
    /// The new node's name: 1 to 64 ASCII letters, digits, `-`, `_` or `.`, unique in this installation.
    pub name: String,
}

/// An attachment of a new document.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewAttachment {
    /// The file name.
    pub filename: String,
    /// Its MIME type; default `application/octet-stream`.
    #[serde(default)]
    pub content_type: Option<String>,
    /// The contents, base64.
    pub data: String,
}

/// `POST /api/nodes/{node}/documents`: a new post, reply or link.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NewPost {
    /// The subject line.
    pub subject: String,
    /// The body as text.
    pub body: Option<String>,
    /// The body as base64 (instead of `body`), for non-text content.
    pub body_base64: Option<String>,
    /// The body's MIME type; default `text/plain; charset=utf-8`.
    pub content_type: Option<String>,
    /// The document this one comments on.
    pub parent: Option<DocId>,
    /// Attached files.
    pub attachments: Vec<NewAttachment>,
    /// Subscribe to comments on the new document (default true).
    pub subscribe: Option<bool>,
    /// Makes a link document: attach `link_child` under `parent` (both must be held).
    pub link_child: Option<DocId>,
    /// With `link_child`: show `parent` under `link_child` instead.
    pub reversed: bool,
}

/// `POST /api/nodes/{node}/documents/{id}/edit`: a new version of one's own document.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EditPost {
    /// The new subject line; absent or empty keeps the current one.
    pub subject: Option<String>,
    /// The new body, as text.
    pub body: String,
    /// The body's MIME type; default that of the current version.
    pub content_type: Option<String>,
}

/// `GET /api/nodes/{node}/forums/{root}/moderation`: a forum's moderation as this node applies it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationView {
    /// The forum's root.
    pub root: DocId,
    /// Its owner, the root's author (absent while the root's body is missing).
    pub owner: Option<AuthorView>,
    /// The moderators the owner named.
    pub moderators: Vec<AuthorView>,
    /// Hidden documents (`id`) and who hid each (`by`).
    pub hidden: Vec<HiddenView>,
    /// Banned nodes (`id`) and who banned each (`by`).
    pub banned: Vec<HiddenView>,
    /// The proof of work the owner requires of every post in the forum: leading zero bits of its
    /// id (0: none; the owner and the moderators need none).
    #[serde(default)]
    pub work_bits: u8,
    /// This node ignores the forum's moderation: nothing is hidden or declined for it.
    pub ignored: bool,
}

/// A hidden document or a banned node, and the owner or moderator who decided it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HiddenView {
    /// The document's or node's id.
    pub id: String,
    /// Who decided it.
    pub by: AuthorView,
}

/// `POST /api/nodes/{node}/forums/{root}/moderation`: a decision as [`Moderation`] has it, but
/// naming its node by an id, a unique prefix of one, a fingerprint or the user's petname for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "action", content = "target")]
pub enum ModerationRequest {
    /// The forum's owner makes a node a moderator.
    AddModerator(String),
    /// The forum's owner takes a node's moderation away.
    RemoveModerator(String),
    /// Collapse a document in the forum.
    Hide(DocId),
    /// Undo a hide.
    Unhide(DocId),
    /// Decline a node's new documents in the forum.
    Ban(String),
    /// Undo a ban.
    Unban(String),
    /// The forum's owner requires proof of work of every post (leading zero bits of its id).
    Work(u8),
}

/// `POST /api/nodes/{node}/forums/{root}/moderation/ignore`: ignore or apply the moderation.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct IgnoreModeration {
    /// `true` ignores the forum's moderation, `false` applies it again (the default).
    pub ignore: bool,
}

/// One version of an edited document: the original or one of its edits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    /// The version's own document id (each can be read on its own).
    pub id: DocId,
    /// Its date, unix seconds, as the author claims.
    pub date: u64,
    /// Its subject.
    pub subject: String,
}

/// Why a new post is refused before it is signed: a document says something, under a subject.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PostRefused {
    /// The subject is empty or only whitespace.
    #[error("the subject is empty: give the post a subject")]
    EmptySubject,
    /// The body is empty or only whitespace, and nothing is attached.
    #[error("the body is empty: write something, or attach a file")]
    EmptyBody,
}

impl NewPost {
    /// Checks that the post has a subject and, unless it is a link document or carries
    /// attachments, a body that is not blank. The API refuses what fails with 400; the command
    /// line checks before sending.
    pub fn check(&self) -> Result<(), PostRefused> {
        if self.subject.trim().is_empty() {
            return Err(PostRefused::EmptySubject);
        }
        let blank = match (&self.body, &self.body_base64) {
            (Some(text), _) => text.trim().is_empty(),
            (None, Some(b64)) => b64.trim().is_empty(),
            (None, None) => true,
        };
        if blank && self.link_child.is_none() && self.attachments.is_empty() {
            return Err(PostRefused::EmptyBody);
        }
        Ok(())
    }
}

/// The answer to a post or an import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posted {
    /// The stored document's id.
    pub id: DocId,
}

/// One MIME part of a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartView {
    /// `content`, `link`, `attachment` or a newer type.
    pub part_type: String,
    /// Its MIME type.
    pub content_type: String,
    /// Its file name, if any.
    pub filename: Option<String>,
    /// Its decoded size in bytes.
    pub size: usize,
}

/// The state of an overlay link, as the core's `LinkState`: `active`, `leaving` or `dropping`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkStateView {
    /// Both sides exchange updates.
    Active,
    /// This side no longer wants the document and says goodbye.
    Leaving,
    /// This side sheds this redundant link and says goodbye.
    Dropping,
}

impl LinkStateView {
    /// The lower-case name, as in JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            LinkStateView::Active => "active",
            LinkStateView::Leaving => "leaving",
            LinkStateView::Dropping => "dropping",
        }
    }
}

impl From<cliqueclique_proto::LinkState> for LinkStateView {
    fn from(state: cliqueclique_proto::LinkState) -> LinkStateView {
        use cliqueclique_proto::LinkState;
        match state {
            LinkState::Active => LinkStateView::Active,
            LinkState::Leaving => LinkStateView::Leaving,
            LinkState::Dropping => LinkStateView::Dropping,
        }
    }
}

impl std::fmt::Display for LinkStateView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One overlay neighbour of a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkView {
    /// The neighbour.
    pub peer: NodeId,
    /// Its name, from its contact card.
    pub name: Option<String>,
    /// Whether the link is in use or being torn down.
    pub state: LinkStateView,
    /// It follows this node toward the center.
    pub downstream: bool,
    /// This node follows it toward the center.
    pub upstream: bool,
    /// It advertises being subscribed.
    pub subscribed: bool,
    /// It holds the body.
    pub has_body: bool,
    /// The newest serial heard from it.
    #[serde(default)]
    pub peer_serial: u64,
    /// The newest of our serials it acknowledged.
    #[serde(default)]
    pub acked: u64,
}

/// A document's overlay state on one node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateView {
    /// The body is held here.
    pub has_body: bool,
    /// In the subscribing set (the user or a downstream neighbour subscribed).
    pub subscribed: bool,
    /// Wanted here (kept).
    pub wanted: bool,
    /// The center followed.
    pub center: NodeId,
    /// Hops to the center.
    pub distance: u32,
    /// The serial of the state this node advertises (bumped when it changes).
    #[serde(default)]
    pub serial: u64,
    /// Overlay neighbours.
    pub links: Vec<LinkView>,
}

/// `GET /api/nodes/{node}/documents/{id}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentView {
    /// The id.
    pub id: DocId,
    /// The user's flags.
    pub flags: Flags,
    /// The overlay state, while the document is held or being fetched.
    pub state: Option<StateView>,
    /// The contents, once the body is held.
    pub document: Option<Contents>,
    /// Held comments and attached documents.
    pub children: Vec<DocId>,
    /// How complete the thread below it is here, once the body is held.
    #[serde(default)]
    pub thread: Option<ThreadStatusView>,
    /// Hidden here: its author is muted, or a moderator of its forum hid it. Pages collapse it.
    #[serde(default)]
    pub hidden: bool,
    /// The owner or moderator of its forum who hid it, if one did (and this node applies the
    /// forum's moderation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_by: Option<AuthorView>,
    /// This node may hide it: it owns or moderates the document's forum (and it is not the root).
    #[serde(default)]
    pub may_hide: bool,
    /// Its author retracted it: its body is gone and pages show "retracted" in its place.
    #[serde(default)]
    pub retracted: bool,
    /// Its author edited it: the newest version, whose contents are `newest`.
    #[serde(default)]
    pub superseded_by: Option<DocId>,
    /// The contents of the newest version, when it was edited (pages show these).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest: Option<Contents>,
    /// Every version held here, the original first and the newest last; empty if never edited.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<VersionView>,
    /// The held documents above it through parents, the forum's root first and its parent
    /// last; empty for a root.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ancestors: Vec<Ancestor>,
}

/// A document above another one, as the way back up names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ancestor {
    /// The id.
    pub id: DocId,
    /// Its subject (the newest version's, if edited).
    pub subject: String,
}

/// The completeness of the thread below a document, as far as this node and its neighbours know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadStatusView {
    /// Documents held below it, at every depth.
    pub below: u32,
    /// Documents known to exist below it that have not arrived (being fetched).
    pub missing: u32,
    /// Nothing is known to be missing.
    pub complete: bool,
}

/// Who wrote something, as this local node sees them: the key, what it claims, and what the
/// user said about it. The claimed `name` is only a claim (anyone can copy it); `fingerprint`,
/// `petname` and the identicon drawn from `id` are what tell keys apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorView {
    /// The node id.
    pub id: NodeId,
    /// The name it claims (on its documents or card).
    pub name: String,
    /// The short fingerprint of the id ([`NodeId::fingerprint`]).
    pub fingerprint: String,
    /// The user's own name for this key, if set (trusted).
    #[serde(default)]
    pub petname: Option<String>,
    /// The user muted it: its documents are collapsed on the pages.
    #[serde(default)]
    pub muted: bool,
    /// The user blocked it.
    #[serde(default)]
    pub blocked: bool,
    /// Another key claims the same name (ignoring case) in the same forum.
    #[serde(default)]
    pub name_collision: bool,
}

/// `POST /api/nodes/{node}/people/{peer}`: what to change about another node; absent fields stay.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PeerMarksChange {
    /// The petname: a name sets it, an empty string clears it.
    pub petname: Option<String>,
    /// Mute or unmute.
    pub muted: Option<bool>,
    /// Block or unblock.
    pub blocked: Option<bool>,
}

/// `GET /api/nodes/{node}/people`: the nodes this node's user marked, in id order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct People {
    /// One entry per marked node; `name` is the name on its card (empty if none is known).
    pub people: Vec<AuthorView>,
}

/// One entry of `GET /api/nodes/{node}/documents/{id}/thread`: a document and the held documents below it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadEntry {
    /// The document.
    pub id: DocId,
    /// Its subject (empty while the body is missing).
    pub subject: String,
    /// Its author's display name.
    pub author_name: String,
    /// Its author as this node sees it (absent while the body is missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_info: Option<AuthorView>,
    /// Hidden here: its author is muted, or a moderator of its forum hid it. Pages collapse it.
    #[serde(default)]
    pub hidden: bool,
    /// The owner or moderator of its forum who hid it, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_by: Option<AuthorView>,
    /// Its author retracted it: subject and body are empty and pages show "retracted".
    #[serde(default)]
    pub retracted: bool,
    /// Its author edited it: the newest version, whose subject and body the entry shows.
    #[serde(default)]
    pub superseded_by: Option<DocId>,
    /// Its date, unix seconds.
    pub date: u64,
    /// Marked read here.
    pub read: bool,
    /// Attached by a link document rather than a direct comment.
    pub linked: bool,
    /// The main content's MIME type (only with `?bodies=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The main content as text, when it is text (only with `?bodies=true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Comments and attached documents, oldest first.
    pub children: Vec<ThreadEntry>,
}

/// `POST /api/nodes/{node}/documents/{id}/flags`: the flags to change; absent ones stay.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FlagsChange {
    /// Subscribe or unsubscribe.
    pub subscribed: Option<bool>,
    /// With `subscribed: true`: follow the whole thread below it, every document at any depth.
    pub thread: Option<bool>,
    /// With `true`: fetch the whole thread below it once, without following it.
    pub fetch: Option<bool>,
    /// Set or clear the bookmark.
    pub bookmarked: Option<bool>,
    /// Mark read or unread.
    pub read: Option<bool>,
}

/// `POST /api/nodes/{node}/join`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct JoinRequest {
    /// The address of an installation holding the document, such as `tcp://192.0.2.7:7117`
    /// (empty when `addresses` are given).
    #[serde(default)]
    pub address: String,
    /// More addresses to try in order after `address`, such as an invite's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// The document (a forum's root).
    pub doc: DocId,
    /// How long to wait, in milliseconds; default the daemon's `join_timeout`.
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

/// `GET /api/nodes/{node}/documents/{id}/invite`: what another person needs to join the forum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteView {
    /// The invite (`cliqueclique:ROOT?via=ADDRESS…`); it carries no address if none is advertised.
    pub invite: String,
    /// The forum's root document.
    pub doc: DocId,
    /// The addresses it carries: the ones this installation advertises.
    pub addresses: Vec<String>,
    /// What keeps others from joining through this installation and how to fix it, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// The answer to a join or an import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Joined {
    /// The document.
    pub doc: DocId,
    /// Its subject.
    pub subject: String,
    /// The node it came from (or will come from).
    pub peer: NodeId,
    /// That node's name, from its card.
    pub peer_name: String,
    /// Whether the body is held now.
    pub has_body: bool,
}

/// A local node's summary in `GET /api/status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeStatus {
    /// The node.
    pub id: NodeId,
    /// Its name.
    pub name: String,
    /// Document bodies held.
    pub documents: usize,
    /// Subscription records (held or being fetched).
    pub subscriptions: usize,
    /// Documents the user subscribed to.
    pub subscribed: usize,
    /// Known peers.
    pub peers: usize,
    /// Peers with a working session.
    pub peers_up: usize,
    /// Unacknowledged links (state still being sent).
    pub unacked_links: usize,
    /// The core's counters.
    pub batches_sent: u64,
    /// Parts sent.
    pub parts_sent: u64,
    /// Bodies sent.
    pub bodies_sent: u64,
    /// Bodies received that were already held.
    pub duplicate_bodies: u64,
    /// Inputs the core rejected.
    pub rejected: u64,
    /// Cards from senders without a record, not kept.
    #[serde(default)]
    pub cards_ignored: u64,
    /// Peer records forgotten to stay within the bound (`[proto] max_peer_records`).
    #[serde(default)]
    pub peers_forgotten: u64,
}

/// `GET /api/status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// The installation's public key (hex).
    pub installation: String,
    /// The data directory.
    pub data_dir: String,
    /// The transport addresses listened on.
    pub listening: Vec<String>,
    /// The addresses in the local nodes' cards.
    pub advertised: Vec<String>,
    /// The API address.
    pub api: String,
    /// Local nodes.
    pub nodes: Vec<NodeStatus>,
    /// Distinct document bodies held by the local nodes.
    pub documents: usize,
    /// Established sessions.
    pub sessions: usize,
    /// Queues: the node thread's input, its local delivery queue, transport queues.
    pub queues: BTreeMap<String, u64>,
    /// Counters: every rejection (transport and core) by reason, and the daemon's own failures.
    pub counters: BTreeMap<String, u64>,
    /// The health of each transport (TCP listeners, the I2P session), for the status page.
    #[serde(default)]
    pub transports: Vec<cliqueclique_net::TransportStatus>,
}

/// A session in `GET /api/peers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// The remote installation (hex key), once known.
    pub installation: Option<String>,
    /// The address dialed, for sessions opened here.
    pub dialed: Option<String>,
    /// The remote nodes attested on it.
    pub remote_nodes: Vec<NodeId>,
    /// Messages waiting to be sent.
    pub queue_len: usize,
    /// Seconds since it came up.
    pub age_secs: u64,
}

/// A peer of a local node in `GET /api/peers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerView {
    /// The local node.
    pub node: NodeId,
    /// The peer.
    pub peer: NodeId,
    /// Its name, from its card.
    pub name: Option<String>,
    /// The short fingerprint of its id.
    #[serde(default)]
    pub fingerprint: String,
    /// The local node's user's name for it.
    #[serde(default)]
    pub petname: Option<String>,
    /// Muted by the local node's user.
    #[serde(default)]
    pub muted: bool,
    /// Blocked by the local node's user.
    #[serde(default)]
    pub blocked: bool,
    /// Its addresses, from its card.
    pub addresses: Vec<String>,
    /// A session to it works.
    pub up: bool,
    /// Documents shared with it.
    pub documents: usize,
}

/// `GET /api/peers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peers {
    /// Transport sessions.
    pub sessions: Vec<SessionView>,
    /// Addresses being dialed.
    pub dialing: Vec<String>,
    /// Every local node's peers.
    pub peers: Vec<PeerView>,
}

/// One thread in `GET /api/nodes/{node}/overview`: a forum root or a bookmarked document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadSummary {
    /// The document.
    pub id: DocId,
    /// Its subject (empty while the body is missing).
    pub subject: String,
    /// Its author's display name.
    pub author_name: String,
    /// Its author as this node sees it (absent while the body is missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_info: Option<AuthorView>,
    /// The user's flags on it.
    pub flags: Flags,
    /// Held documents in the thread, itself included.
    pub documents: usize,
    /// Of those, the ones not marked read.
    pub unread: usize,
    /// The newest date in the thread, unix seconds (0 while nothing is held).
    pub last_activity: u64,
}

/// `GET /api/nodes/{node}/overview`: what the home page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// Subscribed documents without a parent (forums), newest activity first.
    pub forums: Vec<ThreadSummary>,
    /// Bookmarked documents, newest activity first.
    pub bookmarks: Vec<ThreadSummary>,
    /// Documents being fetched (joins in progress), by id.
    pub joining: Vec<Joining>,
}

/// One node in `GET /api/nodes/{node}/documents/{id}/network`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkNode {
    /// The node.
    pub id: NodeId,
    /// Its name, if known.
    pub name: Option<String>,
    /// A node of this installation (its state is known exactly); else a neighbour seen from here.
    pub local: bool,
    /// It holds the body (for a neighbour: as it advertises).
    pub has_body: bool,
    /// It is subscribed (for a neighbour: as it advertises).
    pub subscribed: bool,
    /// The center it follows (local nodes only).
    pub center: Option<NodeId>,
    /// Its distance to that center (local nodes only).
    pub distance: Option<u32>,
}

/// One overlay link in the network view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkEdge {
    /// A local node.
    pub from: NodeId,
    /// Its neighbour.
    pub to: NodeId,
    /// `from` follows `to` toward the center.
    pub upstream: bool,
    /// `to` follows `from` toward the center.
    pub downstream: bool,
}

/// `GET /api/nodes/{node}/documents/{id}/network`: a document's overlay as far as it is seen here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    /// The document.
    pub doc: DocId,
    /// The nodes, local ones first.
    pub nodes: Vec<NetworkNode>,
    /// The links of the local nodes.
    pub edges: Vec<NetworkEdge>,
}

/// `POST /api/nodes/{node}/newsgroups`: the name of a forum's newsgroup on the NNTP server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsgroupName {
    /// The forum's root document.
    pub root: DocId,
    /// The group's name.
    pub name: String,
}

/// Formats unix seconds as `YYYY-MM-DD HH:MM` (UTC).
pub fn format_date(unix: u64) -> String {
    let (year, month, day) = civil_date(unix);
    let secs = unix % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60
    )
}

/// The UTC calendar date (year, month, day) of unix seconds (Howard Hinnant's `civil_from_days`).
pub fn civil_date(unix: u64) -> (i64, u32, u32) {
    let z = (unix / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// `POST /api/nodes/{node}/directories`: a new directory.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewDirectory {
    /// Its title (the root's subject).
    pub title: String,
    /// What it is for (the root's body).
    #[serde(default)]
    pub description: String,
}

/// `POST /api/nodes/{node}/directories/{root}/names`: publish a held document under a name.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PublishName {
    /// The name (at most 200 characters; whitespace is normalized).
    pub name: String,
    /// The document it names; this node must hold it.
    pub target: DocId,
    /// How long to wait for the directory's levels to arrive (default 30,000, at most 120,000).
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

/// The answer to a publication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// The name as published (normalized).
    pub name: String,
    /// The named document.
    pub target: DocId,
    /// The link document that publishes it (an existing one if the name was already there).
    pub link: DocId,
}

/// `GET /api/nodes/{node}/directories/{root}/names` query parameters.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListNames {
    /// The prefix (case is ignored); empty lists the whole directory.
    pub prefix: String,
    /// The `next` of the previous page.
    pub after: Option<String>,
    /// At most this many names (default 50, at most 1000).
    pub limit: Option<usize>,
    /// `all` (default: every duplicate level) or `winners`.
    pub follow: Option<String>,
    /// How long to wait for the directory's levels to arrive (default 30,000, at most 120,000).
    pub timeout_ms: Option<u64>,
}

/// One name in a listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameEntry {
    /// The name as published.
    pub name: String,
    /// The named document.
    pub target: DocId,
    /// The link document that published it.
    pub link: DocId,
    /// Who published it.
    pub publisher: NodeId,
}

/// A page of names below a prefix, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamePage {
    /// The names.
    pub names: Vec<NameEntry>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
    /// How many levels of the tree were read.
    pub levels_read: usize,
}

/// `GET /api/nodes/{node}/search` query parameters.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// The query (`docs/query.md`).
    pub q: String,
    /// At most this many results (default 50, at most 1000).
    pub limit: Option<usize>,
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    /// The document.
    pub id: DocId,
    /// Its subject.
    pub subject: String,
    /// Its author.
    pub author: NodeId,
    /// The author's name.
    pub author_name: String,
    /// The author as this node sees it.
    pub author_info: AuthorView,
    /// Its date, unix seconds.
    pub date: u64,
    /// The user's flags.
    pub flags: Flags,
}

/// The answer to a search: newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query in canonical form.
    pub query: String,
    /// How many documents matched.
    pub total: usize,
    /// The first `limit` of them.
    pub hits: Vec<SearchHit>,
}

/// One document in `GET /api/nodes/{node}/resolve/{prefix}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedDocument {
    /// The document.
    pub id: DocId,
    /// Its subject (empty while the body is missing).
    pub subject: String,
    /// Its author's display name (empty while the body is missing).
    pub author_name: String,
}

/// `GET /api/nodes/{node}/resolve/{prefix}`: the documents the node knows whose id starts with
/// the prefix, in id order; exactly one means the prefix names a document unambiguously.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolved {
    /// The prefix, in lower case.
    pub prefix: String,
    /// How many documents match.
    pub total: usize,
    /// The first of them (at most [`Resolved::MAX_MATCHES`]).
    pub matches: Vec<ResolvedDocument>,
}

impl Resolved {
    /// The most matches an answer lists.
    pub const MAX_MATCHES: usize = 20;
}
