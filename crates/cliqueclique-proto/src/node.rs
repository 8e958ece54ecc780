//! [`Node`]: one identity's protocol state machine.
//!
//! A node is driven by five inputs, each with the current time:
//! [`Node::handle_batch`] (a batch from an authenticated peer), [`Node::handle_peer_up`] and
//! [`Node::handle_peer_down`] (the driver's session liveness, one per neighbour, never per
//! document), [`Node::handle_timeout`] and [`Node::handle_command`] (the user).
//! After any of them, drain [`Node::poll_transmit`] and [`Node::poll_event`], and arm a timer
//! for [`Node::poll_timeout`]. The node never reads a clock, never spawns and never blocks.
//!
//! Every input ends in [`Node::process`]: recompute what changed (routes, interest, garbage),
//! push comments to subscribed neighbours, assemble one batch per peer, and write changed
//! subscriptions through to the store.

mod block;
mod budget;
mod peers;
mod reads;
mod receive;
mod reconcile;
mod retract;
mod send;
mod session;
mod settle;
mod succession;
mod thread;
mod work;

pub use retract::Retraction;
pub use session::START_GRACE;
pub use thread::{FETCH_HOLD, ThreadStatus};

use crate::command::{Command, CommandError, Outcome};
use crate::config::Config;
use crate::event::{Event, RejectReason};
use crate::message::{Advert, Batch, Part};
use crate::store::Store;
use crate::subscription::{DocMeta, Flags, Link, Subscription};
use crate::time::Time;
use cliqueclique_doc::{ContactCard, DocId, Document, Identity, NodeId};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// A batch ready to leave, addressed to one peer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transmit {
    /// The receiving node.
    pub to: NodeId,
    /// The batch (its `to` equals the field above).
    pub batch: Batch,
}

/// What a node knows about another node, independent of documents.
#[derive(Clone, Debug, Default)]
pub struct Peer {
    /// Its verified contact card, if known.
    pub card: Option<ContactCard>,
    /// Whether the driver reports a working session.
    pub up: bool,
    /// Since when the session is down.
    pub down_since: Option<Time>,
    /// Our own card was sent to it.
    pub card_sent: bool,
    /// When we last asked it for its card.
    pub card_requested: Option<Time>,
    /// When the record was made or a batch from the peer last arrived: the least recently heard
    /// are forgotten first (`peers.rs`).
    pub last_heard: Time,
}

/// Counters of one node, for `status` pages and the simulator's figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Batches handed to the driver.
    pub batches_sent: u64,
    /// Parts handed to the driver.
    pub parts_sent: u64,
    /// Document bodies handed to the driver.
    pub bodies_sent: u64,
    /// Document bodies received that were already held.
    pub duplicate_bodies: u64,
    /// Inputs rejected (bad documents, cards, misaddressed batches).
    pub rejected: u64,
    /// Contact cards from senders this node has no record of, not kept (`peers.rs`).
    pub cards_ignored: u64,
    /// Peer records forgotten to stay within `Config::max_peer_records`.
    pub peers_forgotten: u64,
}

/// One node's protocol state machine. See the module documentation for the driving contract.
pub struct Node<S: Store> {
    identity: Identity,
    id: NodeId,
    card: ContactCard,
    config: Config,
    store: S,
    rng: ChaCha8Rng,
    subs: BTreeMap<DocId, Subscription>,
    /// Documents pushed along with each document's subscribers: semantic children and link targets.
    children: BTreeMap<DocId, BTreeSet<DocId>>,
    /// The reverse of `children`.
    parents: BTreeMap<DocId, BTreeSet<DocId>>,
    /// Documents held on a neighbour's claim that they lie below a followed thread, by thread.
    claimed: BTreeMap<DocId, BTreeSet<DocId>>,
    /// Thread tallies computed since the held documents last changed.
    tallies: BTreeMap<DocId, (u32, [u8; 8])>,
    peers: BTreeMap<NodeId, Peer>,
    /// Nodes the user blocked (`block.rs`).
    blocked: BTreeSet<NodeId>,
    /// Nodes banned from a forum, by forum root, as the driver set them (`block.rs`).
    forum_bans: BTreeMap<DocId, BTreeSet<NodeId>>,
    /// The proof of work a forum requires, by forum root, as the driver set it (`work.rs`).
    forum_work: BTreeMap<DocId, work::ForumWork>,
    /// New bodies stored from each neighbour in its current window (`budget.rs`).
    received: BTreeMap<NodeId, budget::Window>,
    /// Bodies sent to each neighbour in its current window.
    sent: BTreeMap<NodeId, budget::Window>,
    /// Documents stored from authors new to a forum in its current window, by forum.
    newcomers: BTreeMap<DocId, budget::Window>,
    /// The authors with a document held in each forum.
    authors: BTreeMap<DocId, BTreeSet<NodeId>>,
    /// Retractions this node knows of, by retracted document and signer (`retract.rs`).
    retracted: BTreeMap<(DocId, NodeId), Retraction>,
    /// Documents held with each peer, the reverse of the links.
    peer_docs: BTreeMap<NodeId, BTreeSet<DocId>>,
    /// Until when peers not reported on since this node started still count as upstreams
    /// (`None` before the first input and after the grace).
    start_grace: Option<Time>,
    /// The first input was handled.
    started: bool,
    /// The peers known from the store when the node was made that the driver has not reported
    /// on since: followed during the start grace (`session.rs`).
    unheard: BTreeSet<NodeId>,
    /// The reconciliation questions this node waits to have answered, by neighbour and range.
    questions: BTreeMap<(NodeId, crate::message::DigestRange), reconcile::Question>,
    /// When each question is asked again.
    question_timers: BTreeSet<(Time, NodeId, crate::message::DigestRange)>,
    /// The links fingerprinted for the current batch's digests (`reconcile.rs`).
    digest_work: usize,
    dirty: BTreeSet<DocId>,
    /// Documents whose held children must all be offered to their subscribed tree neighbours.
    push_dirty: BTreeSet<DocId>,
    /// Newly held documents to offer to their parents' subscribed tree neighbours.
    push_new: BTreeSet<DocId>,
    /// Unwanted documents without links, removed once everything has settled.
    garbage: BTreeSet<DocId>,
    persist: BTreeSet<DocId>,
    send_due: BTreeSet<(DocId, NodeId)>,
    outbox: BTreeMap<NodeId, Vec<Part>>,
    timers: BTreeSet<(Time, DocId, NodeId)>,
    seq_timers: BTreeSet<(Time, DocId)>,
    /// Retries of subscriptions left without any link.
    stranded_timers: BTreeSet<(Time, DocId)>,
    expiry_timers: BTreeSet<(Time, NodeId)>,
    /// When to settle a document again: the end of a whole-thread fetch, or an orphan's look
    /// at whether the first line of succession came up.
    settle_timers: BTreeSet<(Time, DocId)>,
    transmits: VecDeque<Transmit>,
    events: VecDeque<Event>,
    stats: Stats,
    /// The time of the input being handled.
    now: Time,
    /// The sender of the batch being handled: answered even without a record (`peers.rs`).
    sender: Option<NodeId>,
    /// Documents parsed during the driver's current reading (`reads.rs`).
    reads: reads::Reads,
}

impl<S: Store> Node<S> {
    /// Starts a node from its identity and whatever its store holds.
    ///
    /// Every known peer starts as down: the driver reports sessions with [`Node::handle_peer_up`],
    /// and each one resends all state shared with that peer.
    pub fn new(
        identity: Identity,
        card: ContactCard,
        config: Config,
        store: S,
        seed: u64,
    ) -> Node<S> {
        let id = identity.node_id();
        let mut node = Node {
            identity,
            id,
            card,
            config,
            store,
            rng: ChaCha8Rng::seed_from_u64(seed),
            subs: BTreeMap::new(),
            children: BTreeMap::new(),
            parents: BTreeMap::new(),
            claimed: BTreeMap::new(),
            tallies: BTreeMap::new(),
            peers: BTreeMap::new(),
            blocked: BTreeSet::new(),
            retracted: BTreeMap::new(),
            forum_bans: BTreeMap::new(),
            forum_work: BTreeMap::new(),
            received: BTreeMap::new(),
            sent: BTreeMap::new(),
            newcomers: BTreeMap::new(),
            authors: BTreeMap::new(),
            peer_docs: BTreeMap::new(),
            start_grace: None,
            started: false,
            unheard: BTreeSet::new(),
            questions: BTreeMap::new(),
            question_timers: BTreeSet::new(),
            digest_work: 0,
            dirty: BTreeSet::new(),
            push_dirty: BTreeSet::new(),
            push_new: BTreeSet::new(),
            garbage: BTreeSet::new(),
            persist: BTreeSet::new(),
            send_due: BTreeSet::new(),
            outbox: BTreeMap::new(),
            timers: BTreeSet::new(),
            seq_timers: BTreeSet::new(),
            stranded_timers: BTreeSet::new(),
            expiry_timers: BTreeSet::new(),
            settle_timers: BTreeSet::new(),
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            stats: Stats::default(),
            now: Time::ZERO,
            sender: None,
            reads: reads::Reads::default(),
        };
        node.blocked = node.store.blocked().into_iter().collect();
        node.retracted = node
            .store
            .retractions()
            .into_iter()
            .map(|r| ((r.target, r.author), r))
            .collect();
        for card in node.store.cards() {
            let id = card.node_id();
            node.peers.entry(id).or_default().card = Some(card);
        }
        for sub in node.store.subscriptions() {
            let doc = sub.doc;
            for peer in sub.links.keys() {
                node.peer_docs.entry(*peer).or_default().insert(doc);
                node.peers.entry(*peer).or_default();
            }
            if let Some(meta) = sub.meta {
                node.index(doc, &meta);
            }
            if let Some(root) = sub.thread_via {
                node.claimed.entry(root).or_default().insert(doc);
            }
            node.subs.insert(doc, sub);
            node.dirty.insert(doc);
            node.push_dirty.insert(doc);
        }
        node.unheard = node.peers.keys().copied().collect();
        if node.peers.len() > node.config.max_peer_records {
            node.forget_peers(None);
        }
        // Interest as it was before the restart, so that no document looks unwanted while its
        // parents have not settled yet.
        for sub in node.subs.values_mut() {
            sub.derived.subscribed =
                sub.flags.subscribed || sub.downstream_has(Advert::SUBSCRIBED, |_| true);
            sub.derived.thread = (sub.flags.subscribed && sub.flags.thread)
                || sub.downstream_has(Advert::THREAD, |_| true);
            sub.derived.wanted = true;
        }
        let held: Vec<(DocId, DocMeta)> = node
            .subs
            .values()
            .filter_map(|s| s.meta.map(|m| (s.doc, m)))
            .collect();
        for (doc, meta) in held {
            node.learn_author(doc, meta.parent, meta.author);
        }
        node
    }

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }

    /// This node's identity.
    pub fn identity(&self) -> &Identity {
        &self.identity
    }

    /// This node's own contact card.
    pub fn card(&self) -> &ContactCard {
        &self.card
    }

    /// The protocol settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Consumes the node, returning its store (what survives a crash).
    pub fn into_store(self) -> S {
        self.store
    }

    /// Counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// One subscription.
    pub fn subscription(&self, doc: &DocId) -> Option<&Subscription> {
        self.subs.get(doc)
    }

    /// All subscriptions, ordered by document id.
    pub fn subscriptions(&self) -> impl Iterator<Item = &Subscription> {
        self.subs.values()
    }

    /// The held documents the given one carries with it to subscribers (comments and attached documents).
    pub fn children(&self, doc: &DocId) -> impl Iterator<Item = &DocId> {
        self.children.get(doc).into_iter().flatten()
    }

    /// The held documents that carry the given one with them: its semantic parent, and the
    /// documents a link document attaches it under.
    pub fn parents(&self, doc: &DocId) -> impl Iterator<Item = &DocId> {
        self.parents.get(doc).into_iter().flatten()
    }

    /// A held document.
    ///
    /// Its signature is not verified again: the store holds only the bytes of documents, which
    /// were verified when they entered ([`Store::document`]).
    pub fn document(&self, doc: &DocId) -> Option<Document> {
        if let Some(kept) = self.reads.get(doc) {
            return Some(kept);
        }
        let bytes = self.store.document(doc)?;
        let document = Document::parse_already_verified(doc, bytes, &self.config.limits).ok()?;
        self.reads.keep(&document);
        Some(document)
    }

    /// Whether the link to `peer` of subscription `sub` holds one of the document's
    /// `max_peers_per_document` slots: every link does, except one the peer has not answered
    /// that was opened to heal a split, or whose peer's session is down (it may lead to a node
    /// that left, docs/protocol.md §5.4).
    pub fn holds_slot(&self, sub: &Subscription, peer: &NodeId, link: &Link) -> bool {
        link.advert.is_some()
            || (!sub.reaching.contains(peer)
                && self
                    .peers
                    .get(peer)
                    .is_none_or(|p| p.up || p.down_since.is_none()))
    }

    /// Known peers.
    pub fn peers(&self) -> &BTreeMap<NodeId, Peer> {
        &self.peers
    }

    /// User flags of a held or remembered document.
    pub fn flags(&self, doc: &DocId) -> Option<Flags> {
        self.subs
            .get(doc)
            .map(|s| s.flags)
            .or_else(|| self.store.remembered_flags(doc))
    }

    /// The next batch to hand to the transport.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next event for the user interface.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When [`Node::handle_timeout`] should be called next, if ever.
    pub fn poll_timeout(&self) -> Option<Time> {
        [
            self.timers.first().map(|t| t.0),
            self.seq_timers.first().map(|t| t.0),
            self.stranded_timers.first().map(|t| t.0),
            self.expiry_timers.first().map(|t| t.0),
            self.settle_timers.first().map(|t| t.0),
            self.question_timers.first().map(|t| t.0),
            self.start_grace,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Handles a batch from `from`, a node the transport authenticated.
    ///
    /// A sender without a record gets one only if the batch makes the node link with it
    /// (`peers.rs`); its card is handled last, so that it is kept only then.
    pub fn handle_batch(&mut self, now: Time, from: NodeId, batch: Batch) {
        self.clock(now);
        if batch.to != self.id {
            self.reject(from, RejectReason::Misaddressed);
            return;
        }
        if batch.from != from || from == self.id {
            self.reject(from, RejectReason::WrongSender);
            return;
        }
        let down = self.peers.get_mut(&from).is_some_and(|peer| {
            peer.last_heard = now;
            !peer.up
        });
        if down {
            // Traffic proves the session works, even if the driver has not said so yet.
            self.set_peer_up(now, from);
        }
        let brings_card = batch.parts.iter().any(|p| matches!(p, Part::Card { .. }));
        let (cards, parts): (Vec<Part>, Vec<Part>) = batch
            .parts
            .into_iter()
            .partition(|p| matches!(p, Part::Card { .. }));
        self.sender = Some(from);
        self.digest_work = 0;
        for part in parts.into_iter().chain(cards) {
            self.handle_part(now, from, part);
        }
        self.request_card_if_missing(now, from, brings_card);
        self.process(now);
        self.sender = None;
    }

    /// The driver has a working session with `peer`: everything shared with it is sent again.
    /// A session with a node the node has no record of changes nothing.
    pub fn handle_peer_up(&mut self, now: Time, peer: NodeId) {
        self.clock(now);
        if peer != self.id && self.peers.contains_key(&peer) {
            self.set_peer_up(now, peer);
            self.process(now);
        }
    }

    /// The driver lost its session with `peer`; it stops being used as an upstream.
    pub fn handle_peer_down(&mut self, now: Time, peer: NodeId) {
        self.clock(now);
        let Some(entry) = self.peers.get_mut(&peer) else {
            return;
        };
        if !entry.up && entry.down_since.is_some() {
            return;
        }
        entry.up = false;
        entry.down_since = Some(now);
        entry.card_sent = false;
        self.unheard.remove(&peer);
        self.forget_questions(&peer);
        self.expiry_timers
            .insert((now.after(self.config.peer_expiry), peer));
        self.expiry_timers
            .insert((now.after(self.config.interest_grace), peer));
        for doc in self.peer_docs.get(&peer).into_iter().flatten() {
            self.dirty.insert(*doc);
        }
        self.process(now);
    }

    /// Time has advanced to `now`: resend what is due.
    pub fn handle_timeout(&mut self, now: Time) {
        self.clock(now);
        while let Some(&(t, doc, peer)) = self.timers.first() {
            if t > now {
                break;
            }
            self.timers.pop_first();
            self.send_due.insert((doc, peer));
        }
        while let Some(&(t, doc)) = self.seq_timers.first() {
            if t > now {
                break;
            }
            self.seq_timers.pop_first();
            self.retry_seq_request(now, doc);
        }
        while let Some(&(t, doc)) = self.stranded_timers.first() {
            if t > now {
                break;
            }
            self.stranded_timers.pop_first();
            self.retry_stranded(now, doc);
        }
        while let Some(&(t, peer)) = self.expiry_timers.first() {
            if t > now {
                break;
            }
            self.expiry_timers.pop_first();
            self.expire_peer(now, peer);
        }
        while let Some(&(t, doc)) = self.settle_timers.first() {
            if t > now {
                break;
            }
            self.settle_timers.pop_first();
            self.dirty.insert(doc);
        }
        self.retry_questions(now);
        if self.start_grace.is_some_and(|t| t <= now) {
            self.end_start_grace();
        }
        self.process(now);
    }

    /// Carries out a user's command.
    pub fn handle_command(&mut self, now: Time, command: Command) -> Result<Outcome, CommandError> {
        self.clock(now);
        let outcome = self.command(now, command)?;
        self.process(now);
        Ok(outcome)
    }

    fn command(&mut self, now: Time, command: Command) -> Result<Outcome, CommandError> {
        match command {
            Command::Post {
                document,
                subscribe,
            } => self.post(document, subscribe),
            Command::Subscribe { doc, thread } => {
                self.set_flags(doc, |f| {
                    f.subscribed = true;
                    f.thread |= thread;
                })?;
                Ok(Outcome::Done)
            }
            Command::Fetch { doc } => {
                let until = now.after(thread::FETCH_HOLD);
                let sub = self
                    .subs
                    .get_mut(&doc)
                    .ok_or(CommandError::UnknownDocument(doc))?;
                sub.fetch_until = Some(until);
                self.settle_timers.insert((until, doc));
                self.dirty.insert(doc);
                Ok(Outcome::Done)
            }
            Command::Unsubscribe { doc } => {
                let fetching = self.subs.get(&doc).is_some_and(|s| !s.has_body());
                self.set_flags(doc, |f| {
                    f.subscribed = false;
                    f.thread = false;
                    // A join whose body has not arrived is given up.
                    f.joining &= !fetching;
                })?;
                Ok(Outcome::Done)
            }
            Command::Bookmark { doc, on } => {
                self.set_flags(doc, |f| f.bookmarked = on)?;
                Ok(Outcome::Done)
            }
            Command::MarkRead { doc, read } => {
                self.set_flags(doc, |f| f.read = read)?;
                Ok(Outcome::Done)
            }
            Command::Join { doc, peer } => {
                self.check_card(&peer)?;
                if !self.subs.contains_key(&doc) {
                    let mut flags = self.store.remembered_flags(&doc).unwrap_or_default();
                    flags.joining = true;
                    self.insert_sub(Subscription::new(self.id, doc, None, flags));
                }
                self.set_flags(doc, |f| f.subscribed = true)?;
                self.learn_card(peer.clone());
                self.connect(now, doc, peer.node_id());
                Ok(Outcome::Done)
            }
            Command::AddPeer { doc, peer } => {
                self.check_card(&peer)?;
                if !self.subs.contains_key(&doc) {
                    return Err(CommandError::UnknownDocument(doc));
                }
                self.learn_card(peer.clone());
                self.connect(now, doc, peer.node_id());
                Ok(Outcome::Done)
            }
            Command::Block { node } => self.block(node),
            Command::Unblock { node } => Ok(self.unblock(node)),
            Command::SetForumBans { forum, nodes } => Ok(self.set_forum_bans(forum, nodes)),
            Command::SetForumWork {
                forum,
                bits,
                exempt,
            } => Ok(self.set_forum_work(forum, bits, exempt)),
            Command::Import { export } => {
                self.check_card(&export.exporter)?;
                let doc = export.document.id();
                if self.refuses_retracted(&export.document) {
                    return Err(CommandError::Retracted(doc));
                }
                self.check_work(&export.document)?;
                self.store_document(&export.document, None);
                self.set_flags(doc, |f| f.subscribed = true)?;
                self.learn_card(export.exporter.clone());
                self.connect(now, doc, export.exporter.node_id());
                Ok(Outcome::Stored(doc))
            }
        }
    }

    fn post(&mut self, document: Document, subscribe: bool) -> Result<Outcome, CommandError> {
        if document.author() != self.id {
            return Err(CommandError::NotAuthor(document.author()));
        }
        if document.len() > self.config.limits.max_document_bytes {
            return Err(CommandError::TooLarge {
                size: document.len(),
                max: self.config.limits.max_document_bytes,
            });
        }
        if let Some(revision) = document.revision() {
            self.check_revision(revision.target())?;
        }
        self.check_work(&document)?;
        let meta = DocMeta::of(&document);
        for reference in meta.parent.iter().chain(meta.link_child.iter()) {
            if !self.subs.get(reference).is_some_and(Subscription::has_body) {
                return Err(CommandError::MissingReference(*reference));
            }
        }
        if let Some(parent) = meta.parent {
            self.set_flags(parent, |f| f.subscribed = true)?;
        }
        let doc = document.id();
        self.store_document(&document, None);
        self.set_flags(doc, |f| {
            f.own = true;
            f.subscribed |= subscribe;
        })?;
        Ok(Outcome::Stored(doc))
    }

    fn check_card(&self, card: &ContactCard) -> Result<(), CommandError> {
        card.verify().map_err(|_| CommandError::BadCard)?;
        if card.node_id() == self.id {
            return Err(CommandError::SelfPeer);
        }
        Ok(())
    }

    /// Changes a held document's user flags.
    fn set_flags(
        &mut self,
        doc: DocId,
        change: impl FnOnce(&mut Flags),
    ) -> Result<(), CommandError> {
        let sub = self
            .subs
            .get_mut(&doc)
            .ok_or(CommandError::UnknownDocument(doc))?;
        change(&mut sub.flags);
        self.dirty.insert(doc);
        // Following a forum follows its threads: they settle again.
        if sub.meta.is_some_and(|m| m.parent.is_none()) {
            let topics: Vec<DocId> = self.children(&doc).copied().collect();
            self.dirty.extend(topics);
        }
        Ok(())
    }

    /// Stores a verified document body, creating or completing its subscription.
    fn store_document(&mut self, document: &Document, from: Option<NodeId>) {
        let doc = document.id();
        let meta = DocMeta::of(document);
        self.store.put_document(document);
        self.learn_retraction(document);
        match self.subs.get_mut(&doc) {
            Some(sub) if sub.meta.is_some() => return,
            Some(sub) => {
                sub.meta = Some(meta);
                sub.flags.joining = false;
            }
            None => {
                let flags = self.store.remembered_flags(&doc).unwrap_or_default();
                self.insert_sub(Subscription::new(self.id, doc, Some(meta), flags));
            }
        }
        self.index(doc, &meta);
        self.learn_author(doc, meta.parent, meta.author);
        // Documents below it that waited for it (held on a claim) now see their parents.
        for d in self.descendants(&doc) {
            self.dirty.insert(d);
        }
        self.dirty.insert(doc);
        self.push_new.insert(doc);
        if let Some(child) = meta.link_child {
            // The document a link attaches travels with the link.
            self.push_new.insert(child);
        }
        if let Some(from) = from {
            self.events.push_back(Event::DocumentArrived {
                doc,
                parent: meta.parent,
                from,
            });
        }
    }

    fn insert_sub(&mut self, sub: Subscription) {
        let sub = sub.start_at(self.now);
        let doc = sub.doc;
        self.subs.insert(doc, sub);
        self.dirty.insert(doc);
    }

    /// Records the push relations of a held document.
    fn index(&mut self, doc: DocId, meta: &DocMeta) {
        self.tallies.clear();
        if let Some(parent) = meta.parent {
            self.children.entry(parent).or_default().insert(doc);
            self.parents.entry(doc).or_default().insert(parent);
            if let Some(child) = meta.link_child {
                self.children.entry(parent).or_default().insert(child);
                self.parents.entry(child).or_default().insert(parent);
                self.dirty.insert(child);
            }
        }
    }

    /// Removes the push relations of a document that is no longer held.
    fn unindex(&mut self, doc: DocId, meta: &DocMeta) {
        self.tallies.clear();
        if let Some(parent) = meta.parent {
            let mut remove = vec![(parent, doc)];
            if let Some(child) = meta.link_child {
                // The attached document stays a child only if another held link still attaches it.
                let still_linked = self.subs.values().any(|s| {
                    s.doc != doc
                        && s.meta.is_some_and(|m| {
                            m.parent == Some(parent) && m.link_child == Some(child)
                        })
                });
                if !still_linked {
                    remove.push((parent, child));
                }
            }
            for (p, c) in remove {
                if let Some(set) = self.children.get_mut(&p) {
                    set.remove(&c);
                    if set.is_empty() {
                        self.children.remove(&p);
                    }
                }
                if let Some(set) = self.parents.get_mut(&c) {
                    set.remove(&p);
                    if set.is_empty() {
                        self.parents.remove(&c);
                    }
                }
                self.dirty.insert(c);
            }
        }
    }

    fn learn_card(&mut self, card: ContactCard) {
        let id = card.node_id();
        self.admit_peer(id);
        let Some(peer) = self.peers.get_mut(&id) else {
            return;
        };
        let newer = peer
            .card
            .as_ref()
            .is_none_or(|old| old.issued_at < card.issued_at);
        if newer {
            self.store.put_card(&card);
            peer.card = Some(card.clone());
            self.events.push_back(Event::PeerContact {
                card: Box::new(card),
            });
        }
    }

    /// Opens a link to `peer` for `doc`: our state (and body, if the peer lacks it) is sent.
    fn connect(&mut self, _now: Time, doc: DocId, peer: NodeId) {
        if peer == self.id || self.blocked.contains(&peer) {
            return;
        }
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        sub.tried.insert(peer);
        if sub.links.contains_key(&peer) {
            return;
        }
        sub.declined.remove(&peer);
        sub.links.insert(peer, Link::new());
        self.peer_docs.entry(peer).or_default().insert(doc);
        self.admit_peer(peer);
        self.dirty.insert(doc);
        self.send_due.insert((doc, peer));
    }

    /// Drops our record of `peer` for `doc`.
    fn remove_link(&mut self, doc: DocId, peer: NodeId) {
        if let Some(sub) = self.subs.get_mut(&doc)
            && sub.links.remove(&peer).is_some()
        {
            if let Some(docs) = self.peer_docs.get_mut(&peer) {
                docs.remove(&doc);
                if docs.is_empty() {
                    self.peer_docs.remove(&peer);
                }
            }
            self.dirty.insert(doc);
        }
    }

    /// The documents for which this node has a link to `peer`.
    pub(super) fn docs_shared_with(&self, peer: &NodeId) -> Vec<DocId> {
        self.peer_docs
            .get(peer)
            .into_iter()
            .flatten()
            .copied()
            .collect()
    }

    /// Asks a peer with a record for its card (at most once per `resend_initial`) when we hold
    /// none and the batch did not bring one: cards are needed to introduce peers to each other.
    fn request_card_if_missing(&mut self, now: Time, from: NodeId, brings_card: bool) {
        let interval = self.config.resend_initial;
        let Some(peer) = self.peers.get_mut(&from) else {
            return;
        };
        let recently = peer.card_requested.is_some_and(|t| now.since(t) < interval);
        if peer.card.is_none() && !brings_card && !recently {
            peer.card_requested = Some(now);
            self.queue(from, Part::CardRequest);
        }
    }

    fn reject(&mut self, peer: NodeId, reason: RejectReason) {
        tracing::debug!(%peer, %reason, "rejected input");
        self.stats.rejected += 1;
        self.events.push_back(Event::Rejected { peer, reason });
    }

    /// Queues a part for `peer` in this step's batch.
    fn queue(&mut self, peer: NodeId, part: Part) {
        self.outbox.entry(peer).or_default().push(part);
    }

    /// Runs everything an input may have caused, then emits batches and persists.
    fn process(&mut self, now: Time) {
        loop {
            while let Some(doc) = self.dirty.pop_first() {
                self.settle(now, doc);
            }
            if let Some(doc) = self.push_new.pop_first() {
                self.push_to_parents_subscribers(doc);
                continue;
            }
            if let Some(doc) = self.push_dirty.pop_first() {
                self.push_children(doc);
                continue;
            }
            for doc in std::mem::take(&mut self.garbage) {
                self.remove_if_unwanted(doc);
            }
            if self.dirty.is_empty() && self.push_dirty.is_empty() && self.push_new.is_empty() {
                break;
            }
        }
        self.flush(now);
        for doc in std::mem::take(&mut self.persist) {
            match self.subs.get(&doc) {
                Some(sub) => self.store.put_subscription(sub),
                None => self.store.remove_subscription(&doc),
            }
        }
    }
}
