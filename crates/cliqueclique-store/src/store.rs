//! [`SqliteStore`]: one local node's [`Store`], a view of the installation's shared tables.
//!
//! Every row of `holdings`, `subscriptions`, `remembered_flags` and `cards` belongs to one local
//! node, and a store reads and writes only its own node's rows.
//! Document bodies are the exception: `documents` holds each body once, whichever local nodes
//! hold it, and a body is deleted (by the `holdings_release` trigger) when its last holder
//! removes it. A store reads a body only through its own node's holding.
//!
//! The [`Store`] methods cannot fail. A SQLite error is logged with `tracing::error!` and
//! recorded in the [`Database`](crate::Database), whose next commit refuses and rolls back; the
//! method returns the neutral value (nothing found, nothing written). A row that does not decode
//! (a subscription or card record, a body whose hash no longer matches its id) is skipped,
//! logged and counted, and left in place.

use crate::codec::issued_at_key;
use crate::database::{Shared, lock};
use crate::error::StoreError;
use bytes::Bytes;
use cliqueclique_doc::{ContactCard, DocId, Document, NodeId};
use cliqueclique_proto::{Flags, Retraction, Store, Subscription};
use rusqlite::{Connection, OptionalExtension, params};
use std::sync::{Arc, Mutex};

/// The store of one local node, sharing the installation's connection.
///
/// Made by [`Database::store`](crate::Database::store).
#[derive(Debug)]
pub struct SqliteStore {
    shared: Arc<Mutex<Shared>>,
    node: NodeId,
}

impl SqliteStore {
    pub(crate) fn new(shared: Arc<Mutex<Shared>>, node: NodeId) -> SqliteStore {
        SqliteStore { shared, node }
    }

    /// The local node this store belongs to.
    pub fn node(&self) -> NodeId {
        self.node
    }

    /// Runs `query` on the connection; on failure logs and records the error and returns `fallback`.
    pub(crate) fn run<T>(
        &self,
        op: &'static str,
        fallback: T,
        query: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> T {
        let mut shared = lock(&self.shared);
        match query(&shared.conn) {
            Ok(value) => value,
            Err(source) => {
                self.fail(&mut shared, StoreError::Sqlite { op, source });
                fallback
            }
        }
    }

    fn fail(&self, shared: &mut Shared, error: StoreError) {
        tracing::error!(node = %self.node, %error, "store operation failed; the transaction will be refused");
        shared.record(error);
    }

    pub(crate) fn corrupt(&self, table: &'static str, key: &[u8], detail: &dyn std::fmt::Display) {
        let key = DocId(crate::codec::id_bytes(key).unwrap_or_default());
        tracing::error!(node = %self.node, table, %key, %detail, "skipping a row that does not decode");
        lock(&self.shared).count_corrupt();
    }
}

impl Store for SqliteStore {
    fn document(&self, id: &DocId) -> Option<Bytes> {
        let bytes: Option<Vec<u8>> = self.run("document", None, |conn| {
            conn.prepare_cached(
                "SELECT documents.bytes FROM holdings JOIN documents ON documents.id = holdings.doc
                 WHERE holdings.node = ?1 AND holdings.doc = ?2",
            )?
            .query_row(params![self.node.as_bytes(), id.as_bytes()], |row| {
                row.get(0)
            })
            .optional()
        });
        let bytes = bytes?;
        if DocId::of(&bytes) != *id {
            self.corrupt(
                "documents",
                id.as_bytes(),
                &"the body does not hash to its id",
            );
            return None;
        }
        Some(Bytes::from(bytes))
    }

    fn put_document(&mut self, doc: &Document) {
        let id = doc.id();
        self.run("put_document", (), |conn| {
            let inserted = conn
                .prepare_cached(
                    "INSERT INTO documents (id, bytes) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING",
                )?
                .execute(params![id.as_bytes(), doc.bytes().as_ref()])?;
            if inserted == 1 {
                crate::search::index(conn, conn.last_insert_rowid(), doc)?;
            }
            conn.prepare_cached(
                "INSERT INTO holdings (node, doc) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?
            .execute(params![self.node.as_bytes(), id.as_bytes()])?;
            Ok(())
        });
    }

    fn remove_document(&mut self, id: &DocId) {
        self.run("remove_document", (), |conn| {
            conn.prepare_cached("DELETE FROM holdings WHERE node = ?1 AND doc = ?2")?
                .execute(params![self.node.as_bytes(), id.as_bytes()])
                .map(drop)
        });
    }

    fn subscriptions(&self) -> Vec<Subscription> {
        let rows: Vec<(Vec<u8>, Vec<u8>)> = self.run("subscriptions", Vec::new(), |conn| {
            conn.prepare_cached(
                "SELECT doc, record FROM subscriptions WHERE node = ?1 ORDER BY doc",
            )?
            .query_map([self.node.as_bytes()], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect()
        });
        let mut subscriptions = Vec::with_capacity(rows.len());
        for (doc, record) in rows {
            match Subscription::decode_record(&record) {
                Ok(sub) if sub.doc.as_bytes() == doc.as_slice() => subscriptions.push(sub),
                Ok(sub) => self.corrupt(
                    "subscriptions",
                    &doc,
                    &format_args!("the record is for document {}", sub.doc),
                ),
                Err(error) => self.corrupt("subscriptions", &doc, &error),
            }
        }
        subscriptions
    }

    fn put_subscription(&mut self, sub: &Subscription) {
        let record = sub.encode_record();
        self.run("put_subscription", (), |conn| {
            conn.prepare_cached(
                "INSERT INTO subscriptions (node, doc, record) VALUES (?1, ?2, ?3)
                 ON CONFLICT (node, doc) DO UPDATE SET record = excluded.record",
            )?
            .execute(params![self.node.as_bytes(), sub.doc.as_bytes(), record])
            .map(drop)
        });
    }

    fn remove_subscription(&mut self, doc: &DocId) {
        self.run("remove_subscription", (), |conn| {
            conn.prepare_cached("DELETE FROM subscriptions WHERE node = ?1 AND doc = ?2")?
                .execute(params![self.node.as_bytes(), doc.as_bytes()])
                .map(drop)
        });
    }

    fn remembered_flags(&self, doc: &DocId) -> Option<Flags> {
        self.run("remembered_flags", None, |conn| {
            conn.prepare_cached(
                "SELECT read, bookmarked, subscribed, thread, own, joining FROM remembered_flags
                 WHERE node = ?1 AND doc = ?2",
            )?
            .query_row(params![self.node.as_bytes(), doc.as_bytes()], |row| {
                Ok(Flags {
                    read: row.get(0)?,
                    bookmarked: row.get(1)?,
                    subscribed: row.get(2)?,
                    thread: row.get(3)?,
                    own: row.get(4)?,
                    joining: row.get(5)?,
                })
            })
            .optional()
        })
    }

    fn remember_flags(&mut self, doc: &DocId, flags: Flags) {
        if flags == Flags::default() {
            self.run("remember_flags", (), |conn| {
                conn.prepare_cached("DELETE FROM remembered_flags WHERE node = ?1 AND doc = ?2")?
                    .execute(params![self.node.as_bytes(), doc.as_bytes()])
                    .map(drop)
            });
            return;
        }
        self.run("remember_flags", (), |conn| {
            conn.prepare_cached(
                "INSERT INTO remembered_flags
                     (node, doc, read, bookmarked, subscribed, thread, own, joining)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (node, doc) DO UPDATE SET
                     read = excluded.read, bookmarked = excluded.bookmarked,
                     subscribed = excluded.subscribed, thread = excluded.thread,
                     own = excluded.own, joining = excluded.joining",
            )?
            .execute(params![
                self.node.as_bytes(),
                doc.as_bytes(),
                flags.read,
                flags.bookmarked,
                flags.subscribed,
                flags.thread,
                flags.own,
                flags.joining,
            ])
            .map(drop)
        });
    }

    fn cards(&self) -> Vec<ContactCard> {
        let rows: Vec<(Vec<u8>, Vec<u8>)> = self.run("cards", Vec::new(), |conn| {
            conn.prepare_cached("SELECT peer, card FROM cards WHERE node = ?1 ORDER BY peer")?
                .query_map([self.node.as_bytes()], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect()
        });
        let mut cards = Vec::with_capacity(rows.len());
        for (peer, record) in rows {
            match postcard::from_bytes::<ContactCard>(&record) {
                Ok(card) if card.node_id().as_bytes() == peer.as_slice() => cards.push(card),
                Ok(card) => self.corrupt(
                    "cards",
                    &peer,
                    &format_args!("the card is of node {}", card.node_id()),
                ),
                Err(error) => self.corrupt("cards", &peer, &error),
            }
        }
        cards
    }

    fn put_card(&mut self, card: &ContactCard) {
        let record = match postcard::to_stdvec(card) {
            Ok(record) => record,
            Err(source) => {
                let error = StoreError::Encode {
                    op: "put_card",
                    source,
                };
                self.fail(&mut lock(&self.shared), error);
                return;
            }
        };
        self.run("put_card", (), |conn| {
            conn.prepare_cached(
                "INSERT INTO cards (node, peer, issued_at, card) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (node, peer) DO UPDATE SET
                     issued_at = excluded.issued_at, card = excluded.card
                 WHERE excluded.issued_at >= cards.issued_at",
            )?
            .execute(params![
                self.node.as_bytes(),
                card.node_id().as_bytes(),
                issued_at_key(card.issued_at),
                record,
            ])
            .map(drop)
        });
    }

    fn remove_card(&mut self, peer: &NodeId) {
        self.run("remove_card", (), |conn| {
            conn.prepare_cached("DELETE FROM cards WHERE node = ?1 AND peer = ?2")?
                .execute(params![self.node.as_bytes(), peer.as_bytes()])
                .map(drop)
        });
    }

    fn blocked(&self) -> Vec<NodeId> {
        self.peer_marks()
            .into_iter()
            .filter(|(_, m)| m.blocked)
            .map(|(peer, _)| peer)
            .collect()
    }

    fn set_blocked(&mut self, peer: &NodeId, blocked: bool) {
        self.mark(peer, "blocked", blocked);
    }

    fn retractions(&self) -> Vec<Retraction> {
        type Row = (Vec<u8>, Vec<u8>, Vec<u8>, Option<Vec<u8>>);
        let rows: Vec<Row> = self.run("retractions", Vec::new(), |conn| {
            conn.prepare_cached(
                "SELECT target, by_doc, author, parent FROM retractions WHERE node = ?1 ORDER BY target, author",
            )?
            .query_map([self.node.as_bytes()], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?
            .collect()
        });
        let mut out = Vec::with_capacity(rows.len());
        for (target, by, author, parent) in rows {
            let id = |bytes: &[u8]| crate::codec::id_bytes(bytes);
            let parent = match parent.as_deref().map(id) {
                None => Some(None),
                Some(Some(bytes)) => Some(Some(DocId(bytes))),
                Some(None) => None,
            };
            match (id(&target), id(&by), id(&author), parent) {
                (Some(target), Some(by), Some(author), Some(parent)) => out.push(Retraction {
                    target: DocId(target),
                    by: DocId(by),
                    author: NodeId(author),
                    parent,
                }),
                _ => self.corrupt("retractions", &target, &"not a retraction"),
            }
        }
        out
    }

    fn put_retraction(&mut self, retraction: &Retraction) {
        self.run("put_retraction", (), |conn| {
            conn.prepare_cached(
                "INSERT INTO retractions (node, target, by_doc, author, parent)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (node, target, author) DO NOTHING",
            )?
            .execute(params![
                self.node.as_bytes(),
                retraction.target.as_bytes(),
                retraction.by.as_bytes(),
                retraction.author.as_bytes(),
                retraction.parent.as_ref().map(|p| p.as_bytes().to_vec()),
            ])
            .map(drop)
        });
    }
}
