//! Articles: a document shown as a news article (RFC 5536 headers over the MIME body as stored),
//! its overview line, single header fields for `HDR`, and the article a newsreader posts, read
//! back into a subject, a parent and a plain-text body.
//!
//! The body served is the document's MIME as stored, byte for byte: its one text part (base64,
//! under the part's own `Content-Type`) when that is all it has, else the content entity's
//! `multipart/mixed` body with every part; the other headers are
//! this server's: `Message-ID: <document id@cliqueclique>`, `References:` from the parent chain,
//! `From:` the author's name (or the user's petname for the key) with the key's fingerprint as
//! the address.

use crate::command::message_id;
use crate::time::rfc5322;
use cliqueclique_daemon::handle::{NewsArticle, NewsDocument};
use cliqueclique_doc::{DocId, Document};
use data_encoding::BASE64;

/// The fields of `LIST OVERVIEW.FMT`, in order: RFC 3977's seven, then `Xref` (which spares
/// newsreaders such as tin an `XHDR Xref` of every article).
pub const OVERVIEW_FMT: [&str; 8] = [
    "Subject:",
    "From:",
    "Date:",
    "Message-ID:",
    "References:",
    ":bytes",
    ":lines",
    "Xref:full",
];

/// The header fields `HDR` answers, as listed by `LIST HEADERS`.
pub const HDR_FIELDS: [&str; 9] = [
    "Subject",
    "From",
    "Date",
    "Message-ID",
    "References",
    "Newsgroups",
    "Xref",
    ":bytes",
    ":lines",
];

/// The path this server writes: articles come from no other news server.
const PATH: &str = "cliqueclique!not-for-mail";

/// A header value as 7-bit text: as is when it is ASCII without control characters, else one
/// RFC 2047 encoded word in UTF-8.
pub fn encode_header(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.is_ascii() {
        clean
    } else {
        format!("=?UTF-8?B?{}?=", BASE64.encode(clean.as_bytes()))
    }
}

/// The `From:` of an article: the name shown, quoted, and the author's fingerprint as the address.
pub fn from_header(article: &NewsArticle) -> String {
    let name = encode_header(&article.author_display).replace(['"', '\\'], "'");
    let address = format!(
        "{}@cliqueclique.invalid",
        article.row.info.author.fingerprint()
    );
    if name.is_empty() {
        address
    } else {
        format!("\"{name}\" <{address}>")
    }
}

/// The value of a header field (or metadata item) of an article, for `HDR` and the overview;
/// `None` for a field this server does not keep.
pub fn field(article: &NewsArticle, group: &str, name: &str) -> Option<String> {
    let row = &article.row;
    Some(match name.to_ascii_lowercase().as_str() {
        "subject" => encode_header(&row.info.subject),
        "from" => from_header(article),
        "date" => rfc5322(row.info.date),
        "message-id" => message_id(&row.info.doc),
        "references" => references(article),
        "newsgroups" => group.to_owned(),
        "xref" => format!("cliqueclique {group}:{}", row.number),
        ":bytes" => row.info.bytes.to_string(),
        ":lines" => row.info.lines.to_string(),
        _ => return None,
    })
}

fn references(article: &NewsArticle) -> String {
    article
        .references
        .iter()
        .map(message_id)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The overview line of an article (`OVER`): its number and the [`OVERVIEW_FMT`] fields, tab
/// separated, with tabs and line breaks in values turned into spaces.
pub fn overview_line(article: &NewsArticle, number: u64, group: &str) -> Vec<u8> {
    let mut line = number.to_string();
    for item in OVERVIEW_FMT {
        let (name, full) = match item.strip_suffix(":full") {
            Some(name) => (name, true),
            None => (item.trim_end_matches(':'), false),
        };
        let mut value = field(article, group, name).unwrap_or_default();
        if full {
            // A field after the seven carries its header's name (RFC 3977 §8.4.1).
            value = format!("{name}: {value}");
        }
        line.push('\t');
        line.extend(value.chars().map(|c| if c.is_control() { ' ' } else { c }));
    }
    line.into_bytes()
}

/// The header lines of an article.
pub fn head(doc: &NewsDocument) -> Vec<Vec<u8>> {
    let article = &doc.article;
    let (mime, _) = entity(&doc.document);
    let mut lines = vec![
        format!("Path: {PATH}"),
        format!("From: {}", from_header(article)),
        format!("Newsgroups: {}", doc.group),
        format!("Subject: {}", encode_header(&article.row.info.subject)),
        format!("Date: {}", rfc5322(article.row.info.date)),
        format!("Message-ID: {}", message_id(&article.row.info.doc)),
    ];
    if !article.references.is_empty() {
        lines.push(format!("References: {}", references(article)));
    }
    lines.push(format!(
        "Xref: cliqueclique {}:{}",
        doc.group, article.row.number
    ));
    lines.push("MIME-Version: 1.0".to_owned());
    lines.extend(mime);
    lines.into_iter().map(String::into_bytes).collect()
}

/// How many lines [`body`] has, for the overview's `:lines`.
pub fn body_lines(document: &Document) -> u64 {
    lines_of(document).len() as u64
}

/// The body lines of an article: its MIME body as stored, split at CRLF.
pub fn body(doc: &NewsDocument) -> Vec<Vec<u8>> {
    lines_of(&doc.document)
}

fn lines_of(document: &Document) -> Vec<Vec<u8>> {
    let (_, body) = entity(document);
    let mut lines: Vec<Vec<u8>> = body
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line).to_vec())
        .collect();
    if lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    lines
}

/// The MIME headers and body an article carries, read from the signed bytes: the content
/// entity's `multipart/mixed` body, or, for a document that is one text part and nothing
/// else, that part alone (its own `Content-Type` and base64 body, as stored), which every
/// newsreader shows without a multipart wrapper.
///
/// The envelope has one exact form (`FORMAT.md`): headers naming the boundary `B`, a blank
/// line, `--B` CRLF, the content entity, CRLF `--B`. A document that parsed has it.
fn entity(document: &Document) -> (Vec<String>, &[u8]) {
    let bytes: &[u8] = document.bytes();
    let fallback = (
        vec!["Content-Type: text/plain; charset=utf-8".to_owned()],
        &bytes[..0],
    );
    let Some((headers, body)) = delimited(bytes).map(split_entity) else {
        return fallback;
    };
    let parts = document.parts();
    let single_text = parts.len() == 1
        && parts[0].part_type == "content"
        && parts[0].content_type.starts_with("text/");
    if single_text && let Some((part_headers, part_body)) = delimited_part(body).map(split_entity) {
        let wanted = mime_headers(
            &part_headers,
            &["content-type", "content-transfer-encoding"],
        );
        if wanted.len() == 2 {
            return (wanted, part_body);
        }
    }
    let wanted = mime_headers(&headers, &["content-type"]);
    if wanted.is_empty() {
        return fallback;
    }
    (wanted, body)
}

/// The content entity between the envelope's first delimiter and the next.
fn delimited(bytes: &[u8]) -> Option<&[u8]> {
    let start = find(bytes, b"\r\n\r\n--")? + 4;
    between_delimiters(&bytes[start..])
}

/// The one part of a `multipart/mixed` body.
fn delimited_part(body: &[u8]) -> Option<&[u8]> {
    between_delimiters(body)
}

/// What follows a delimiter line `--X` up to the next CRLF `--X`.
fn between_delimiters(from: &[u8]) -> Option<&[u8]> {
    if !from.starts_with(b"--") {
        return None;
    }
    let line_end = find(from, b"\r\n")?;
    let delimiter = &from[..line_end];
    let content = &from[line_end + 2..];
    let mut closing = b"\r\n".to_vec();
    closing.extend_from_slice(delimiter);
    Some(match find(content, &closing) {
        Some(end) => &content[..end],
        None => content,
    })
}

/// An entity's header block (unfolded lines) and body.
fn split_entity(entity: &[u8]) -> (Vec<String>, &[u8]) {
    let (headers, body) = match find(entity, b"\r\n\r\n") {
        Some(split) => (&entity[..split], &entity[split + 4..]),
        None => (entity, &entity[entity.len()..]),
    };
    let headers = String::from_utf8_lossy(headers)
        .replace("\r\n ", " ")
        .replace("\r\n\t", " ");
    (headers.split("\r\n").map(str::to_owned).collect(), body)
}

/// The header lines named in `names`, in that order.
fn mime_headers(lines: &[String], names: &[&str]) -> Vec<String> {
    names
        .iter()
        .filter_map(|name| {
            lines.iter().find_map(|line| {
                let (n, value) = line.split_once(':')?;
                n.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| format!("{}: {}", n.trim(), value.trim()))
            })
        })
        .collect()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// An article a newsreader posted, read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posted {
    /// The groups of `Newsgroups:`.
    pub newsgroups: Vec<String>,
    /// The subject (decoded).
    pub subject: String,
    /// The documents of `References:` that are ours, oldest first.
    pub references: Vec<DocId>,
    /// `References:` named articles, ours or not.
    pub has_references: bool,
    /// The body as text with `\n` line ends.
    pub body: String,
}

/// Why a posted article was refused (441).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PostError {
    /// No blank line between headers and body, or a malformed header line.
    #[error("malformed article: {0}")]
    Malformed(&'static str),
    /// A required header is missing.
    #[error("the article has no {0} header")]
    Missing(&'static str),
    /// The body is not plain text this server can read.
    #[error("only plain text is accepted here: {0}")]
    Unsupported(String),
    /// The article is larger than the server takes.
    #[error("the article is larger than {0} bytes")]
    TooLarge(usize),
}

/// Reads a posted article from its lines (dot-unstuffed, without the terminating `.`).
pub fn parse_post(lines: &[Vec<u8>]) -> Result<Posted, PostError> {
    let blank = lines
        .iter()
        .position(|l| l.is_empty())
        .ok_or(PostError::Malformed("no blank line after the headers"))?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in &lines[..blank] {
        let text = String::from_utf8_lossy(line);
        if text.starts_with([' ', '\t']) {
            let last = headers.last_mut().ok_or(PostError::Malformed(
                "a continuation line before any header",
            ))?;
            last.1.push(' ');
            last.1.push_str(text.trim());
            continue;
        }
        let (name, value) = text
            .split_once(':')
            .ok_or(PostError::Malformed("a header line without a colon"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let get = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let newsgroups: Vec<String> = get("newsgroups")
        .ok_or(PostError::Missing("Newsgroups"))?
        .split(',')
        .map(|g| g.trim().to_owned())
        .filter(|g| !g.is_empty())
        .collect();
    if newsgroups.is_empty() {
        return Err(PostError::Missing("Newsgroups"));
    }
    let subject = decode_words(get("subject").ok_or(PostError::Missing("Subject"))?);
    let raw_references = get("references").unwrap_or_default();
    let references = raw_references
        .split_whitespace()
        .filter_map(|id| {
            id.strip_prefix('<')
                .and_then(|i| i.strip_suffix('>'))
                .and_then(crate::command::message_id_doc)
        })
        .collect();
    let content_type = get("content-type").unwrap_or("text/plain; charset=us-ascii");
    let mut params = content_type.split(';');
    let mime = params
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if mime != "text/plain" {
        return Err(PostError::Unsupported(format!("Content-Type {mime}")));
    }
    let charset = params
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
        .map(|(_, v)| v.trim().trim_matches('"').to_ascii_lowercase())
        .unwrap_or_else(|| "us-ascii".to_owned());
    let encoding = get("content-transfer-encoding")
        .unwrap_or("7bit")
        .to_ascii_lowercase();
    let mut raw = Vec::new();
    for (i, line) in lines[blank + 1..].iter().enumerate() {
        if i > 0 {
            raw.push(b'\n');
        }
        raw.extend_from_slice(line);
    }
    let decoded = match encoding.as_str() {
        "7bit" | "8bit" | "binary" => raw,
        "quoted-printable" => quoted_printable(&raw),
        "base64" => {
            let compact: Vec<u8> = raw
                .into_iter()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            BASE64
                .decode(&compact)
                .map_err(|_| PostError::Malformed("bad base64 body"))?
        }
        other => {
            return Err(PostError::Unsupported(format!(
                "Content-Transfer-Encoding {other}"
            )));
        }
    };
    let body = decode_charset(&charset, &decoded)
        .ok_or_else(|| PostError::Unsupported(format!("charset {charset}")))?;
    Ok(Posted {
        newsgroups,
        subject,
        references,
        has_references: !raw_references.trim().is_empty(),
        body: body.replace("\r\n", "\n"),
    })
}

fn decode_charset(charset: &str, bytes: &[u8]) -> Option<String> {
    match charset {
        "utf-8" | "utf8" | "us-ascii" | "ascii" => String::from_utf8(bytes.to_vec()).ok(),
        "iso-8859-1" | "latin1" | "iso-8859-15" => Some(bytes.iter().map(|&b| b as char).collect()),
        _ => None,
    }
}

fn quoted_printable(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'=' if raw.get(i + 1) == Some(&b'\n') => i += 2,
            b'=' if i + 2 < raw.len() => {
                let hex = std::str::from_utf8(&raw[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                    }
                    None => {
                        out.push(b'=');
                        i += 1;
                    }
                }
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// Decodes RFC 2047 encoded words (`=?charset?B|Q?text?=`) in a header value; anything it
/// cannot decode stays as it was.
pub fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut last_was_word = false;
    while let Some(start) = rest.find("=?") {
        let (before, from) = rest.split_at(start);
        let decoded = from[2..].splitn(3, '?').collect::<Vec<_>>();
        let word = (decoded.len() == 3)
            .then(|| {
                let (charset, kind, tail) = (decoded[0], decoded[1], decoded[2]);
                let end = tail.find("?=")?;
                let text = &tail[..end];
                let bytes = match kind {
                    "B" | "b" => BASE64.decode(text.as_bytes()).ok()?,
                    "Q" | "q" => quoted_printable(text.replace('_', " ").as_bytes()),
                    _ => return None,
                };
                let charset = charset
                    .split('*')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let consumed = 2 + charset.len() + 1 + kind.len() + 1 + end + 2;
                Some((decode_charset(&charset, &bytes)?, consumed))
            })
            .flatten();
        match word {
            Some((text, consumed)) => {
                // Whitespace between two encoded words is not part of the text.
                if !(last_was_word && before.trim().is_empty()) {
                    out.push_str(before);
                }
                out.push_str(&text);
                rest = &from[consumed.min(from.len())..];
                last_was_word = true;
            }
            None => {
                out.push_str(before);
                out.push_str("=?");
                rest = &from[2..];
                last_was_word = false;
            }
        }
    }
    out.push_str(rest);
    out
}
