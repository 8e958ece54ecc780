//! Publishing a document under a name: find where the name belongs on the winning path, create
//! the one missing level if the place is full, and link the document there.
//!
//! Like [`crate::lookup`], [`plan`] is a pure function of what the node holds; the driver posts
//! what it returns, or carries out the [`Action`] and calls again. Publishing is idempotent: a
//! name already published (by anyone) on the winning path is reported, not published again, and
//! a retried step writes the same bytes. Calling [`plan`] again for every name a node published
//! is also how publishers converge after concurrent creations (`docs/directory.md`).

use cliqueclique_doc::{DocId, Document, Identity};
use cliqueclique_proto::Time;

use crate::catalog::Catalog;
use crate::explore::{Action, Explorer};
use crate::name::{Name, char_at};
use crate::schema::{self, Entry};
use crate::view::View;

/// How many names a level holds directly before names that could go deeper get their own
/// level (the bucket size of a burst trie).
pub const DEFAULT_BUCKET: usize = 16;

/// The outcome of one planning step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Carry this out and plan again.
    Need(Action),
    /// Post these documents in order (a new level, then the name); the name is then published.
    Post(Vec<Document>),
    /// The name already points at the document on the winning path: nothing to do.
    Published {
        /// The link document found.
        link: DocId,
    },
}

/// Plans publishing `target` under `name` in directory `root`, as `identity`.
///
/// `bucket` is the level size (normally [`DEFAULT_BUCKET`]).
#[allow(clippy::too_many_arguments)]
pub fn plan(
    view: &impl View,
    catalog: &mut Catalog,
    explorer: &mut Explorer,
    identity: &Identity,
    root: &DocId,
    name: &Name,
    target: &DocId,
    bucket: usize,
    now: Time,
) -> Plan {
    let key = name.key();
    let mut level = *root;
    let mut prefix = String::new();
    let mut depth = 0;
    loop {
        if let Err(action) = explorer.ready(view, &level, now) {
            return Plan::Need(action);
        }
        let names = catalog.names_at(view, root, &level, &prefix);
        if let Some(found) = names
            .iter()
            .find(|n| n.name == *name && n.target == *target)
        {
            return Plan::Published { link: found.link };
        }
        let Some(c) = char_at(key, depth) else {
            return attach(identity, root, level, name, target);
        };
        if let Some(child) = catalog.winner(view, root, &level, &prefix, c) {
            level = child;
            prefix.push(c);
            depth += 1;
            continue;
        }
        let deeper = names
            .iter()
            .filter(|n| n.name.key().chars().count() > depth)
            .count();
        if deeper < bucket.max(1) {
            return attach(identity, root, level, name, target);
        }
        let new_level = schema::level_document(identity, *root, level, key, depth + 1);
        let link = schema::name_document(identity, *root, new_level.id(), name, *target);
        return Plan::Post(vec![new_level, link]);
    }
}

fn attach(identity: &Identity, root: &DocId, level: DocId, name: &Name, target: &DocId) -> Plan {
    Plan::Post(vec![schema::name_document(
        identity, *root, level, name, *target,
    )])
}

/// Every name this node published in directory `root` (wherever it hangs): what a publisher
/// plans again to converge onto the winning levels.
pub fn published_by_me(
    view: &impl View,
    catalog: &mut Catalog,
    root: &DocId,
) -> Vec<(Name, DocId)> {
    published_anywhere_by_me(view, catalog)
        .into_iter()
        .filter(|(r, _, _)| r == root)
        .map(|(_, name, target)| (name, target))
        .collect()
}

/// Every name this node published, in any directory: (root, name, target), sorted, each once.
pub fn published_anywhere_by_me(
    view: &impl View,
    catalog: &mut Catalog,
) -> Vec<(DocId, Name, DocId)> {
    let mut out = Vec::new();
    for id in view.authored() {
        if let Some((
            Entry::Name {
                root, name, target, ..
            },
            _,
        )) = catalog.entry(view, &id)
        {
            out.push((root, name, target));
        }
    }
    out.sort();
    out.dedup();
    out
}
