//! The listener: accepts connections up to a limit, reads CRLF lines with a bounded length and
//! an idle timeout, feeds them to a [`Session`] and writes its answers.

use crate::backend::Installation;
use crate::response::Response;
use crate::session::{Access, Session};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// The server's limits.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Connections served at once; one more is told 400 and closed.
    pub max_connections: usize,
    /// A connection that sends nothing this long is closed.
    pub idle: Duration,
    /// The longest line read (article lines included), CRLF included.
    pub max_line: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 64,
            idle: Duration::from_secs(10 * 60),
            max_line: 16 * 1024,
        }
    }
}

/// Why a line could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    /// The line is longer than the limit.
    #[error("line longer than {0} bytes")]
    TooLong(usize),
    /// Nothing arrived in time.
    #[error("idle for too long")]
    Idle,
    /// The connection closed.
    #[error("connection closed")]
    Closed,
    /// The socket failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Serves NNTP on `listener` until the task is dropped.
pub async fn serve(
    listener: TcpListener,
    installation: Installation,
    public: bool,
    limits: Limits,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "NNTP accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let installation = installation.clone();
        let limits = limits.clone();
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            tokio::spawn(async move {
                let mut stream = stream;
                let busy = Response::new(400, "too many connections, try again later");
                let _ = stream.write_all(&busy.encode()).await;
            });
            continue;
        };
        tokio::spawn(async move {
            let _permit = permit;
            if let Err(error) = connection(stream, installation, public, &limits).await {
                tracing::debug!(%peer, %error, "NNTP connection ended");
            }
        });
    }
}

async fn connection(
    stream: TcpStream,
    installation: Installation,
    public: bool,
    limits: &Limits,
) -> Result<(), LineError> {
    let access = if public {
        Access::Accounts
    } else {
        Access::Local(installation.local_node().await.unwrap_or_default())
    };
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let (mut session, greeting) = Session::new(access);
    write.write_all(&greeting.encode()).await?;
    let mut line = Vec::new();
    loop {
        match read_line(&mut reader, &mut line, limits).await {
            Ok(()) => {}
            Err(LineError::TooLong(max)) => {
                let answer = Response::new(500, format!("line longer than {max} bytes"));
                write.write_all(&answer.encode()).await?;
                write.shutdown().await?;
                // Closing with unread input would reset the connection and could lose the
                // answer: read what is still coming for a moment first.
                let drain = async {
                    let mut sink = [0u8; 8192];
                    while matches!(reader.read(&mut sink).await, Ok(n) if n > 0) {}
                };
                let _ = tokio::time::timeout(Duration::from_secs(1), drain).await;
                return Err(LineError::TooLong(max));
            }
            Err(LineError::Idle) => {
                let answer = Response::new(400, "idle for too long, closing");
                let _ = write.write_all(&answer.encode()).await;
                return Err(LineError::Idle);
            }
            Err(other) => return Err(other),
        }
        let output = session.handle_line(&line, &installation).await;
        if let Some(response) = output.response {
            write.write_all(&response.encode()).await?;
        }
        if output.close {
            return Ok(());
        }
    }
}

/// Reads one line into `line`, without its line end (CRLF, or a bare LF).
pub(crate) async fn read_line(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    line: &mut Vec<u8>,
    limits: &Limits,
) -> Result<(), LineError> {
    line.clear();
    loop {
        let buffer = match tokio::time::timeout(limits.idle, reader.fill_buf()).await {
            Err(_) => return Err(LineError::Idle),
            Ok(read) => read?,
        };
        if buffer.is_empty() {
            return Err(LineError::Closed);
        }
        let (taken, done) = match buffer.iter().position(|&b| b == b'\n') {
            Some(end) => (end + 1, true),
            None => (buffer.len(), false),
        };
        line.extend_from_slice(&buffer[..taken]);
        reader.consume(taken);
        if line.len() > limits.max_line {
            return Err(LineError::TooLong(limits.max_line));
        }
        if done {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(());
        }
    }
}
