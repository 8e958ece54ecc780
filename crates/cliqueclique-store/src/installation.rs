//! The installation-level tables: the local nodes hosted here and a small settings table.
//!
//! Each local node is one identity (one user account) with its secret key, stored in the clear:
//! the database file is created readable by its owner only.
//! Settings are opaque bytes under a text key, for things like the transport's static key.
//! The web accounts that act as these nodes are in [`crate::accounts`].

use crate::codec::{id_bytes, time_from_sql, time_to_sql};
use crate::database::Database;
use crate::error::{NodeError, StoreError};
use crate::store::SqliteStore;
use cliqueclique_doc::{Identity, NodeId};
use rusqlite::{OptionalExtension, Row, params};

/// A node hosted by this installation.
#[derive(Clone, Debug)]
pub struct LocalNode {
    /// Its id (the hash of its public key).
    pub id: NodeId,
    /// The name given at creation (for the operator; cards carry their own).
    pub name: String,
    /// Its key pair.
    pub identity: Identity,
    /// When it was created, in unix seconds.
    pub created_at: u64,
}

impl Database {
    /// Adds a local node with `identity`, created at `created_at` (unix seconds).
    pub fn create_node(
        &self,
        name: &str,
        identity: &Identity,
        created_at: u64,
    ) -> Result<LocalNode, NodeError> {
        let id = identity.node_id();
        let shared = self.lock();
        let inserted = shared
            .conn
            .prepare_cached(
                "INSERT INTO nodes (node_id, name, secret_key, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (node_id) DO NOTHING",
            )
            .and_then(|mut statement| {
                statement.execute(params![
                    id.as_bytes(),
                    name,
                    identity.secret_bytes(),
                    time_to_sql(created_at)
                ])
            })
            .map_err(StoreError::sqlite("create_node"))?;
        if inserted == 0 {
            return Err(NodeError::Exists(id));
        }
        Ok(LocalNode {
            id,
            name: name.to_owned(),
            identity: identity.clone(),
            created_at,
        })
    }

    /// Every local node, ordered by creation time. A row that does not decode is skipped,
    /// logged and counted.
    pub fn nodes(&self) -> Result<Vec<LocalNode>, StoreError> {
        let mut shared = self.lock();
        let rows: Vec<RawNode> = {
            let mut statement = shared
                .conn
                .prepare_cached(
                    "SELECT node_id, name, secret_key, created_at FROM nodes
                     ORDER BY created_at, node_id",
                )
                .map_err(StoreError::sqlite("nodes"))?;
            statement
                .query_map([], RawNode::read)
                .and_then(Iterator::collect)
                .map_err(StoreError::sqlite("nodes"))?
        };
        let mut nodes = Vec::with_capacity(rows.len());
        for raw in rows {
            match raw.decode() {
                Some(node) => nodes.push(node),
                None => {
                    tracing::error!(row = ?raw.node_id, "skipping a local node row that does not decode");
                    shared.count_corrupt();
                }
            }
        }
        Ok(nodes)
    }

    /// One local node, if it exists (a row that does not decode counts as absent, and is logged
    /// and counted).
    pub fn node(&self, id: &NodeId) -> Result<Option<LocalNode>, StoreError> {
        let mut shared = self.lock();
        let raw = shared
            .conn
            .prepare_cached(
                "SELECT node_id, name, secret_key, created_at FROM nodes WHERE node_id = ?1",
            )
            .and_then(|mut statement| {
                statement
                    .query_row([id.as_bytes()], RawNode::read)
                    .optional()
            })
            .map_err(StoreError::sqlite("node"))?;
        let Some(raw) = raw else {
            return Ok(None);
        };
        let node = raw.decode();
        if node.is_none() {
            tracing::error!(node = %id, "local node row does not decode");
            shared.count_corrupt();
        }
        Ok(node)
    }

    /// The store of local node `node`, sharing this database's connection.
    pub fn store(&self, node: NodeId) -> Result<SqliteStore, NodeError> {
        let exists = self
            .lock()
            .conn
            .prepare_cached("SELECT 1 FROM nodes WHERE node_id = ?1")
            .and_then(|mut statement| statement.exists([node.as_bytes()]))
            .map_err(StoreError::sqlite("store"))?;
        if !exists {
            return Err(NodeError::Unknown(node));
        }
        Ok(SqliteStore::new(self.share(), node))
    }

    /// An installation setting.
    pub fn setting(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.lock()
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")
            .and_then(|mut statement| statement.query_row([key], |row| row.get(0)).optional())
            .map_err(StoreError::sqlite("setting"))
    }

    /// Sets an installation setting, replacing any older value.
    pub fn set_setting(&self, key: &str, value: &[u8]) -> Result<(), StoreError> {
        self.lock()
            .conn
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .and_then(|mut statement| statement.execute(params![key, value]))
            .map(drop)
            .map_err(StoreError::sqlite("set_setting"))
    }
}

/// A `nodes` row before its blobs are checked.
struct RawNode {
    node_id: Vec<u8>,
    name: String,
    secret_key: Vec<u8>,
    created_at: i64,
}

impl RawNode {
    fn read(row: &Row<'_>) -> rusqlite::Result<RawNode> {
        Ok(RawNode {
            node_id: row.get(0)?,
            name: row.get(1)?,
            secret_key: row.get(2)?,
            created_at: row.get(3)?,
        })
    }

    /// The node, if the key has the right length and matches the id.
    fn decode(&self) -> Option<LocalNode> {
        let identity = Identity::from_secret_bytes(id_bytes(&self.secret_key)?);
        let id = NodeId(id_bytes(&self.node_id)?);
        (identity.node_id() == id).then(|| LocalNode {
            id,
            name: self.name.clone(),
            identity,
            created_at: time_from_sql(self.created_at),
        })
    }
}
