//! Newsgroups and article numbers for the NNTP reader server (`nntp_groups`, `nntp_articles`),
//! and the web accounts' feed tokens (`feed_tokens`).
//!
//! A newsreader remembers which article numbers it has read, so a number must name the same
//! article forever: numbers are given once, per local node and forum, in the order the documents
//! are numbered (the order they arrived, as the node thread finds them), and never change or
//! come back. The overview fields (subject, author, date, sizes) are read from the document when
//! it is numbered, so that an overview of thousands of articles parses no document.
//! Like the rest of the store, nothing here reads the clock: callers pass `now` in unix seconds.

use crate::codec::{id_bytes, time_from_sql, time_to_sql};
use crate::database::Database;
use crate::error::StoreError;
use cliqueclique_doc::{DocId, NodeId};
use rusqlite::{OptionalExtension, params};

/// A forum as a newsgroup of one local node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewsGroup {
    /// The forum's root document.
    pub root: DocId,
    /// The group's name.
    pub name: String,
    /// The user renamed it (else the name follows the forum's published name).
    pub renamed: bool,
    /// When the node first served it, unix seconds.
    pub created_at: u64,
}

/// A numbered document of a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleRow {
    /// The forum's root document.
    pub root: DocId,
    /// Its number in the group.
    pub number: u64,
    /// When it was numbered, unix seconds.
    pub arrived_at: u64,
    /// The document and its overview fields.
    pub info: ArticleInfo,
}

/// A document to number, with the overview fields read from it once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleInfo {
    /// The document.
    pub doc: DocId,
    /// The document it answers (its semantic parent), if any.
    pub parent: Option<DocId>,
    /// It is an article (not a link or directory document).
    pub served: bool,
    /// The author's node.
    pub author: NodeId,
    /// The name the author claims.
    pub author_name: String,
    /// The subject.
    pub subject: String,
    /// The date the author wrote, unix seconds.
    pub date: u64,
    /// The size of the document, as stored and signed.
    pub bytes: u64,
    /// The lines of the article's body as served.
    pub lines: u64,
}

const ARTICLE_COLUMNS: &str = "root, number, doc, parent, served, author, author_name, subject, date, bytes, lines, arrived_at";

fn article_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<ArticleRow>> {
    let root: Vec<u8> = row.get(0)?;
    let doc: Vec<u8> = row.get(2)?;
    let parent: Option<Vec<u8>> = row.get(3)?;
    let author: Vec<u8> = row.get(5)?;
    let (Some(root), Some(doc), Some(author)) =
        (id_bytes(&root), id_bytes(&doc), id_bytes(&author))
    else {
        return Ok(None);
    };
    Ok(Some(ArticleRow {
        root: DocId(root),
        number: u64::try_from(row.get::<_, i64>(1)?).unwrap_or(0),
        arrived_at: time_from_sql(row.get(11)?),
        info: ArticleInfo {
            doc: DocId(doc),
            parent: parent.as_deref().and_then(id_bytes).map(DocId),
            served: row.get(4)?,
            author: NodeId(author),
            author_name: row.get(6)?,
            subject: row.get(7)?,
            date: time_from_sql(row.get(8)?),
            bytes: time_from_sql(row.get(9)?),
            lines: time_from_sql(row.get(10)?),
        },
    }))
}

fn group_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<NewsGroup>> {
    let root: Vec<u8> = row.get(0)?;
    Ok(id_bytes(&root).map(|root| NewsGroup {
        root: DocId(root),
        name: row.get::<_, String>(1).unwrap_or_default(),
        renamed: row.get(2).unwrap_or(false),
        created_at: time_from_sql(row.get(3).unwrap_or(0)),
    }))
}

impl Database {
    /// Every newsgroup of `node`, by name.
    pub fn news_groups(&self, node: &NodeId) -> Result<Vec<NewsGroup>, StoreError> {
        let shared = self.lock();
        shared
            .conn
            .prepare_cached(
                "SELECT root, name, renamed, created_at FROM nntp_groups WHERE node = ?1 ORDER BY name",
            )
            .and_then(|mut s| {
                s.query_map([node.as_bytes()], group_row)?
                    .filter_map(Result::transpose)
                    .collect()
            })
            .map_err(StoreError::sqlite("news_groups"))
    }

    /// Adds the group of forum `root` to `node`, or renames it. A name the user chose
    /// (`renamed`) is kept against later automatic names; an automatic name never replaces it.
    /// Fails with a constraint error if another group of the node has the name.
    pub fn set_news_group(
        &self,
        node: &NodeId,
        root: &DocId,
        name: &str,
        renamed: bool,
        now: u64,
    ) -> Result<(), StoreError> {
        self.lock()
            .conn
            .prepare_cached(
                "INSERT INTO nntp_groups (node, root, name, renamed, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (node, root) DO UPDATE SET name = excluded.name, renamed = excluded.renamed
                 WHERE excluded.renamed OR NOT nntp_groups.renamed",
            )
            .and_then(|mut s| {
                s.execute(params![
                    node.as_bytes(),
                    root.as_bytes(),
                    name,
                    renamed,
                    time_to_sql(now)
                ])
            })
            .map(drop)
            .map_err(StoreError::sqlite("set_news_group"))
    }

    /// The documents of group `root` that have a number, with their numbers.
    pub fn numbered_documents(
        &self,
        node: &NodeId,
        root: &DocId,
    ) -> Result<Vec<(DocId, u64)>, StoreError> {
        let shared = self.lock();
        shared
            .conn
            .prepare_cached("SELECT doc, number FROM nntp_articles WHERE node = ?1 AND root = ?2")
            .and_then(|mut s| {
                s.query_map(params![node.as_bytes(), root.as_bytes()], |row| {
                    let doc: Vec<u8> = row.get(0)?;
                    let number: i64 = row.get(1)?;
                    Ok(id_bytes(&doc).map(|d| (DocId(d), u64::try_from(number).unwrap_or(0))))
                })?
                .filter_map(Result::transpose)
                .collect()
            })
            .map_err(StoreError::sqlite("numbered_documents"))
    }

    /// Numbers `articles` in group `root` after its highest number, in the order the store
    /// received their bodies; documents numbered already keep their numbers.
    pub fn number_articles(
        &self,
        node: &NodeId,
        root: &DocId,
        mut articles: Vec<ArticleInfo>,
        now: u64,
    ) -> Result<(), StoreError> {
        if articles.is_empty() {
            return Ok(());
        }
        let shared = self.lock();
        let conn = &shared.conn;
        let mut run = || -> rusqlite::Result<()> {
            // The rowid of a body grows with each insert: the order the bodies arrived in.
            let mut arrival = conn.prepare_cached("SELECT rowid FROM documents WHERE id = ?1")?;
            let mut keyed = Vec::with_capacity(articles.len());
            for article in articles.drain(..) {
                let rowid: Option<i64> = arrival
                    .query_row([article.doc.as_bytes()], |row| row.get(0))
                    .optional()?;
                keyed.push((rowid.unwrap_or(i64::MAX), article));
            }
            keyed.sort_by_key(|(rowid, article)| (*rowid, article.doc));
            let high: i64 = conn
                .prepare_cached(
                    "SELECT coalesce(max(number), 0) FROM nntp_articles WHERE node = ?1 AND root = ?2",
                )?
                .query_row(params![node.as_bytes(), root.as_bytes()], |row| row.get(0))?;
            let mut insert = conn.prepare_cached(&format!(
                "INSERT INTO nntp_articles (node, {ARTICLE_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                 ON CONFLICT (node, root, doc) DO NOTHING"
            ))?;
            let mut number = high;
            for (_, a) in keyed {
                number += 1;
                let inserted = insert.execute(params![
                    node.as_bytes(),
                    root.as_bytes(),
                    number,
                    a.doc.as_bytes(),
                    a.parent.as_ref().map(|p| p.as_bytes().as_slice()),
                    a.served,
                    a.author.as_bytes(),
                    a.author_name,
                    a.subject,
                    time_to_sql(a.date),
                    time_to_sql(a.bytes),
                    time_to_sql(a.lines),
                    time_to_sql(now),
                ])?;
                if inserted == 0 {
                    number -= 1;
                }
            }
            Ok(())
        };
        conn.execute_batch("SAVEPOINT number_articles")
            .map_err(StoreError::sqlite("number_articles"))?;
        match run() {
            Ok(()) => conn
                .execute_batch("RELEASE number_articles")
                .map_err(StoreError::sqlite("number_articles")),
            Err(error) => {
                let _ = conn.execute_batch("ROLLBACK TO number_articles; RELEASE number_articles");
                Err(StoreError::sqlite("number_articles")(error))
            }
        }
    }

    /// The articles of group `root` numbered `low..=high`, in order.
    pub fn articles_in_range(
        &self,
        node: &NodeId,
        root: &DocId,
        low: u64,
        high: u64,
    ) -> Result<Vec<ArticleRow>, StoreError> {
        let shared = self.lock();
        shared
            .conn
            .prepare_cached(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM nntp_articles
                 WHERE node = ?1 AND root = ?2 AND number BETWEEN ?3 AND ?4 ORDER BY number"
            ))
            .and_then(|mut s| {
                s.query_map(
                    params![
                        node.as_bytes(),
                        root.as_bytes(),
                        time_to_sql(low),
                        time_to_sql(high)
                    ],
                    article_row,
                )?
                .filter_map(Result::transpose)
                .collect()
            })
            .map_err(StoreError::sqlite("articles_in_range"))
    }

    /// Every numbered copy of `doc` in `node`'s groups (one per forum it is in).
    pub fn article_by_doc(
        &self,
        node: &NodeId,
        doc: &DocId,
    ) -> Result<Vec<ArticleRow>, StoreError> {
        let shared = self.lock();
        shared
            .conn
            .prepare_cached(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM nntp_articles WHERE node = ?1 AND doc = ?2 ORDER BY root"
            ))
            .and_then(|mut s| {
                s.query_map(params![node.as_bytes(), doc.as_bytes()], article_row)?
                    .filter_map(Result::transpose)
                    .collect()
            })
            .map_err(StoreError::sqlite("article_by_doc"))
    }

    /// The ancestors of `doc` in group `root`, its parent first, at most `max` of them: the
    /// parent chain `References:` is made of, in one query.
    pub fn ancestors(
        &self,
        node: &NodeId,
        root: &DocId,
        doc: &DocId,
        max: usize,
    ) -> Result<Vec<DocId>, StoreError> {
        let shared = self.lock();
        shared
            .conn
            .prepare_cached(
                "WITH RECURSIVE chain (doc, depth) AS (
                     SELECT parent, 1 FROM nntp_articles WHERE node = ?1 AND root = ?2 AND doc = ?3
                     UNION ALL
                     SELECT a.parent, chain.depth + 1 FROM nntp_articles a JOIN chain
                       ON a.node = ?1 AND a.root = ?2 AND a.doc = chain.doc
                     WHERE chain.depth < ?4
                 )
                 SELECT doc FROM chain WHERE doc IS NOT NULL ORDER BY depth",
            )
            .and_then(|mut s| {
                s.query_map(
                    params![node.as_bytes(), root.as_bytes(), doc.as_bytes(), max as i64],
                    |row| Ok(id_bytes(&row.get::<_, Vec<u8>>(0)?).map(DocId)),
                )?
                .filter_map(Result::transpose)
                .collect()
            })
            .map_err(StoreError::sqlite("ancestors"))
    }

    /// The articles of `node`'s groups numbered at or after `since`, in order of arrival.
    pub fn articles_since(&self, node: &NodeId, since: u64) -> Result<Vec<ArticleRow>, StoreError> {
        let shared = self.lock();
        shared
            .conn
            .prepare_cached(&format!(
                "SELECT {ARTICLE_COLUMNS} FROM nntp_articles
                 WHERE node = ?1 AND arrived_at >= ?2 ORDER BY arrived_at, root, number"
            ))
            .and_then(|mut s| {
                s.query_map(params![node.as_bytes(), time_to_sql(since)], article_row)?
                    .filter_map(Result::transpose)
                    .collect()
            })
            .map_err(StoreError::sqlite("articles_since"))
    }

    /// The feed token of an account, if it has one.
    pub fn feed_token(&self, account: i64) -> Result<Option<String>, StoreError> {
        self.lock()
            .conn
            .prepare_cached("SELECT token FROM feed_tokens WHERE account_id = ?1")
            .and_then(|mut s| s.query_row([account], |row| row.get(0)).optional())
            .map_err(StoreError::sqlite("feed_token"))
    }

    /// Sets (or with `None` revokes) an account's feed token.
    pub fn set_feed_token(
        &self,
        account: i64,
        token: Option<&str>,
        now: u64,
    ) -> Result<(), StoreError> {
        let shared = self.lock();
        let result = match token {
            Some(token) => shared
                .conn
                .prepare_cached(
                    "INSERT INTO feed_tokens (account_id, token, created_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (account_id) DO UPDATE SET token = excluded.token, created_at = excluded.created_at",
                )
                .and_then(|mut s| s.execute(params![account, token, time_to_sql(now)])),
            None => shared
                .conn
                .prepare_cached("DELETE FROM feed_tokens WHERE account_id = ?1")
                .and_then(|mut s| s.execute([account])),
        };
        result
            .map(drop)
            .map_err(StoreError::sqlite("set_feed_token"))
    }

    /// The account (row id) and node whose feed token is `token`.
    pub fn account_by_feed_token(&self, token: &str) -> Result<Option<(i64, NodeId)>, StoreError> {
        self.lock()
            .conn
            .prepare_cached(
                "SELECT accounts.account_id, accounts.node_id FROM feed_tokens
                 JOIN accounts ON accounts.account_id = feed_tokens.account_id WHERE feed_tokens.token = ?1",
            )
            .and_then(|mut s| {
                s.query_row([token], |row| {
                    let node: Vec<u8> = row.get(1)?;
                    Ok((row.get::<_, i64>(0)?, id_bytes(&node)))
                })
                .optional()
            })
            .map(|found| found.and_then(|(account, node)| Some((account, NodeId(node?)))))
            .map_err(StoreError::sqlite("account_by_feed_token"))
    }
}
