//! MIME details shared by the builder and the parser, so both sides agree on every normalization.
//!
//! The builder normalizes what the caller gives (text, header names, content types),
//! and the parser renders what it reads with the same functions,
//! so a built document parses back to exactly the normalized input.

use mail_parser::MessageParser;

/// The e-mail domain of author addresses and Message-IDs; `.invalid` is reserved and never resolves.
pub(crate) const MAIL_DOMAIN: &str = "cliqueclique.invalid";

/// The content type of the part that describes a link.
pub(crate) const LINK_CONTENT_TYPE: &str = "application/x-cliqueclique-link";

/// The structural headers, which [`DocumentBuilder::header`](super::DocumentBuilder::header) may not set.
pub(crate) const RESERVED_HEADERS: [&str; 8] = [
    "X-Cc-Parent",
    "X-Cc-Child",
    "X-Cc-Link",
    "X-Cc-Part-Type",
    "X-Cc-Retracts",
    "X-Cc-Supersedes",
    "X-Cc-Moderation",
    "X-Cc-Work",
];

/// The latest date a document can carry: 9999-12-31T23:59:59Z, the end of four-digit years.
pub(crate) const MAX_DATE: u64 = 253_402_300_799;

/// Makes free text safe and stable for a header: control characters become spaces,
/// runs of whitespace become one space, and leading and trailing whitespace is removed.
pub(crate) fn clean_text(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|ch| if ch.is_control() { ' ' } else { ch })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Turns a caller's header name into an `X-` header name of letters, digits and dashes,
/// or `None` if nothing usable is left or the name is reserved.
pub(crate) fn clean_header_name(name: &str) -> Option<String> {
    let kept: String = name
        .chars()
        .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '-')
        .collect();
    let kept = kept.trim_matches('-');
    if kept.is_empty() {
        return None;
    }
    let name = if kept.len() >= 2 && kept[..2].eq_ignore_ascii_case("X-") {
        kept.to_owned()
    } else {
        format!("X-{kept}")
    };
    if RESERVED_HEADERS
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(&name))
    {
        return None;
    }
    Some(name)
}

/// A content type as the document format stores it: lower-case `type/subtype` and its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ContentType {
    /// Lower-case `type/subtype`.
    pub mime_type: String,
    /// Parameters with lower-case names and non-empty values, in order, without duplicates.
    pub params: Vec<(String, String)>,
}

impl ContentType {
    fn octet_stream() -> Self {
        ContentType {
            mime_type: "application/octet-stream".into(),
            params: Vec::new(),
        }
    }

    /// Parses and normalizes a caller's content type string.
    ///
    /// Anything unusable, and any `multipart/*` type (parts are opaque here), becomes `application/octet-stream`.
    pub(crate) fn normalize(input: &str) -> Self {
        let input: String = input
            .chars()
            .map(|ch| if ch.is_control() { ' ' } else { ch })
            .collect();
        let header = format!("Content-Type: {input}\r\n\r\n");
        let parsed = MessageParser::new().parse_headers(header.as_bytes());
        let Some(content_type) = parsed.as_ref().and_then(|message| {
            message
                .root_part()
                .headers
                .iter()
                .find_map(|header| header.value.as_content_type())
        }) else {
            return Self::octet_stream();
        };
        Self::from_parsed(content_type)
    }

    /// Normalizes a content type read by mail-parser, the same way [`ContentType::normalize`] does.
    pub(crate) fn from_parsed(content_type: &mail_parser::ContentType<'_>) -> Self {
        let main = content_type.ctype().to_ascii_lowercase();
        let Some(sub) = content_type.subtype().map(str::to_ascii_lowercase) else {
            return Self::octet_stream();
        };
        if !is_token(&main) || !is_token(&sub) || main == "multipart" {
            return Self::octet_stream();
        }
        let mut params: Vec<(String, String)> = Vec::new();
        for attribute in content_type.attributes().unwrap_or_default() {
            let name = attribute.name.to_ascii_lowercase();
            let value = clean_text(&attribute.value);
            if is_token(&name)
                && !value.is_empty()
                && !params.iter().any(|(known, _)| *known == name)
            {
                params.push((name, value));
            }
        }
        ContentType {
            mime_type: format!("{main}/{sub}"),
            params,
        }
    }

    /// The normalized text form: `type/subtype; name=value; name="quoted value"`.
    pub(crate) fn render(&self) -> String {
        let mut out = self.mime_type.clone();
        for (name, value) in &self.params {
            out.push_str("; ");
            out.push_str(name);
            out.push('=');
            if is_token(value) {
                out.push_str(value);
            } else {
                out.push('"');
                for ch in value.chars() {
                    if ch == '"' || ch == '\\' {
                        out.push('\\');
                    }
                    out.push(ch);
                }
                out.push('"');
            }
        }
        out
    }

    /// Whether the type is `text/*`.
    pub(crate) fn is_text(&self) -> bool {
        self.mime_type.starts_with("text/")
    }

    /// The value of parameter `name` (lower-case).
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(known, _)| known == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Whether `text` is a non-empty RFC 2045 token.
fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|byte| byte.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&byte))
}

/// Decodes `data` as text in the charset of `content_type`, if it is `text/*`.
pub(crate) fn decode_text(content_type: &ContentType, data: &[u8]) -> Option<String> {
    if !content_type.is_text() {
        return None;
    }
    let charset = content_type
        .param("charset")
        .unwrap_or("utf-8")
        .to_ascii_lowercase();
    match charset.as_str() {
        "utf-8" | "utf8" | "us-ascii" | "ascii" => String::from_utf8(data.to_vec()).ok(),
        other => match mail_parser::decoders::charsets::map::charset_decoder(other.as_bytes()) {
            Some(decoder) => Some(decoder(data)),
            None => String::from_utf8(data.to_vec()).ok(),
        },
    }
}

/// Encodes a part body as MIME base64: 76-character lines separated by CRLF.
///
/// The last line has no CRLF of its own: the one before the next boundary delimiter belongs to the delimiter.
pub(crate) fn encode_body(data: &[u8]) -> Vec<u8> {
    let mut encoded = data_encoding::BASE64_MIME.encode(data).into_bytes();
    if encoded.ends_with(b"\r\n") {
        encoded.truncate(encoded.len() - 2);
    }
    encoded
}

/// Decodes a base64 part body, ignoring line breaks and other whitespace.
pub(crate) fn decode_body(raw: &[u8]) -> Option<Vec<u8>> {
    let compact: Vec<u8> = raw
        .iter()
        .copied()
        .filter(|byte| !byte.is_ascii_whitespace())
        .collect();
    data_encoding::BASE64.decode(&compact).ok()
}

/// The body of a link part, which repeats the structural headers so the part stands on its own.
pub(crate) fn link_body(
    parent: &crate::DocId,
    child: &crate::DocId,
    direction: super::LinkDirection,
) -> String {
    format!(
        "parent: {parent}\r\nchild: {child}\r\ndirection: {}\r\n",
        direction.as_str()
    )
}
