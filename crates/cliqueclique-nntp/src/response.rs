//! Responses (RFC 3977 §3.2): a status line of a three-digit code and text, and for multi-line
//! responses the data lines, dot-stuffed and ended by a line of a single `.`; every line ends
//! in CRLF.

/// One response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub code: u16,
    /// The text after the code.
    pub text: String,
    /// The data lines of a multi-line response (without CRLF, not yet dot-stuffed).
    pub lines: Option<Vec<Vec<u8>>>,
}

impl Response {
    /// A single-line response.
    pub fn new(code: u16, text: impl Into<String>) -> Response {
        Response {
            code,
            text: text.into(),
            lines: None,
        }
    }

    /// A multi-line response.
    pub fn multi(code: u16, text: impl Into<String>, lines: Vec<Vec<u8>>) -> Response {
        Response {
            code,
            text: text.into(),
            lines: Some(lines),
        }
    }

    /// The bytes on the wire.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = format!("{} {}\r\n", self.code, self.text).into_bytes();
        if let Some(lines) = &self.lines {
            for line in lines {
                if line.first() == Some(&b'.') {
                    out.push(b'.');
                }
                out.extend_from_slice(line);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b".\r\n");
        }
        out
    }
}
