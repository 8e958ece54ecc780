//! The signed document: what a forum post, a reply or a link between two posts is on the wire.
//!
//! A [`Document`] can only be obtained by [`Document::parse`] (bytes from a peer, a file or a user),
//! by [`DocumentBuilder::build`] (a new post), or by [`Document::parse_already_verified`] (bytes read
//! back from a node's own store), so holding one means its signature and structure were checked.
//! A signature is verified once, when the bytes enter; a node's store accepts only the bytes of a
//! [`Document`], so what it hands back was verified before it was stored, and reading it again checks
//! its id and structure but not its signature.
//! Its [`DocId`] is the BLAKE3 hash of the exact stored bytes, which are never re-serialized:
//! MIME writers are not deterministic, so a document is signed once and then travels byte for byte.
//!
//! Documents form a graph through two structural headers, `parent` and `child`.
//! An ordinary post names only its parent (the post it replies to).
//! A *link document* names both and says which way the link points ([`LinkDirection`]),
//! so anyone can attach an existing post under another one without touching either.
//! [`Document::semantic_parent`] and [`Document::semantic_child`] apply the direction for the caller.
//!
//! A document may also *revise* an earlier one by the same author ([`Revision`]): retract it, or
//! supersede it with a new text; and a document under a forum's root may carry a moderation
//! decision ([`Moderation`]). The format only carries the claim; whether the earlier document
//! has the same author is checked where both are known, by whoever applies the revision.
//!
//! The byte format is described in `FORMAT.md` beside `Cargo.toml`.
//! Inside, `build` writes it, `parse` reads it, `envelope` is the signed outer layer both share,
//! and `mime` holds the normalizations both sides apply.

mod build;
pub(crate) mod envelope;
pub(crate) mod mime;
mod parse;
pub mod work;

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use serde::{Deserialize, Serialize};

pub use build::DocumentBuilder;

use crate::error::DocumentError;
use crate::id::{DocId, NodeId};
use crate::identity::PublicKey;

/// The content type of a document's main content when none was given.
pub const DEFAULT_CONTENT_TYPE: &str = "text/plain; charset=utf-8";

/// Bounds that a received document must respect before any parsing work is spent on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// The largest document accepted, in bytes, checked before parsing. Default: 1 MiB.
    pub max_document_bytes: usize,
    /// The largest number of MIME parts accepted in a document's content. Default: 64.
    pub max_parts: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document_bytes: 1024 * 1024,
            max_parts: 64,
        }
    }
}

impl Limits {
    /// No bounds at all: for documents this node built itself.
    pub fn unlimited() -> Self {
        Limits {
            max_document_bytes: usize::MAX,
            max_parts: usize::MAX,
        }
    }
}

/// Which way a link document points.
///
/// A link document carries a structural `parent` and `child`.
/// With [`LinkDirection::Natural`] the child is shown under the parent;
/// with [`LinkDirection::Reversed`] the parent is shown under the child.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkDirection {
    /// The link's semantic parent is its structural parent.
    Natural,
    /// The link's semantic parent is its structural child.
    Reversed,
}

impl LinkDirection {
    /// The header value: `natural` or `reversed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            LinkDirection::Natural => "natural",
            LinkDirection::Reversed => "reversed",
        }
    }

    pub(crate) fn from_header(value: &str) -> Option<Self> {
        match value {
            "natural" => Some(LinkDirection::Natural),
            "reversed" => Some(LinkDirection::Reversed),
            _ => None,
        }
    }
}

/// What a document says about an earlier document of its author: the `X-Cc-Retracts` and
/// `X-Cc-Supersedes` headers. A revision applies only if both documents have the same author.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "target")]
pub enum Revision {
    /// The author withdraws the document: holders drop its body and show that it was retracted.
    Retracts(DocId),
    /// The author replaces the document's text with this one's: holders show the newest version.
    Supersedes(DocId),
}

impl Revision {
    /// The document revised.
    pub fn target(&self) -> DocId {
        match self {
            Revision::Retracts(id) | Revision::Supersedes(id) => *id,
        }
    }
}

/// A forum moderation decision: the `X-Cc-Moderation` header of a document under a forum's root.
///
/// The format carries the decision; who may make it (the root's author names moderators, the
/// author and the moderators hide documents and ban nodes) is decided by whoever applies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "action", content = "target")]
pub enum Moderation {
    /// The forum's owner makes a node a moderator.
    AddModerator(NodeId),
    /// The forum's owner takes a node's moderation away.
    RemoveModerator(NodeId),
    /// Collapse a document in the forum.
    Hide(DocId),
    /// Undo a hide.
    Unhide(DocId),
    /// Decline a node's new documents in the forum.
    Ban(NodeId),
    /// Undo a ban.
    Unban(NodeId),
    /// The forum's owner requires proof of work of every post: its id must start with this many
    /// zero bits (0 lifts the requirement); see [`work`].
    Work(u8),
}

impl Moderation {
    /// The header's action word.
    pub fn action(&self) -> &'static str {
        match self {
            Moderation::AddModerator(_) => "add-moderator",
            Moderation::RemoveModerator(_) => "remove-moderator",
            Moderation::Hide(_) => "hide",
            Moderation::Unhide(_) => "unhide",
            Moderation::Ban(_) => "ban",
            Moderation::Unban(_) => "unban",
            Moderation::Work(_) => "work",
        }
    }

    /// The header value: the action word, a space, the target id.
    pub fn header_value(&self) -> String {
        let target = match self {
            Moderation::AddModerator(n)
            | Moderation::RemoveModerator(n)
            | Moderation::Ban(n)
            | Moderation::Unban(n) => n.to_string(),
            Moderation::Hide(d) | Moderation::Unhide(d) => d.to_string(),
            Moderation::Work(bits) => bits.to_string(),
        };
        format!("{} {target}", self.action())
    }

    /// Reads a header value; `None` unless it is exactly an action word, one space and an id
    /// (for `work`, a number of bits from 0 to [`work::MAX_WORK_BITS`] in decimal).
    pub fn from_header(value: &str) -> Option<Moderation> {
        let (action, target) = value.split_once(' ')?;
        let node = || target.parse::<NodeId>().ok();
        let doc = || target.parse::<DocId>().ok();
        match action {
            "add-moderator" => node().map(Moderation::AddModerator),
            "remove-moderator" => node().map(Moderation::RemoveModerator),
            "hide" => doc().map(Moderation::Hide),
            "unhide" => doc().map(Moderation::Unhide),
            "ban" => node().map(Moderation::Ban),
            "unban" => node().map(Moderation::Unban),
            "work" => work::parse_bits(target).map(Moderation::Work),
            _ => None,
        }
    }
}

/// A file attached to a document, decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The file name the author gave, or empty.
    pub filename: String,
    /// The MIME content type, normalized (lower-case type, `; name=value` parameters).
    pub content_type: String,
    /// The decoded contents.
    pub data: Bytes,
}

/// A description of one MIME part, for "raw" views of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartInfo {
    /// The `X-Cc-Part-Type` value: `content`, `link`, `attachment` or a type from a newer version.
    pub part_type: String,
    /// The MIME content type, normalized.
    pub content_type: String,
    /// The file name, if the part has one.
    pub filename: Option<String>,
    /// The decoded size in bytes.
    pub size: usize,
}

/// A verified, immutable signed document.
///
/// Cloning is cheap: the bytes and the parsed fields are shared.
/// Two documents are equal when their ids are, which means their bytes are.
#[derive(Clone)]
pub struct Document {
    inner: Arc<Inner>,
}

/// Everything parse extracted, so accessors never re-parse.
#[derive(Debug)]
struct Inner {
    id: DocId,
    bytes: Bytes,
    author_key: PublicKey,
    author_name: String,
    subject: String,
    date: u64,
    parent: Option<DocId>,
    child: Option<DocId>,
    link: Option<LinkDirection>,
    revision: Option<Revision>,
    moderation: Option<Moderation>,
    /// The content entity's top-level headers, in order, with RFC 2047 words decoded.
    headers: Vec<(String, String)>,
    parts: Vec<Part>,
}

/// One decoded leaf part of the content entity.
#[derive(Debug)]
struct Part {
    part_type: String,
    /// The parsed content type, for charset decoding.
    mime: mime::ContentType,
    /// [`mime::ContentType::render`] of `mime`.
    content_type: String,
    filename: Option<String>,
    data: Bytes,
}

/// The `X-Cc-Part-Type` of the main content part.
const PART_CONTENT: &str = "content";
/// The `X-Cc-Part-Type` of the part describing a link.
const PART_LINK: &str = "link";
/// The `X-Cc-Part-Type` of an attached file.
const PART_ATTACHMENT: &str = "attachment";

impl Document {
    /// Verifies structure, size and signature, and computes the id from the exact bytes.
    ///
    /// Never panics, whatever the input.
    pub fn parse(bytes: Bytes, limits: &Limits) -> Result<Document, DocumentError> {
        parse::check_size(&bytes, limits)?;
        let id = DocId::of(&bytes);
        Document::parse_with_id(bytes, id, limits, parse::Signature::Verify)
    }

    /// Like [`Document::parse`], but the id must equal `expected`, else [`DocumentError::IdMismatch`].
    ///
    /// The id is checked first, so bytes that are not the requested document cost one hash.
    pub fn parse_expecting(
        expected: &DocId,
        bytes: Bytes,
        limits: &Limits,
    ) -> Result<Document, DocumentError> {
        let id = Document::check_id(expected, &bytes, limits)?;
        Document::parse_with_id(bytes, id, limits, parse::Signature::Verify)
    }

    /// Like [`Document::parse_expecting`], but takes the signature as verified: for bytes read back
    /// from a node's own store, never for bytes from anywhere else.
    ///
    /// The trust assumption is the store's: it accepts only the bytes of a [`Document`], so every
    /// body it holds was verified when it entered (from a peer, a file or the local author), and
    /// verifying it again on every read would repeat that work. The id and the structure are still
    /// checked, so a body that was damaged on disk or stored under another id is refused.
    /// Bytes from a peer, a file or a user go through [`Document::parse`] or
    /// [`Document::parse_expecting`].
    pub fn parse_already_verified(
        expected: &DocId,
        bytes: Bytes,
        limits: &Limits,
    ) -> Result<Document, DocumentError> {
        let id = Document::check_id(expected, &bytes, limits)?;
        Document::parse_with_id(bytes, id, limits, parse::Signature::AlreadyVerified)
    }

    /// The envelope around arbitrary `content` bytes, signed by `identity`: what anyone with a key of their own
    /// can send, whether or not the content is a valid entity. For fuzzers and tests that reach the content
    /// parser behind the signature check; documents are made with [`DocumentBuilder`].
    #[doc(hidden)]
    pub fn sign_raw_content(identity: &crate::Identity, content: &[u8]) -> Vec<u8> {
        let signature = identity.sign(&envelope::signing_message(content));
        envelope::render(content, &identity.public_key(), &signature)
    }

    /// Checks the size, then that the bytes hash to `expected`; the id.
    fn check_id(expected: &DocId, bytes: &[u8], limits: &Limits) -> Result<DocId, DocumentError> {
        parse::check_size(bytes, limits)?;
        let actual = DocId::of(bytes);
        if actual != *expected {
            return Err(DocumentError::IdMismatch {
                expected: *expected,
                actual,
            });
        }
        Ok(actual)
    }

    fn parse_with_id(
        bytes: Bytes,
        id: DocId,
        limits: &Limits,
        signature: parse::Signature,
    ) -> Result<Document, DocumentError> {
        parse::parse(bytes, id, limits, signature).map(|inner| Document {
            inner: Arc::new(inner),
        })
    }

    /// The id: the BLAKE3 hash of [`Document::bytes`].
    pub fn id(&self) -> DocId {
        self.inner.id
    }

    /// The exact stored bytes, as signed.
    pub fn bytes(&self) -> &Bytes {
        &self.inner.bytes
    }

    /// The size of the stored bytes.
    pub fn len(&self) -> usize {
        self.inner.bytes.len()
    }

    /// Always false: a document has at least its envelope. Present because `len` is.
    pub fn is_empty(&self) -> bool {
        self.inner.bytes.is_empty()
    }

    /// The author's node id, the hash of [`Document::author_key`].
    pub fn author(&self) -> NodeId {
        self.inner.author_key.node_id()
    }

    /// The key that signed the document.
    pub fn author_key(&self) -> PublicKey {
        self.inner.author_key
    }

    /// The display name the author gave, possibly empty. Anyone can claim any name; trust [`Document::author`].
    pub fn author_name(&self) -> &str {
        &self.inner.author_name
    }

    /// The subject line, possibly empty.
    pub fn subject(&self) -> &str {
        &self.inner.subject
    }

    /// The date the author wrote into the document, in unix seconds. It is a claim, not a proof.
    pub fn date(&self) -> u64 {
        self.inner.date
    }

    /// The structural `X-Cc-Parent` header.
    pub fn parent(&self) -> Option<DocId> {
        self.inner.parent
    }

    /// The structural `X-Cc-Child` header.
    pub fn child(&self) -> Option<DocId> {
        self.inner.child
    }

    /// The direction, if this is a link document.
    pub fn link(&self) -> Option<LinkDirection> {
        self.inner.link
    }

    /// The earlier document of the same author this one retracts or supersedes, if any.
    pub fn revision(&self) -> Option<Revision> {
        self.inner.revision
    }

    /// The moderation decision this document makes in its forum (`X-Cc-Moderation`), if any.
    pub fn moderation(&self) -> Option<Moderation> {
        self.inner.moderation
    }

    /// The document this one retracts (`X-Cc-Retracts`).
    pub fn retracts(&self) -> Option<DocId> {
        match self.inner.revision {
            Some(Revision::Retracts(id)) => Some(id),
            _ => None,
        }
    }

    /// The document this one supersedes (`X-Cc-Supersedes`).
    pub fn supersedes(&self) -> Option<DocId> {
        match self.inner.revision {
            Some(Revision::Supersedes(id)) => Some(id),
            _ => None,
        }
    }

    /// The document this one is shown under.
    ///
    /// For a link document: [`Document::parent`] if [`LinkDirection::Natural`], [`Document::child`] if reversed.
    /// For any other document: [`Document::parent`].
    pub fn semantic_parent(&self) -> Option<DocId> {
        match self.inner.link {
            Some(LinkDirection::Reversed) => self.inner.child,
            Some(LinkDirection::Natural) | None => self.inner.parent,
        }
    }

    /// The document a link document places under its semantic parent; `None` for other documents.
    ///
    /// [`Document::child`] if [`LinkDirection::Natural`], [`Document::parent`] if reversed.
    pub fn semantic_child(&self) -> Option<DocId> {
        match self.inner.link {
            Some(LinkDirection::Natural) => self.inner.child,
            Some(LinkDirection::Reversed) => self.inner.parent,
            None => None,
        }
    }

    /// The content type of the main content, normalized; [`DEFAULT_CONTENT_TYPE`] if there is none.
    pub fn content_type(&self) -> &str {
        self.content_part()
            .map_or(DEFAULT_CONTENT_TYPE, |part| part.content_type.as_str())
    }

    /// The decoded main content; empty if there is none (as in a pure link).
    pub fn body(&self) -> Bytes {
        self.content_part()
            .map_or_else(Bytes::new, |part| part.data.clone())
    }

    /// The main content as text, if its type is `text/*` and it decodes in its charset.
    ///
    /// A document without a content part has the empty text.
    pub fn body_text(&self) -> Option<String> {
        match self.content_part() {
            None => Some(String::new()),
            Some(part) => mime::decode_text(&part.mime, &part.data),
        }
    }

    /// The attached files, decoded, in document order.
    pub fn attachments(&self) -> Vec<Attachment> {
        self.inner
            .parts
            .iter()
            .filter(|part| part.part_type == PART_ATTACHMENT)
            .map(|part| Attachment {
                filename: part.filename.clone().unwrap_or_default(),
                content_type: part.content_type.clone(),
                data: part.data.clone(),
            })
            .collect()
    }

    /// A description of every part, in document order.
    pub fn parts(&self) -> Vec<PartInfo> {
        self.inner
            .parts
            .iter()
            .map(|part| PartInfo {
                part_type: part.part_type.clone(),
                content_type: part.content_type.clone(),
                filename: part.filename.clone(),
                size: part.data.len(),
            })
            .collect()
    }

    /// The first top-level header of the content entity called `name` (case-insensitive), decoded.
    ///
    /// This reads `Subject`, `From` or extra `X-` headers set with [`DocumentBuilder::header`].
    pub fn header(&self, name: &str) -> Option<String> {
        self.inner
            .headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
    }

    fn content_part(&self) -> Option<&Part> {
        self.inner
            .parts
            .iter()
            .find(|part| part.part_type == PART_CONTENT)
    }
}

impl PartialEq for Document {
    fn eq(&self, other: &Self) -> bool {
        self.inner.id == other.inner.id
    }
}

impl Eq for Document {}

impl std::hash::Hash for Document {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.inner.id.hash(state);
    }
}

impl fmt::Debug for Document {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Document")
            .field("id", &self.inner.id)
            .field("author", &self.author())
            .field("subject", &self.inner.subject)
            .field("parent", &self.inner.parent)
            .field("child", &self.inner.child)
            .field("link", &self.inner.link)
            .field("revision", &self.inner.revision)
            .field("moderation", &self.inner.moderation)
            .field("len", &self.inner.bytes.len())
            .finish()
    }
}
