//! The spammer of a scenario's `[spam]` table: it follows the thread like a subscriber and posts
//! its comments on a schedule of its own; the forum's owner (node 0, the root's author) bans it
//! with a moderation decision under the root at `ban_at_ms` (`crate::bans`).

use super::{Action, EPOCH_SECS, Runner};
use cliqueclique_doc::{DocumentBuilder, Moderation};
use rand::RngExt;

impl Runner {
    /// Chooses the spammer, once the subscribers and posters are known, and has it follow the
    /// thread.
    pub(super) fn choose_spammer(&mut self, now: u64) {
        if self.scenario.spam.comments == 0 {
            return;
        }
        let spammer = match self.scenario.spam.spammer {
            Some(s) => Some(s),
            None => {
                let candidates: Vec<usize> = (1..self.net.len())
                    .filter(|i| *i != self.thread_author && !self.posters.contains(i))
                    .collect();
                (!candidates.is_empty())
                    .then(|| candidates[self.net.rng().random_range(0..candidates.len())])
            }
        };
        match spammer {
            Some(s) => {
                self.spammer = Some(s);
                if !self.subscribers.contains(&s) {
                    self.schedule(now, Action::Subscribe(s));
                }
            }
            None => self
                .violations
                .push("no node is left to be the spammer".into()),
        }
    }

    /// Schedules the spam and the ban, `start` being the first comment's time.
    pub(super) fn schedule_spam(&mut self, start: u64) {
        if self.spammer.is_none() {
            return;
        }
        let spam = self.scenario.spam.clone();
        for k in 0..spam.comments {
            self.schedule(start + k as u64 * spam.interval_ms, Action::Spam(k));
        }
        if let Some(at) = spam.ban_at_ms {
            self.schedule(start + at, Action::Ban);
        }
    }

    /// The spammer, if the scenario has one.
    pub fn spammer(&self) -> Option<usize> {
        self.spammer
    }

    /// The spammer posts spam comment `k` on the thread, if it runs.
    pub(super) fn spam(&mut self, k: usize) {
        let Some(spammer) = self.spammer.filter(|&s| self.net.sim_node(s).is_alive()) else {
            return;
        };
        let (root, thread) = (self.root.expect("posted"), self.thread.expect("posted"));
        let now = self.net.now().as_millis();
        let document = DocumentBuilder::new(format!("spam {k}"))
            .parent(thread)
            .text(format!("buy now, offer {k}"))
            .date(EPOCH_SECS + now / 1000)
            .build(self.net.sim_node(spammer).identity());
        let author = self.net.sim_node(spammer).id();
        self.net.watch(document.id(), author, root);
        self.spam_posted += 1;
        // Refused only if the thread is not held yet; that spam is simply not sent.
        let _ = self.net.command(
            spammer,
            cliqueclique_proto::Command::Post {
                document,
                subscribe: true,
            },
        );
    }

    /// Spam comments the spammer posted.
    pub fn spam_posted(&self) -> usize {
        self.spam_posted
    }

    /// The forum's owner bans the spammer.
    pub(super) fn ban(&mut self) {
        let Some(spammer) = self.spammer else {
            return;
        };
        let root = self.root.expect("posted");
        let now = self.net.now().as_millis();
        let decision = DocumentBuilder::new("")
            .parent(root)
            .moderation(Moderation::Ban(self.net.sim_node(spammer).id()))
            .date(EPOCH_SECS + now / 1000)
            .build(self.net.sim_node(0).identity());
        if let Err(e) = self.net.post_ban(0, decision, root) {
            self.violations
                .push(format!("the owner could not ban the spammer: {e}"));
        }
    }
}
