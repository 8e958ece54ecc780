//! What the web UI's summary pages read from the node thread: a node's forums and bookmarks with
//! unread counts (the home page), and a document's overlay as seen from this installation (the
//! network view). Both are also JSON endpoints (`docs/api.md`).

use super::Actor;
use crate::api::{Network, NetworkEdge, NetworkNode, Overview, ThreadSummary};
use crate::error::ApiError;
use cliqueclique_doc::{DocId, NodeId};
use cliqueclique_proto::Advert;
use std::collections::{BTreeMap, BTreeSet};

/// The most documents counted below one thread of the overview.
const MAX_COUNTED: usize = 10_000;

impl Actor {
    /// Local node `id`'s forums (subscribed documents without a parent), bookmarks and joins in
    /// progress, each thread with its size, unread count and newest date.
    pub fn overview(&self, id: NodeId) -> Overview {
        let node = &self.nodes[&id].node;
        let mut forums = Vec::new();
        let mut bookmarks = Vec::new();
        for sub in node.subscriptions() {
            let root = sub.meta.is_some_and(|m| m.parent.is_none());
            let forum = sub.flags.subscribed && root;
            if forum || sub.flags.bookmarked {
                let summary = self.summary(id, sub.doc);
                if sub.flags.bookmarked {
                    bookmarks.push(summary.clone());
                }
                if forum {
                    forums.push(summary);
                }
            }
        }
        for list in [&mut forums, &mut bookmarks] {
            list.sort_by(|a, b| (b.last_activity, a.id).cmp(&(a.last_activity, b.id)));
        }
        Overview {
            forums,
            bookmarks,
            joining: self.joining(id),
        }
    }

    /// A thread's counts, walking the held documents below `doc`.
    fn summary(&self, id: NodeId, doc: DocId) -> ThreadSummary {
        let node = &self.nodes[&id].node;
        let document = node.document(&doc);
        let (subject, author_name) = super::views::subject_and_author(document.as_ref());
        let authors = super::people::Authors::in_forum(node, &doc);
        let mut summary = ThreadSummary {
            id: doc,
            subject,
            author_name,
            author_info: document
                .as_ref()
                .map(|d| authors.view(d.author(), d.author_name())),
            flags: node.flags(&doc).unwrap_or_default(),
            documents: 0,
            unread: 0,
            last_activity: 0,
        };
        let mut seen = BTreeSet::new();
        let mut stack = vec![doc];
        while let Some(next) = stack.pop() {
            if !seen.insert(next) || seen.len() > MAX_COUNTED {
                continue;
            }
            let Some(document) = node.document(&next) else {
                continue;
            };
            // Link documents, edits, retractions and moderation decisions are no posts.
            if document.link().is_none()
                && document.revision().is_none()
                && document.moderation().is_none()
            {
                summary.documents += 1;
                summary.unread += usize::from(!node.flags(&next).is_some_and(|f| f.read));
                summary.last_activity = summary.last_activity.max(document.date());
            }
            stack.extend(node.children(&next).copied());
        }
        summary
    }

    /// `doc`'s overlay as seen from local node `id`: with `installation`, every local node that
    /// has a state for it (and their neighbours), else only `id` and its neighbours.
    pub fn network(&self, id: NodeId, doc: DocId, installation: bool) -> Result<Network, ApiError> {
        let locals: Vec<NodeId> = if installation {
            self.nodes
                .iter()
                .filter(|(_, l)| l.node.subscription(&doc).is_some())
                .map(|(n, _)| *n)
                .collect()
        } else {
            vec![id]
        };
        if self.nodes[&id].node.subscription(&doc).is_none() {
            return Err(ApiError::NotFound(format!(
                "document {doc} is not held by this node"
            )));
        }
        let mut nodes: BTreeMap<NodeId, NetworkNode> = BTreeMap::new();
        let mut edges = Vec::new();
        for local in &locals {
            let l = &self.nodes[local];
            let Some(sub) = l.node.subscription(&doc) else {
                continue;
            };
            nodes.insert(
                *local,
                NetworkNode {
                    id: *local,
                    name: Some(l.info.name.clone()),
                    local: true,
                    has_body: sub.has_body(),
                    subscribed: sub.derived.subscribed,
                    center: Some(sub.route.center),
                    distance: Some(sub.route.dist),
                },
            );
            for (peer, link) in &sub.links {
                edges.push(NetworkEdge {
                    from: *local,
                    to: *peer,
                    upstream: sub.route.upstream == Some(*peer),
                    downstream: link.is_downstream(),
                });
                if locals.contains(peer) {
                    continue;
                }
                let name = l
                    .node
                    .peers()
                    .get(peer)
                    .and_then(|p| p.card.as_ref())
                    .map(|c| c.name.clone());
                let entry = nodes.entry(*peer).or_insert(NetworkNode {
                    id: *peer,
                    name,
                    local: false,
                    has_body: false,
                    subscribed: false,
                    center: None,
                    distance: None,
                });
                entry.has_body |= link.advert.is_some_and(|a| a.has(Advert::HAS_BODY));
                entry.subscribed |= link.advert.is_some_and(|a| a.has(Advert::SUBSCRIBED));
            }
        }
        let mut nodes: Vec<NetworkNode> = nodes.into_values().collect();
        nodes.sort_by_key(|n| (!n.local, n.id));
        Ok(Network { doc, nodes, edges })
    }
}
