//! The fuzz targets of cliqueclique: one function per decoder that an outsider reaches, taking arbitrary bytes.
//!
//! Each function feeds its input to the decoder and asserts the decoder's contract: it returns (a typed error
//! for bad input, never a panic), and where it is cheap, what decodes re-encodes to something that decodes the
//! same. A panic inside a function is a bug, in the decoder or in the contract.
//!
//! The functions live in this ordinary workspace crate so that two things run them:
//!
//! - `fuzz/` (outside the workspace, built by `cargo fuzz` with libFuzzer's instrumentation) has one target per
//!   function that only calls it; `scripts/fuzz` runs them.
//! - `tests/corpus.rs` replays every committed input of `fuzz/corpus/TARGET/` through the same function in the
//!   normal test suite, so the seeds and every crash once found stay regression tests without cargo-fuzz.
//!
//! [`TARGETS`] names them all; the names are the fuzz targets' and the corpus directories'.

use std::pin::pin;
use std::str::FromStr;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use cliqueclique_doc::{ContactCard, DocId, Document, Export, Identity, Limits};
use cliqueclique_net::frame::{FrameReader, HEADER_BYTES, header};
use cliqueclique_net::{FrameError, PeerAddress, SessionMessage};
use cliqueclique_proto::{Batch, Part};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A target: it takes any bytes and panics only when a contract does not hold.
pub type Target = fn(&[u8]);

/// Every target, by name.
pub const TARGETS: &[(&str, Target)] = &[
    ("frame", frame),
    ("batch", batch),
    ("document", document),
    ("export", export),
    ("card", card),
    ("sam", sam),
    ("query", query),
    ("name", name),
    ("api", api),
    ("form", form),
    ("render", render),
];

/// The frame limit the frame target reads with: small, so that oversize headers are common.
const FRAME_MAX: usize = 4096;

/// The batch limit of the session manager's default (`max_message_bytes`).
const BATCH_MAX: usize = 1024 * 1024 + 64 * 1024;

/// A fixed identity that signs fuzz input as an outsider with a key of their own would.
fn outsider() -> &'static Identity {
    static IDENTITY: OnceLock<Identity> = OnceLock::new();
    IDENTITY.get_or_init(|| Identity::from_secret_bytes([7; 32]))
}

/// A stream of frames (`docs/transports.md` §3), each decoded as a session message (§6).
///
/// The reader reads from the input until it ends or errs; the frames it returns, re-framed, are exactly the
/// bytes it consumed, and an error is `Closed` only at a frame boundary at the end, `TooLarge` only for a header
/// over the limit.
pub fn frame(data: &[u8]) {
    let mut reader = FrameReader::new(data, FRAME_MAX);
    let mut consumed = 0;
    loop {
        let poll = {
            let mut read = pin!(reader.read_frame());
            read.as_mut().poll(&mut Context::from_waker(Waker::noop()))
        };
        // A slice never waits.
        let Poll::Ready(result) = poll else {
            panic!("reading frames from a slice returned Pending")
        };
        match result {
            Ok(body) => {
                let prefix =
                    header(body.len(), FRAME_MAX).expect("a frame read is within the limit");
                assert_eq!(&data[consumed..consumed + HEADER_BYTES], &prefix);
                consumed += HEADER_BYTES;
                assert_eq!(&data[consumed..consumed + body.len()], &body[..]);
                consumed += body.len();
                session_message(&body);
            }
            Err(FrameError::Closed) => {
                assert_eq!(consumed, data.len(), "Closed inside the input");
                break;
            }
            Err(FrameError::TooLarge { len, max }) => {
                assert!(len > max);
                break;
            }
            Err(FrameError::Truncated) => break,
            Err(other) => panic!("reading a slice failed with {other:?}"),
        }
    }
}

/// One session message, and what it carries.
fn session_message(bytes: &[u8]) {
    let Ok(message) = SessionMessage::decode(bytes) else {
        return;
    };
    assert_eq!(
        SessionMessage::decode(&message.encode()).as_ref(),
        Ok(&message)
    );
    match &message {
        SessionMessage::Batch(bytes) => batch(bytes),
        SessionMessage::LookupReply { cards, .. } => cards.iter().for_each(card_contract),
        SessionMessage::Hello { .. }
        | SessionMessage::Lookup { .. }
        | SessionMessage::Ping
        | SessionMessage::Pong => {}
    }
}

/// An encoded batch (`Batch::decode`), and the documents and cards its parts carry.
pub fn batch(data: &[u8]) {
    let Ok(decoded) = Batch::decode(data, BATCH_MAX) else {
        return;
    };
    let encoded = decoded.encode();
    assert_eq!(decoded.encoded_len(), encoded.len());
    assert_eq!(Batch::decode(&encoded, BATCH_MAX).as_ref(), Ok(&decoded));
    for part in &decoded.parts {
        match part {
            Part::Update {
                doc,
                body: Some(body),
                ..
            } => {
                if let Ok(parsed) = Document::parse_expecting(doc, body.clone(), &Limits::default())
                {
                    document_contract(&parsed);
                }
            }
            Part::Decline { suggestions, .. } | Part::Goodbye { suggestions, .. } => {
                suggestions.iter().for_each(card_contract)
            }
            Part::Heirs { cards, .. } | Part::Deputies { cards, .. } => {
                cards.iter().for_each(card_contract)
            }
            Part::Introduce { card, .. } | Part::Card { card } | Part::Center { card, .. } => {
                card_contract(card)
            }
            _ => {}
        }
    }
}

/// A document's bytes (`Document::parse`), and the same bytes as the content entity of a validly signed
/// envelope, which reaches the MIME parser behind the signature check.
pub fn document(data: &[u8]) {
    for bytes in [
        Bytes::copy_from_slice(data),
        Bytes::from(Document::sign_raw_content(outsider(), data)),
    ] {
        if let Ok(parsed) = Document::parse(bytes.clone(), &Limits::default()) {
            assert_eq!(parsed.bytes(), &bytes);
            document_contract(&parsed);
        }
    }
}

/// What holds for every document that parsed: its bytes parse again to the same document, its accessors
/// answer, and the directory reads it without failing.
fn document_contract(parsed: &Document) {
    assert_eq!(parsed.id(), DocId::of(parsed.bytes()));
    let again = Document::parse(parsed.bytes().clone(), &Limits::default())
        .expect("a parsed document parses again");
    assert_eq!(again.id(), parsed.id());
    assert_eq!(again.subject(), parsed.subject());
    let _ = (
        parsed.author_name(),
        parsed.date(),
        parsed.semantic_parent(),
        parsed.semantic_child(),
        parsed.content_type(),
        parsed.body(),
        parsed.body_text(),
        parsed.attachments(),
        parsed.parts(),
        parsed.revision(),
        parsed.moderation(),
    );
    let _ = cliqueclique_dir::Entry::of(parsed);
}

/// An export file (`Export::from_bytes`): a card, a signature and a document.
pub fn export(data: &[u8]) {
    if let Ok(export) = Export::from_bytes(data, &Limits::default()) {
        assert_eq!(export.exporter.verify(), Ok(()));
        document_contract(&export.document);
    }
}

/// A contact card in postcard, as session messages, batches and exports carry it, and the input as an address.
pub fn card(data: &[u8]) {
    if let Ok(card) = postcard::from_bytes::<ContactCard>(data) {
        let encoded = postcard::to_stdvec(&card).expect("encoding a card into a Vec cannot fail");
        assert_eq!(
            postcard::from_bytes::<ContactCard>(&encoded).as_ref(),
            Ok(&card)
        );
        card_contract(&card);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        address_contract(text);
    }
}

/// What holds for every decoded card: verifying it answers, and its addresses parse or are refused.
fn card_contract(card: &ContactCard) {
    let _ = card.verify();
    card.addresses.iter().for_each(|a| address_contract(a));
}

/// A peer address either is refused or prints in the canonical form that parses back to itself.
fn address_contract(text: &str) {
    if let Ok(address) = PeerAddress::from_str(text) {
        let printed = address.to_string();
        assert_eq!(PeerAddress::from_str(&printed).as_ref(), Ok(&address));
        assert_eq!(
            PeerAddress::from_str(&printed).map(|a| a.to_string()),
            Ok(printed)
        );
    }
}

/// A line from a SAM bridge: the reply split into words and values, and any destination keys in it.
pub fn sam(data: &[u8]) {
    let line = String::from_utf8_lossy(data);
    let (words, values) = cliqueclique_net::i2p::parse_sam_reply(&line);
    assert!(words.iter().all(|w| !w.is_empty() && !w.contains('=')));
    for text in values.values().map(String::as_str).chain([&*line]) {
        if let Ok(keys) = cliqueclique_net::i2p::DestinationKeys::from_private(text) {
            assert_eq!(keys.name().len(), 52);
            assert!(
                keys.name()
                    .bytes()
                    .all(|b| matches!(b, b'a'..=b'z' | b'2'..=b'7'))
            );
        }
    }
}

/// A query (`cliqueclique_query::parse`): what parses prints as canonical text that parses to the same query.
pub fn query(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = cliqueclique_query::parse(text) {
        let canonical = parsed.to_string();
        if canonical.chars().count() <= cliqueclique_query::MAX_QUERY_CHARS {
            assert_eq!(cliqueclique_query::parse(&canonical).as_ref(), Ok(&parsed));
        }
    }
}

/// A directory name or prefix as a user types it: a name is normalized once and for all.
pub fn name(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(name) = cliqueclique_dir::Name::new(text) {
        assert_eq!(
            cliqueclique_dir::Name::new(name.as_str()).as_ref(),
            Ok(&name)
        );
        assert_eq!(
            cliqueclique_dir::prefix_key(name.key()).as_deref(),
            Ok(name.key())
        );
    }
    let _ = cliqueclique_dir::prefix_key(text);
}

/// A body of the JSON API: the first byte picks the type a route deserializes, the rest is the body (JSON, or
/// the query string of the GET routes).
pub fn api(data: &[u8]) {
    use cliqueclique_daemon::api;
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    match which % 8 {
        0 => {
            if let Some(post) = json::<api::NewPost>(body) {
                let _ = post.check();
            }
        }
        1 => drop(json::<api::CreateNode>(body)),
        2 => drop(json::<api::FlagsChange>(body)),
        3 => drop(json::<api::JoinRequest>(body)),
        4 => drop(json::<api::NewDirectory>(body)),
        5 => drop(json::<api::PublishName>(body)),
        6 => drop(serde_urlencoded::from_bytes::<api::ListNames>(body)),
        _ => drop(serde_urlencoded::from_bytes::<api::SearchRequest>(body)),
    }
}

/// Deserializes JSON as the API's extractor does; what decodes re-encodes to JSON that decodes the same.
fn json<T: Serialize + DeserializeOwned>(body: &[u8]) -> Option<T> {
    let value: T = serde_json::from_slice(body).ok()?;
    let encoded = serde_json::to_vec(&value).expect("encoding to JSON cannot fail");
    let again: T = serde_json::from_slice(&encoded).expect("what encoded decodes");
    assert_eq!(
        serde_json::to_value(&value).ok(),
        serde_json::to_value(&again).ok()
    );
    Some(value)
}

/// A form or query string of the web UI: the first byte picks the type a page deserializes (as axum's `Form`
/// and `Query` do, with `serde_urlencoded`); the rest is also tried as a document id, as pages read them.
pub fn form(data: &[u8]) {
    use cliqueclique_web::pages::{account, compose, directory, document, join, search};
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    fn try_form<T: DeserializeOwned>(body: &[u8]) {
        let _ = serde_urlencoded::from_bytes::<T>(body);
    }
    match which % 15 {
        0 => try_form::<account::Credentials>(body),
        1 => try_form::<account::CsrfOnly>(body),
        2 => try_form::<account::PasswordChange>(body),
        3 => try_form::<account::RegistrationForm>(body),
        4 => try_form::<compose::ComposeQuery>(body),
        5 => try_form::<compose::LinkForm>(body),
        6 => try_form::<compose::ForwardForm>(body),
        7 => try_form::<directory::CreateForm>(body),
        8 => try_form::<directory::BrowseQuery>(body),
        9 => try_form::<directory::PublishForm>(body),
        10 => try_form::<document::FlagForm>(body),
        11 => try_form::<document::ThreadQuery>(body),
        12 => try_form::<document::CsrfForm>(body),
        13 => try_form::<join::JoinForm>(body),
        _ => try_form::<search::SearchQuery>(body),
    }
    if let Ok(text) = std::str::from_utf8(body) {
        let _ = cliqueclique_web::pages::parse_doc(text);
    }
}

/// A document body rendered for a page (`render::body_html`): the first byte picks the content type. No script
/// element, event handler or `javascript:` link survives, whatever the body.
pub fn render(data: &[u8]) {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let content_type = match which % 4 {
        0 => "text/plain; charset=utf-8",
        1 => "text/markdown; charset=utf-8",
        2 => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    };
    let body = String::from_utf8_lossy(body);
    check_html(&cliqueclique_web::render::body_html(
        content_type,
        Some(&body),
    ));
}

/// Panics if `html` has a script element, an event handler or a `javascript:` link.
fn check_html(html: &str) {
    for tag in tags(html) {
        let tag = tag.to_ascii_lowercase();
        assert!(!tag.starts_with("<script"), "script element in {html}");
        // The serializer quotes every attribute value with `"` and escapes `"` inside: outside the quotes are
        // the names, inside the values.
        let pieces: Vec<&str> = tag.split('"').collect();
        for (index, piece) in pieces.iter().enumerate() {
            if index % 2 == 0 {
                let names = piece.split(|c: char| c.is_whitespace() || c == '=');
                assert!(
                    names.skip(1).all(|name| !name.starts_with("on")),
                    "event handler in {html}"
                );
            } else {
                let name = pieces[index - 1].trim_end_matches('=').rsplit(' ').next();
                if matches!(name, Some("href" | "src" | "action" | "formaction")) {
                    assert!(
                        !piece.trim_start().starts_with("javascript:"),
                        "javascript URL in {html}"
                    );
                }
            }
        }
    }
}

/// The tags of serialized HTML: every `<` outside attribute values starts one (text escapes its own).
fn tags(html: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let mut quoted = false;
        let tail = &rest[start..];
        let end = tail
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map_or(tail.len(), |(i, _)| i + 1);
        tags.push(&tail[..end]);
        rest = &tail[end..];
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::check_html;

    #[test]
    fn the_render_check_accepts_text_that_looks_like_markup() {
        check_html("<p>href=\"javascript:x\" onclick=x &lt;script&gt;</p>");
        check_html("<a href=\"https://example.org/?q=javascript:x\" title=\" onclick=x\">a</a>");
    }

    #[test]
    #[should_panic(expected = "script element")]
    fn the_render_check_finds_a_script() {
        check_html("<p>a</p><SCRIPT>x</SCRIPT>");
    }

    #[test]
    #[should_panic(expected = "event handler")]
    fn the_render_check_finds_an_event_handler() {
        check_html("<img src=\"a.png\" onerror=\"x()\">");
    }

    #[test]
    #[should_panic(expected = "javascript URL")]
    fn the_render_check_finds_a_javascript_link() {
        check_html("<a title=\"t\" href=\" javascript:x()\">a</a>");
    }
}
