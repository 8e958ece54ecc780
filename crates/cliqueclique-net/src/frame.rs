//! Length-prefixed frames: a `u32` big-endian byte count, then that many bytes.
//!
//! Every byte that crosses a stream is inside a frame: the three Noise handshake messages,
//! then one frame per session message (see [`session`](crate::session)).
//! The reader checks the announced length against its maximum *before* reading or allocating the body,
//! grows its buffer only as bytes actually arrive (so a peer that announces a large frame and then
//! stalls costs little), and never holds more than the maximum.
//!
//! [`FrameReader::read_frame`] is cancel-safe: it keeps partial progress in the reader,
//! so it can sit in a `select!` or under a timeout without losing bytes.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::error::FrameError;

/// The size of the length prefix.
pub const HEADER_BYTES: usize = 4;

/// The buffer grows by at most this much per read, so memory follows the bytes received.
const GROWTH: usize = 64 * 1024;

/// Reads frames from a byte stream, tolerating partial reads.
#[derive(Debug)]
pub struct FrameReader<R> {
    inner: R,
    max: usize,
    header: [u8; HEADER_BYTES],
    header_len: usize,
    /// The announced body length, once the header is complete.
    body_len: Option<usize>,
    /// The body buffer; only its first `filled` bytes are data (the rest is zeroed room for the next read).
    body: Vec<u8>,
    filled: usize,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    /// A reader refusing frames whose body is longer than `max` bytes.
    pub fn new(inner: R, max: usize) -> FrameReader<R> {
        FrameReader {
            inner,
            max,
            header: [0; HEADER_BYTES],
            header_len: 0,
            body_len: None,
            body: Vec::new(),
            filled: 0,
        }
    }

    /// Changes the maximum for frames whose header has not been read yet.
    pub fn set_max(&mut self, max: usize) {
        self.max = max;
    }

    /// The maximum body length in force.
    pub fn max(&self) -> usize {
        self.max
    }

    /// The underlying stream.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// Reads the next frame's body.
    ///
    /// Errors: [`FrameError::TooLarge`] as soon as the header announces more than the maximum,
    /// [`FrameError::Closed`] when the stream ends between frames, [`FrameError::Truncated`] when it
    /// ends inside one. After an error the stream position is undefined: drop the reader.
    pub async fn read_frame(&mut self) -> Result<Vec<u8>, FrameError> {
        loop {
            let Some(len) = self.body_len else {
                let n = self.inner.read(&mut self.header[self.header_len..]).await?;
                if n == 0 {
                    return Err(if self.header_len == 0 {
                        FrameError::Closed
                    } else {
                        FrameError::Truncated
                    });
                }
                self.header_len += n;
                if self.header_len == HEADER_BYTES {
                    let len = u32::from_be_bytes(self.header) as usize;
                    if len > self.max {
                        return Err(FrameError::TooLarge { len, max: self.max });
                    }
                    self.body_len = Some(len);
                    self.body = Vec::with_capacity(len.min(GROWTH));
                }
                continue;
            };
            let filled = self.filled;
            if filled == len {
                self.header_len = 0;
                self.body_len = None;
                self.filled = 0;
                let mut body = std::mem::take(&mut self.body);
                body.truncate(len);
                return Ok(body);
            }
            // Grow by at most GROWTH at a time, never beyond the announced (and checked) length.
            // If this future is dropped during the read, `filled` still tells how much is data.
            let target = len.min(filled + GROWTH);
            if self.body.len() < target {
                self.body.resize(target, 0);
            }
            let n = self.inner.read(&mut self.body[filled..target]).await?;
            if n == 0 {
                return Err(FrameError::Truncated);
            }
            self.filled += n;
        }
    }
}

/// Writes one frame: the length of `body`, then `body`.
///
/// Refuses (before writing anything) a body longer than `max` or than `u32::MAX`.
pub async fn write_frame<W: AsyncWrite + Unpin>(
    writer: &mut W,
    body: &[u8],
    max: usize,
) -> Result<(), FrameError> {
    let header = header(body.len(), max)?;
    let mut buf = Vec::with_capacity(HEADER_BYTES + body.len());
    buf.extend_from_slice(&header);
    buf.extend_from_slice(body);
    writer.write_all(&buf).await?;
    writer.flush().await?;
    Ok(())
}

/// The length prefix of a body of `len` bytes, if it is within `max`.
pub fn header(len: usize, max: usize) -> Result<[u8; HEADER_BYTES], FrameError> {
    match u32::try_from(len) {
        Ok(len32) if len <= max => Ok(len32.to_be_bytes()),
        _ => Err(FrameError::TooLarge { len, max }),
    }
}
