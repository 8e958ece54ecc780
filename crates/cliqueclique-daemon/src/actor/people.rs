//! Other nodes as one local node's user sees them: the author views every listing carries
//! (fingerprint, petname, mute and block, and whether another key claims the same name in the
//! same forum), the user's marks (petnames, mutes, blocks) kept in the store, and which
//! documents of the forum at hand its moderation hid.
//!
//! A name on a document or contact card is a claim anyone can copy; the fingerprint and the
//! petname are what tell keys apart, so every view of an author carries them.

use super::Actor;
use crate::api::{AuthorView, PeerMarksChange, People};
use crate::error::ApiError;
use cliqueclique_doc::{DocId, NodeId};
use cliqueclique_proto::{Command, Node};
use cliqueclique_store::{MAX_PETNAME_CHARS, PeerMarks, SqliteStore};
use std::collections::{BTreeMap, BTreeSet};

/// The most documents of one forum looked at for name collisions.
const MAX_SCANNED: usize = 10_000;
/// The most parents followed up to a forum's root.
const MAX_DEPTH: usize = 1_024;

/// What a view needs to describe authors: the user's marks and the keys whose claimed name
/// collides with another key's in the forum at hand.
#[derive(Debug, Default)]
pub(crate) struct Authors {
    marks: BTreeMap<NodeId, PeerMarks>,
    collisions: BTreeSet<NodeId>,
    /// The moderation of the forum at hand: who hid which document.
    moderation: super::moderation::ForumModeration,
}

impl Authors {
    /// The marks of local node `node`, without any forum (no collisions).
    pub(crate) fn of(node: &Node<SqliteStore>) -> Authors {
        Authors {
            marks: node.store().peer_marks(),
            ..Authors::default()
        }
    }

    /// The marks of local node `node` and the name collisions of the forum `doc` belongs to.
    pub(crate) fn in_forum(node: &Node<SqliteStore>, doc: &DocId) -> Authors {
        let mut authors = Authors::of(node);
        let root = forum_root(node, doc);
        authors.collisions = name_collisions(node, &root);
        authors.moderation = super::moderation::ForumModeration::read(node, root);
        authors
    }

    /// The view of `author`, who claims `name`.
    pub(crate) fn view(&self, author: NodeId, name: &str) -> AuthorView {
        let marks = self.marks.get(&author).cloned().unwrap_or_default();
        AuthorView {
            id: author,
            name: name.to_owned(),
            fingerprint: author.fingerprint(),
            petname: marks.petname,
            muted: marks.muted,
            blocked: marks.blocked,
            name_collision: self.collisions.contains(&author),
        }
    }

    /// The owner or moderator of the forum at hand who hid `doc`, if one did and the user
    /// applies the forum's moderation.
    pub(crate) fn hidden_by(&self, doc: &DocId) -> Option<AuthorView> {
        let by = self.moderation.hidden_by(doc)?;
        let name = self.moderation.names.get(&by).map_or("", String::as_str);
        Some(self.view(by, name))
    }

    /// Whether `node` owns or moderates the forum at hand.
    pub(crate) fn moderates(&self, node: &NodeId) -> bool {
        self.moderation.may_moderate(node)
    }

    /// Whether the user muted `author`.
    pub(crate) fn muted(&self, author: &NodeId) -> bool {
        self.marks.get(author).is_some_and(|m| m.muted)
    }
}

/// The top of the forum `doc` belongs to: its highest held ancestor.
pub(crate) fn forum_root(node: &Node<SqliteStore>, doc: &DocId) -> DocId {
    ancestry(node, doc).first().copied().unwrap_or(*doc)
}

/// The held ancestors of `doc` through parents whose bodies are here, the highest first and
/// its parent last; empty for a root or a document whose parent is not here.
pub(crate) fn ancestry(node: &Node<SqliteStore>, doc: &DocId) -> Vec<DocId> {
    let mut chain = Vec::new();
    let mut cur = *doc;
    for _ in 0..MAX_DEPTH {
        match node
            .subscription(&cur)
            .and_then(|s| s.meta)
            .and_then(|m| m.parent)
        {
            Some(p)
                if p != *doc
                    && !chain.contains(&p)
                    && node.subscription(&p).is_some_and(|s| s.has_body()) =>
            {
                chain.push(p);
                cur = p;
            }
            _ => break,
        }
    }
    chain.reverse();
    chain
}

/// The authors below `root` (itself included) whose claimed name, ignoring case, another
/// author there claims too.
fn name_collisions(node: &Node<SqliteStore>, root: &DocId) -> BTreeSet<NodeId> {
    let mut by_name: BTreeMap<String, BTreeSet<NodeId>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    let mut queue = vec![*root];
    while let Some(doc) = queue.pop() {
        if seen.len() >= MAX_SCANNED || !seen.insert(doc) {
            continue;
        }
        if let Some(d) = node.document(&doc) {
            by_name
                .entry(d.author_name().trim().to_lowercase())
                .or_default()
                .insert(d.author());
        }
        queue.extend(node.children(&doc).copied());
    }
    by_name
        .into_values()
        .filter(|keys| keys.len() > 1)
        .flatten()
        .collect()
}

/// Checks a petname: 1 to [`MAX_PETNAME_CHARS`] characters, no control characters; surrounding
/// whitespace is dropped.
pub(crate) fn check_petname(name: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.chars().count() > MAX_PETNAME_CHARS {
        return Err(ApiError::BadRequest(format!(
            "a petname has at most {MAX_PETNAME_CHARS} characters"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(ApiError::BadRequest(
            "a petname cannot contain control characters".into(),
        ));
    }
    Ok(name.to_owned())
}

/// `text` as the start of a node id, lowercase and without a fingerprint's hyphens, if it can be
/// one.
fn id_prefix(text: &str) -> Option<String> {
    let prefix: String = text
        .trim()
        .chars()
        .filter(|c| *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    let base32 = |b: u8| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b);
    (!prefix.is_empty() && prefix.len() <= 52 && prefix.bytes().all(base32)).then_some(prefix)
}

impl Actor {
    /// The node local node `id` knows (a peer, an author of a held document, or a marked node)
    /// whose id is `text` or starts with it; a fingerprint's hyphen is ignored.
    pub fn resolve_peer(&self, id: NodeId, text: &str) -> Result<NodeId, ApiError> {
        let Some(prefix) = id_prefix(text) else {
            return Err(ApiError::BadRequest(format!(
                "bad node id {text:?}: node ids are 52 characters of a-z and 2-7 (a unique prefix or a fingerprint will do)"
            )));
        };
        if let Ok(full) = prefix.parse::<NodeId>() {
            return Ok(full);
        }
        let node = &self.nodes[&id].node;
        let mut known: BTreeSet<NodeId> = node.peers().keys().copied().collect();
        known.extend(
            node.subscriptions()
                .filter_map(|s| s.meta.map(|m| m.author)),
        );
        known.extend(node.store().peer_marks().into_keys());
        known.remove(&id);
        let matches: Vec<NodeId> = known
            .into_iter()
            .filter(|n| n.to_string().starts_with(&prefix))
            .collect();
        match matches.as_slice() {
            [one] => Ok(*one),
            [] => Err(ApiError::NotFound(format!(
                "no node known here has an id starting with {prefix:?}"
            ))),
            many => Err(ApiError::BadRequest(format!(
                "{} nodes have an id starting with {prefix:?}: give more characters",
                many.len()
            ))),
        }
    }

    /// The node `text` names for local node `id`'s user: the one key the user gave that petname
    /// (compared without case), else the node whose id, unique id prefix or fingerprint it is
    /// ([`Actor::resolve_peer`]). A petname two keys share is refused, listing their
    /// fingerprints; a text that names no key is not found.
    pub fn resolve_named(&self, id: NodeId, text: &str) -> Result<NodeId, ApiError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ApiError::BadRequest(
                "give a petname, a node id or a fingerprint".into(),
            ));
        }
        let wanted = text.to_lowercase();
        let named: Vec<AuthorView> = self
            .people(id)
            .people
            .into_iter()
            .filter(|p| {
                p.petname
                    .as_ref()
                    .is_some_and(|n| n.trim().to_lowercase() == wanted)
            })
            .collect();
        match named.as_slice() {
            [one] => return Ok(one.id),
            [] => {}
            many => {
                let fingerprints: Vec<&str> = many.iter().map(|p| p.fingerprint.as_str()).collect();
                return Err(ApiError::BadRequest(format!(
                    "{} keys have the petname “{text}” here ({}): give the fingerprint of the one you mean",
                    many.len(),
                    fingerprints.join(", ")
                )));
            }
        }
        if id_prefix(text).is_none() {
            return Err(ApiError::NotFound(format!(
                "no key here has the petname “{text}”, and it is no node id or fingerprint"
            )));
        }
        self.resolve_peer(id, text).map_err(|e| match e {
            ApiError::NotFound(m) => {
                ApiError::NotFound(format!("no key here has the petname “{text}”; {m}"))
            }
            e => e,
        })
    }

    /// What local node `id` knows and says about `peer`.
    pub fn person(&self, id: NodeId, peer: NodeId) -> AuthorView {
        let node = &self.nodes[&id].node;
        Authors::of(node).view(peer, &card_name(node, &peer))
    }

    /// The nodes local node `id`'s user marked.
    pub fn people(&self, id: NodeId) -> People {
        let node = &self.nodes[&id].node;
        let authors = Authors::of(node);
        let people = authors
            .marks
            .keys()
            .map(|peer| authors.view(*peer, &card_name(node, peer)))
            .collect();
        People { people }
    }

    /// Changes local node `id`'s marks of `peer`: petname, mute, block (a block goes through the
    /// core, which declines the node's documents and drops its links). Answers the new view.
    pub fn mark_peer(
        &mut self,
        id: NodeId,
        peer: NodeId,
        change: PeerMarksChange,
    ) -> Result<AuthorView, ApiError> {
        if peer == id {
            return Err(ApiError::BadRequest(
                "a node cannot mark itself (petname, mute or block)".into(),
            ));
        }
        let petname = change.petname.as_deref().map(check_petname).transpose()?;
        let done = self.with_node(id, |node, now| {
            let store = node.store();
            if let Some(name) = &petname {
                store.set_petname(
                    &peer,
                    Some(name).filter(|n| !n.is_empty()).map(String::as_str),
                );
            }
            if let Some(muted) = change.muted {
                store.set_muted(&peer, muted);
            }
            match change.blocked {
                Some(true) => node.handle_command(now, Command::Block { node: peer }),
                Some(false) => node.handle_command(now, Command::Unblock { node: peer }),
                None => Ok(cliqueclique_proto::Outcome::Done),
            }
        });
        match done {
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(ApiError::BadRequest(e.to_string())),
            None => return Err(ApiError::Internal("the change was not saved".into())),
        }
        Ok(self.person(id, peer))
    }
}

/// The name on `peer`'s contact card, or nothing if no card is known.
pub(crate) fn card_name(node: &Node<SqliteStore>, peer: &NodeId) -> String {
    node.peers()
        .get(peer)
        .and_then(|p| p.card.as_ref())
        .map(|c| c.name.clone())
        .unwrap_or_default()
}
