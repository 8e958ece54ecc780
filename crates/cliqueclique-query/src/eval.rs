//! Evaluating a query over the documents one node holds.
//!
//! A query denotes a set of held documents. Evaluation starts from every held document; each
//! step maps the current set (navigation) or narrows it (filters), `|` unites alternatives, a
//! group applies its query to the current set, `has(q)` keeps the documents from which `q`
//! reaches something, `!s` keeps those `s` would drop. Full-text terms are answered by the
//! corpus (the daemon asks SQLite FTS5); everything else is read from the documents' headers
//! and flags through [`Corpus`].

use std::collections::{BTreeMap, BTreeSet};

use cliqueclique_doc::{DocId, LinkDirection};

use crate::ast::{Filter, Flag, Query, Sequence, Step, TextTerm};

/// What evaluation needs to know about one held document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// `X-Cc-Parent`.
    pub parent: Option<DocId>,
    /// `X-Cc-Child`.
    pub child: Option<DocId>,
    /// `X-Cc-Link`, for link documents.
    pub link: Option<LinkDirection>,
    /// User flags.
    pub read: bool,
    /// User flags.
    pub bookmarked: bool,
    /// User flags.
    pub subscribed: bool,
    /// Written by this node.
    pub own: bool,
}

/// The documents of one node.
pub trait Corpus {
    /// Why a full-text search failed.
    type Error;
    /// Every held document with its facts.
    fn documents(&self) -> BTreeMap<DocId, Facts>;
    /// The value of a top-level header of a held document.
    fn header(&self, doc: &DocId, name: &str) -> Option<String>;
    /// The held documents matching a full-text term.
    fn text(&self, term: &TextTerm) -> Result<BTreeSet<DocId>, Self::Error>;
}

/// The relations between held documents, computed once per evaluation.
struct Graph<'c, C: Corpus> {
    corpus: &'c C,
    facts: BTreeMap<DocId, Facts>,
    children: BTreeMap<DocId, BTreeSet<DocId>>,
    parents: BTreeMap<DocId, BTreeSet<DocId>>,
    structural_children: BTreeMap<DocId, BTreeSet<DocId>>,
    structural_parents: BTreeMap<DocId, BTreeSet<DocId>>,
    text_cache: BTreeMap<String, BTreeSet<DocId>>,
    /// Whether a `has(…)` or `!…` step (by address) keeps a document: computed once per pair,
    /// so nested steps cost at most (documents × steps) evaluations, never a walk over every
    /// path.
    kept: BTreeMap<(usize, DocId), bool>,
}

/// Evaluates `query` over `corpus`; the result is sorted by id.
pub fn evaluate<C: Corpus>(query: &Query, corpus: &C) -> Result<BTreeSet<DocId>, C::Error> {
    let facts = corpus.documents();
    let mut graph = Graph {
        corpus,
        children: BTreeMap::new(),
        parents: BTreeMap::new(),
        structural_children: BTreeMap::new(),
        structural_parents: BTreeMap::new(),
        text_cache: BTreeMap::new(),
        kept: BTreeMap::new(),
        facts: BTreeMap::new(),
    };
    let edge = |map: &mut BTreeMap<DocId, BTreeSet<DocId>>, from: DocId, to: DocId| {
        map.entry(from).or_default().insert(to);
    };
    for (id, f) in &facts {
        if let Some(parent) = f.parent {
            edge(&mut graph.structural_children, parent, *id);
            edge(&mut graph.structural_parents, *id, parent);
        }
        if let Some(child) = f.child {
            edge(&mut graph.structural_children, *id, child);
            edge(&mut graph.structural_parents, child, *id);
        }
        match (f.link, f.parent, f.child) {
            (Some(direction), Some(parent), Some(child)) => {
                let (upper, lower) = match direction {
                    LinkDirection::Natural => (parent, child),
                    LinkDirection::Reversed => (child, parent),
                };
                edge(&mut graph.children, upper, lower);
                edge(&mut graph.parents, lower, upper);
            }
            (None, Some(parent), _) => {
                edge(&mut graph.children, parent, *id);
                edge(&mut graph.parents, *id, parent);
            }
            _ => {}
        }
    }
    graph.facts = facts;
    let all: BTreeSet<DocId> = graph.facts.keys().copied().collect();
    graph.query(query, &all)
}

impl<C: Corpus> Graph<'_, C> {
    fn query(&mut self, query: &Query, set: &BTreeSet<DocId>) -> Result<BTreeSet<DocId>, C::Error> {
        let mut out = BTreeSet::new();
        for alternative in &query.alternatives {
            out.extend(self.sequence(alternative, set)?);
        }
        Ok(out)
    }

    fn sequence(
        &mut self,
        sequence: &Sequence,
        set: &BTreeSet<DocId>,
    ) -> Result<BTreeSet<DocId>, C::Error> {
        let mut current = set.clone();
        for step in &sequence.steps {
            current = self.step(step, &current)?;
            if current.is_empty() {
                break;
            }
        }
        Ok(current)
    }

    fn step(&mut self, step: &Step, set: &BTreeSet<DocId>) -> Result<BTreeSet<DocId>, C::Error> {
        Ok(match step {
            Step::Children => self.follow(&self.children, set),
            Step::Parents => self.follow(&self.parents, set),
            Step::StructuralChildren => self.follow(&self.structural_children, set),
            Step::StructuralParents => self.follow(&self.structural_parents, set),
            Step::Filter(filter) => self.filter(filter, set)?,
            Step::Group(query) => self.query(query, set)?,
            Step::Has(query) => {
                let key = std::ptr::from_ref(step) as usize;
                let mut kept = BTreeSet::new();
                for id in set {
                    if self.keeps(key, *id, |graph, one| {
                        Ok(!graph.query(query, one)?.is_empty())
                    })? {
                        kept.insert(*id);
                    }
                }
                kept
            }
            Step::Not(inner) => {
                let key = std::ptr::from_ref(step) as usize;
                let mut kept = BTreeSet::new();
                for id in set {
                    if self.keeps(key, *id, |graph, one| {
                        Ok(graph.step(inner, one)?.is_empty())
                    })? {
                        kept.insert(*id);
                    }
                }
                kept
            }
        })
    }

    /// Whether step `key` keeps document `id`, computing `test` on `{id}` the first time.
    fn keeps(
        &mut self,
        key: usize,
        id: DocId,
        test: impl FnOnce(&mut Self, &BTreeSet<DocId>) -> Result<bool, C::Error>,
    ) -> Result<bool, C::Error> {
        if let Some(known) = self.kept.get(&(key, id)) {
            return Ok(*known);
        }
        let answer = test(self, &BTreeSet::from([id]))?;
        self.kept.insert((key, id), answer);
        Ok(answer)
    }

    /// Follows a relation from every member of the set, keeping held documents only.
    fn follow(
        &self,
        relation: &BTreeMap<DocId, BTreeSet<DocId>>,
        set: &BTreeSet<DocId>,
    ) -> BTreeSet<DocId> {
        set.iter()
            .filter_map(|id| relation.get(id))
            .flatten()
            .filter(|id| self.facts.contains_key(id))
            .copied()
            .collect()
    }

    fn filter(
        &mut self,
        filter: &Filter,
        set: &BTreeSet<DocId>,
    ) -> Result<BTreeSet<DocId>, C::Error> {
        Ok(match filter {
            Filter::Text(term) => {
                let key = format!("{}", Filter::Text(term.clone()));
                if !self.text_cache.contains_key(&key) {
                    let found = self.corpus.text(term)?;
                    self.text_cache.insert(key.clone(), found);
                }
                let found = &self.text_cache[&key];
                set.intersection(found).copied().collect()
            }
            Filter::Id(id) => set.iter().filter(|d| *d == id).copied().collect(),
            Filter::Flag(flag) => set
                .iter()
                .filter(|id| {
                    self.facts.get(id).is_some_and(|f| match flag {
                        Flag::Read => f.read,
                        Flag::Unread => !f.read,
                        Flag::Bookmarked => f.bookmarked,
                        Flag::Subscribed => f.subscribed,
                        Flag::Own => f.own,
                        Flag::Link => f.link.is_some(),
                    })
                })
                .copied()
                .collect(),
            Filter::Header { name, value } => set
                .iter()
                .filter(|id| {
                    self.corpus
                        .header(id, name)
                        .is_some_and(|v| v.to_lowercase() == value.to_lowercase())
                })
                .copied()
                .collect(),
        })
    }
}
