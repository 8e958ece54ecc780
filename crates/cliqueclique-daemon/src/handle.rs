//! [`Handle`]: the typed interface of the node thread, used by the API routes, the web UI and the
//! command line.
//!
//! Every method is one input to the node thread, answered with a typed value. A method that names
//! a local node takes a [`NodeRef`], so a request's name is resolved in the same step that acts on
//! the node. Closures stay inside this crate: nothing outside it runs code on the node thread.

mod accounts;
mod feeds;
mod news;

pub use accounts::{RegisterError, TableError};
pub use news::{
    ArticleAt, GroupState, ID_PREFIX_CHARS, MAX_GROUP_NAME, NewsArticle, NewsDocument, NewsRules,
    group_name, valid_group_name,
};

use crate::actor::{Actor, Call, Input, NodeEvent, PostStep, Progress};
use crate::api::{
    AuthorView, Contents, DocumentView, EditPost, FlagsChange, Joining, Moderation, ModerationView,
    NamePage, Network, NewPost, NodeInfo, NodeStatus, Notifications, Overview, PeerMarksChange,
    PeerView, People, Published, Resolved, SearchResults, ThreadEntry,
};
use crate::error::ApiError;
use cliqueclique_dir::Follow;
use cliqueclique_doc::{Attachment, ContactCard, DocId, NodeId};
use cliqueclique_net::PeerAddress;
use cliqueclique_query::Query;
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot};

/// A local node as a caller names it: by id, or by the name (or id) a request carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeRef {
    /// A node id, checked to be local.
    Id(NodeId),
    /// A node's name or id as text, resolved on the node thread.
    Named(String),
}

impl From<NodeId> for NodeRef {
    fn from(id: NodeId) -> NodeRef {
        NodeRef::Id(id)
    }
}

impl From<String> for NodeRef {
    fn from(name: String) -> NodeRef {
        NodeRef::Named(name)
    }
}

impl From<&str> for NodeRef {
    fn from(name: &str) -> NodeRef {
        NodeRef::Named(name.to_owned())
    }
}

impl Actor {
    /// The local node `node` refers to.
    fn local(&self, node: &NodeRef) -> Result<NodeId, ApiError> {
        match node {
            NodeRef::Id(id) => self.resolve(&id.to_string()),
            NodeRef::Named(name) => self.resolve(name),
        }
    }
}

/// What the status endpoint reads from the node thread in one step.
#[derive(Clone, Debug)]
pub struct ThreadStatus {
    /// Each local node's counts.
    pub nodes: Vec<NodeStatus>,
    /// Documents held by any local node, counted once.
    pub documents: usize,
    /// The daemon's counters by name.
    pub counters: BTreeMap<String, u64>,
    /// Batches waiting for another local node.
    pub local_queue: usize,
}

/// A document opened for reading, with what its page shows around it.
#[derive(Clone, Debug)]
pub struct OpenedDocument {
    /// The document, after it was marked read.
    pub view: DocumentView,
    /// The views of its parent, its children, the documents link documents among them attach,
    /// the parents of those, and the documents of `attached_under`, by id (those held).
    pub related: BTreeMap<DocId, DocumentView>,
    /// The documents a link document shows this one under, besides its own parent.
    pub attached_under: Vec<DocId>,
}

/// An imported export.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The document.
    pub doc: DocId,
    /// The exporter's card (now a peer).
    pub exporter: ContactCard,
    /// The document as the node now holds it.
    pub view: DocumentView,
}

/// A handle on the node thread; cheap to clone.
#[derive(Clone)]
pub struct Handle {
    inputs: mpsc::Sender<Input>,
    /// The transport's events, on a channel of their own so that the thread serves calls first.
    net_inputs: mpsc::Sender<Input>,
    events: broadcast::Sender<NodeEvent>,
}

impl Handle {
    pub(crate) fn new(
        inputs: mpsc::Sender<Input>,
        net_inputs: mpsc::Sender<Input>,
        events: broadcast::Sender<NodeEvent>,
    ) -> Handle {
        Handle {
            inputs,
            net_inputs,
            events,
        }
    }

    /// Runs `f` on the node thread and returns its result.
    pub(crate) async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Actor) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let (reply, answer) = oneshot::channel();
        let call: Call = Box::new(move |actor| {
            let _ = reply.send(f(actor));
        });
        self.inputs
            .send(Input::Call(call))
            .await
            .map_err(|_| ApiError::Stopped)?;
        answer.await.map_err(|_| ApiError::Stopped)
    }

    /// Runs a fallible `f` on the node thread.
    pub(crate) async fn try_call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Actor) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        self.call(f).await?
    }

    /// Resolves `node`, then runs `f` on it, in one step of the node thread, as one reading
    /// (`Actor::reading`).
    async fn on<T: Send + 'static>(
        &self,
        node: impl Into<NodeRef>,
        f: impl FnOnce(&mut Actor, NodeId) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let node = node.into();
        self.try_call(move |a| {
            let id = a.local(&node)?;
            a.reading(id, |a| f(a, id))
        })
        .await
    }

    /// Runs `f` on the node thread, for tests that need several operations in one step.
    #[cfg(feature = "testing")]
    pub async fn run_on_thread<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Actor) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        self.call(f).await
    }

    /// Core events of every local node, from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<NodeEvent> {
        self.events.subscribe()
    }

    /// Inputs waiting for the node thread (calls and transport events).
    pub fn queued_inputs(&self) -> usize {
        let queued = |s: &mpsc::Sender<Input>| s.max_capacity() - s.capacity();
        queued(&self.inputs) + queued(&self.net_inputs)
    }

    /// Asks the node thread to stop once it has handled what is queued.
    pub async fn stop(&self) {
        let _ = self.inputs.send(Input::Stop).await;
    }

    pub(crate) fn inputs(&self) -> mpsc::Sender<Input> {
        self.inputs.clone()
    }

    /// Where the transport's events go.
    pub(crate) fn net_inputs(&self) -> mpsc::Sender<Input> {
        self.net_inputs.clone()
    }

    // Nodes.

    /// The id of the local node `node` refers to.
    pub async fn resolve(&self, node: impl Into<NodeRef>) -> Result<NodeId, ApiError> {
        self.on(node, |_, id| Ok(id)).await
    }

    /// Every local node.
    pub async fn node_infos(&self) -> Result<Vec<NodeInfo>, ApiError> {
        self.call(|a| a.node_infos()).await
    }

    /// Creates a local node named `name`.
    pub async fn create_node(&self, name: String) -> Result<NodeInfo, ApiError> {
        self.try_call(move |a| a.create_node(&name)).await
    }

    /// The peers of every local node.
    pub async fn peer_views(&self) -> Result<Vec<PeerView>, ApiError> {
        self.call(|a| a.peer_views()).await
    }

    /// The node thread's part of the installation's status.
    pub async fn status(&self) -> Result<ThreadStatus, ApiError> {
        self.call(|a| ThreadStatus {
            nodes: a.node_statuses(),
            documents: a.distinct_documents(),
            counters: a.counter_values(),
            local_queue: a.local_queue_len(),
        })
        .await
    }

    /// The node's forums, bookmarks and recent threads.
    pub async fn overview(&self, node: impl Into<NodeRef>) -> Result<Overview, ApiError> {
        self.on(node, |a, id| Ok(a.overview(id))).await
    }

    // People: other nodes as this node's user sees them.

    /// The nodes `node`'s user marked (petnames, mutes, blocks).
    pub async fn people(&self, node: impl Into<NodeRef>) -> Result<People, ApiError> {
        self.on(node, |a, id| Ok(a.people(id))).await
    }

    /// The node `peer` names (the user's petname for it, an id, a unique prefix or a
    /// fingerprint), as `node` sees it: 404 if it names none, 400 if it names several.
    pub async fn person(
        &self,
        node: impl Into<NodeRef>,
        peer: String,
    ) -> Result<AuthorView, ApiError> {
        self.on(node, move |a, id| {
            let peer = a.resolve_named(id, &peer)?;
            Ok(a.person(id, peer))
        })
        .await
    }

    /// Changes `node`'s petname, mute or block of the node `peer` names.
    pub async fn mark_peer(
        &self,
        node: impl Into<NodeRef>,
        peer: String,
        change: PeerMarksChange,
    ) -> Result<AuthorView, ApiError> {
        self.on(node, move |a, id| {
            let peer = a.resolve_peer(id, &peer)?;
            a.mark_peer(id, peer, change)
        })
        .await
    }

    // Documents.

    /// Posts a new document as `node`.
    ///
    /// In a forum whose owner requires proof of work, the post is signed off the node thread
    /// until its id carries the work, and then posted.
    pub async fn post(&self, node: impl Into<NodeRef>, post: NewPost) -> Result<DocId, ApiError> {
        let (id, step) = self
            .on(node, move |a, id| a.post(id, post).map(|step| (id, step)))
            .await?;
        let work = match step {
            PostStep::Posted(doc) => return Ok(doc),
            PostStep::Work(work) => work,
        };
        let subscribe = work.subscribe;
        let document = tokio::task::spawn_blocking(move || work.sign())
            .await
            .map_err(|e| ApiError::Internal(format!("the proof of work failed: {e}")))?;
        self.on(id, move |a, id| a.publish_post(id, document, subscribe))
            .await
    }

    /// Retracts `node`'s own document `doc` with all its versions; returns the retraction's id.
    pub async fn retract(&self, node: impl Into<NodeRef>, doc: DocId) -> Result<DocId, ApiError> {
        self.on(node, move |a, id| a.retract(id, doc)).await
    }

    /// Posts a new version of `node`'s own document `doc`; returns the new version's id.
    pub async fn edit(
        &self,
        node: impl Into<NodeRef>,
        doc: DocId,
        edit: EditPost,
    ) -> Result<DocId, ApiError> {
        self.on(node, move |a, id| a.edit(id, doc, edit)).await
    }

    /// The moderation of the forum whose root is `root`, as `node` applies it.
    pub async fn moderation(
        &self,
        node: impl Into<NodeRef>,
        root: DocId,
    ) -> Result<ModerationView, ApiError> {
        self.on(node, move |a, id| a.moderation(id, root)).await
    }

    /// Posts `node`'s moderation decision in the forum whose root is `root`; returns its id.
    pub async fn moderate(
        &self,
        node: impl Into<NodeRef>,
        root: DocId,
        decision: Moderation,
    ) -> Result<DocId, ApiError> {
        self.on(node, move |a, id| a.moderate(id, root, decision))
            .await
    }

    /// Hides (`hide`) or unhides `doc` in its forum as `node`, a moderator of it.
    pub async fn hide(
        &self,
        node: impl Into<NodeRef>,
        doc: DocId,
        hide: bool,
    ) -> Result<DocId, ApiError> {
        self.on(node, move |a, id| a.hide(id, doc, hide)).await
    }

    /// Ignores (`ignore`) or applies again the moderation of a forum for `node`.
    pub async fn ignore_moderation(
        &self,
        node: impl Into<NodeRef>,
        root: DocId,
        ignore: bool,
    ) -> Result<ModerationView, ApiError> {
        self.on(node, move |a, id| a.ignore_moderation(id, root, ignore))
            .await
    }

    /// A document as `node` sees it.
    pub async fn show(
        &self,
        node: impl Into<NodeRef>,
        doc: DocId,
    ) -> Result<DocumentView, ApiError> {
        self.on(node, move |a, id| a.show(id, doc)).await
    }

    /// The documents `node` knows whose id starts with `prefix`.
    pub async fn resolve_prefix(
        &self,
        node: impl Into<NodeRef>,
        prefix: String,
    ) -> Result<Resolved, ApiError> {
        self.on(node, move |a, id| a.resolve_prefix(id, &prefix))
            .await
    }

    /// Opens a document for reading, with the views of the documents its page shows around it
    /// ([`OpenedDocument`]).
    pub async fn open_document(
        &self,
        node: impl Into<NodeRef>,
        doc: DocId,
    ) -> Result<OpenedDocument, ApiError> {
        self.on(node, move |a, id| {
            let view = a.show(id, doc)?;
            let mut related = BTreeMap::new();
            let add = |a: &Actor, other: DocId, related: &mut BTreeMap<DocId, DocumentView>| {
                if !related.contains_key(&other)
                    && let Ok(shown) = a.show(id, other)
                {
                    related.insert(other, shown);
                }
            };
            let parent = view.document.as_ref().and_then(|c| c.parent);
            for other in parent.into_iter().chain(view.children.iter().copied()) {
                add(a, other, &mut related);
            }
            // What link documents attach here, and where each of those hangs itself.
            let attached: Vec<DocId> = view
                .children
                .iter()
                .filter_map(|child| related.get(child)?.document.as_ref()?.attaches())
                .collect();
            for other in attached {
                add(a, other, &mut related);
                let hangs = related
                    .get(&other)
                    .and_then(|v| v.document.as_ref())
                    .and_then(Contents::shown_under);
                if let Some(hangs) = hangs {
                    add(a, hangs, &mut related);
                }
            }
            let own_parent = view.document.as_ref().and_then(Contents::shown_under);
            let attached_under = a.carried_by(id, doc, own_parent);
            for &other in &attached_under {
                add(a, other, &mut related);
            }
            Ok(OpenedDocument {
                view,
                related,
                attached_under,
            })
        })
        .await
    }

    /// The thread under `doc`, with bodies if `bodies`.
    pub async fn thread(
        &self,
        node: impl Into<NodeRef>,
        doc: DocId,
        bodies: bool,
    ) -> Result<ThreadEntry, ApiError> {
        self.on(node, move |a, id| a.thread(id, doc, bodies)).await
    }

    /// The thread under `doc` with bodies, and the document itself, in one step.
    pub async fn thread_and_view(
        &self,
        node: impl Into<NodeRef>,
        doc: DocId,
    ) -> Result<(ThreadEntry, DocumentView), ApiError> {
        self.on(node, move |a, id| {
            Ok((a.thread(id, doc, true)?, a.show(id, doc)?))
        })
        .await
    }

    /// Marks every document of the thread under `doc` read; how many were unread.
    pub async fn mark_thread_read(
        &self,
        node: impl Into<NodeRef>,
        doc: DocId,
    ) -> Result<usize, ApiError> {
        self.on(node, move |a, id| a.mark_thread_read(id, doc))
            .await
    }

    /// Replies to `node`'s documents and mentions of its name, newest first, at most `limit`.
    pub async fn notifications(
        &self,
        node: impl Into<NodeRef>,
        limit: usize,
    ) -> Result<Notifications, ApiError> {
        self.on(node, move |a, id| a.notifications(id, limit)).await
    }

    /// Marks each of `docs` read (those this node holds); how many were unread.
    pub async fn mark_read(
        &self,
        node: impl Into<NodeRef>,
        docs: Vec<DocId>,
    ) -> Result<usize, ApiError> {
        self.on(node, move |a, id| a.mark_read(id, &docs)).await
    }

    /// Changes the user's flags of `doc`; the document afterwards.
    pub async fn change_flags(
        &self,
        node: impl Into<NodeRef>,
        doc: DocId,
        change: FlagsChange,
    ) -> Result<DocumentView, ApiError> {
        self.on(node, move |a, id| {
            a.change_flags(id, doc, change)?;
            a.show(id, doc)
        })
        .await
    }

    /// The overlay around `doc`: `node`'s links, or every local node's if `installation`.
    pub async fn network(
        &self,
        node: impl Into<NodeRef>,
        doc: DocId,
        installation: bool,
    ) -> Result<Network, ApiError> {
        self.on(node, move |a, id| a.network(id, doc, installation))
            .await
    }

    /// Attachment `index` of `doc`.
    pub async fn attachment(
        &self,
        node: impl Into<NodeRef>,
        doc: DocId,
        index: usize,
    ) -> Result<Attachment, ApiError> {
        self.on(node, move |a, id| a.attachment(id, doc, index))
            .await
    }

    /// The export file of `doc`.
    pub async fn export(&self, node: impl Into<NodeRef>, doc: DocId) -> Result<Vec<u8>, ApiError> {
        self.on(node, move |a, id| a.export(id, doc)).await
    }

    /// Imports an export file: the document, a subscription, and the exporter as a peer.
    pub async fn import(
        &self,
        node: impl Into<NodeRef>,
        bytes: Vec<u8>,
    ) -> Result<Imported, ApiError> {
        self.on(node, move |a, id| {
            let (doc, exporter) = a.import(id, &bytes)?;
            let view = a.show(id, doc)?;
            Ok(Imported {
                doc,
                exporter,
                view,
            })
        })
        .await
    }

    /// Imports the export attached to `doc` as attachment `index` (a forwarded document).
    pub async fn import_attachment(
        &self,
        node: impl Into<NodeRef>,
        doc: DocId,
        index: usize,
    ) -> Result<DocId, ApiError> {
        self.on(node, move |a, id| {
            let file = a.attachment(id, doc, index)?;
            a.import(id, &file.data).map(|(doc, _)| doc)
        })
        .await
    }

    /// The subject of `doc` (empty while its body is missing) and its export file, for
    /// forwarding it.
    pub async fn export_with_subject(
        &self,
        node: impl Into<NodeRef>,
        doc: DocId,
    ) -> Result<(String, Vec<u8>), ApiError> {
        self.on(node, move |a, id| {
            let subject = a
                .show(id, doc)?
                .document
                .map(|c| c.subject)
                .unwrap_or_default();
            Ok((subject, a.export(id, doc)?))
        })
        .await
    }

    /// Whether `node` holds the body of `doc`.
    pub async fn has_body(&self, node: NodeId, doc: DocId) -> Result<bool, ApiError> {
        self.call(move |a| a.has_body(node, &doc)).await
    }

    // Directories and search.

    /// Creates a directory (posts its root).
    pub async fn create_directory(
        &self,
        node: impl Into<NodeRef>,
        title: String,
        description: String,
    ) -> Result<DocId, ApiError> {
        self.on(node, move |a, id| a.dir_create(id, &title, &description))
            .await
    }

    /// Publishes `target` under `name` in directory `root`, waiting up to `timeout` for levels.
    pub async fn publish_name(
        &self,
        node: impl Into<NodeRef>,
        root: DocId,
        name: String,
        target: DocId,
        timeout: Duration,
    ) -> Result<Published, ApiError> {
        let node = node.into();
        self.until_done(timeout, move |a| {
            let id = a.local(&node)?;
            a.dir_publish(id, root, &name, target)
        })
        .await
    }

    /// One page of directory `root`'s names, waiting up to `timeout` for levels.
    pub async fn list_names(
        &self,
        node: impl Into<NodeRef>,
        root: DocId,
        page: NamesPage,
        timeout: Duration,
    ) -> Result<NamePage, ApiError> {
        let node = node.into();
        self.until_done(timeout, move |a| {
            let id = a.local(&node)?;
            a.dir_list(
                id,
                root,
                &page.prefix,
                page.after.as_deref(),
                page.limit,
                page.follow,
            )
        })
        .await
    }

    /// Moves names published in losing levels; how many moved.
    pub async fn converge_directories(&self) -> Result<usize, ApiError> {
        self.call(|a| a.dir_converge()).await
    }

    /// Runs a local search as `node`.
    pub async fn search(
        &self,
        node: impl Into<NodeRef>,
        query: Query,
        limit: usize,
    ) -> Result<SearchResults, ApiError> {
        self.on(node, move |a, id| a.search(id, &query, limit))
            .await
    }

    /// Calls `step` on the node thread until it is done or `timeout` passes.
    async fn until_done<T: Send + 'static>(
        &self,
        timeout: Duration,
        step: impl Fn(&mut Actor) -> Result<Progress<T>, ApiError> + Send + Sync + Clone + 'static,
    ) -> Result<T, ApiError> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let once = step.clone();
            match self.try_call(move |a| once(a)).await? {
                Progress::Done(value) => return Ok(value),
                Progress::Wait(wait) => {
                    if tokio::time::Instant::now() + wait > deadline {
                        // The steps taken so far (subscriptions) stay: a later call goes on from them.
                        return Err(ApiError::Timeout(
                            "the directory's levels did not arrive in time: is a peer holding them reachable?"
                                .into(),
                        ));
                    }
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    // Joining by address.

    /// The cards of the local nodes holding `doc`'s body.
    pub(crate) async fn holders(&self, doc: DocId) -> Result<Vec<ContactCard>, ApiError> {
        self.call(move |a| a.holders(&doc)).await
    }

    /// The ids of the local nodes.
    pub(crate) async fn local_ids(&self) -> Result<Vec<NodeId>, ApiError> {
        self.call(|a| a.nodes.keys().copied().collect()).await
    }

    /// Counts lookup answers' cards that did not verify.
    pub(crate) async fn count_bad_lookup_cards(&self, bad: u64) -> Result<(), ApiError> {
        self.call(move |a| a.counters.bad_lookup_cards += bad).await
    }

    /// Joins `doc` as `node` through the first of `cards`.
    pub(crate) async fn join(
        &self,
        node: NodeId,
        doc: DocId,
        cards: Vec<ContactCard>,
        address: PeerAddress,
    ) -> Result<ContactCard, ApiError> {
        self.try_call(move |a| a.join(node, doc, cards, address))
            .await
    }

    /// Records why the wait for `doc`'s body ended without it, while `node` goes on fetching it.
    pub(crate) async fn record_join_error(
        &self,
        node: NodeId,
        doc: DocId,
        error: String,
    ) -> Result<(), ApiError> {
        self.call(move |a| a.record_join_error(node, doc, error))
            .await
    }

    /// The documents `node` is fetching, with how each join started here went.
    pub async fn joining(&self, node: impl Into<NodeRef>) -> Result<Vec<Joining>, ApiError> {
        self.on(node, |a, id| Ok(a.joining(id))).await
    }

    /// Cancels `node`'s join of `doc`: it stops fetching the document. An error if no join of
    /// it is in progress.
    pub async fn cancel_join(&self, node: impl Into<NodeRef>, doc: DocId) -> Result<(), ApiError> {
        self.on(node, move |a, id| a.cancel_join(id, doc)).await
    }

    /// Sends a lookup for `doc` to `address`; the cards arrive on the returned channel.
    pub(crate) async fn start_lookup(
        &self,
        address: PeerAddress,
        doc: DocId,
    ) -> Result<(u64, oneshot::Receiver<Vec<ContactCard>>), ApiError> {
        self.try_call(move |a| a.start_lookup(address, doc)).await
    }

    /// Forgets a lookup nobody waits for any more.
    pub(crate) async fn cancel_lookup(&self, request: u64) -> Result<(), ApiError> {
        self.call(move |a| {
            a.lookups.remove(&request);
        })
        .await
    }
}

/// Which page of a directory's names to list.
#[derive(Clone, Debug)]
pub struct NamesPage {
    /// Only names starting with this.
    pub prefix: String,
    /// Only names after this cursor.
    pub after: Option<String>,
    /// The most names.
    pub limit: usize,
    /// Which levels to read.
    pub follow: Follow,
}
