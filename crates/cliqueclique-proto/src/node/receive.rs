//! Handlers for each kind of [`Part`] received from a peer.
//!
//! Handlers never fail and never panic: input that does not verify is counted, reported as an
//! [`Event::Rejected`] and otherwise ignored, leaving all stored state as it was.

use super::Node;
use crate::event::{Event, RejectReason};
use crate::message::{Advert, Part, ThreadClaim};
use crate::store::Store;
use crate::subscription::{Link, LinkState};
use crate::time::Time;
use bytes::Bytes;
use cliqueclique_doc::{ContactCard, DocId, Document, NodeId};

/// How many declined-link suggestions a node hands out at once.
const MAX_SUGGESTIONS: usize = 3;
/// How many nodes a subscription remembers having tried, bounding introduction chains.
const MAX_TRIED: usize = 32;

/// The fields of a received [`Part::Decline`].
struct Declined {
    serial: u64,
    held: bool,
    parent_serial: u64,
    suggestions: Vec<ContactCard>,
}

impl<S: Store> Node<S> {
    pub(super) fn handle_part(&mut self, now: Time, from: NodeId, part: Part) {
        if self.is_blocked(&from) {
            self.on_part_from_blocked(now, from, part);
            return;
        }
        match part {
            Part::Update {
                doc,
                serial,
                advert,
                body,
                thread,
            } => self.on_update(now, from, doc, serial, advert, body, thread),
            Part::Ack {
                doc,
                serial,
                has_body,
            } => self.on_ack(from, doc, serial, has_body),
            Part::NeedBody { doc } => self.on_need_body(from, doc),
            Part::Decline {
                doc,
                serial,
                held,
                parent_serial,
                suggestions,
            } => self.on_decline(
                now,
                from,
                doc,
                Declined {
                    serial,
                    held,
                    parent_serial,
                    suggestions,
                },
            ),
            Part::Goodbye {
                doc,
                serial,
                suggestions,
            } => {
                // A goodbye overtaken by a newer update from the same node is stale.
                let stale = self
                    .subs
                    .get(&doc)
                    .and_then(|s| s.links.get(&from))
                    .is_some_and(|l| l.advert.is_some() && l.peer_serial > serial);
                let upstream = self.subs.get(&doc).and_then(|s| s.route.upstream);
                if stale {
                    // The peer dropped the document after this goodbye and fetched it again:
                    // its new link holds none of our state, which must be sent again.
                    self.resync_link(doc, from);
                } else {
                    self.remove_link(doc, from);
                    if let Some(sub) = self.subs.get_mut(&doc) {
                        sub.tombstone(from, serial, now);
                    }
                    self.queue(from, Part::GoodbyeAck { doc });
                    // Shed by our upstream: follow one suggestion, or our subtree would be cut
                    // off if all our other links lead downstream.
                    let was_upstream = upstream == Some(from);
                    for card in suggestions.into_iter().take(MAX_SUGGESTIONS) {
                        if self.consider_candidate(now, from, doc, card, was_upstream)
                            && was_upstream
                        {
                            break;
                        }
                    }
                }
            }
            Part::GoodbyeAck { doc } => {
                let leaving = self
                    .subs
                    .get(&doc)
                    .and_then(|s| s.links.get(&from))
                    .is_some_and(|l| l.state != LinkState::Active);
                if leaving {
                    self.remove_link(doc, from);
                }
            }
            Part::SeqRequest { doc, center, seq } => {
                self.on_seq_request(now, from, doc, center, seq)
            }
            Part::Introduce { doc, card } => self.on_introduce(now, from, doc, card),
            Part::CardRequest => {
                let card = self.card.clone();
                self.queue(from, Part::Card { card });
                if let Some(peer) = self.peers.get_mut(&from) {
                    peer.card_sent = true;
                }
            }
            Part::Center { doc, card } => self.on_center(from, doc, card),
            Part::Heirs { doc, cards } => self.on_heirs(from, doc, cards),
            Part::Deputies { doc, cards } => self.on_deputies(from, doc, cards),
            Part::Digest {
                range,
                count,
                fingerprint,
            } => self.on_digest(now, from, range, count, fingerprint),
            Part::Reconciled { range, same } => self.on_reconciled(from, range, same),
            Part::Card { card } => {
                if !self.peers.contains_key(&from) {
                    // A sender the node does not link with: its card is not needed (peers.rs).
                    self.stats.cards_ignored += 1;
                } else if card.verify().is_ok() && card.node_id() == from {
                    self.learn_card(card);
                } else {
                    self.reject(from, RejectReason::BadCard);
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn on_update(
        &mut self,
        now: Time,
        from: NodeId,
        doc: DocId,
        serial: u64,
        advert: Advert,
        body: Option<Bytes>,
        thread: Option<ThreadClaim>,
    ) {
        let ttl = self.config.resend_max * 2;
        // The peer said goodbye on an earlier link: it may hold updates we sent on that link.
        let said_goodbye = self
            .subs
            .get(&doc)
            .is_some_and(|s| s.gone.contains_key(&from));
        if let Some(sub) = self.subs.get_mut(&doc)
            && let Some(&(gone, at)) = sub.gone.get(&from)
        {
            // No delayed message outlives twice the longest resend interval.
            if serial <= gone && now.since(at) < ttl {
                // Sent before the goodbye we already processed: it must not revive the link.
                return;
            }
            sub.gone.remove(&from);
        }
        let held = self.subs.get(&doc).is_some_and(|s| s.has_body());
        let mut document = None;
        if let Some(bytes) = body {
            if held {
                self.stats.duplicate_bodies += 1;
            } else {
                match Document::parse_expecting(&doc, bytes, &self.config.limits) {
                    Ok(d) => document = Some(d),
                    Err(e) => {
                        self.reject(from, RejectReason::BadDocument(e.to_string()));
                        return;
                    }
                }
            }
        }
        // A blocked author's document is declined, whoever pushes or offers it (block.rs), and
        // so are a document its author retracted (retract.rs), a new document of an author
        // banned from its forum, and one without the work its forum requires (work.rs).
        let linked = self
            .subs
            .get(&doc)
            .is_some_and(|s| s.links.contains_key(&from));
        if document.as_ref().is_some_and(|d| {
            self.is_blocked(&d.author())
                || self.refuses_retracted(d)
                || self.banned_in_forum(d)
                || self.lacks_work(d)
        }) || (!linked && (self.authored_by_blocked(&doc) || self.retracted_held(&doc)))
        {
            let parent = document.as_ref().and_then(Document::semantic_parent);
            self.decline_blocked(now, from, doc, parent);
            return;
        }
        // Beyond the budgets a new body waits: nothing stored, nothing acknowledged, so the
        // sender offers it again later (budget.rs).
        if document
            .as_ref()
            .is_some_and(|d| !self.admits_new_body(now, &from, d))
        {
            return;
        }
        let mut via = None;
        if !self.subs.contains_key(&doc) {
            let Some(d) = &document else {
                // An offer or a join request for a document we do not hold: pulled when the
                // neighbour's budget has room, else offered again later.
                if self.receive_budget_has_room(now, &from) {
                    self.queue(from, Part::NeedBody { doc });
                }
                return;
            };
            let by_thread = self.thread_admits(doc, d.semantic_parent(), thread.as_ref());
            via = by_thread.flatten();
            if by_thread.is_none() && !self.accepts_unsolicited(d) {
                let parent_serial = d
                    .semantic_parent()
                    .and_then(|p| self.subs.get(&p))
                    .map_or(0, |s| s.serial);
                self.queue(
                    from,
                    Part::Decline {
                        doc,
                        serial: crate::subscription::serial_floor(now),
                        held: false,
                        parent_serial,
                        suggestions: Vec::new(),
                    },
                );
                return;
            }
        }
        let has_link = self
            .subs
            .get(&doc)
            .is_some_and(|s| s.links.contains_key(&from));
        let brings_body = document.is_some() || advert.has(Advert::HAS_BODY);
        if !has_link && !self.accept_new_link(from, doc, brings_body, said_goodbye) {
            return;
        }
        if let Some(d) = &document {
            self.take_new_body(now, from, d);
            self.store_document(d, Some(from));
            if via.is_some() {
                self.set_thread_via(doc, via);
            }
        }
        if document.is_none()
            && let Some(claim) = &thread
        {
            self.keep_on_offered_claim(doc, claim);
        }
        if let Some(claim) = &thread {
            self.learn_claim(claim);
        }
        if self
            .subs
            .get(&doc)
            .is_some_and(|s| !s.links.contains_key(&from))
        {
            // A new link: the sender gets a record if it has none.
            self.admit_peer(from);
        }
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        if let std::collections::btree_map::Entry::Vacant(entry) = sub.links.entry(from) {
            entry.insert(Link::new());
            self.peer_docs.entry(from).or_default().insert(doc);
            self.send_due.insert((doc, from));
        }
        let has_body = sub.meta.is_some();
        let n_active_up = sub.active_links().count();
        let link = sub.links.get_mut(&from).expect("link inserted above");
        // A newer advert that says "subscribed" re-opens pushes the neighbour declined before:
        // it may have declined while its subscription lapsed for a moment we never saw.
        let resubscribed = serial > link.peer_serial && advert.has(Advert::SUBSCRIBED);
        let rethreaded = serial > link.peer_serial && advert.has(Advert::THREAD);
        if serial >= link.peer_serial {
            link.advert = Some(advert);
            link.peer_serial = serial;
            link.peer_has_body = advert.has(Advert::HAS_BODY);
        }
        link.ack_owed = true;
        let body_wanted =
            has_body && !link.peer_has_body && advert.has(Advert::WANTED) && !link.body_sent;
        if body_wanted {
            link.body_due = true;
            link.acked = 0;
            link.next_send = None;
        }
        let want_body = !has_body && advert.has(Advert::HAS_BODY);
        let introduce = advert.has(Advert::WANTS_PEERS)
            && link.introductions < self.config.max_introductions_per_link
            && n_active_up > 1;
        if introduce {
            link.introductions += 1;
        }
        self.send_due.insert((doc, from));
        self.dirty.insert(doc);
        self.persist.insert(doc);
        if resubscribed {
            let mut reopened = false;
            let children: Vec<DocId> = self.children(&doc).copied().collect();
            for child in children {
                if let Some(child_sub) = self.subs.get_mut(&child) {
                    reopened |= child_sub.declined.remove(&from);
                }
            }
            if reopened {
                self.push_dirty.insert(doc);
            }
        }
        if rethreaded {
            // The same for every document below it, for a neighbour that follows the thread.
            let mut reopened = false;
            for d in self.descendants(&doc) {
                if let Some(sub) = self.subs.get_mut(&d) {
                    reopened |= sub.declined.remove(&from);
                }
            }
            if reopened {
                self.push_dirty.insert(doc);
            }
        }
        if want_body {
            self.queue(from, Part::NeedBody { doc });
        }
        if body_wanted {
            self.offer_below_along_thread(doc, from);
        }
        if introduce {
            self.introduce(now, doc, from);
        }
    }

    /// Whether to keep a document a peer pushed without being asked: only comments (and attached
    /// documents) of a document this node is subscribed to, or documents its user flagged.
    fn accepts_unsolicited(&self, document: &Document) -> bool {
        let doc = document.id();
        if self
            .store
            .remembered_flags(&doc)
            .is_some_and(|f| f.bookmarked || f.subscribed)
        {
            return true;
        }
        let parent_subscribed = |p: &DocId| self.subs.get(p).is_some_and(|s| s.derived.subscribed);
        if document
            .semantic_parent()
            .is_some_and(|p| parent_subscribed(&p))
        {
            return true;
        }
        // An attached document: some held link with a subscribed parent attaches it.
        self.parents
            .get(&doc)
            .into_iter()
            .flatten()
            .any(parent_subscribed)
    }

    /// Admits a new neighbour for `doc`, or declines with suggestions when the node is full.
    ///
    /// `linked_before`: the peer said goodbye on an earlier link, so a delayed update we sent on
    /// it may reach its new link; a decline then carries a new serial, newer than any of those.
    fn accept_new_link(
        &mut self,
        from: NodeId,
        doc: DocId,
        bringing_body: bool,
        linked_before: bool,
    ) -> bool {
        let Some(sub) = self.subs.get(&doc) else {
            // A new document brought by a push: the subscription is created with the link.
            return bringing_body;
        };
        // A node without the body always admits a holder of it: it needs one more than a slot.
        // A holder asking for redundancy gets a slot only outside the joiners' reserve.
        let limit = if bringing_body {
            let soft = self
                .config
                .max_peers_per_document
                .saturating_sub(self.config.join_reserve);
            soft.max(self.config.target_peers_per_document)
        } else {
            self.config.max_peers_per_document
        };
        if sub.active_links().count() < limit {
            return true;
        }
        if bringing_body && !sub.has_body() {
            // Full of peers that lack the body too: make room by sending one of them on to the
            // holder that just arrived, so the node stays within max_peers_per_document.
            let victim = sub
                .active_links()
                .find(|(p, l)| {
                    **p != from
                        && sub.route.upstream != Some(**p)
                        && !l.advert.is_some_and(|a| a.has(Advert::HAS_BODY))
                })
                .map(|(p, _)| *p);
            if let Some(victim) = victim {
                let suggestions = self
                    .peers
                    .get(&from)
                    .and_then(|p| p.card.clone())
                    .into_iter()
                    .collect();
                self.drop_with_decline(doc, victim, false, suggestions);
            }
            return true;
        }
        let sub_has_body = sub.has_body();
        let serial = if linked_before {
            self.bump_serial(doc)
        } else {
            sub.serial
        };
        let suggestions = self.suggestions(doc, from);
        self.queue(
            from,
            Part::Decline {
                doc,
                serial,
                held: sub_has_body,
                parent_serial: 0,
                suggestions,
            },
        );
        false
    }

    /// Up to [`MAX_SUGGESTIONS`] cards of open neighbours holding `doc` whose sessions are up,
    /// other than `except`, picked at random: where a declined or handed-off node should go
    /// instead.
    pub(super) fn suggestions(&mut self, doc: DocId, except: NodeId) -> Vec<ContactCard> {
        let Some(sub) = self.subs.get(&doc) else {
            return Vec::new();
        };
        // A neighbour whose session is down may have left: suggesting it would end the chain.
        let mut candidates: Vec<ContactCard> = sub
            .open_neighbours()
            .into_iter()
            .filter(|peer| *peer != except)
            .filter_map(|peer| {
                self.peers
                    .get(&peer)
                    .filter(|p| p.up)
                    .and_then(|p| p.card.clone())
            })
            .collect();
        let mut suggestions = Vec::new();
        while suggestions.len() < MAX_SUGGESTIONS && !candidates.is_empty() {
            let i = rand::RngExt::random_range(&mut self.rng, 0..candidates.len());
            suggestions.push(candidates.swap_remove(i));
        }
        suggestions
    }

    fn on_ack(&mut self, from: NodeId, doc: DocId, serial: u64, has_body: bool) {
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        if sub.gone.contains_key(&from) {
            // Sent before the peer's goodbye (a newer update from it clears the tombstone): it
            // acknowledges the old link, and a link opened since with the same serial must not
            // take it for its own (docs/protocol.md §8.1).
            return;
        }
        let current = sub.serial;
        let we_have_body = sub.has_body();
        let attached = sub.meta.and_then(|m| m.link_child);
        let Some(link) = sub.links.get_mut(&from) else {
            return;
        };
        if link.state != LinkState::Active {
            return;
        }
        let newly_has_body = has_body && !link.peer_has_body;
        // What the neighbour acknowledged is kept across a restart: a session that comes up
        // again reconciles it rather than sending it again (docs/protocol.md §3.1).
        let had_body = link.peer_has_body;
        link.peer_has_body = has_body;
        if newly_has_body && let Some(child) = attached {
            // The peer now holds this link: offer it the attached document (again).
            self.push_new.insert(child);
        }
        let Some(link) = self.subs.get_mut(&doc).and_then(|s| s.links.get_mut(&from)) else {
            return;
        };
        if let Some((heirs, sent_with)) = &link.heirs_sent
            && serial >= *sent_with
            && link.heirs_acked != *heirs
        {
            link.heirs_acked = heirs.clone();
            self.persist.insert(doc);
        }
        if let Some((deputies, sent_with)) = &link.deputies_sent
            && serial >= *sent_with
            && link.deputies_acked != *deputies
        {
            link.deputies_acked = deputies.clone();
            self.persist.insert(doc);
        }
        if serial != current || link.sent != current || link.acked == current {
            if had_body != has_body {
                self.persist.insert(doc);
            }
            return;
        }
        self.persist.insert(doc);
        // Delivering the body is part of delivering the state: a peer that wants the body and
        // still lacks it gets it with the next resend, on the same back-off.
        let peer_wants_body =
            !has_body && we_have_body && link.advert.is_none_or(|a| a.has(Advert::WANTED));
        if peer_wants_body || link.body_due {
            link.body_due = true;
        } else {
            link.acked = current;
            link.backoff_ms = 0;
            link.next_send = None;
        }
    }

    /// Drops our link to `peer` for `doc` on our own account and tells it with a `Decline`. The
    /// document gets a new serial first, so that the peer, which holds our current one, does not
    /// take the decline for one its update overtook (docs/protocol.md §8.1).
    pub(super) fn drop_with_decline(
        &mut self,
        doc: DocId,
        peer: NodeId,
        held: bool,
        suggestions: Vec<ContactCard>,
    ) {
        self.remove_link(doc, peer);
        let serial = self.bump_serial(doc);
        self.queue(
            peer,
            Part::Decline {
                doc,
                serial,
                held,
                parent_serial: 0,
                suggestions,
            },
        );
    }

    fn on_need_body(&mut self, from: NodeId, doc: DocId) {
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        let has_body = sub.has_body();
        let Some(link) = sub.links.get_mut(&from) else {
            return;
        };
        if has_body {
            link.body_due = true;
            link.peer_has_body = false;
            link.acked = 0;
            link.next_send = None;
            self.send_due.insert((doc, from));
            self.offer_below_along_thread(doc, from);
        } else if !link.advert.is_some_and(|a| a.has(Advert::HAS_BODY)) {
            // Neither side holds the document: this peer cannot help.
            self.remove_link(doc, from);
            self.events.push_back(Event::LinkRefused {
                doc,
                peer: from,
                suggestions: 0,
            });
        }
    }

    fn on_decline(&mut self, now: Time, from: NodeId, doc: DocId, declined: Declined) {
        let Declined {
            serial,
            held,
            parent_serial,
            suggestions,
        } = declined;
        let Some(sub) = self.subs.get(&doc) else {
            return;
        };
        // The decliner sent us an update at least as new as this decline: it holds a link to us
        // (the decline answered an earlier request and was overtaken, or is a duplicate). A
        // decliner without any state sends the serial a new subscription would start from, so an
        // update from a subscription it created later makes its decline stale too; a decliner
        // that dropped our link on its own (expiry) gave the document a new serial first.
        let stale = sub
            .links
            .get(&from)
            .is_some_and(|l| l.advert.is_some() && l.peer_serial >= serial);
        if stale {
            return;
        }
        // A declined push, overtaken by a newer advert of the decliner for the parent: its
        // subscription lapsed for a moment and came back. Offer the document again.
        let parent = sub.meta.and_then(|m| m.parent);
        let overtaken = parent_serial != 0
            && parent
                .and_then(|p| self.subs.get(&p))
                .and_then(|p| p.links.get(&from))
                .is_some_and(|l| {
                    l.peer_serial > parent_serial
                        && l.advert.is_some_and(|a| a.has(Advert::SUBSCRIBED))
                });
        // The same for a push along a followed thread's tree: the decliner left the thread's set
        // for a moment and came back, and its advert that follows the thread again is newer than
        // the one the push was opened on. Offer everything below the thread again.
        let thread_overtaken = sub
            .links
            .get(&from)
            .and_then(|l| l.pushed_under)
            .filter(|(top, serial)| {
                self.subs
                    .get(top)
                    .and_then(|t| t.links.get(&from))
                    .is_some_and(|l| {
                        l.peer_serial > *serial && l.advert.is_some_and(|a| a.has(Advert::THREAD))
                    })
            })
            .map(|(top, _)| top);
        // The decliner may hold updates we sent on the link we now drop: whatever we tell it
        // next (a decline of its own request included) must carry a newer serial.
        let had_link = sub.links.contains_key(&from);
        let forget = |node: &mut Self| {
            node.remove_link(doc, from);
            if had_link {
                node.bump_serial(doc);
            }
        };
        if overtaken {
            forget(self);
            if let Some(p) = parent {
                self.push_dirty.insert(p);
            }
            return;
        }
        if let Some(top) = thread_overtaken {
            forget(self);
            self.push_dirty.insert(top);
            return;
        }
        forget(self);
        let n_suggestions = suggestions.len().min(MAX_SUGGESTIONS);
        // A document attached by a link may have arrived before the link: it is offered again
        // once the peer acknowledges the link, so this decline is not final.
        let own_parent = self
            .subs
            .get(&doc)
            .and_then(|s| s.meta)
            .and_then(|m| m.parent);
        let attached = self
            .parents
            .get(&doc)
            .is_some_and(|ps| ps.iter().any(|p| Some(*p) != own_parent));
        if let Some(sub) = self.subs.get_mut(&doc)
            && (!attached || held)
        {
            sub.declined.insert(from);
        }
        self.events.push_back(Event::LinkRefused {
            doc,
            peer: from,
            suggestions: n_suggestions,
        });
        // A node reaching out to heal a split follows one suggestion whatever its link count:
        // its links may all lie inside its own fragment.
        let reaching = self
            .subs
            .get_mut(&doc)
            .is_some_and(|s| s.reaching.remove(&from));
        for card in suggestions.into_iter().take(MAX_SUGGESTIONS) {
            if self.consider_candidate(now, from, doc, card, reaching) && reaching {
                break;
            }
        }
    }

    /// Sends our whole state on a link again, as if the neighbour had never acknowledged it.
    fn resync_link(&mut self, doc: DocId, peer: NodeId) {
        if let Some(link) = self.subs.get_mut(&doc).and_then(|s| s.links.get_mut(&peer))
            && link.state == LinkState::Active
        {
            let body_due = link.body_due;
            link.resync();
            link.body_due = body_due;
            self.send_due.insert((doc, peer));
        }
    }

    /// Learns the card of the center a neighbour follows: only that center's card is accepted,
    /// so a neighbour cannot fill our peer table with arbitrary cards.
    fn on_center(&mut self, from: NodeId, doc: DocId, card: ContactCard) {
        let center = card.node_id();
        let advertised = self
            .subs
            .get(&doc)
            .and_then(|s| s.links.get(&from))
            .and_then(|l| l.advert)
            .map(|a| a.center);
        if advertised != Some(center) || center == self.id {
            return;
        }
        let known = self
            .peers
            .get(&center)
            .and_then(|p| p.card.as_ref())
            .is_some_and(|c| *c == card);
        if known {
            return;
        }
        if card.verify().is_err() {
            self.reject(from, RejectReason::BadCard);
            return;
        }
        self.learn_card(card);
        // Subscriptions following that center can now pass its card on.
        for sub in self.subs.values() {
            if sub.route.center == center {
                self.dirty.insert(sub.doc);
            }
        }
    }

    fn on_introduce(&mut self, now: Time, from: NodeId, doc: DocId, card: ContactCard) {
        self.consider_candidate(now, from, doc, card, false);
    }

    /// Links to a node some neighbour named, if the card verifies and more peers are wanted (or
    /// `reaching`: the node heals a split and goes on reaching through the candidate).
    /// Returns whether a link was opened.
    fn consider_candidate(
        &mut self,
        now: Time,
        from: NodeId,
        doc: DocId,
        card: ContactCard,
        reaching: bool,
    ) -> bool {
        let candidate = card.node_id();
        // A card identical to the verified one we hold needs no second check; anything else,
        // a forgery included, is verified and rejected visibly.
        let known = self
            .peers
            .get(&candidate)
            .and_then(|p| p.card.as_ref())
            .is_some_and(|c| *c == card);
        if !known && card.verify().is_err() {
            self.reject(from, RejectReason::BadCard);
            return false;
        }
        if candidate == self.id {
            return false;
        }
        let Some(sub) = self.subs.get(&doc) else {
            return false;
        };
        let wanted = reaching
            || sub.links.len() < self.config.target_peers_per_document
            || (sub.derived.wanted && (sub.active_links().count() == 0 || sub.needs_body_source()));
        let stranded = reaching || sub.active_links().count() == 0 || sub.needs_body_source();
        if !wanted
            || sub.links.contains_key(&candidate)
            || sub.tried.contains(&candidate)
            || (sub.tried.len() >= MAX_TRIED && !stranded)
        {
            return false;
        }
        if let Some(sub) = self.subs.get_mut(&doc) {
            // A stranded node keeps searching: it forgets its oldest attempts instead of stopping.
            while sub.tried.len() >= MAX_TRIED {
                sub.tried.pop_first();
            }
            if reaching {
                sub.reaching.insert(candidate);
            }
        }
        self.learn_card(card);
        self.connect(now, doc, candidate);
        true
    }

    /// Sends `to` the card of another neighbour holding `doc`.
    fn introduce(&mut self, _now: Time, doc: DocId, to: NodeId) {
        let Some(sub) = self.subs.get(&doc) else {
            return;
        };
        let candidates: Vec<ContactCard> = sub
            .open_neighbours()
            .into_iter()
            .filter(|peer| *peer != to)
            .filter(|peer| self.peers.get(peer).is_some_and(|p| p.up))
            .filter_map(|peer| self.peers.get(&peer).and_then(|p| p.card.clone()))
            .collect();
        if candidates.is_empty() {
            return;
        }
        let i = rand::RngExt::random_range(&mut self.rng, 0..candidates.len());
        let card = candidates[i].clone();
        self.queue(to, Part::Introduce { doc, card });
    }

    fn on_seq_request(&mut self, now: Time, from: NodeId, doc: DocId, center: NodeId, seq: u32) {
        let me = self.id;
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        if center == me {
            if sub.own_seq < seq {
                sub.own_seq = seq;
                self.dirty.insert(doc);
                self.persist.insert(doc);
            }
            return;
        }
        let Some(upstream) = sub.route.upstream else {
            return;
        };
        if sub.route.center != center || sub.route.seq >= seq || upstream == from {
            return;
        }
        let recently = sub.forwarded.is_some_and(|(c, s, t)| {
            c == center && s >= seq && now.since(t) < self.config.resend_initial
        });
        if recently {
            return;
        }
        sub.forwarded = Some((center, seq, now));
        self.queue(upstream, Part::SeqRequest { doc, center, seq });
    }
}
