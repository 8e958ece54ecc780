//! Forum moderation as each node's driver applies it: ban decisions posted, stored and handed to
//! the cores (`crate::bans`).

use super::Network;
use crate::bans::Bans;
use crate::error::SimError;
use cliqueclique_doc::{DocId, Document, Moderation, NodeId};
use cliqueclique_proto::Command;
use std::collections::BTreeSet;

impl Network {
    /// The bans every node applies, and the watched documents.
    pub fn bans(&self) -> &Bans {
        &self.bans
    }

    /// Watches `doc`, by `author` in `forum`: its deliveries after a ban of its author are counted.
    pub fn watch(&mut self, doc: DocId, author: NodeId, forum: DocId) {
        self.bans.watch(doc, author, forum);
    }

    /// Node `i` posts `decision`, a ban of its forum's owner (or a moderator) under the root
    /// `forum`, and applies it at once; every node that stores it applies it from then on.
    pub fn post_ban(
        &mut self,
        i: usize,
        decision: Document,
        forum: DocId,
    ) -> Result<DocId, SimError> {
        let Some(Moderation::Ban(banned)) = decision.moderation() else {
            return Err(SimError::NotABan(decision.id()));
        };
        let id = decision.id();
        self.running_mut(i)?;
        self.bans.decided(id, forum, banned, self.now);
        self.command(
            i,
            Command::Post {
                document: decision,
                subscribe: false,
            },
        )?;
        if let Some((forum, nodes)) = self.bans.apply(i, &id, self.now) {
            self.set_bans(i, forum, nodes);
        }
        Ok(id)
    }

    /// Notes that node `i` stored `doc`; a ban decision is handed to its core after its events.
    pub(super) fn observe_arrival_for_bans(&mut self, i: usize, doc: &DocId) {
        if let Some((forum, nodes)) = self.bans.arrived(i, doc, self.now) {
            self.pending_bans.push((i, forum, nodes));
        }
    }

    /// Hands the bans noted while observing events to their nodes' cores.
    pub(super) fn apply_pending_bans(&mut self) {
        while let Some((i, forum, nodes)) = self.pending_bans.pop() {
            self.set_bans(i, forum, nodes);
        }
    }

    /// Hands a restarted node its bans again, as the daemon does when a node starts.
    pub(super) fn reapply_bans(&mut self, i: usize) {
        let applied: Vec<(DocId, BTreeSet<NodeId>)> = self
            .bans
            .applied(i)
            .iter()
            .map(|(forum, nodes)| (*forum, nodes.clone()))
            .collect();
        for (forum, nodes) in applied {
            self.set_bans(i, forum, nodes);
        }
    }

    fn set_bans(&mut self, i: usize, forum: DocId, nodes: BTreeSet<NodeId>) {
        // A node that is down gets them again when it restarts.
        let _ = self.command(i, Command::SetForumBans { forum, nodes });
    }
}
