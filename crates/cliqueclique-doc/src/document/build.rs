//! Writing a new document: the content entity with mail-builder, then the signed envelope.
//!
//! Everything random that a MIME writer would add is replaced by values derived from the content:
//! the part boundary and the Message-ID come from a BLAKE3 fingerprint of the normalized inputs and the author,
//! and the date is the caller's.
//! So the same inputs and identity always give the same bytes, and no host name or clock leaks into a document.

use bytes::Bytes;
use data_encoding::HEXLOWER;
use mail_builder::MessageBuilder;
use mail_builder::headers::HeaderType;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType as BuilderContentType;
use mail_builder::headers::date::Date;
use mail_builder::headers::message_id::MessageId;
use mail_builder::headers::raw::Raw;
use mail_builder::headers::text::Text;
use mail_builder::mime::{BodyPart, MimePart};

use super::mime::{
    self, ContentType, LINK_CONTENT_TYPE, MAIL_DOMAIN, MAX_DATE, clean_header_name, clean_text,
};
use super::{
    Document, Limits, LinkDirection, Moderation, PART_ATTACHMENT, PART_CONTENT, PART_LINK,
    Revision, envelope,
};
use crate::id::{DocId, NodeId};
use crate::identity::Identity;

/// Collects the fields of a new document; [`DocumentBuilder::build`] signs it.
///
/// Free text (subject, author name, header values, file names) is normalized:
/// control characters become spaces, whitespace runs become one space, and the ends are trimmed.
/// The parsed document returns the normalized values.
#[derive(Clone, Debug, Default)]
pub struct DocumentBuilder {
    subject: String,
    parent: Option<DocId>,
    child: Option<DocId>,
    link: Option<LinkDirection>,
    revision: Option<Revision>,
    moderation: Option<Moderation>,
    body: Option<(String, Bytes)>,
    attachments: Vec<(String, String, Bytes)>,
    headers: Vec<(String, String)>,
    date: u64,
    author_name: String,
    /// Whether the content carries a zero `X-Cc-Work` nonce for [`DocumentBuilder::build_with_work`].
    pub(super) work_nonce: bool,
}

impl DocumentBuilder {
    /// Starts a document with a subject line.
    pub fn new(subject: impl Into<String>) -> Self {
        DocumentBuilder {
            subject: subject.into(),
            ..Default::default()
        }
    }

    /// Sets the structural parent: the document this one replies to.
    pub fn parent(mut self, id: DocId) -> Self {
        self.parent = Some(id);
        self
    }

    /// Sets the structural child.
    pub fn child(mut self, id: DocId) -> Self {
        self.child = Some(id);
        self
    }

    /// Makes this a link document from `parent` to `child`, shown in direction `dir`.
    ///
    /// This sets both structural headers and adds a part of type `link`.
    pub fn link(mut self, parent: DocId, child: DocId, dir: LinkDirection) -> Self {
        self.parent = Some(parent);
        self.child = Some(child);
        self.link = Some(dir);
        self
    }

    /// Makes this document retract `target`, an earlier document of the same author.
    ///
    /// A link document cannot revise: with [`DocumentBuilder::link`] the revision is left out.
    pub fn retracts(mut self, target: DocId) -> Self {
        self.revision = Some(Revision::Retracts(target));
        self
    }

    /// Makes this document supersede `target`, an earlier document of the same author, with its
    /// own subject and content (see [`DocumentBuilder::retracts`] for links).
    pub fn supersedes(mut self, target: DocId) -> Self {
        self.revision = Some(Revision::Supersedes(target));
        self
    }

    /// Makes this document a moderation decision in the forum whose root is its parent.
    ///
    /// It needs a parent and no link or revision, and a difficulty of at most
    /// [`MAX_WORK_BITS`](super::work::MAX_WORK_BITS): otherwise the decision is left out.
    pub fn moderation(mut self, decision: Moderation) -> Self {
        self.moderation = Some(decision);
        self
    }

    /// Sets the main content to `data` of any content type.
    ///
    /// A `multipart/*` or unparsable content type is stored as `application/octet-stream`.
    pub fn body(mut self, content_type: impl Into<String>, data: impl Into<Bytes>) -> Self {
        self.body = Some((content_type.into(), data.into()));
        self
    }

    /// Sets the main content to plain text (`text/plain; charset=utf-8`), kept byte for byte.
    pub fn text(self, text: impl Into<String>) -> Self {
        self.body(super::DEFAULT_CONTENT_TYPE, text.into())
    }

    /// Attaches a file.
    pub fn attach(
        mut self,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.attachments
            .push((filename.into(), content_type.into(), data.into()));
        self
    }

    /// Adds an extra header to the content entity, read back with [`Document::header`].
    ///
    /// The name keeps only ASCII letters, digits and dashes and gets an `X-` prefix if it lacks one.
    /// Names that are empty after that, and the structural `X-Cc-Parent`, `X-Cc-Child`, `X-Cc-Link`,
    /// `X-Cc-Part-Type`, `X-Cc-Retracts`, `X-Cc-Supersedes`, `X-Cc-Moderation` and `X-Cc-Work`, are ignored.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the date in unix seconds. There is no clock here: always set it. Default 0.
    ///
    /// Dates after the year 9999 are clamped to its last second.
    pub fn date(mut self, unix_seconds: u64) -> Self {
        self.date = unix_seconds;
        self
    }

    /// Sets the author's display name. Default empty.
    pub fn author_name(mut self, name: impl Into<String>) -> Self {
        self.author_name = name.into();
        self
    }

    /// Writes and signs the document.
    ///
    /// The result is not checked against any [`Limits`]: compare [`Document::len`] and
    /// [`Document::parts`] with the limits peers use before sending it.
    pub fn build(self, identity: &Identity) -> Document {
        let content = self.content_entity(identity.node_id());
        let signature = identity.sign(&envelope::signing_message(&content));
        let bytes = envelope::render(&content, &identity.public_key(), &signature);
        match Document::parse(Bytes::from(bytes), &Limits::unlimited()) {
            Ok(document) => document,
            Err(err) => panic!("DocumentBuilder wrote a document it cannot parse: {err}"),
        }
    }

    /// Writes the content entity: the signed inner MIME message.
    pub(super) fn content_entity(&self, author: NodeId) -> Vec<u8> {
        let inputs = Normalized::new(self);
        let fingerprint = inputs.fingerprint(&author);
        let part_boundary = format!("cc-part-{}", HEXLOWER.encode(&fingerprint[..16]));
        let message_id = format!("{}@{MAIL_DOMAIN}", HEXLOWER.encode(&fingerprint));
        let address = format!("{author}@{MAIL_DOMAIN}");

        let mut parts = Vec::new();
        if let Some((content_type, data)) = &inputs.body {
            parts.push(leaf_part(PART_CONTENT, content_type, None, data));
        }
        if let (Some(direction), Some(parent), Some(child)) =
            (inputs.link, inputs.parent, inputs.child)
        {
            let body = mime::link_body(&parent, &child, direction);
            let content_type = ContentType::normalize(LINK_CONTENT_TYPE);
            parts.push(leaf_part(PART_LINK, &content_type, None, body.as_bytes()));
        }
        for (filename, content_type, data) in &inputs.attachments {
            parts.push(leaf_part(
                PART_ATTACHMENT,
                content_type,
                Some(filename),
                data,
            ));
        }

        let author_name = (!inputs.author_name.is_empty()).then_some(inputs.author_name.as_str());
        let mut message = MessageBuilder::new()
            .message_id(MessageId::new(message_id))
            .date(Date::new(inputs.date as i64))
            .from(Address::new_address(author_name, address))
            .subject(Text::new(inputs.subject.as_str()));
        if let Some(parent) = inputs.parent {
            message = message.header("X-Cc-Parent", Raw::new(parent.to_string()));
        }
        if let Some(child) = inputs.child {
            message = message.header("X-Cc-Child", Raw::new(child.to_string()));
        }
        if let Some(direction) = inputs.link {
            message = message.header("X-Cc-Link", Raw::new(direction.as_str()));
        }
        match inputs.revision {
            Some(Revision::Retracts(target)) => {
                message = message.header("X-Cc-Retracts", Raw::new(target.to_string()));
            }
            Some(Revision::Supersedes(target)) => {
                message = message.header("X-Cc-Supersedes", Raw::new(target.to_string()));
            }
            None => {}
        }
        if let Some(decision) = inputs.moderation {
            message = message.header("X-Cc-Moderation", Raw::new(decision.header_value()));
        }
        if self.work_nonce {
            // Left out of the fingerprint: only its digits change from one attempt to the next.
            message = message.header(super::work::WORK_HEADER, Raw::new("0".repeat(16)));
        }
        for (name, value) in &inputs.headers {
            message = message.header(name.as_str(), Text::new(value.as_str()));
        }
        let root = MimePart {
            headers: vec![(
                "Content-Type".into(),
                BuilderContentType::new("multipart/mixed")
                    .attribute("boundary", part_boundary)
                    .into(),
            )],
            contents: BodyPart::Multipart(parts),
        };
        let mut out = Vec::new();
        message.body(root).serialize(&mut out);
        out
    }
}

/// A leaf part: always base64, so its bytes survive exactly whatever their type.
fn leaf_part(
    part_type: &'static str,
    content_type: &ContentType,
    filename: Option<&str>,
    data: &[u8],
) -> MimePart<'static> {
    let mut header = BuilderContentType::new(content_type.mime_type.clone());
    for (name, value) in &content_type.params {
        header = header.attribute(name.clone(), value.clone());
    }
    let mut headers: Vec<(std::borrow::Cow<'static, str>, HeaderType<'static>)> =
        vec![("Content-Type".into(), header.into())];
    if let Some(filename) = filename {
        headers.push((
            "Content-Disposition".into(),
            BuilderContentType::new("attachment")
                .attribute("filename", filename.to_owned())
                .into(),
        ));
    }
    headers.push(("X-Cc-Part-Type".into(), Raw::new(part_type).into()));
    headers.push((
        "Content-Transfer-Encoding".into(),
        Raw::new("base64").into(),
    ));
    MimePart {
        headers,
        contents: BodyPart::Binary(mime::encode_body(data).into()),
    }
}

/// The builder's fields after normalization: exactly what the parser will read back.
struct Normalized {
    subject: String,
    author_name: String,
    date: u64,
    parent: Option<DocId>,
    child: Option<DocId>,
    link: Option<LinkDirection>,
    revision: Option<Revision>,
    moderation: Option<Moderation>,
    headers: Vec<(String, String)>,
    body: Option<(ContentType, Bytes)>,
    attachments: Vec<(String, ContentType, Bytes)>,
}

impl Normalized {
    fn new(builder: &DocumentBuilder) -> Self {
        Normalized {
            subject: clean_text(&builder.subject),
            author_name: clean_text(&builder.author_name),
            date: builder.date.min(MAX_DATE),
            parent: builder.parent,
            child: builder.child,
            link: builder.link,
            revision: builder.revision.filter(|_| builder.link.is_none()),
            moderation: builder.moderation.filter(|decision| {
                builder.link.is_none()
                    && builder.revision.is_none()
                    && builder.parent.is_some()
                    && !matches!(decision, Moderation::Work(bits) if *bits > super::work::MAX_WORK_BITS)
            }),
            headers: builder
                .headers
                .iter()
                .filter_map(|(name, value)| Some((clean_header_name(name)?, clean_text(value))))
                .collect(),
            body: builder
                .body
                .as_ref()
                .map(|(content_type, data)| (ContentType::normalize(content_type), data.clone())),
            attachments: builder
                .attachments
                .iter()
                .map(|(filename, content_type, data)| {
                    (
                        clean_text(filename),
                        ContentType::normalize(content_type),
                        data.clone(),
                    )
                })
                .collect(),
        }
    }

    /// A hash of every input and the author, from which the boundary and Message-ID are derived.
    fn fingerprint(&self, author: &NodeId) -> [u8; 32] {
        let mut hasher = blake3::Hasher::new();
        let mut field = |bytes: &[u8]| {
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        };
        field(b"cliqueclique-content-v1");
        field(author.as_bytes());
        field(self.subject.as_bytes());
        field(self.author_name.as_bytes());
        field(&self.date.to_le_bytes());
        for id in [self.parent, self.child] {
            field(id.as_ref().map_or(&[][..], |id| id.as_bytes()));
        }
        field(
            self.link
                .map_or("", |direction| direction.as_str())
                .as_bytes(),
        );
        // Only present when set, so that documents without a revision keep their bytes.
        match self.revision {
            None => {}
            Some(Revision::Retracts(target)) => field(&[b"r", &target.as_bytes()[..]].concat()),
            Some(Revision::Supersedes(target)) => field(&[b"s", &target.as_bytes()[..]].concat()),
        }
        if let Some(decision) = self.moderation {
            field(&[b"m", decision.header_value().as_bytes()].concat());
        }
        field(&(self.headers.len() as u64).to_le_bytes());
        for (name, value) in &self.headers {
            field(name.as_bytes());
            field(value.as_bytes());
        }
        field(&[u8::from(self.body.is_some())]);
        if let Some((content_type, data)) = &self.body {
            field(content_type.render().as_bytes());
            field(data);
        }
        field(&(self.attachments.len() as u64).to_le_bytes());
        for (filename, content_type, data) in &self.attachments {
            field(filename.as_bytes());
            field(content_type.render().as_bytes());
            field(data);
        }
        *hasher.finalize().as_bytes()
    }
}
