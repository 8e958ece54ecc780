//! Admission budgets (`docs/protocol.md` §8.6): nothing a neighbour or a stranger sends can make a
//! node store, relay or queue without bound.
//!
//! - **Per neighbour.** A node sends one neighbour at most `push_budget` document bodies per
//!   `push_window`; an update that would carry one more waits, on its link's resend timer, until
//!   the window ends. It stores at most as many new bodies from one neighbour per window; one
//!   more is *deferred*: neither stored nor acknowledged, and an offer of one more is not asked
//!   for (`NeedBody`). The sender, holding an unacknowledged update, offers it again on its resend
//!   timer, and the receiver pulls the body with `NeedBody` once its window has room.
//! - **Per forum, for authors never seen there.** A node stores at most `newcomer_budget` new
//!   documents per `newcomer_window` in one forum (the topmost held document above them) whose
//!   authors have no document held in that forum; more are deferred the same way. An author with
//!   one accepted document is known there from then on.
//!
//! Windows are fixed intervals started by the first use after the previous one ended, so each
//! budget is one counter and one time: memory is bounded by the peers and forums held, and the
//! state is a function of the inputs and their times. Since every deferred document stays
//! offered by its sender, deferring delays delivery but never loses it.

use super::Node;
use crate::store::Store;
use crate::time::Time;
use cliqueclique_doc::{DocId, Document, NodeId};
use std::time::Duration;

/// One budget: uses counted in a window of fixed length that started at `start`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Window {
    start: Time,
    used: u32,
}

impl Window {
    /// Whether one more use fits at `now`; a budget of 0 is no limit.
    fn has_room(&self, now: Time, budget: u32, length: Duration) -> bool {
        budget == 0 || now >= self.start.after(length) || self.used < budget
    }

    /// Counts one use at `now`, starting a new window if the last one ended.
    pub(super) fn take(&mut self, now: Time, length: Duration) {
        if now >= self.start.after(length) {
            self.start = now;
            self.used = 0;
        }
        self.used = self.used.saturating_add(1);
    }

    /// When the current window ends.
    fn end(&self, length: Duration) -> Time {
        self.start.after(length)
    }
}

impl<S: Store> Node<S> {
    /// Whether `from` may bring one more new body now.
    pub(super) fn receive_budget_has_room(&self, now: Time, from: &NodeId) -> bool {
        self.received
            .get(from)
            .is_none_or(|w| w.has_room(now, self.config.push_budget, self.config.push_window))
    }

    /// Whether `document`, a new document brought by `from`, may be stored now; false defers it.
    pub(super) fn admits_new_body(&self, now: Time, from: &NodeId, document: &Document) -> bool {
        if !self.receive_budget_has_room(now, from) {
            return false;
        }
        match self.newcomer_forum(document) {
            Some(forum) => self.newcomers.get(&forum).is_none_or(|w| {
                w.has_room(
                    now,
                    self.config.newcomer_budget,
                    self.config.newcomer_window,
                )
            }),
            None => true,
        }
    }

    /// Counts `document`, brought by `from`, against the budgets it is admitted under.
    pub(super) fn take_new_body(&mut self, now: Time, from: NodeId, document: &Document) {
        if self.config.push_budget > 0 {
            self.received
                .entry(from)
                .or_default()
                .take(now, self.config.push_window);
        }
        if self.config.newcomer_budget > 0
            && let Some(forum) = self.newcomer_forum(document)
        {
            self.newcomers
                .entry(forum)
                .or_default()
                .take(now, self.config.newcomer_window);
        }
    }

    /// Whether one more body may be sent to `peer` now; if not, when it may.
    pub(super) fn send_budget(&self, now: Time, peer: &NodeId) -> Result<(), Time> {
        let length = self.config.push_window;
        match self.sent.get(peer) {
            Some(w) if !w.has_room(now, self.config.push_budget, length) => Err(w.end(length)),
            _ => Ok(()),
        }
    }

    /// The forum `document` would be a newcomer's post in: `None` when its author is this node or
    /// already has a document held in that forum, or it has no parent.
    fn newcomer_forum(&self, document: &Document) -> Option<DocId> {
        if self.config.newcomer_budget == 0 {
            return None;
        }
        let author = document.author();
        if author == self.id {
            return None;
        }
        let forum = self.forum_of(document.semantic_parent()?);
        let known = self
            .authors
            .get(&forum)
            .is_some_and(|authors| authors.contains(&author));
        (!known).then_some(forum)
    }

    /// The forum `doc` lies in: the topmost held document above it, or itself.
    pub(super) fn forum_of(&self, doc: DocId) -> DocId {
        let parent = |d: &DocId| self.subs.get(d).and_then(|s| s.meta).and_then(|m| m.parent);
        let mut cur = doc;
        for _ in 0..super::thread::MAX_THREAD_DEPTH {
            match parent(&cur) {
                Some(p) if self.subs.get(&p).is_some_and(|s| s.has_body()) => cur = p,
                _ => break,
            }
        }
        cur
    }

    /// Remembers that `author` has a document held in the forum of `doc`.
    pub(super) fn learn_author(&mut self, doc: DocId, parent: Option<DocId>, author: NodeId) {
        if self.config.newcomer_budget == 0 {
            return;
        }
        let forum = self.forum_of(parent.unwrap_or(doc));
        self.authors.entry(forum).or_default().insert(author);
    }
}
