//! Whether a level can be read yet, and what the driver must do to make it readable.
//!
//! A node learns a level's contents by subscribing to it: the holders push every document below
//! it (the core's comment push). Nothing in the protocol says "that was all of them", so a level
//! counts as *settled* once it has been subscribed for [`Explorer::settle`]; before that, the
//! directory answers [`Action::Wait`]. Reading too early is never wrong, only wasteful: a
//! publisher might create a level that exists already, and the duplicate is resolved by the
//! convergence rule (`docs/directory.md`).

use std::collections::BTreeMap;
use std::time::Duration;

use cliqueclique_doc::DocId;
use cliqueclique_proto::{Command, Time};

use crate::view::{Holding, View};

/// What the driver must do before the directory can go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Fetch and subscribe to this document through a peer that holds it
    /// ([`Command::Join`]): only the root of a directory is ever joined.
    Join(DocId),
    /// Subscribe to this held document ([`Command::Subscribe`]).
    Subscribe(DocId),
    /// Ask again at this time (a level is being fetched or has not settled).
    Wait(Time),
}

impl Action {
    /// The core command for a [`Action::Subscribe`]; `None` for the others (a join needs a
    /// peer's card, a wait nothing).
    pub fn command(&self) -> Option<Command> {
        match self {
            Action::Subscribe(doc) => Some(Command::Subscribe {
                doc: *doc,
                thread: false,
            }),
            Action::Join(_) | Action::Wait(_) => None,
        }
    }
}

/// Remembers since when each level has been subscribed.
#[derive(Debug, Clone)]
pub struct Explorer {
    settle: Duration,
    since: BTreeMap<DocId, Time>,
}

impl Explorer {
    /// Levels count as settled `settle` after they were first seen subscribed.
    pub fn new(settle: Duration) -> Explorer {
        Explorer {
            settle,
            since: BTreeMap::new(),
        }
    }

    /// The settling time.
    pub fn settle(&self) -> Duration {
        self.settle
    }

    /// `Ok` if `level` can be read now, else what to do first.
    pub fn ready(&mut self, view: &impl View, level: &DocId, now: Time) -> Result<(), Action> {
        match view.holding(level) {
            Holding::Absent => Err(Action::Join(*level)),
            Holding::Held { subscribed: false } => {
                self.since.remove(level);
                Err(Action::Subscribe(*level))
            }
            Holding::Fetching => Err(Action::Wait(now.after(self.settle))),
            Holding::Held { subscribed: true } => {
                let since = *self.since.entry(*level).or_insert(now);
                let at = since.after(self.settle);
                if now >= at {
                    Ok(())
                } else {
                    Err(Action::Wait(at))
                }
            }
        }
    }

    /// Forgets every level (for instance after a restart of the node, or to measure a fresh
    /// lookup).
    pub fn forget(&mut self) {
        self.since.clear();
    }
}
