//! What the API asks of the node thread that changes state: nodes, posts, flags, joins, imports.

use super::Actor;
use super::work::{PendingWork, PostStep};
use crate::api::{EditPost, FlagsChange, NewPost, NodeInfo};
use crate::error::ApiError;
use cliqueclique_doc::{
    ContactCard, DocId, Document, DocumentBuilder, Export, Identity, LinkDirection, NodeId,
};
use cliqueclique_net::PeerAddress;
use cliqueclique_proto::{Command, CommandError, Outcome};
use data_encoding::BASE64;

/// The longest node name.
const MAX_NAME: usize = 64;

impl Actor {
    /// The local nodes, oldest first.
    pub fn node_infos(&self) -> Vec<NodeInfo> {
        let mut nodes: Vec<NodeInfo> = self
            .nodes
            .values()
            .map(|l| NodeInfo {
                id: l.info.id,
                name: l.info.name.clone(),
                created_at: l.info.created_at,
                addresses: l.node.card().addresses.clone(),
            })
            .collect();
        nodes.sort_by(|a, b| (a.created_at, &a.name).cmp(&(b.created_at, &b.name)));
        nodes
    }

    /// Creates a local node and hosts it on the transport at once.
    pub fn create_node(&mut self, name: &str) -> Result<NodeInfo, ApiError> {
        let name = name.trim();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if name.is_empty() || name.len() > MAX_NAME || !name.chars().all(allowed) {
            return Err(ApiError::BadRequest(format!(
                "bad node name {name:?}: use 1 to {MAX_NAME} letters, digits, '-', '_' or '.'"
            )));
        }
        if name.parse::<NodeId>().is_ok() {
            return Err(ApiError::BadRequest(
                "a node name cannot look like a node id".into(),
            ));
        }
        if self.nodes.values().any(|l| l.info.name == name) {
            return Err(ApiError::Conflict(format!(
                "a local node named {name:?} exists already"
            )));
        }
        let identity = Identity::generate(&mut rand::rng());
        let created_at = self.now().as_millis() / 1000;
        let info = self
            .db
            .create_node(name, &identity, created_at)
            .map_err(|e| ApiError::Internal(format!("creating the node failed: {e}")))?;
        let id = info.id;
        self.start_node(info)
            .map_err(|e| ApiError::Internal(format!("starting the node failed: {e:#}")))?;
        Ok(self
            .node_infos()
            .into_iter()
            .find(|n| n.id == id)
            .expect("just created"))
    }

    /// Builds, signs and posts a document as local node `id`; when its forum requires proof of
    /// work, hands the signing back to be done off the node thread (`Handle::post`).
    pub fn post(&mut self, id: NodeId, post: NewPost) -> Result<PostStep, ApiError> {
        post.check()?;
        let now_secs = self.now().as_millis() / 1000;
        let local = &self.nodes[&id];
        let mut builder = DocumentBuilder::new(post.subject.clone())
            .date(now_secs)
            .author_name(local.info.name.clone());
        match (post.link_child, post.parent) {
            (Some(child), Some(parent)) => {
                let direction = if post.reversed {
                    LinkDirection::Reversed
                } else {
                    LinkDirection::Natural
                };
                builder = builder.link(parent, child, direction);
            }
            (Some(_), None) => {
                return Err(ApiError::BadRequest("a link needs a parent".into()));
            }
            (None, Some(parent)) => builder = builder.parent(parent),
            (None, None) => {}
        }
        let content_type = post
            .content_type
            .clone()
            .unwrap_or_else(|| "text/plain; charset=utf-8".to_owned());
        match (&post.body, &post.body_base64) {
            (Some(_), Some(_)) => {
                return Err(ApiError::BadRequest(
                    "give either body or body_base64, not both".into(),
                ));
            }
            (Some(text), None) => builder = builder.body(content_type, text.clone().into_bytes()),
            (None, Some(b64)) => builder = builder.body(content_type, decode(b64, "body_base64")?),
            (None, None) if post.link_child.is_none() => {
                builder = builder.body(content_type, Vec::new());
            }
            (None, None) => {}
        }
        for attachment in &post.attachments {
            let data = decode(&attachment.data, &attachment.filename)?;
            let content_type = attachment
                .content_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".to_owned());
            builder = builder.attach(attachment.filename.clone(), content_type, data);
        }
        let identity = local.info.identity.clone();
        let subscribe = post.subscribe.unwrap_or(true);
        let document = builder.clone().build(&identity);
        let bits = local.node.work_required(&document);
        if bits > 0 {
            return Ok(PostStep::Work(Box::new(PendingWork {
                builder,
                identity,
                bits,
                subscribe,
            })));
        }
        self.publish_post(id, document, subscribe)
            .map(PostStep::Posted)
    }

    /// Posts local node `id`'s signed `document` (with its work done) and follows its thread.
    pub fn publish_post(
        &mut self,
        id: NodeId,
        document: Document,
        subscribe: bool,
    ) -> Result<DocId, ApiError> {
        self.check_limits(&document)?;
        let doc = self.post_signed(id, document, subscribe)?;
        if subscribe {
            // Posting follows the thread the post belongs to (the whole forum for its creator),
            // so that every reply in it, at any depth, reaches the poster.
            let thread = self.nodes[&id].node.thread_of(&doc);
            self.command(
                id,
                Command::Subscribe {
                    doc: thread,
                    thread: true,
                },
            )?;
        }
        Ok(doc)
    }

    /// Retracts local node `id`'s document `doc` (with all its versions): posts a retraction
    /// under the same parent, and the document's body is dropped here and by every holder.
    pub fn retract(&mut self, id: NodeId, doc: DocId) -> Result<DocId, ApiError> {
        let original = self.revisable(id, doc)?;
        let builder = DocumentBuilder::new("").retracts(original.id());
        self.post_revision(id, &original, builder, 0)
    }

    /// Edits local node `id`'s document `doc`: posts a new version superseding the original,
    /// which every holder shows in its place, marked edited.
    pub fn edit(&mut self, id: NodeId, doc: DocId, edit: EditPost) -> Result<DocId, ApiError> {
        if edit.body.trim().is_empty() {
            return Err(crate::api::PostRefused::EmptyBody.into());
        }
        let original = self.revisable(id, doc)?;
        let node = &self.nodes[&id].node;
        let revised = super::revisions::revised(node, original.id(), Some(&original));
        let current = revised.newest().unwrap_or(&original);
        let subject = edit
            .subject
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| current.subject().to_owned());
        let content_type = edit
            .content_type
            .unwrap_or_else(|| current.content_type().to_owned());
        // The newest version is the latest by date: an edit is dated after the current one.
        let after = current.date() + 1;
        let builder = DocumentBuilder::new(subject)
            .supersedes(original.id())
            .body(content_type, edit.body.into_bytes());
        self.post_revision(id, &original, builder, after)
    }

    /// The original of `doc` (itself, or the document it is an edit of), if local node `id` may
    /// revise it: held, written by this node, and not retracted.
    fn revisable(&self, id: NodeId, doc: DocId) -> Result<Document, ApiError> {
        let node = &self.nodes[&id].node;
        if node.retraction(&doc, &id).is_some() {
            return Err(ApiError::Conflict(format!(
                "document {doc} was retracted already"
            )));
        }
        let document = node.document(&doc).ok_or_else(|| {
            ApiError::NotFound(format!("document {doc} is not held by this node"))
        })?;
        if document.author() != id {
            return Err(ApiError::Forbidden(format!(
                "document {doc} is not yours: it is by {}, and only its author can retract or edit it",
                document.author()
            )));
        }
        match document.revision() {
            None => Ok(document),
            Some(cliqueclique_doc::Revision::Supersedes(original)) => self.revisable(id, original),
            Some(cliqueclique_doc::Revision::Retracts(_)) => Err(ApiError::BadRequest(format!(
                "document {doc} is a retraction: it cannot be retracted or edited"
            ))),
        }
    }

    /// Signs and posts a revision of `original` under its parent (under it, for a top document),
    /// dated now or at `not_before`, whichever is later.
    fn post_revision(
        &mut self,
        id: NodeId,
        original: &Document,
        builder: DocumentBuilder,
        not_before: u64,
    ) -> Result<DocId, ApiError> {
        let now_secs = self.now().as_millis() / 1000;
        let local = &self.nodes[&id];
        let builder = builder
            .parent(original.semantic_parent().unwrap_or(original.id()))
            .date(now_secs.max(not_before))
            .author_name(local.info.name.clone());
        let document = builder.clone().build(&local.info.identity);
        // A revision is rare: its work, if its forum requires any, is done here.
        let bits = local.node.work_required(&document);
        let document = if bits > 0 {
            PendingWork {
                builder,
                identity: local.info.identity.clone(),
                bits,
                subscribe: false,
            }
            .sign()
        } else {
            document
        };
        self.check_limits(&document)?;
        self.post_signed(id, document, false)
    }

    /// Refuses a new document that peers would refuse: over the size or the parts limit.
    fn check_limits(&self, document: &Document) -> Result<(), ApiError> {
        let limits = &self.config.proto.limits;
        if document.len() > limits.max_document_bytes {
            return Err(ApiError::BadRequest(format!(
                "the document is {} bytes, more than the maximum of {}",
                document.len(),
                limits.max_document_bytes
            )));
        }
        if document.parts().len() > limits.max_parts {
            return Err(ApiError::BadRequest(format!(
                "the document has {} parts, more than the maximum of {}",
                document.parts().len(),
                limits.max_parts
            )));
        }
        Ok(())
    }

    /// Changes a document's user flags.
    pub fn change_flags(
        &mut self,
        id: NodeId,
        doc: DocId,
        change: FlagsChange,
    ) -> Result<(), ApiError> {
        if let Some(on) = change.subscribed {
            let command = if on {
                Command::Subscribe {
                    doc,
                    thread: change.thread.unwrap_or(false),
                }
            } else {
                Command::Unsubscribe { doc }
            };
            self.command(id, command)?;
        }
        if change.fetch == Some(true) {
            self.command(id, Command::Fetch { doc })?;
        }
        if let Some(on) = change.bookmarked {
            self.command(id, Command::Bookmark { doc, on })?;
        }
        if let Some(read) = change.read {
            self.command(id, Command::MarkRead { doc, read })?;
        }
        Ok(())
    }

    /// Marks `doc` and every held document below it read; returns how many changed.
    pub fn mark_thread_read(&mut self, id: NodeId, doc: DocId) -> Result<usize, ApiError> {
        let entry = self.thread(id, doc, false)?;
        let mut unread = Vec::new();
        let mut stack = vec![&entry];
        while let Some(next) = stack.pop() {
            if !next.read {
                unread.push(next.id);
            }
            stack.extend(next.children.iter());
        }
        for doc in &unread {
            let read = FlagsChange {
                read: Some(true),
                ..FlagsChange::default()
            };
            self.change_flags(id, *doc, read)?;
        }
        Ok(unread.len())
    }

    /// Marks each of `docs` that this node holds read; returns how many were unread before.
    /// Documents it does not hold are left out (a page may show one that is gone since).
    pub fn mark_read(&mut self, id: NodeId, docs: &[DocId]) -> Result<usize, ApiError> {
        let mut changed = 0;
        for doc in docs {
            let node = &self.nodes[&id].node;
            let Some(flags) = node.flags(doc) else {
                continue;
            };
            if flags.read || node.subscription(doc).is_none() {
                continue;
            }
            self.command(
                id,
                Command::MarkRead {
                    doc: *doc,
                    read: true,
                },
            )?;
            changed += 1;
        }
        Ok(changed)
    }

    /// Joins `doc` through the first of `cards` (the next two become extra peers), all of which were
    /// found at `address`; the rest of a lookup answer is not kept, not even as an address. Returns
    /// the card used.
    pub fn join(
        &mut self,
        id: NodeId,
        doc: DocId,
        cards: Vec<ContactCard>,
        address: PeerAddress,
    ) -> Result<ContactCard, ApiError> {
        let first = cards
            .first()
            .cloned()
            .ok_or_else(|| ApiError::NotFound("no holder to join through".into()))?;
        let cards: Vec<ContactCard> = cards.into_iter().take(3).collect();
        for card in &cards {
            self.set_address(card.node_id(), address.clone());
        }
        self.command(
            id,
            Command::Join {
                doc,
                peer: first.clone(),
            },
        )?;
        self.record_join(id, doc, address.to_string());
        for card in cards.into_iter().skip(1) {
            let _ = self.command(id, Command::AddPeer { doc, peer: card });
        }
        Ok(first)
    }

    /// Whether local node `id` holds `doc`'s body.
    pub fn has_body(&self, id: NodeId, doc: &DocId) -> bool {
        self.nodes
            .get(&id)
            .and_then(|l| l.node.subscription(doc))
            .is_some_and(|s| s.has_body())
    }

    /// Writes an export file of a held document, with this node's card.
    pub fn export(&self, id: NodeId, doc: DocId) -> Result<Vec<u8>, ApiError> {
        let local = &self.nodes[&id];
        let document = local.node.document(&doc).ok_or_else(|| {
            ApiError::NotFound(format!("document {doc} is not held by this node"))
        })?;
        let card = local.node.card().clone();
        let export = Export::new(&local.info.identity, card, document);
        Ok(export.to_bytes(&local.info.identity))
    }

    /// Imports an export file: stores the document, subscribes, and links to the exporter.
    pub fn import(&mut self, id: NodeId, bytes: &[u8]) -> Result<(DocId, ContactCard), ApiError> {
        let export = Export::from_bytes(bytes, &self.config.proto.limits)
            .map_err(|e| ApiError::BadRequest(format!("not a valid export: {e}")))?;
        let exporter = export.exporter.clone();
        self.learn_address(&exporter);
        match self.command(id, Command::Import { export })? {
            Outcome::Stored(doc) => Ok((doc, exporter)),
            _ => Err(ApiError::Internal("the import was not stored".into())),
        }
    }

    /// Posts a document signed by local node `id`, stored as read: one's own posts are never news
    /// to oneself. Both happen in one transaction.
    pub(super) fn post_signed(
        &mut self,
        id: NodeId,
        document: Document,
        subscribe: bool,
    ) -> Result<DocId, ApiError> {
        let outcome = self.with_node(id, |node, now| {
            let outcome = node.handle_command(
                now,
                Command::Post {
                    document,
                    subscribe,
                },
            )?;
            if let Outcome::Stored(doc) = outcome {
                node.handle_command(now, Command::MarkRead { doc, read: true })?;
            }
            Ok(outcome)
        });
        match outcome.ok_or_else(refused)?.map_err(command_error)? {
            Outcome::Stored(doc) => Ok(doc),
            _ => Err(ApiError::Internal("the post was not stored".into())),
        }
    }

    /// Runs a user command on a node, in a transaction; a peer named by it is brought up if down.
    pub(crate) fn command(&mut self, id: NodeId, command: Command) -> Result<Outcome, ApiError> {
        let peer = match &command {
            Command::Join { peer, .. } | Command::AddPeer { peer, .. } => Some(peer.node_id()),
            Command::Import { export } => Some(export.exporter.node_id()),
            _ => None,
        };
        let result = self
            .with_node(id, |node, now| node.handle_command(now, command))
            .ok_or_else(refused)?;
        let outcome = result.map_err(command_error)?;
        if let Some(peer) = peer
            && !self.nodes[&id]
                .node
                .peers()
                .get(&peer)
                .is_some_and(|p| p.up)
        {
            let now = self.now();
            self.schedule_hello(peer, now);
        }
        Ok(outcome)
    }
}

/// A transaction that did not commit.
fn refused() -> ApiError {
    ApiError::Internal("the database refused the change".into())
}

fn command_error(error: CommandError) -> ApiError {
    match error {
        CommandError::UnknownDocument(doc) => {
            ApiError::NotFound(format!("document {doc} is not held by this node"))
        }
        CommandError::MissingReference(doc) => ApiError::NotFound(format!(
            "the referenced document {doc} is not held by this node"
        )),
        CommandError::Retracted(doc) => {
            ApiError::Conflict(format!("document {doc} was retracted by its author"))
        }
        error @ CommandError::NotYours { .. } => ApiError::Forbidden(error.to_string()),
        other => ApiError::BadRequest(other.to_string()),
    }
}

fn decode(text: &str, what: &str) -> Result<Vec<u8>, ApiError> {
    BASE64
        .decode(text.as_bytes())
        .map_err(|e| ApiError::BadRequest(format!("{what}: bad base64: {e}")))
}
