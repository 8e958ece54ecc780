//! Recomputing a subscription after a change: route, interest, garbage, and pushing comments.
//!
//! `settle` is the only place where a subscription's advertised state changes, and so where its
//! serial is bumped (the founding design's "when local changes: serial += 1"). `bump_serial`
//! lives here and is the one way a serial changes; its other callers, in `receive.rs`, bump for
//! a link dropped on a node's own account, just before a decline, and for a declined link.
//! It runs for every document marked dirty, until none is; a document's interest depends on its
//! own links, on its parents' subscription and on the thread sets above it, so the loop ends
//! after a bounded number of rounds per level of the document tree.

use super::Node;
use crate::event::Event;
use crate::message::{Advert, Part};
use crate::route::{self, Offer, Route};
use crate::store::Store;
use crate::subscription::{Derived, Link, LinkState, SeqRequestState};
use crate::time::Time;
use cliqueclique_doc::DocId;

/// How many retries at the capped interval a stranded subscription makes before giving up.
const MAX_STRANDED_ROUNDS_AT_MAX: u64 = 8;

impl<S: Store> Node<S> {
    pub(super) fn settle(&mut self, now: Time, doc: DocId) {
        let me = self.id;
        let Some(sub) = self.subs.get(&doc) else {
            return;
        };
        self.persist.insert(doc);

        // Route: the self-claim against feasible offers from live neighbours.
        let rank = sub.rank(me);
        let mut own_seq = sub.own_seq;
        if sub.is_center() && sub.route.rank != rank {
            own_seq += 1;
        }
        let offers = sub
            .active_links()
            .filter(|(peer, _)| self.may_follow(peer))
            .filter_map(|(peer, link)| {
                link.advert.map(|advert| Offer {
                    peer: *peer,
                    advert,
                })
            });
        let selection = route::select(
            me,
            Route::self_claim(me, rank, own_seq),
            sub.route.upstream,
            offers,
            &sub.feasibility,
            self.config.max_distance,
        );
        let mut new_route = selection.route;
        if new_route.upstream.is_none() && !sub.is_center() {
            // Becoming the center: a fresh sequence number makes our claim feasible everywhere.
            own_seq += 1;
            new_route.seq = own_seq;
        }
        let (orphaned, reach) = self.track_orphan(now, sub, &new_route);

        // Interest: what we and our downstream neighbours want. A neighbour whose session is down
        // still counts during the interest grace (a restart), not after (it left).
        let grace = self.config.interest_grace;
        let counts = |peer: &cliqueclique_doc::NodeId| {
            self.peers
                .get(peer)
                .is_none_or(|p| p.up || p.down_since.is_none_or(|t| now.since(t) < grace))
        };
        let downstream_has = |flag| sub.downstream_has(flag, counts);
        let flags = sub.flags;
        let fetching = sub.fetch_until.is_some_and(|t| now < t);
        // A forum's follower follows each of its threads (the documents directly below a root
        // whose thread its user follows): their writers follow the thread they post into, not
        // the forum, so only each thread's own tree reaches all of it (docs/protocol.md §6.1).
        let topic_of_followed_forum = self.parents.get(&doc).into_iter().flatten().any(|p| {
            self.subs.get(p).is_some_and(|s| {
                s.flags.subscribed && s.flags.thread && s.meta.is_some_and(|m| m.parent.is_none())
            })
        });
        let thread = (flags.subscribed && flags.thread)
            || topic_of_followed_forum
            || fetching
            || downstream_has(Advert::THREAD);
        let subscribed = flags.subscribed || thread || downstream_has(Advert::SUBSCRIBED);
        let wanted_by_parent = self
            .parents
            .get(&doc)
            .into_iter()
            .flatten()
            .any(|p| self.subs.get(p).is_some_and(|s| s.derived.subscribed));
        // Below a document in a thread set here: every document of a followed thread is held
        // by its followers and the relays toward its center.
        let wanted_by_thread = self.in_followed_thread(&doc);
        let wanted = !self.authored_by_blocked(&doc)
            && !self.retracted_held(&doc)
            && (flags.subscribed
                || fetching
                || flags.bookmarked
                || flags.own
                || flags.joining
                || subscribed
                || wanted_by_parent
                || wanted_by_thread
                || downstream_has(Advert::WANTED));
        let n_active = sub.active_links().count();
        let wants_peers = (flags.subscribed || flags.bookmarked)
            && n_active < self.config.target_peers_per_document;
        let mut advert_flags = 0;
        for (on, flag) in [
            (subscribed, Advert::SUBSCRIBED),
            (thread, Advert::THREAD),
            (wanted, Advert::WANTED),
            (sub.has_body(), Advert::HAS_BODY),
            (wants_peers, Advert::WANTS_PEERS),
            (n_active >= self.config.max_peers_per_document, Advert::FULL),
            (self.knows_card(&new_route.center), Advert::ANCHORED),
        ] {
            if on {
                advert_flags |= flag;
            }
        }
        let advert = Advert {
            center: new_route.center,
            rank: new_route.rank,
            seq: new_route.seq,
            dist: new_route.dist,
            flags: advert_flags,
        };
        // A center names its heirs, and the nodes near it their deputies (succession.rs); a
        // change is sent to the neighbours concerned with a new serial.
        let heirs = new_route.upstream.is_none().then(|| {
            let mut heirs = sub.succession_order();
            heirs.retain(|h| self.within_grace(h));
            heirs.truncate(crate::message::MAX_HEIRS);
            heirs
        });
        let heirs_changed = heirs.as_ref().is_some_and(|h| *h != sub.named_heirs);
        let deputies = self.named_deputies(sub, &new_route);
        let changed = sub.derived.advert.or(sub.restored_advert) != Some(advert)
            || sub.route.upstream != new_route.upstream
            || heirs_changed
            || deputies != sub.named_deputies;
        let upstream_changed = sub.route.upstream != new_route.upstream;
        let subscribed_changed = sub.derived.subscribed != subscribed;
        let thread_changed = sub.derived.thread != thread;
        let was_wanted = sub.derived.wanted;
        let first_settle = sub.derived.advert.is_none();

        let sub = self.subs.get_mut(&doc).expect("checked above");
        sub.own_seq = own_seq;
        sub.route = new_route;
        let reached_now = orphaned
            .as_ref()
            .and_then(|o| o.reached.as_ref())
            .is_some_and(|(at, _)| *at == now)
            && sub.orphaned.as_ref().is_none_or(|o| o.reached.is_none());
        sub.orphaned = orphaned;
        if let Some(heirs) = heirs {
            sub.named_heirs = heirs;
        }
        sub.named_deputies = deputies;
        if upstream_changed {
            // The line passed on by the old upstream no longer describes this node's place.
            sub.deputies.clear();
        }
        if reached_now {
            // Look again one grace later: the second line if the first stayed silent.
            self.settle_timers
                .insert((now.after(self.config.interest_grace), doc));
        }
        if new_route.upstream.is_some() {
            sub.feasibility.advertise(&new_route);
        }
        sub.restored_advert = None;
        sub.derived = Derived {
            subscribed,
            thread,
            wanted,
            advert: Some(advert),
        };
        if changed {
            self.bump_serial(doc);
            if !first_settle {
                self.events.push_back(Event::StateChanged { doc });
            }
        }
        let sub = self.subs.get_mut(&doc).expect("checked above");
        let targets = (
            sub.tree_targets(Advert::SUBSCRIBED),
            sub.tree_targets(Advert::THREAD),
        );
        if targets != sub.push_targets {
            sub.push_targets = targets;
            self.push_dirty.insert(doc);
        }
        if subscribed_changed || first_settle {
            for child in self.children.get(&doc).into_iter().flatten() {
                self.dirty.insert(*child);
            }
            self.push_dirty.insert(doc);
        }
        if thread_changed {
            for d in self.descendants(&doc) {
                self.dirty.insert(d);
            }
            self.push_dirty.insert(doc);
        }
        self.review_thread_via(doc);
        // A better center only offered beyond max_distance: link to it directly, so that the
        // overlay reshapes instead of leaving this node with a center of its own.
        let mut reach = reach;
        if let Some(center) = selection.beyond_cap
            && self.knows_card(&center)
            && self
                .subs
                .get(&doc)
                .is_some_and(|s| !s.links.contains_key(&center) && !s.tried.contains(&center))
        {
            reach.push(center);
        }
        for node in reach {
            if let Some(sub) = self.subs.get_mut(&doc) {
                sub.reaching.insert(node);
            }
            self.connect(now, doc, node);
        }
        self.shed_redundant_links(doc);
        self.update_seq_request(now, doc, selection.blocked);
        self.update_stranded(now, doc, wanted);
        if wanted != was_wanted || !wanted || first_settle {
            self.collect(doc, wanted);
        }
    }

    /// Gives `doc` a new serial (its state is sent to every neighbour again) and returns it.
    pub(super) fn bump_serial(&mut self, doc: DocId) -> u64 {
        let Some(sub) = self.subs.get_mut(&doc) else {
            return 0;
        };
        sub.serial += 1;
        for (peer, link) in sub.links.iter_mut() {
            if link.state == LinkState::Active {
                link.next_send = None;
                link.backoff_ms = 0;
                self.send_due.insert((doc, *peer));
            }
        }
        self.persist.insert(doc);
        sub.serial
    }

    /// Whether this node can hand out `node`'s contact card (its own included).
    pub(super) fn knows_card(&self, node: &cliqueclique_doc::NodeId) -> bool {
        *node == self.id || self.peers.get(node).is_some_and(|p| p.card.is_some())
    }

    /// Keeps a document within `max_peers_per_document`. Pushes follow a parent's tree and may
    /// exceed the limit; once the pushed bodies have arrived, this brings the count back by
    /// shedding links whose peer holds the body, with a goodbye that suggests our other open
    /// neighbours (a reliable handshake: the peer links to a suggestion if it needs to):
    ///
    /// 1. first links that carry nothing (not a tree edge of the document), those no push of a
    ///    parent needs before those it does;
    /// 2. then, if tree edges alone exceed the limit, downstream neighbours.
    ///
    /// A link the neighbour has not answered that was opened to heal a split, or whose peer is
    /// down, holds no slot ([`Node::holds_slot`]): it may lead to a node that left, and shedding
    /// a tree edge for it would cut the overlay. A downstream neighbour is shed only while another open neighbour
    /// remains to be suggested to it: a goodbye without a suggestion would strand its subtree.
    ///
    /// A shed peer is remembered as handed off, so that the parent's push does not open the link
    /// again.
    fn shed_redundant_links(&mut self, doc: DocId) {
        let max = self.config.max_peers_per_document;
        let Some(sub) = self.subs.get(&doc) else {
            return;
        };
        let excess = sub
            .active_links()
            .filter(|(p, l)| self.holds_slot(sub, p, l))
            .count()
            .saturating_sub(max);
        if excess == 0 {
            return;
        }
        let parent_targets: Vec<cliqueclique_doc::NodeId> = self
            .parents
            .get(&doc)
            .into_iter()
            .flatten()
            .flat_map(|p| self.push_targets_of(p))
            .chain(
                self.ancestors(&doc)
                    .iter()
                    .flat_map(|a| self.thread_targets_of(a)),
            )
            .collect();
        let mut shed: Vec<(u8, cliqueclique_doc::NodeId)> = sub
            .active_links()
            .filter(|(p, l)| sub.route.upstream != Some(**p) && l.peer_has_body)
            .map(|(p, l)| {
                let class = match (l.is_downstream(), parent_targets.contains(p)) {
                    (false, false) => 0,
                    (false, true) => 1,
                    (true, _) => 2,
                };
                (class, *p)
            })
            .collect();
        shed.sort();
        let mut open = sub.open_neighbours();
        open.retain(|o| self.peers.get(o).is_some_and(|p| p.up));
        let mut chosen: Vec<cliqueclique_doc::NodeId> = Vec::new();
        for (class, peer) in shed {
            if chosen.len() == excess {
                break;
            }
            let suggestible = open.iter().any(|o| *o != peer && !chosen.contains(o));
            if class < 2 || suggestible {
                chosen.push(peer);
            }
        }
        let sub = self.subs.get_mut(&doc).expect("checked above");
        for peer in chosen {
            if let Some(link) = sub.links.get_mut(&peer) {
                link.state = LinkState::Dropping;
                link.next_send = None;
                link.backoff_ms = 0;
                sub.handed_off.insert(peer);
                self.send_due.insert((doc, peer));
            }
        }
    }

    /// Starts, keeps or drops the request for a fresh sequence number of a better center.
    fn update_seq_request(&mut self, now: Time, doc: DocId, blocked: Option<route::SeqWanted>) {
        let initial = self.config.resend_initial.as_millis() as u64;
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        let Some(want) = blocked else {
            sub.seq_request = None;
            return;
        };
        let same = sub
            .seq_request
            .is_some_and(|r| r.peer == want.peer && r.center == want.center && r.seq == want.seq);
        if same {
            return;
        }
        let next = now.after(self.config.resend_initial);
        sub.seq_request = Some(SeqRequestState {
            peer: want.peer,
            center: want.center,
            seq: want.seq,
            next,
            backoff_ms: initial,
        });
        self.seq_timers.insert((next, doc));
        self.queue(
            want.peer,
            Part::SeqRequest {
                doc,
                center: want.center,
                seq: want.seq,
            },
        );
    }

    /// Schedules retries for a wanted subscription that has lost every link (a failed join, or
    /// all neighbours gone): the holders it already tried are asked again, with back-off.
    fn update_stranded(&mut self, now: Time, doc: DocId, wanted: bool) {
        let initial = self.config.resend_initial.as_millis() as u64;
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        // Stranded: the body is missing and no holder is linked, or every link is gone from a
        // subscription that once reached out (a new root of our own has nobody to ask).
        let stranded =
            wanted && (sub.needs_body_source() || (sub.links.is_empty() && !sub.tried.is_empty()));
        match (stranded, sub.stranded) {
            (false, _) => sub.stranded = None,
            (true, Some(_)) => {}
            (true, None) => {
                let next = now.after(self.config.resend_initial);
                sub.stranded = Some((next, initial));
                self.stranded_timers.insert((next, doc));
            }
        }
    }

    pub(super) fn retry_stranded(&mut self, now: Time, doc: DocId) {
        let max = self.config.resend_max.as_millis() as u64;
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        let Some((next, backoff)) = sub.stranded else {
            return;
        };
        if next > now || !(sub.needs_body_source() || sub.links.is_empty()) {
            return;
        }
        if backoff >= max * MAX_STRANDED_ROUNDS_AT_MAX {
            // Give up: the holders we know are gone. A new join or introduction starts over.
            return;
        }
        let backoff = if backoff >= max {
            backoff + max
        } else {
            (backoff * 2).min(max)
        };
        let next = now.after(std::time::Duration::from_millis(backoff));
        sub.stranded = Some((next, backoff));
        self.stranded_timers.insert((next, doc));
        // Holders tried before first, then live peers known from other documents (in a forum
        // they usually hold the same root), never the ones linked now.
        let mut candidates: Vec<_> = sub.tried.iter().copied().collect();
        if candidates.len() < self.config.target_peers_per_document {
            candidates.extend(
                self.peers
                    .iter()
                    .filter(|(id, p)| p.up && p.card.is_some() && !sub.tried.contains(*id))
                    .map(|(id, _)| *id),
            );
        }
        // A holder that declined because it was full may have room now: ask it again.
        candidates.retain(|c| !sub.links.contains_key(c));
        let n = candidates
            .len()
            .min(self.config.target_peers_per_document.max(1));
        for _ in 0..n {
            let i = rand::RngExt::random_range(&mut self.rng, 0..candidates.len());
            let peer = candidates.swap_remove(i);
            self.connect(now, doc, peer);
        }
    }

    pub(super) fn retry_seq_request(&mut self, now: Time, doc: DocId) {
        let max = self.config.resend_max.as_millis() as u64;
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        let Some(request) = sub.seq_request.as_mut() else {
            return;
        };
        if request.next > now {
            return;
        }
        request.backoff_ms = (request.backoff_ms * 2).min(max);
        request.next = now.after(std::time::Duration::from_millis(request.backoff_ms));
        let (peer, center, seq, next) = (request.peer, request.center, request.seq, request.next);
        self.seq_timers.insert((next, doc));
        self.queue(peer, Part::SeqRequest { doc, center, seq });
    }

    /// Garbage collection and its reversal: unwanted documents say goodbye on every link and are
    /// removed once no link is left; wanted ones take back their goodbyes.
    fn collect(&mut self, doc: DocId, wanted: bool) {
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        if wanted {
            for (peer, link) in sub.links.iter_mut() {
                if link.state == LinkState::Leaving {
                    // The neighbour may already have dropped its record after our goodbye, so
                    // its old serial proves nothing about a later decline; its advert is kept
                    // (it does not resend what we acknowledged) until a newer one arrives.
                    link.state = LinkState::Active;
                    link.peer_serial = 0;
                    link.resync();
                    self.send_due.insert((doc, *peer));
                }
            }
            return;
        }
        if sub.links.is_empty() {
            self.garbage.insert(doc);
            return;
        }
        for (peer, link) in sub.links.iter_mut() {
            if link.state == LinkState::Active {
                link.state = LinkState::Leaving;
                link.next_send = None;
                link.backoff_ms = 0;
                self.send_due.insert((doc, *peer));
            }
        }
    }

    /// Removes a settled subscription that is unwanted and has no link left, keeping its flags.
    pub(super) fn remove_if_unwanted(&mut self, doc: DocId) {
        let removable = self
            .subs
            .get(&doc)
            .is_some_and(|s| !s.derived.wanted && s.links.is_empty());
        if removable {
            let sub = self.subs.remove(&doc).expect("checked above");
            if sub.flags.worth_remembering() {
                let mut flags = sub.flags;
                flags.joining = false;
                flags.own = false;
                self.store.remember_flags(&doc, flags);
            }
            if let Some(root) = sub.thread_via
                && let Some(set) = self.claimed.get_mut(&root)
            {
                set.remove(&doc);
                if set.is_empty() {
                    self.claimed.remove(&root);
                }
            }
            if let Some(meta) = sub.meta {
                self.unindex(doc, &meta);
                self.remove_body(&doc);
                self.events.push_back(Event::DocumentRemoved { doc });
            }
            self.persist.insert(doc);
        }
    }

    /// Pushes every held child of `doc` to its subscribed tree neighbours that lack a link for
    /// it, and, in its thread set, offers every held document below it to the tree neighbours
    /// that follow the thread (after the tree or the neighbours' subscriptions changed). The
    /// thread's are offers without the body: a new tree edge of a thread often joins two holders,
    /// and one that lacks a document asks for it with `NeedBody` (docs/protocol.md §6.1). The
    /// children keep their bodies: a link document must arrive with its body before the document
    /// it attaches, which is accepted because of it.
    pub(super) fn push_children(&mut self, doc: DocId) {
        let targets = self.push_targets_of(&doc);
        if !targets.is_empty() {
            let children: Vec<DocId> = self.children(&doc).copied().collect();
            for child in children {
                self.offer(child, &targets, true);
            }
        }
        let targets = self.thread_targets_of(&doc);
        if !targets.is_empty() {
            for d in self.descendants(&doc) {
                self.offer(d, &targets, false);
            }
        }
    }

    /// Pushes a newly held document, with its body, to the subscribed tree neighbours of each of
    /// its parents and to the thread tree neighbours above it; the held documents below it are
    /// offered to the latter.
    pub(super) fn push_to_parents_subscribers(&mut self, doc: DocId) {
        let parents: Vec<DocId> = self
            .parents
            .get(&doc)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        for parent in parents {
            let targets = self.push_targets_of(&parent);
            self.offer(doc, &targets, true);
        }
        // Documents below it that were held before it (a reply that overtook it, or one kept
        // while it was let go and fetched again) only now lie below the thread here: they are
        // offered to the thread's tree neighbours too.
        let below = self.descendants(&doc);
        for top in self.ancestors(&doc) {
            let targets = self.thread_targets_of(&top);
            self.offer(doc, &targets, true);
            for d in &below {
                self.offer(*d, &targets, false);
            }
        }
    }

    /// Where every document below `doc` goes: its tree neighbours that follow the thread, if
    /// this node is in the thread set.
    fn thread_targets_of(&self, doc: &DocId) -> Vec<cliqueclique_doc::NodeId> {
        match self.subs.get(doc) {
            Some(sub) if sub.derived.thread => sub.tree_targets(Advert::THREAD),
            _ => Vec::new(),
        }
    }

    /// Where the comments of `doc` go: its subscribed tree neighbours, if this node is subscribed.
    fn push_targets_of(&self, doc: &DocId) -> Vec<cliqueclique_doc::NodeId> {
        match self.subs.get(doc) {
            Some(sub) if sub.derived.subscribed => sub.tree_targets(Advert::SUBSCRIBED),
            _ => Vec::new(),
        }
    }

    /// Opens a link for a held document to each target that has none and did not decline it;
    /// its first update carries the body when `with_body`, and is an offer otherwise.
    pub(super) fn offer(
        &mut self,
        doc: DocId,
        targets: &[cliqueclique_doc::NodeId],
        with_body: bool,
    ) {
        if self.authored_by_blocked(&doc) || self.retracted_held(&doc) {
            return;
        }
        let under: Vec<Option<(DocId, u64)>> = targets
            .iter()
            .map(|t| self.thread_serial_along(&doc, t))
            .collect();
        let Some(sub) = self.subs.get_mut(&doc) else {
            return;
        };
        if !sub.has_body() {
            return;
        }
        // Pushes follow the parent's current tree edges and are not capped by
        // max_peers_per_document (which bounds requested links): a subscriber may have no other
        // way to receive the document.
        for (target, under) in targets.iter().zip(under) {
            if sub.links.contains_key(target)
                || sub.declined.contains(target)
                || sub.handed_off.contains(target)
            {
                continue;
            }
            let mut link = Link::new();
            link.body_due = with_body;
            link.pushed_under = under;
            sub.links.insert(*target, link);
            self.peer_docs.entry(*target).or_default().insert(doc);
            self.send_due.insert((doc, *target));
            self.dirty.insert(doc);
        }
    }
}
