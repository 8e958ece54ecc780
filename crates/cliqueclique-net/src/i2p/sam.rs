//! A small SAM v3 client: the line protocol an application speaks to a local I2P router (i2pd, Java I2P, emissary).
//!
//! Every exchange opens a TCP connection to the bridge and says `HELLO`; then
//!
//! - `DEST GENERATE` makes a destination's keys (once per installation);
//! - `SESSION CREATE STYLE=STREAM` attaches the destination to the router, which builds its tunnels; the
//!   connection that created the session is its *control socket*, and the session lives exactly as long;
//! - `STREAM CONNECT` and `STREAM ACCEPT` each turn a fresh connection into one I2P stream, outbound or inbound.
//!
//! Replies are single lines `TOPIC KIND KEY=VALUE …` (values may be quoted). Lines are read one byte at a time
//! from the socket before a stream starts, so no byte of the stream is consumed with the reply; every line is
//! bounded in length, and every command has a deadline.
//!
//! Why not the `yosemite` crate: its `Session::accept` borrows the session for the whole wait, so a dial would
//! wait for the next inbound stream; it only connects to a bridge on 127.0.0.1; and it does not expose the control
//! socket, so a dropped session would go unnoticed until the next dial. See `docs/transports.md` §11.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

use crate::error::SamError;

/// The longest reply line accepted: a destination's private keys in base64 are about 900 characters.
const MAX_LINE: usize = 8192;

/// The tunnel settings of a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TunnelOptions {
    /// Hops per tunnel, each direction.
    pub(crate) length: u8,
    /// Tunnels per direction.
    pub(crate) quantity: u8,
}

/// One connection to the bridge, after `HELLO`.
pub(crate) struct SamConnection {
    socket: TcpStream,
}

/// A parsed reply line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Reply {
    pub(crate) words: Vec<String>,
    pub(crate) values: BTreeMap<String, String>,
}

impl Reply {
    /// Splits `TOPIC KIND KEY=VALUE KEY="quoted value"`.
    pub(crate) fn parse(line: &str) -> Reply {
        let mut words = Vec::new();
        let mut values = BTreeMap::new();
        let mut rest = line.trim();
        while !rest.is_empty() {
            let end = token_end(rest);
            let token = &rest[..end];
            rest = rest[end..].trim_start();
            match token.split_once('=') {
                Some((key, value)) => {
                    let value = value
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .unwrap_or(value);
                    values.insert(key.to_owned(), value.to_owned());
                }
                None => words.push(token.to_owned()),
            }
        }
        Reply { words, values }
    }

    fn value(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }
}

/// The end of the first token of `text`: the first space outside double quotes.
fn token_end(text: &str) -> usize {
    let mut quoted = false;
    for (index, ch) in text.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            ' ' if !quoted => return index,
            _ => {}
        }
    }
    text.len()
}

impl SamConnection {
    /// Connects to the bridge and says `HELLO`.
    pub(crate) async fn open(bridge: &str, patience: Duration) -> Result<SamConnection, SamError> {
        let socket = match timeout(patience, TcpStream::connect(bridge)).await {
            Ok(Ok(socket)) => socket,
            Ok(Err(source)) => {
                return Err(SamError::Unreachable {
                    bridge: bridge.to_owned(),
                    source,
                });
            }
            Err(_) => return Err(timed_out("HELLO", patience)),
        };
        socket.set_nodelay(true)?;
        let mut connection = SamConnection { socket };
        let hello = connection
            .command("HELLO", "HELLO VERSION MIN=3.1 MAX=3.3\n", patience)
            .await;
        match hello {
            Err(SamError::Closed | SamError::Io(_)) => Err(SamError::Unreachable {
                bridge: bridge.to_owned(),
                source: std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "closed the connection on HELLO",
                ),
            }),
            Err(error) => Err(error),
            Ok(_) => Ok(connection),
        }
    }

    /// Sends `line` and reads the reply line.
    async fn exchange(
        &mut self,
        name: &'static str,
        line: &str,
        patience: Duration,
    ) -> Result<(String, Reply), SamError> {
        self.socket.write_all(line.as_bytes()).await?;
        let answer = timeout(patience, self.read_line())
            .await
            .map_err(|_| timed_out(name, patience))??;
        let reply = Reply::parse(&answer);
        Ok((answer, reply))
    }

    /// Sends `line` and reads the reply, which must be `RESULT=OK`.
    async fn command(
        &mut self,
        name: &'static str,
        line: &str,
        patience: Duration,
    ) -> Result<Reply, SamError> {
        let (answer, reply) = self.exchange(name, line, patience).await?;
        match reply.value("RESULT") {
            Some("OK") => Ok(reply),
            Some(result) => Err(SamError::Refused {
                command: name,
                result: result.to_owned(),
                message: reply.value("MESSAGE").map(str::to_owned),
            }),
            None => Err(unexpected(name, &answer)),
        }
    }

    /// Reads one line (without its end), one byte at a time so nothing after it is consumed.
    pub(crate) async fn read_line(&mut self) -> Result<String, SamError> {
        let mut line = Vec::new();
        loop {
            let byte = match self.socket.read_u8().await {
                Ok(byte) => byte,
                // Some bridges close the connection right after a refusal without ending the line.
                Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => {
                    if line.is_empty() {
                        return Err(SamError::Closed);
                    }
                    break;
                }
                Err(error) => return Err(error.into()),
            };
            if byte == b'\n' {
                break;
            }
            if line.len() >= MAX_LINE {
                return Err(SamError::LineTooLong { max: MAX_LINE });
            }
            line.push(byte);
        }
        String::from_utf8(line)
            .map_err(|e| unexpected("reading a reply", &String::from_utf8_lossy(e.as_bytes())))
    }

    /// Answers a `PING` from the bridge.
    pub(crate) async fn pong(&mut self, ping: &str) -> Result<(), SamError> {
        let text = ping.strip_prefix("PING").unwrap_or_default();
        self.socket
            .write_all(format!("PONG{text}\n").as_bytes())
            .await?;
        Ok(())
    }

    /// Ends the session this control socket created.
    pub(crate) async fn quit(&mut self) -> Result<(), SamError> {
        self.socket.write_all(b"QUIT\n").await?;
        self.socket.shutdown().await?;
        Ok(())
    }

    /// Makes a new destination (Ed25519 signatures) and returns its private keys.
    pub(crate) async fn generate_destination(
        mut self,
        patience: Duration,
    ) -> Result<String, SamError> {
        let name = "DEST GENERATE";
        let (answer, reply) = self
            .exchange(name, "DEST GENERATE SIGNATURE_TYPE=7\n", patience)
            .await?;
        // `DEST REPLY PUB=… PRIV=…`, without a RESULT unless it failed.
        if let Some(result) = reply.value("RESULT") {
            return Err(SamError::Refused {
                command: name,
                result: result.to_owned(),
                message: reply.value("MESSAGE").map(str::to_owned),
            });
        }
        reply
            .value("PRIV")
            .map(str::to_owned)
            .ok_or_else(|| unexpected(name, &answer))
    }

    /// Creates a stream session named `nickname` for the destination with `private_keys`; the tunnels are
    /// built before the bridge answers. The returned connection is the session's control socket.
    pub(crate) async fn create_session(
        mut self,
        nickname: &str,
        private_keys: &str,
        tunnels: TunnelOptions,
        patience: Duration,
    ) -> Result<SamConnection, SamError> {
        // Encryption type 4 (ECIES-X25519) only: the post-quantum default of some clients crashes i2pd 2.45.
        let line = format!(
            "SESSION CREATE STYLE=STREAM ID={nickname} DESTINATION={private_keys} SIGNATURE_TYPE=7 \
             i2cp.leaseSetEncType=4 inbound.length={length} outbound.length={length} \
             inbound.quantity={quantity} outbound.quantity={quantity}\n",
            length = tunnels.length,
            quantity = tunnels.quantity,
        );
        self.command("SESSION CREATE", &line, patience).await?;
        Ok(self)
    }

    /// Opens a stream from the session `nickname` to `destination` (a `NAME.b32.i2p`).
    pub(crate) async fn connect(
        mut self,
        nickname: &str,
        destination: &str,
        patience: Duration,
    ) -> Result<TcpStream, SamError> {
        let line = format!("STREAM CONNECT ID={nickname} DESTINATION={destination} SILENT=false\n");
        self.command("STREAM CONNECT", &line, patience).await?;
        Ok(self.socket)
    }

    /// Waits for a stream to the session `nickname`; returns it and the first line the bridge sends on it,
    /// the remote destination. Only the `STREAM STATUS` answer is bounded by `patience`.
    pub(crate) async fn accept(
        mut self,
        nickname: &str,
        patience: Duration,
    ) -> Result<(TcpStream, String), SamError> {
        let line = format!("STREAM ACCEPT ID={nickname} SILENT=false\n");
        self.command("STREAM ACCEPT", &line, patience).await?;
        let remote = self.read_line().await?;
        Ok((self.socket, remote))
    }
}

fn unexpected(command: &'static str, answer: &str) -> SamError {
    SamError::Unexpected {
        command,
        line: answer.chars().take(120).collect(),
    }
}

fn timed_out(command: &'static str, patience: Duration) -> SamError {
    SamError::Timeout {
        command,
        secs: patience.as_secs(),
    }
}
