//! Local search on the node thread: a query (`docs/query.md`) evaluated over the documents a
//! local node holds, with SQLite FTS5 answering its words.

use std::collections::{BTreeMap, BTreeSet};

use cliqueclique_doc::{DocId, LinkDirection, NodeId};
use cliqueclique_proto::Node;
use cliqueclique_query::{Corpus, Facts, Query, TextField, TextTerm, evaluate};
use cliqueclique_store::{Column, Database, SqliteStore, StoreError, Term};

use super::Actor;
use super::people::{Authors, forum_root};
use crate::api::{SearchHit, SearchResults};
use crate::error::ApiError;

/// The most documents one full-text term may match (the rest are not considered).
const MAX_TEXT_MATCHES: usize = 100_000;

/// What a document says about its place, parsed once per document.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    parent: Option<DocId>,
    child: Option<DocId>,
    link: Option<LinkDirection>,
    date: u64,
}

/// Shapes by document id (documents never change, so entries never go stale).
pub type FactsCache = BTreeMap<DocId, Shape>;

struct NodeCorpus<'a> {
    node: &'a Node<SqliteStore>,
    db: &'a Database,
    me: NodeId,
    facts: BTreeMap<DocId, Facts>,
}

impl Corpus for NodeCorpus<'_> {
    type Error = StoreError;

    fn documents(&self) -> BTreeMap<DocId, Facts> {
        self.facts.clone()
    }

    fn header(&self, doc: &DocId, name: &str) -> Option<String> {
        self.node.document(doc)?.header(name)
    }

    fn text(&self, term: &TextTerm) -> Result<BTreeSet<DocId>, StoreError> {
        let term = Term {
            text: term.text.clone(),
            prefix: term.prefix,
            column: term.field.map(|f| match f {
                TextField::Subject => Column::Subject,
                TextField::Body => Column::Body,
                TextField::Author => Column::Author,
            }),
        };
        Ok(self
            .db
            .search(&self.me, &[term], MAX_TEXT_MATCHES)?
            .into_iter()
            .collect())
    }
}

impl Actor {
    /// Runs a parsed query for local node `id`; newest first, at most `limit` hits.
    pub fn search(
        &mut self,
        id: NodeId,
        query: &Query,
        limit: usize,
    ) -> Result<SearchResults, ApiError> {
        let node = &self.nodes[&id].node;
        let mut facts = BTreeMap::new();
        for sub in node.subscriptions().filter(|s| s.has_body()) {
            let shape = match self.doc_facts.get(&sub.doc) {
                Some(shape) => *shape,
                None => {
                    let Some(doc) = node.document(&sub.doc) else {
                        continue;
                    };
                    let shape = Shape {
                        parent: doc.parent(),
                        child: doc.child(),
                        link: doc.link(),
                        date: doc.date(),
                    };
                    self.doc_facts.insert(sub.doc, shape);
                    shape
                }
            };
            facts.insert(
                sub.doc,
                Facts {
                    parent: shape.parent,
                    child: shape.child,
                    link: shape.link,
                    read: sub.flags.read,
                    bookmarked: sub.flags.bookmarked,
                    subscribed: sub.flags.subscribed,
                    own: sub.flags.own,
                },
            );
        }
        let corpus = NodeCorpus {
            node,
            db: &self.db,
            me: id,
            facts,
        };
        let found = evaluate(query, &corpus)
            .map_err(|e| ApiError::Internal(format!("the search index failed: {e}")))?;
        let mut dated: Vec<(u64, DocId)> = found
            .iter()
            .map(|doc| (self.doc_facts.get(doc).map_or(0, |s| s.date), *doc))
            .collect();
        dated.sort_by(|a, b| b.cmp(a));
        // Name collisions are per forum: computed once for each forum the hits belong to.
        let mut forums: BTreeMap<DocId, Authors> = BTreeMap::new();
        let hits = dated
            .iter()
            .take(limit)
            .filter_map(|(_, doc)| {
                let d = node.document(doc)?;
                let authors = forums
                    .entry(forum_root(node, doc))
                    .or_insert_with_key(|root| Authors::in_forum(node, root));
                Some(SearchHit {
                    id: *doc,
                    subject: d.subject().to_owned(),
                    author: d.author(),
                    author_name: d.author_name().to_owned(),
                    author_info: authors.view(d.author(), d.author_name()),
                    date: d.date(),
                    flags: node.flags(doc).unwrap_or_default(),
                })
            })
            .collect();
        Ok(SearchResults {
            query: query.to_string(),
            total: found.len(),
            hits,
        })
    }
}
