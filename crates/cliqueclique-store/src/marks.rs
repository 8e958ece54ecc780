//! Peer marks: what the user of one local node says about other nodes (`peer_marks`).
//!
//! A petname is the user's own name for a key: unlike the name a contact card claims, it is
//! trusted, because the user chose it. A muted node's documents are collapsed on the pages; a
//! blocked node is refused by the protocol core, which reads and writes that column through
//! [`Store::blocked`](cliqueclique_proto::Store::blocked) and
//! [`Store::set_blocked`](cliqueclique_proto::Store::set_blocked).
//! A row whose marks are all cleared is deleted.
//!
//! Beside them, the user's per-forum preferences (`forum_prefs`): whether the forum's moderation
//! is applied (the default) or ignored.

use crate::store::SqliteStore;
use cliqueclique_doc::{DocId, NodeId};
use rusqlite::params;
use std::collections::{BTreeMap, BTreeSet};

/// The longest petname, in characters.
pub const MAX_PETNAME_CHARS: usize = 64;

/// What a local node's user said about one other node.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeerMarks {
    /// The user's own name for the node.
    pub petname: Option<String>,
    /// Its documents are collapsed on the pages.
    pub muted: bool,
    /// Its documents are declined and no link to it is kept.
    pub blocked: bool,
}

impl SqliteStore {
    /// Every node this local node's user marked, by id.
    pub fn peer_marks(&self) -> BTreeMap<NodeId, PeerMarks> {
        let rows: Vec<(Vec<u8>, Option<String>, bool, bool)> =
            self.run("peer_marks", Vec::new(), |conn| {
                conn.prepare_cached(
                    "SELECT peer, petname, muted, blocked FROM peer_marks WHERE node = ?1 ORDER BY peer",
                )?
                .query_map([self.node().as_bytes()], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })?
                .collect()
            });
        let mut marks = BTreeMap::new();
        for (peer, petname, muted, blocked) in rows {
            match crate::codec::id_bytes(&peer) {
                Some(bytes) => {
                    marks.insert(
                        NodeId(bytes),
                        PeerMarks {
                            petname,
                            muted,
                            blocked,
                        },
                    );
                }
                None => self.corrupt("peer_marks", &peer, &"not a node id"),
            }
        }
        marks
    }

    /// Sets (or, with `None`, clears) the user's petname for `peer`. The caller checks the name.
    pub fn set_petname(&self, peer: &NodeId, petname: Option<&str>) {
        self.mark(peer, "petname", petname.map(str::to_owned));
    }

    /// Mutes or unmutes `peer`.
    pub fn set_muted(&self, peer: &NodeId, muted: bool) {
        self.mark(peer, "muted", muted);
    }

    /// The forums (by root) whose moderation the user chose not to apply.
    pub fn forums_ignoring_moderation(&self) -> BTreeSet<DocId> {
        let rows: Vec<Vec<u8>> = self.run("forum_prefs", Vec::new(), |conn| {
            conn.prepare_cached(
                "SELECT root FROM forum_prefs WHERE node = ?1 AND ignore_moderation = 1",
            )?
            .query_map([self.node().as_bytes()], |row| row.get(0))?
            .collect()
        });
        let mut roots = BTreeSet::new();
        for root in rows {
            match crate::codec::id_bytes(&root) {
                Some(bytes) => {
                    roots.insert(DocId(bytes));
                }
                None => self.corrupt("forum_prefs", &root, &"not a document id"),
            }
        }
        roots
    }

    /// Applies (`false`) or ignores (`true`) the moderation of the forum whose root is `root`.
    pub fn set_ignore_moderation(&self, root: &DocId, ignore: bool) {
        self.run("set_ignore_moderation", (), |conn| {
            if ignore {
                conn.prepare_cached(
                    "INSERT INTO forum_prefs (node, root, ignore_moderation) VALUES (?1, ?2, 1)
                     ON CONFLICT (node, root) DO UPDATE SET ignore_moderation = 1",
                )?
                .execute(params![self.node().as_bytes(), root.as_bytes()])
                .map(drop)
            } else {
                conn.prepare_cached("DELETE FROM forum_prefs WHERE node = ?1 AND root = ?2")?
                    .execute(params![self.node().as_bytes(), root.as_bytes()])
                    .map(drop)
            }
        });
    }

    pub(crate) fn mark(&self, peer: &NodeId, column: &'static str, value: impl rusqlite::ToSql) {
        self.run("mark_peer", (), |conn| {
            // `column` is one of this module's constants, never input.
            conn.prepare_cached(&format!(
                "INSERT INTO peer_marks (node, peer, {column}) VALUES (?1, ?2, ?3)
                 ON CONFLICT (node, peer) DO UPDATE SET {column} = excluded.{column}"
            ))?
            .execute(params![self.node().as_bytes(), peer.as_bytes(), value])?;
            conn.prepare_cached(
                "DELETE FROM peer_marks WHERE node = ?1 AND peer = ?2
                 AND petname IS NULL AND muted = 0 AND blocked = 0",
            )?
            .execute(params![self.node().as_bytes(), peer.as_bytes()])
            .map(drop)
        });
    }
}
