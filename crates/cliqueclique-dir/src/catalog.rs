//! The tree as one node sees it: parsed directory entries (cached by id, since documents never
//! change), the levels and names directly below a level, and which duplicate level wins.
//!
//! Validity is checked here, relative to the level a document hangs under: a level must extend
//! its parent's prefix by exactly one character, a name's key must start with its level's
//! prefix, and both must name the same directory root. Anything else is ignored, so a careless
//! or hostile publisher cannot make a lookup return a name that does not match its prefix.

use std::collections::BTreeMap;

use cliqueclique_doc::{DocId, NodeId};

use crate::name::Name;
use crate::schema::Entry;
use crate::view::View;

/// A name found at a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef {
    /// The name.
    pub name: Name,
    /// The named document.
    pub target: DocId,
    /// The link document that published it.
    pub link: DocId,
    /// Who published it.
    pub publisher: NodeId,
}

/// A cache of parsed directory entries.
#[derive(Debug, Default)]
pub struct Catalog {
    entries: BTreeMap<DocId, Option<(Entry, NodeId)>>,
}

impl Catalog {
    /// An empty cache.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// The directory entry of a held document and its author (`None` for other documents).
    pub fn entry(&mut self, view: &impl View, id: &DocId) -> Option<(Entry, NodeId)> {
        if let Some(cached) = self.entries.get(id) {
            return cached.clone();
        }
        let doc = view.document(id)?;
        let parsed = Entry::of(&doc).map(|e| (e, doc.author()));
        self.entries.insert(*id, parsed.clone());
        parsed
    }

    /// The prefix of a level of directory `root` (empty for the root itself).
    pub fn prefix(&mut self, view: &impl View, root: &DocId, level: &DocId) -> Option<String> {
        if level == root {
            return Some(String::new());
        }
        match self.entry(view, level)? {
            (
                Entry::Level {
                    root: r, prefix, ..
                },
                _,
            ) if r == *root => Some(prefix),
            _ => None,
        }
    }

    /// The valid levels directly below `level` (whose prefix is `prefix`), by their added
    /// character; duplicates of one character are sorted by id, so the first one is the
    /// *winner* ([`Catalog::winner`]).
    pub fn child_levels(
        &mut self,
        view: &impl View,
        root: &DocId,
        level: &DocId,
        prefix: &str,
    ) -> BTreeMap<char, Vec<DocId>> {
        let depth = prefix.chars().count();
        let mut out: BTreeMap<char, Vec<DocId>> = BTreeMap::new();
        for child in view.children(level) {
            let Some((
                Entry::Level {
                    root: r,
                    parent,
                    prefix: p,
                },
                _,
            )) = self.entry(view, &child)
            else {
                continue;
            };
            if r != *root || parent != *level || !p.starts_with(prefix) {
                continue;
            }
            let mut rest = p[prefix.len()..].chars();
            if let (Some(c), None) = (rest.next(), rest.next()) {
                debug_assert_eq!(p.chars().count(), depth + 1);
                out.entry(c).or_default().push(child);
            }
        }
        for ids in out.values_mut() {
            ids.sort();
        }
        out
    }

    /// The winning level for character `c` below `level`: the smallest id among the valid
    /// duplicates.
    pub fn winner(
        &mut self,
        view: &impl View,
        root: &DocId,
        level: &DocId,
        prefix: &str,
        c: char,
    ) -> Option<DocId> {
        self.child_levels(view, root, level, prefix)
            .remove(&c)
            .and_then(|ids| ids.into_iter().next())
    }

    /// The valid names published directly at `level` (whose prefix is `prefix`).
    pub fn names_at(
        &mut self,
        view: &impl View,
        root: &DocId,
        level: &DocId,
        prefix: &str,
    ) -> Vec<NameRef> {
        let mut out = Vec::new();
        for child in view.children(level) {
            let Some((
                Entry::Name {
                    root: r,
                    level: l,
                    name,
                    target,
                },
                publisher,
            )) = self.entry(view, &child)
            else {
                continue;
            };
            if r == *root && l == *level && name.key().starts_with(prefix) {
                out.push(NameRef {
                    name,
                    target,
                    link: child,
                    publisher,
                });
            }
        }
        out
    }
}
