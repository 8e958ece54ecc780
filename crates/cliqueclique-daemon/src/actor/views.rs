//! What the API reads from the node thread: documents, threads, peers and the nodes' part of the status.

use super::Actor;
use super::people::Authors;
use super::revisions::{self, Revised};
use crate::api::{
    Ancestor, Contents, DocumentView, LinkView, NodeStatus, PartView, PeerView, Resolved,
    ResolvedDocument, StateView, ThreadEntry, ThreadStatusView, VersionView,
};
use crate::error::ApiError;
use cliqueclique_doc::{DocId, Document, NodeId, Revision};
use cliqueclique_proto::Advert;
use data_encoding::BASE64;
use std::collections::{BTreeMap, BTreeSet};

/// The most entries a thread view lists.
const MAX_THREAD_ENTRIES: usize = 10_000;

/// The length of a document id's text form.
const ID_CHARS: usize = 52;

impl Actor {
    /// The documents local node `id` holds or is fetching whose id starts with `prefix` (case
    /// ignored), so that people can name a document by the first characters of its id.
    pub fn resolve_prefix(&self, id: NodeId, prefix: &str) -> Result<Resolved, ApiError> {
        let prefix = prefix.trim().to_ascii_lowercase();
        let base32 = |b: u8| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b);
        if prefix.is_empty() || prefix.len() > ID_CHARS || !prefix.bytes().all(base32) {
            return Err(ApiError::BadRequest(format!(
                "bad id prefix {prefix:?}: ids are 52 characters of a-z and 2-7"
            )));
        }
        let node = &self.nodes[&id].node;
        // Retracted documents that are gone are still known by id, so that commands on them
        // say they were retracted rather than unknown.
        let retracted = node
            .retractions()
            .map(|r| r.target)
            .filter(|doc| node.subscription(doc).is_none());
        let mut ids: Vec<String> = node
            .subscriptions()
            .map(|sub| sub.doc)
            .chain(retracted)
            .map(|doc| doc.to_string())
            .filter(|text| text.starts_with(&prefix))
            .collect();
        ids.sort();
        ids.dedup();
        let total = ids.len();
        let matches = ids
            .iter()
            .take(Resolved::MAX_MATCHES)
            .filter_map(|text| text.parse::<DocId>().ok())
            .map(|doc| {
                let (subject, author_name) = subject_and_author(node.document(&doc).as_ref());
                ResolvedDocument {
                    id: doc,
                    subject,
                    author_name,
                }
            })
            .collect();
        Ok(Resolved {
            prefix,
            total,
            matches,
        })
    }

    /// A document as local node `id` sees it.
    pub fn show(&self, id: NodeId, doc: DocId) -> Result<DocumentView, ApiError> {
        let node = &self.nodes[&id].node;
        let flags = node.flags(&doc);
        let sub = node.subscription(&doc);
        if sub.is_none() && flags.is_none() && !revisions::known_only_as_retracted(node, &doc) {
            return Err(ApiError::NotFound(format!(
                "document {doc} is not known to this node"
            )));
        }
        let name_of = |peer: &NodeId| {
            node.peers()
                .get(peer)
                .and_then(|p| p.card.as_ref())
                .map(|c| c.name.clone())
        };
        let state = sub.map(|s| StateView {
            has_body: s.has_body(),
            subscribed: s.derived.subscribed,
            wanted: s.derived.wanted,
            center: s.route.center,
            distance: s.route.dist,
            serial: s.serial,
            links: s
                .links
                .iter()
                .map(|(peer, link)| {
                    let advert = link.advert;
                    LinkView {
                        peer: *peer,
                        name: name_of(peer),
                        state: link.state.into(),
                        downstream: link.is_downstream(),
                        upstream: s.route.upstream == Some(*peer),
                        subscribed: advert.is_some_and(|a| a.has(Advert::SUBSCRIBED)),
                        has_body: advert.is_some_and(|a| a.has(Advert::HAS_BODY)),
                        peer_serial: link.peer_serial,
                        acked: link.acked,
                    }
                })
                .collect(),
        });
        let authors = Authors::in_forum(node, &doc);
        let held = node.document(&doc);
        let revised = revisions::revised(node, doc, held.as_ref());
        let shown = |d: &Document| {
            let mut c = contents(d);
            c.author_info = authors.view(d.author(), d.author_name());
            c
        };
        let document = held.as_ref().map(shown);
        let hidden_by = authors.hidden_by(&doc);
        let versions = match (&held, revised.edits.is_empty()) {
            (Some(original), false) => std::iter::once(original)
                .chain(&revised.edits)
                .map(|d| VersionView {
                    id: d.id(),
                    date: d.date(),
                    subject: d.subject().to_owned(),
                })
                .collect(),
            _ => Vec::new(),
        };
        Ok(DocumentView {
            id: doc,
            flags: flags.unwrap_or_default(),
            state,
            hidden: document.as_ref().is_some_and(|c| authors.muted(&c.author))
                || hidden_by.is_some(),
            hidden_by,
            may_hide: authors.moderates(&id)
                && held.as_ref().is_some_and(|d| d.semantic_parent().is_some()),
            retracted: revised.retracted,
            superseded_by: revised.newest().map(Document::id),
            newest: revised.newest().map(shown),
            versions,
            document,
            ancestors: super::people::ancestry(node, &doc)
                .into_iter()
                .map(|id| {
                    let held = node.document(&id);
                    let revised = revisions::revised(node, id, held.as_ref());
                    let subject = revised
                        .newest()
                        .or(held.as_ref())
                        .map(|d| d.subject().to_owned())
                        .unwrap_or_default();
                    Ancestor { id, subject }
                })
                .collect(),
            children: node.children(&doc).copied().collect(),
            thread: sub.filter(|s| s.has_body()).map(|_| {
                let status = node.thread_status(&doc);
                ThreadStatusView {
                    below: status.below,
                    missing: status.missing,
                    complete: status.complete(),
                }
            }),
        })
    }

    /// The held documents that carry `doc` with them other than `own_parent` (where it hangs
    /// itself): those a link document attaches it under.
    pub fn carried_by(&self, id: NodeId, doc: DocId, own_parent: Option<DocId>) -> Vec<DocId> {
        let node = &self.nodes[&id].node;
        node.parents(&doc)
            .copied()
            .filter(|p| *p != doc && Some(*p) != own_parent)
            .collect()
    }

    /// The tree of held comments (and attached documents) below `doc`, oldest first at each level;
    /// with `bodies`, each entry carries its content type and text body too.
    pub fn thread(&self, id: NodeId, doc: DocId, bodies: bool) -> Result<ThreadEntry, ApiError> {
        let node = &self.nodes[&id].node;
        if node.subscription(&doc).is_none() && !revisions::known_only_as_retracted(node, &doc) {
            return Err(ApiError::NotFound(format!(
                "document {doc} is not held by this node"
            )));
        }
        let mut seen = BTreeSet::new();
        let document = node.document(&doc);
        let revised = revisions::revised(node, doc, document.as_ref());
        let authors = Authors::in_forum(node, &doc);
        let shown = Shown {
            document,
            revised,
            linked: false,
            retracted_at: None,
        };
        Ok(self.entry(id, doc, shown, bodies, &authors, &mut seen))
    }

    /// One entry, shown as the caller found it (parsed once, with its revisions).
    ///
    /// Edits and retractions among the children are not entries of their own: an edit replaces
    /// its target's subject and body, and a retraction of a target that is gone stands in its
    /// place, marked retracted, with the replies still held below it.
    fn entry(
        &self,
        id: NodeId,
        doc: DocId,
        shown: Shown,
        bodies: bool,
        authors: &Authors,
        seen: &mut BTreeSet<DocId>,
    ) -> ThreadEntry {
        let node = &self.nodes[&id].node;
        seen.insert(doc);
        let mut comments = Vec::new();
        let mut attached = BTreeSet::new();
        let mut edits: BTreeMap<DocId, Vec<Document>> = BTreeMap::new();
        // Retracted documents that are gone, with the date of their retraction.
        let mut gone = BTreeMap::new();
        for child in node.children(&doc) {
            let Some(d) = node.document(child) else {
                comments.push((*child, None));
                continue;
            };
            match (d.link(), d.revision()) {
                // Link documents themselves are not shown: the documents they attach are.
                (Some(_), _) => attached.extend(d.semantic_child()),
                (None, Some(Revision::Supersedes(target))) => {
                    edits.entry(target).or_default().push(d);
                }
                (None, Some(Revision::Retracts(target))) => {
                    if node.subscription(&target).is_none()
                        && node.retraction(&target, &d.author()).is_some()
                    {
                        gone.insert(target, d.date());
                    }
                }
                // Moderation decisions are no posts: they change how the others show.
                (None, None) if d.moderation().is_some() => {}
                (None, None) => comments.push((*child, Some(d))),
            }
        }
        let mut children = Vec::new();
        let comments = comments
            .into_iter()
            .map(|(child, document)| (child, document, None))
            .chain(
                gone.into_iter()
                    .map(|(target, date)| (target, None, Some(date))),
            );
        for (child, document, retracted_at) in comments {
            if seen.contains(&child) || seen.len() >= MAX_THREAD_ENTRIES {
                continue;
            }
            let retracted = revisions::is_retracted(node, &child, document.as_ref());
            let own_edits = match (&document, edits.remove(&child)) {
                (Some(original), Some(found)) if !retracted => revisions::sorted(
                    found
                        .into_iter()
                        .filter(|e| e.author() == original.author()),
                ),
                _ => Vec::new(),
            };
            let shown = Shown {
                document,
                revised: Revised {
                    retracted,
                    edits: own_edits,
                },
                linked: attached.contains(&child),
                retracted_at,
            };
            children.push(self.entry(id, child, shown, bodies, authors, seen));
        }
        children.sort_by_key(|a| (a.date, a.id));
        let Shown {
            document,
            revised,
            linked,
            retracted_at,
        } = shown;
        let (subject, author_name) = subject_and_author(document.as_ref());
        let author_info = document
            .as_ref()
            .map(|d| authors.view(d.author(), d.author_name()));
        let hidden_by = authors.hidden_by(&doc);
        // An edited document shows its newest version's subject and body, at its own place.
        let text = revised.newest().or(document.as_ref());
        ThreadEntry {
            id: doc,
            subject: revised.newest().map_or(subject, |d| d.subject().to_owned()),
            author_name,
            hidden: author_info.as_ref().is_some_and(|a| a.muted) || hidden_by.is_some(),
            hidden_by,
            retracted: revised.retracted,
            superseded_by: revised.newest().map(Document::id),
            author_info,
            date: document
                .as_ref()
                .map(Document::date)
                .or(retracted_at)
                .unwrap_or(0),
            read: node.flags(&doc).is_some_and(|f| f.read),
            linked,
            content_type: text.filter(|_| bodies).map(|d| d.content_type().to_owned()),
            body: text.filter(|_| bodies).and_then(Document::body_text),
            children,
        }
    }

    /// Attachment number `index` (counting from 0, in the order of the document's attachments) of a
    /// held document.
    pub fn attachment(
        &self,
        id: NodeId,
        doc: DocId,
        index: usize,
    ) -> Result<cliqueclique_doc::Attachment, ApiError> {
        let document = self.nodes[&id].node.document(&doc).ok_or_else(|| {
            ApiError::NotFound(format!("document {doc} is not held by this node"))
        })?;
        document
            .attachments()
            .into_iter()
            .nth(index)
            .ok_or_else(|| ApiError::NotFound(format!("document {doc} has no attachment {index}")))
    }

    /// The nodes' part of the status.
    pub fn node_statuses(&self) -> Vec<NodeStatus> {
        self.nodes
            .values()
            .map(|l| {
                let node = &l.node;
                let mut status = NodeStatus {
                    id: l.info.id,
                    name: l.info.name.clone(),
                    documents: 0,
                    subscriptions: 0,
                    subscribed: 0,
                    peers: node.peers().len(),
                    peers_up: node.peers().values().filter(|p| p.up).count(),
                    unacked_links: 0,
                    batches_sent: node.stats().batches_sent,
                    parts_sent: node.stats().parts_sent,
                    bodies_sent: node.stats().bodies_sent,
                    duplicate_bodies: node.stats().duplicate_bodies,
                    rejected: node.stats().rejected,
                    cards_ignored: node.stats().cards_ignored,
                    peers_forgotten: node.stats().peers_forgotten,
                };
                for sub in node.subscriptions() {
                    status.subscriptions += 1;
                    status.documents += usize::from(sub.has_body());
                    status.subscribed += usize::from(sub.flags.subscribed);
                    status.unacked_links += sub
                        .links
                        .values()
                        .filter(|link| link.acked != sub.serial)
                        .count();
                }
                status
            })
            .collect()
    }

    /// Distinct bodies held by the local nodes.
    pub fn distinct_documents(&self) -> usize {
        let mut docs = BTreeSet::new();
        for local in self.nodes.values() {
            docs.extend(
                local
                    .node
                    .subscriptions()
                    .filter(|s| s.has_body())
                    .map(|s| s.doc),
            );
        }
        docs.len()
    }

    /// Every local node's peers.
    pub fn peer_views(&self) -> Vec<PeerView> {
        let mut views = Vec::new();
        for local in self.nodes.values() {
            let node = &local.node;
            let mut shared: BTreeMap<NodeId, usize> = BTreeMap::new();
            for sub in node.subscriptions() {
                for peer in sub.links.keys() {
                    *shared.entry(*peer).or_default() += 1;
                }
            }
            let authors = Authors::of(node);
            for (peer, state) in node.peers() {
                let name = state.card.as_ref().map(|c| c.name.clone());
                let view = authors.view(*peer, name.as_deref().unwrap_or_default());
                views.push(PeerView {
                    node: local.info.id,
                    peer: *peer,
                    name,
                    fingerprint: view.fingerprint,
                    petname: view.petname,
                    muted: view.muted,
                    blocked: view.blocked,
                    addresses: state
                        .card
                        .as_ref()
                        .map(|c| c.addresses.clone())
                        .unwrap_or_default(),
                    up: state.up,
                    documents: shared.get(peer).copied().unwrap_or(0),
                });
            }
        }
        views
    }

    /// Counters of the daemon, with names for the status page.
    pub fn counter_values(&self) -> BTreeMap<String, u64> {
        let mut out: BTreeMap<String, u64> = self
            .counters
            .rejected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect();
        for name in [
            "core_misaddressed",
            "core_wrong_sender",
            "core_bad_document",
            "core_bad_card",
        ] {
            out.entry(name.to_owned()).or_default();
        }
        out.insert("commit_failures".into(), self.counters.commit_failures);
        out.insert("send_failures".into(), self.counters.send_failures);
        out.insert("lookups_answered".into(), self.counters.lookups_answered);
        out.insert("bad_lookup_cards".into(), self.counters.bad_lookup_cards);
        out.insert("local_batches".into(), self.counters.local_batches);
        out.insert("store_errors".into(), self.db.n_store_errors());
        out.insert("corrupt_rows".into(), self.db.n_corrupt_rows());
        out
    }

    /// The local delivery queue's length.
    pub fn local_queue_len(&self) -> usize {
        self.local_queue.len()
    }
}

/// A thread entry's document as its parent's entry found it.
struct Shown {
    /// Its body, if held.
    document: Option<Document>,
    /// What its author did to it since.
    revised: Revised,
    /// Attached by a link document rather than a direct comment.
    linked: bool,
    /// For a retracted document that is gone: the date of its retraction, where it is listed.
    retracted_at: Option<u64>,
}

/// The API view of a document's contents.
pub(crate) fn contents(d: &Document) -> Contents {
    let text = d.body_text();
    Contents {
        subject: d.subject().to_owned(),
        author: d.author(),
        author_name: d.author_name().to_owned(),
        author_info: Authors::default().view(d.author(), d.author_name()),
        date: d.date(),
        parent: d.parent(),
        child: d.child(),
        link: d.link(),
        content_type: d.content_type().to_owned(),
        body_base64: text.is_none().then(|| BASE64.encode(&d.body())),
        body: text,
        parts: d
            .parts()
            .into_iter()
            .map(|p| PartView {
                part_type: p.part_type,
                content_type: p.content_type,
                filename: p.filename,
                size: p.size,
            })
            .collect(),
        size: d.len(),
        revision: d.revision(),
        moderation: d.moderation(),
    }
}

/// A document's subject and its author's name, both empty while the body is missing.
pub(super) fn subject_and_author(document: Option<&Document>) -> (String, String) {
    document.map_or_else(Default::default, |d| {
        (d.subject().to_owned(), d.author_name().to_owned())
    })
}
