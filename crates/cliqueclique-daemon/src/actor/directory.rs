//! Directories on the node thread: create one, publish a name, list names below a prefix
//! (`docs/directory.md`). Each call runs one step of the directory crate's planner or lookup;
//! when a level must first be subscribed to or must settle, it answers how long to wait, and
//! the API handler calls again after that (`router.rs`).

use std::time::Duration;

use cliqueclique_dir::{
    Action, Catalog, Cursor, Explorer, Follow, Name, Page, Plan, Query, Step, lookup, plan,
    prefix_key, root_document,
};
use cliqueclique_doc::{DocId, Document, NodeId};
use cliqueclique_proto::Command;

use super::Actor;
use crate::api::{NameEntry, NamePage, Published};
use crate::error::ApiError;

/// How long a level must have been subscribed before it is read: long enough for its holders
/// to push what hangs below it over a few hops.
pub const SETTLE: Duration = Duration::from_millis(1500);

/// How long to wait after subscribing to a level before looking again.
const AFTER_SUBSCRIBE: Duration = Duration::from_millis(100);

/// What one local node has read of directories.
pub struct Explorers {
    catalog: Catalog,
    explorer: Explorer,
}

impl Default for Explorers {
    fn default() -> Self {
        Explorers {
            catalog: Catalog::new(),
            explorer: Explorer::new(SETTLE),
        }
    }
}

/// One step's result: done, or call again after a while.
pub enum Progress<T> {
    /// The answer.
    Done(T),
    /// Not yet: call again after this long.
    Wait(Duration),
}

impl Actor {
    /// Creates a directory: posts its root, subscribed.
    pub fn dir_create(
        &mut self,
        id: NodeId,
        title: &str,
        description: &str,
    ) -> Result<DocId, ApiError> {
        let title = title.trim();
        if title.is_empty() {
            return Err(ApiError::BadRequest("a directory needs a title".into()));
        }
        let date = self.now().as_millis() / 1000;
        let document = root_document(&self.nodes[&id].info.identity, title, description, date);
        self.post_signed(id, document, true)
    }

    /// One step of publishing `target` under `name` in directory `root`.
    pub fn dir_publish(
        &mut self,
        id: NodeId,
        root: DocId,
        name: &str,
        target: DocId,
    ) -> Result<Progress<Published>, ApiError> {
        let name = Name::new(name).map_err(|e| ApiError::BadRequest(e.to_string()))?;
        if !self.has_body(id, &target) {
            return Err(ApiError::NotFound(format!(
                "document {target} is not held by this node: post or fetch it first"
            )));
        }
        // A step posts at most a level and the name: a few rounds always suffice.
        for _ in 0..4 {
            match self.dir_plan(id, &root, &name, &target) {
                Plan::Published { link } => {
                    return Ok(Progress::Done(Published {
                        name: name.as_str().to_owned(),
                        target,
                        link,
                    }));
                }
                Plan::Post(documents) => self.post_plan(id, documents)?,
                Plan::Need(action) => return self.dir_act(id, root, action),
            }
        }
        Err(ApiError::Internal(
            "publishing did not settle; try again".into(),
        ))
    }

    /// One step of listing the names below `prefix` in directory `root`.
    pub fn dir_list(
        &mut self,
        id: NodeId,
        root: DocId,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
        follow: Follow,
    ) -> Result<Progress<NamePage>, ApiError> {
        let prefix = prefix_key(prefix).map_err(|e| ApiError::BadRequest(e.to_string()))?;
        let after = after.map(parse_cursor).transpose()?;
        let query = Query {
            prefix,
            after,
            limit,
            follow,
        };
        let now = self.now();
        let local = &self.nodes[&id];
        let state = self.directories.entry(id).or_default();
        match lookup(
            &local.node,
            &mut state.catalog,
            &mut state.explorer,
            &root,
            &query,
            now,
        ) {
            Step::Done(page) => Ok(Progress::Done(page_view(page))),
            Step::Need(action) => self.dir_act(id, root, action),
        }
    }

    /// One planning step of publishing `target` under `name` as local node `id`.
    fn dir_plan(&mut self, id: NodeId, root: &DocId, name: &Name, target: &DocId) -> Plan {
        let now = self.now();
        let local = &self.nodes[&id];
        let state = self.directories.entry(id).or_default();
        plan(
            &local.node,
            &mut state.catalog,
            &mut state.explorer,
            &local.info.identity,
            root,
            name,
            target,
            cliqueclique_dir::DEFAULT_BUCKET,
            now,
        )
    }

    /// Plans every name the local nodes published again, once, and carries out what that asks
    /// for: names found under a losing duplicate level move onto the winner
    /// (`docs/directory.md` §4). Returns how many names moved. Called periodically.
    pub fn dir_converge(&mut self) -> usize {
        let mut moved = 0;
        let ids: Vec<NodeId> = self.nodes.keys().copied().collect();
        for id in ids {
            let mine = {
                let local = &self.nodes[&id];
                let state = self.directories.entry(id).or_default();
                cliqueclique_dir::published_anywhere_by_me(&local.node, &mut state.catalog)
            };
            for (root, name, target) in mine {
                let done = match self.dir_plan(id, &root, &name, &target) {
                    Plan::Published { .. } | Plan::Need(Action::Wait(_) | Action::Join(_)) => {
                        Ok(())
                    }
                    Plan::Need(action) => self.dir_act::<()>(id, root, action).map(drop),
                    Plan::Post(documents) => {
                        moved += 1;
                        self.post_plan(id, documents)
                    }
                };
                if let Err(error) = done {
                    tracing::warn!(node = %id, %root, %name, %error, "moving a name onto the winning level failed");
                }
            }
        }
        if moved > 0 {
            tracing::info!(moved, "directory names moved onto winning levels");
        }
        moved
    }

    /// Carries out what the directory asked for, and says how long to wait.
    fn dir_act<T>(
        &mut self,
        id: NodeId,
        root: DocId,
        action: Action,
    ) -> Result<Progress<T>, ApiError> {
        match action {
            Action::Join(doc) if doc == root => Err(ApiError::NotFound(format!(
                "directory {root} is not held by this node: join it first (cliqueclique join ADDRESS {root})"
            ))),
            Action::Join(doc) => Err(ApiError::NotFound(format!(
                "document {doc} of directory {root} is not held by this node"
            ))),
            Action::Subscribe(doc) => {
                self.command(id, Command::Subscribe { doc, thread: false })?;
                Ok(Progress::Wait(AFTER_SUBSCRIBE))
            }
            Action::Wait(at) => {
                let now = self.now();
                Ok(Progress::Wait(at.since(now).max(Duration::from_millis(10))))
            }
        }
    }

    /// Posts the documents of a plan in order: levels subscribed (new names below them must
    /// reach this node), name links not (nothing hangs below them).
    fn post_plan(&mut self, id: NodeId, documents: Vec<Document>) -> Result<(), ApiError> {
        for document in documents {
            let is_name = matches!(
                cliqueclique_dir::Entry::of(&document),
                Some(cliqueclique_dir::Entry::Name { .. })
            );
            self.post_signed(id, document, !is_name)?;
        }
        Ok(())
    }
}

/// The API form of a page; its cursor is `TARGET/NAME`.
fn page_view(page: Page) -> NamePage {
    NamePage {
        names: page
            .names
            .into_iter()
            .map(|l| NameEntry {
                name: l.name,
                target: l.target,
                link: l.link,
                publisher: l.publisher,
            })
            .collect(),
        next: page.next.map(|c| format!("{}/{}", c.target, c.name)),
        levels_read: page.levels_read,
    }
}

/// Reads a `TARGET/NAME` cursor.
fn parse_cursor(text: &str) -> Result<Cursor, ApiError> {
    let bad = || ApiError::BadRequest(format!("bad cursor {text:?}: pass the `next` of a page"));
    let (target, name) = text.split_once('/').ok_or_else(bad)?;
    let target: DocId = target.parse().map_err(|_| bad())?;
    let name = Name::new(name).map_err(|_| bad())?;
    Ok(Cursor {
        key: name.key().to_owned(),
        name: name.as_str().to_owned(),
        target,
    })
}
