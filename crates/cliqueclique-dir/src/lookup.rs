//! Looking up a prefix: walk down the levels of its characters, then list the names below it in
//! key order, one page at a time.
//!
//! A lookup is a pure function of what the node holds: call [`lookup`] again after carrying out
//! the [`Action`] it asked for. It reads only the levels on the prefix's path and, for the page,
//! the levels below it in key order until the page is full, so its cost grows with the prefix
//! length and the page size, never with the size of the directory.

use std::collections::{BTreeMap, BTreeSet};

use cliqueclique_doc::{DocId, NodeId};
use cliqueclique_proto::Time;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, NameRef};
use crate::explore::{Action, Explorer};
use crate::name::char_at;
use crate::view::View;

/// Which levels a lookup follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Follow {
    /// Every valid level (the union of concurrent duplicates): finds every name as soon as its
    /// documents arrived, before publishers converged.
    #[default]
    All,
    /// Only the winning level of each prefix: what a converged directory needs.
    Winners,
}

/// Where a page ends: the sort position of its last name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cursor {
    /// The key of the last name.
    pub key: String,
    /// Its published form.
    pub name: String,
    /// Its target document.
    pub target: DocId,
}

/// One lookup request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The key prefix (see [`crate::prefix_key`]).
    pub prefix: String,
    /// Start after this position (the previous page's [`Page::next`]).
    pub after: Option<Cursor>,
    /// At most this many names.
    pub limit: usize,
    /// Which levels to follow.
    pub follow: Follow,
}

/// A name in a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    /// The name as published.
    pub name: String,
    /// Its key.
    pub key: String,
    /// The named document.
    pub target: DocId,
    /// The link document that published it (the first one found if several did).
    pub link: DocId,
    /// Who published it.
    pub publisher: NodeId,
}

/// One page of names under a prefix, in key order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    /// The names.
    pub names: Vec<Listed>,
    /// Where the next page starts, if there may be more.
    pub next: Option<Cursor>,
    /// How many levels were read (for the cost figures).
    pub levels_read: usize,
}

/// The result of one lookup step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Carry this out and call again.
    Need(Action),
    /// The page.
    Done(Page),
}

/// The sort position of an item in the frontier: a level sorts before the names it may
/// contain (its prefix is not greater than any of their keys).
type Position = (String, u8, String, DocId);

/// Looks up one page of names under `query.prefix` in directory `root`.
pub fn lookup(
    view: &impl View,
    catalog: &mut Catalog,
    explorer: &mut Explorer,
    root: &DocId,
    query: &Query,
    now: Time,
) -> Step {
    let prefix = query.prefix.as_str();
    let mut names: BTreeMap<Position, NameRef> = BTreeMap::new();
    let mut levels_read = 0;
    // Walk down the prefix's characters.
    let mut current = vec![(*root, String::new())];
    let mut depth = 0;
    let mut reached = false;
    loop {
        for (level, level_prefix) in &current {
            if let Err(action) = explorer.ready(view, level, now) {
                return Step::Need(action);
            }
            levels_read += 1;
            for found in catalog.names_at(view, root, level, level_prefix) {
                if found.name.key().starts_with(prefix) {
                    add_name(&mut names, found, query.after.as_ref());
                }
            }
        }
        let Some(c) = char_at(prefix, depth) else {
            reached = true;
            break;
        };
        let mut next = Vec::new();
        for (level, level_prefix) in &current {
            let mut children = catalog.child_levels(view, root, level, level_prefix);
            if let Some(ids) = children.remove(&c) {
                let mut child_prefix = level_prefix.clone();
                child_prefix.push(c);
                let take = match query.follow {
                    Follow::All => ids.len(),
                    Follow::Winners => 1,
                };
                next.extend(
                    ids.into_iter()
                        .take(take)
                        .map(|id| (id, child_prefix.clone())),
                );
            }
        }
        if query.follow == Follow::Winners {
            next.sort();
            next.truncate(1);
        }
        if next.is_empty() {
            break;
        }
        current = next;
        depth += 1;
    }
    // List below the prefix in key order, expanding levels only while the page is not full.
    let mut frontier: BTreeSet<Position> = BTreeSet::new();
    let mut pending: BTreeMap<Position, (DocId, String)> = BTreeMap::new();
    if reached {
        for (level, level_prefix) in current {
            // The levels at the prefix itself were read above: queue their children.
            queue_children(
                view,
                catalog,
                root,
                (&level, &level_prefix),
                query,
                &mut frontier,
                &mut pending,
            );
        }
    }
    for position in names.keys() {
        frontier.insert(position.clone());
    }
    let mut page = Vec::new();
    while let Some(position) = frontier.first().cloned() {
        if page.len() >= query.limit {
            break;
        }
        if let Some((level, level_prefix)) = pending.get(&position).cloned() {
            if let Err(action) = explorer.ready(view, &level, now) {
                return Step::Need(action);
            }
            frontier.remove(&position);
            pending.remove(&position);
            levels_read += 1;
            for found in catalog.names_at(view, root, &level, &level_prefix) {
                if let Some(p) = add_name(&mut names, found, query.after.as_ref()) {
                    frontier.insert(p);
                }
            }
            queue_children(
                view,
                catalog,
                root,
                (&level, &level_prefix),
                query,
                &mut frontier,
                &mut pending,
            );
            continue;
        }
        frontier.remove(&position);
        if let Some(found) = names.get(&position) {
            page.push(Listed {
                name: found.name.as_str().to_owned(),
                key: found.name.key().to_owned(),
                target: found.target,
                link: found.link,
                publisher: found.publisher,
            });
        }
    }
    let next = (!frontier.is_empty())
        .then(|| page.last())
        .flatten()
        .map(|last| Cursor {
            key: last.key.clone(),
            name: last.name.clone(),
            target: last.target,
        });
    Step::Done(Page {
        names: page,
        next,
        levels_read,
    })
}

/// Adds a name unless it is at or before the cursor or already listed; returns its position
/// if it is new.
fn add_name(
    names: &mut BTreeMap<Position, NameRef>,
    found: NameRef,
    after: Option<&Cursor>,
) -> Option<Position> {
    let position = (
        found.name.key().to_owned(),
        1,
        found.name.as_str().to_owned(),
        found.target,
    );
    if let Some(after) = after
        && (position.0.as_str(), position.2.as_str(), position.3)
            <= (after.key.as_str(), after.name.as_str(), after.target)
    {
        return None;
    }
    if names.contains_key(&position) {
        return None;
    }
    names.insert(position.clone(), found);
    Some(position)
}

/// Queues the levels below `level` whose names may still belong on the page.
fn queue_children(
    view: &impl View,
    catalog: &mut Catalog,
    root: &DocId,
    (level, level_prefix): (&DocId, &str),
    query: &Query,
    frontier: &mut BTreeSet<Position>,
    pending: &mut BTreeMap<Position, (DocId, String)>,
) {
    for (c, ids) in catalog.child_levels(view, root, level, level_prefix) {
        let mut child_prefix = level_prefix.to_owned();
        child_prefix.push(c);
        if let Some(after) = &query.after
            && child_prefix.as_str() < after.key.as_str()
            && !after.key.starts_with(child_prefix.as_str())
        {
            // Every key below this level sorts before the cursor.
            continue;
        }
        let take = match query.follow {
            Follow::All => ids.len(),
            Follow::Winners => 1,
        };
        for id in ids.into_iter().take(take) {
            let position = (child_prefix.clone(), 0, String::new(), id);
            frontier.insert(position.clone());
            pending.insert(position, (id, child_prefix.clone()));
        }
    }
}
