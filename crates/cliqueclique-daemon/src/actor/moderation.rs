//! Forum moderation as a local node applies it (`docs/moderation.md`).
//!
//! Moderation decisions are ordinary signed documents under a forum's root (`X-Cc-Moderation`,
//! `cliqueclique-doc`'s `Moderation`), so they reach every subscriber of the root, existing and
//! future, as the forum's topics do. Each node reads them again whenever it needs them: the
//! root's author (the owner) names and removes moderators; the owner and the moderators hide and
//! unhide documents and ban and unban nodes. Decisions are replayed in (date, id) order, so every
//! holder of the same decisions reaches the same state whatever order they arrived in; a
//! decision by anyone else counts for nothing, and a removed moderator's decisions lapse.
//!
//! A hidden document is marked `hidden` (with `hidden_by`) in the views, and pages collapse it;
//! the banned nodes are handed to the core (`Command::SetForumBans`), which declines their new
//! documents below the root. The owner may require proof of work of every post (`work BITS`);
//! it is handed to the core with the owner and moderators exempt (`Command::SetForumWork`), and
//! this node's own posts in the forum carry it (`actor/commands.rs`). A user may ignore a forum's
//! moderation (`forum_prefs`): then nothing is hidden, no ban applied and no work required or done.

use super::Actor;
use crate::api::{HiddenView, ModerationView};
use crate::error::ApiError;
use cliqueclique_doc::{DocId, Document, DocumentBuilder, Moderation, NodeId};
use cliqueclique_proto::{Command, Node};
use cliqueclique_store::SqliteStore;
use std::collections::{BTreeMap, BTreeSet};

/// The moderation of one forum as a local node reads it.
#[derive(Clone, Debug, Default)]
pub(crate) struct ForumModeration {
    /// The root's author, if the root is held.
    pub owner: Option<NodeId>,
    /// The moderators the owner named.
    pub moderators: BTreeSet<NodeId>,
    /// Hidden documents, each with who hid it.
    pub hidden: BTreeMap<DocId, NodeId>,
    /// Banned nodes, each with who banned it.
    pub banned: BTreeMap<NodeId, NodeId>,
    /// The proof of work the owner requires of every post: leading zero bits of its id.
    pub work: u8,
    /// The user chose to ignore this forum's moderation.
    pub ignored: bool,
    /// The names the owner and the deciders claim on their documents here.
    pub names: BTreeMap<NodeId, String>,
}

impl ForumModeration {
    /// Reads the moderation of the forum whose root is `root` from the decisions held below it.
    pub fn read(node: &Node<SqliteStore>, root: DocId) -> ForumModeration {
        let ignored = node.store().forums_ignoring_moderation().contains(&root);
        let Some(root_document) = node.document(&root) else {
            return ForumModeration {
                ignored,
                ..ForumModeration::default()
            };
        };
        let owner = root_document.author();
        let mut names = BTreeMap::from([(owner, root_document.author_name().to_owned())]);
        let mut decisions: Vec<(u64, DocId, NodeId, Moderation)> = Vec::new();
        for d in node.children(&root).filter_map(|c| node.document(c)) {
            if let Some(decision) = d.moderation() {
                names.insert(d.author(), d.author_name().to_owned());
                decisions.push((d.date(), d.id(), d.author(), decision));
            }
        }
        decisions.sort();
        let mut moderators = BTreeSet::new();
        let mut work = 0;
        for (_, _, author, decision) in &decisions {
            match decision {
                Moderation::Work(bits) if *author == owner => work = *bits,
                Moderation::AddModerator(n) if *author == owner && *n != owner => {
                    moderators.insert(*n);
                }
                Moderation::RemoveModerator(n) if *author == owner => {
                    moderators.remove(n);
                }
                _ => {}
            }
        }
        let mut hidden = BTreeMap::new();
        let mut banned = BTreeMap::new();
        for (_, _, author, decision) in &decisions {
            if *author != owner && !moderators.contains(author) {
                continue;
            }
            match decision {
                Moderation::Hide(d) => {
                    hidden.insert(*d, *author);
                }
                Moderation::Unhide(d) => {
                    hidden.remove(d);
                }
                Moderation::Ban(n) if *n != owner => {
                    banned.insert(*n, *author);
                }
                Moderation::Unban(n) => {
                    banned.remove(n);
                }
                _ => {}
            }
        }
        ForumModeration {
            owner: Some(owner),
            moderators,
            hidden,
            banned,
            work,
            ignored,
            names,
        }
    }

    /// The name `author` claims here, or on its contact card.
    pub fn name_of(&self, node: &Node<SqliteStore>, author: &NodeId) -> String {
        self.names
            .get(author)
            .cloned()
            .unwrap_or_else(|| super::people::card_name(node, author))
    }

    /// Who hid `doc`, if it is hidden here (not when the user ignores this moderation).
    pub fn hidden_by(&self, doc: &DocId) -> Option<NodeId> {
        self.hidden.get(doc).copied().filter(|_| !self.ignored)
    }

    /// Whether `node` may hide and ban here.
    pub fn may_moderate(&self, node: &NodeId) -> bool {
        self.owner == Some(*node) || self.moderators.contains(node)
    }

    /// The proof of work this node requires and does in the forum, and who needs none.
    pub fn enforced_work(&self) -> (u8, BTreeSet<NodeId>) {
        if self.ignored {
            return (0, BTreeSet::new());
        }
        let exempt = self.owner.iter().chain(&self.moderators).copied().collect();
        (self.work, exempt)
    }

    /// The nodes whose new documents the core declines below the root.
    fn enforced_bans(&self) -> BTreeSet<NodeId> {
        if self.ignored {
            BTreeSet::new()
        } else {
            self.banned.keys().copied().collect()
        }
    }
}

impl Actor {
    /// The moderation of the forum whose root is `root`, as local node `id` applies it.
    pub fn moderation(&self, id: NodeId, root: DocId) -> Result<ModerationView, ApiError> {
        let node = &self.nodes[&id].node;
        check_root(node, &root)?;
        let read = ForumModeration::read(node, root);
        let authors = super::people::Authors::of(node);
        let view = |n: &NodeId| authors.view(*n, &read.name_of(node, n));
        Ok(ModerationView {
            root,
            owner: read.owner.as_ref().map(view),
            moderators: read.moderators.iter().map(view).collect(),
            hidden: read
                .hidden
                .iter()
                .map(|(doc, by)| HiddenView {
                    id: doc.to_string(),
                    by: view(by),
                })
                .collect(),
            banned: read
                .banned
                .iter()
                .map(|(n, by)| HiddenView {
                    id: n.to_string(),
                    by: view(by),
                })
                .collect(),
            work_bits: read.work,
            ignored: read.ignored,
        })
    }

    /// Signs and posts a moderation decision of local node `id` in the forum whose root is
    /// `root`, if the node may make it; returns the decision's id.
    pub fn moderate(
        &mut self,
        id: NodeId,
        root: DocId,
        decision: Moderation,
    ) -> Result<DocId, ApiError> {
        let node = &self.nodes[&id].node;
        check_root(node, &root)?;
        let read = ForumModeration::read(node, root);
        let owner_only = matches!(
            decision,
            Moderation::AddModerator(_) | Moderation::RemoveModerator(_) | Moderation::Work(_)
        );
        let allowed = if owner_only {
            read.owner == Some(id)
        } else {
            read.may_moderate(&id)
        };
        if !allowed {
            let who = if owner_only {
                "only the forum's owner (its root's author) names moderators and sets the proof of work"
            } else {
                "only the forum's owner and its moderators hide and ban"
            };
            return Err(ApiError::Forbidden(format!(
                "this node may not {}: {who}",
                decision.action()
            )));
        }
        if let Moderation::Work(bits) = decision
            && bits > cliqueclique_doc::document::work::MAX_WORK_BITS
        {
            return Err(ApiError::BadRequest(format!(
                "a forum's proof of work is at most {} bits",
                cliqueclique_doc::document::work::MAX_WORK_BITS
            )));
        }
        if let Moderation::Ban(n) | Moderation::AddModerator(n) = decision
            && read.owner == Some(n)
        {
            return Err(ApiError::BadRequest(
                "the forum's owner can be neither banned nor named moderator".into(),
            ));
        }
        let now_secs = self.now().as_millis() / 1000;
        let local = &self.nodes[&id];
        // A decision is dated after every earlier one, so that it is the newest.
        let latest = local
            .node
            .children(&root)
            .filter_map(|c| local.node.document(c))
            .filter(|d| d.moderation().is_some())
            .map(|d| d.date() + 1)
            .max()
            .unwrap_or(0);
        let document = DocumentBuilder::new("")
            .parent(root)
            .moderation(decision)
            .date(now_secs.max(latest))
            .author_name(local.info.name.clone())
            .build(&local.info.identity);
        let doc = self.post_signed(id, document, false)?;
        self.apply_moderation(id, root);
        Ok(doc)
    }

    /// Hides or unhides `doc` in its forum as local node `id`.
    pub fn hide(&mut self, id: NodeId, doc: DocId, hide: bool) -> Result<DocId, ApiError> {
        let node = &self.nodes[&id].node;
        if node.document(&doc).is_none() {
            return Err(ApiError::NotFound(format!(
                "document {doc} is not held by this node"
            )));
        }
        let root = super::people::forum_root(node, &doc);
        if root == doc {
            return Err(ApiError::BadRequest(
                "a forum's root cannot be hidden in its own forum".into(),
            ));
        }
        let decision = if hide {
            Moderation::Hide(doc)
        } else {
            Moderation::Unhide(doc)
        };
        self.moderate(id, root, decision)
    }

    /// Applies (`ignore` false) or ignores the moderation of a forum for local node `id`.
    pub fn ignore_moderation(
        &mut self,
        id: NodeId,
        root: DocId,
        ignore: bool,
    ) -> Result<ModerationView, ApiError> {
        check_root(&self.nodes[&id].node, &root)?;
        self.nodes[&id]
            .node
            .store()
            .set_ignore_moderation(&root, ignore);
        self.apply_moderation(id, root);
        self.moderation(id, root)
    }

    /// Hands the forum's bans and proof of work to local node `id`'s core.
    pub(crate) fn apply_moderation(&mut self, id: NodeId, root: DocId) {
        let read = ForumModeration::read(&self.nodes[&id].node, root);
        let nodes = read.enforced_bans();
        if let Err(error) = self.command(id, Command::SetForumBans { forum: root, nodes }) {
            tracing::warn!(node = %id, %root, %error, "forum bans not applied");
        }
        let (bits, exempt) = read.enforced_work();
        let work = Command::SetForumWork {
            forum: root,
            bits,
            exempt,
        };
        if let Err(error) = self.command(id, work) {
            tracing::warn!(node = %id, %root, %error, "forum proof of work not applied");
        }
    }

    /// Hands every held forum's moderation to local node `id`'s core: when it starts.
    pub(crate) fn apply_all_moderation(&mut self, id: NodeId) {
        let roots: Vec<DocId> = self.nodes[&id]
            .node
            .subscriptions()
            .filter(|s| s.meta.is_some_and(|m| m.parent.is_none()))
            .map(|s| s.doc)
            .collect();
        for root in roots {
            self.apply_moderation(id, root);
        }
    }

    /// After `doc` arrived at local node `id` under `parent`: a moderation decision under a
    /// forum's root changes that forum's bans and proof of work.
    pub(crate) fn on_arrival(&mut self, id: NodeId, doc: DocId, parent: Option<DocId>) {
        let Some(root) = parent else {
            return;
        };
        let node = &self.nodes[&id].node;
        let is_root = node
            .subscription(&root)
            .and_then(|s| s.meta)
            .is_some_and(|m| m.parent.is_none());
        let decides = is_root
            && node
                .document(&doc)
                .as_ref()
                .and_then(Document::moderation)
                .is_some();
        if decides {
            self.apply_moderation(id, root);
        }
    }
}

/// Refuses anything but a held forum root.
fn check_root(node: &Node<SqliteStore>, root: &DocId) -> Result<(), ApiError> {
    match node.subscription(root).and_then(|s| s.meta) {
        None => Err(ApiError::NotFound(format!(
            "document {root} is not held by this node"
        ))),
        Some(meta) if meta.parent.is_some() => Err(ApiError::BadRequest(format!(
            "document {root} is not a forum's root: moderation belongs to the root"
        ))),
        Some(_) => Ok(()),
    }
}
