//! The I2P transport behind the [`Transport`] and [`Listener`] traits: I2P streams through a SAM bridge.
//!
//! [`I2p::start`] loads the installation's destination keys (or has the bridge make them once, then keeps them
//! in the key file), starts the supervisors of the listening and the dialing session and an accept task, and
//! returns the handle with its [`I2pTransport`] (dials `i2p://` addresses through the dialing session) and
//! [`I2pListener`] (hands over the streams that reach the installation's destination). Both wait for their
//! session while it is being built or rebuilt; the manager's dial timeout bounds a dial.

use std::io;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::timeout;

use super::config::I2pConfig;
use super::destination::DestinationKeys;
use super::sam::SamConnection;
use super::session::{Role, Shared, StreamGuard, supervise};
use crate::address::PeerAddress;
use crate::error::{DialError, I2pError, SamError};
use crate::status::TransportStatus;
use crate::transport::{Accepted, BoxFuture, Listener, Stream, Transport};

/// Inbound streams waiting for the session manager's accept task.
const ACCEPTED_CAPACITY: usize = 16;
/// The pause after a failed accept, so that a broken bridge is not hammered.
const ACCEPT_PAUSE: Duration = Duration::from_secs(1);

/// A running I2P transport: the supervisors of its two SAM sessions and its accept task.
///
/// Dropping it (or [`I2p::shutdown`]) closes the sessions.
#[derive(Debug)]
pub struct I2p {
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    tasks: std::sync::Mutex<Vec<JoinHandle<()>>>,
}

impl I2p {
    /// Starts the transport on the SAM bridge at `bridge` (`HOST:PORT`), with the destination kept in
    /// `key_file`. Must be called inside a tokio runtime.
    ///
    /// Fails only when there is no key file yet and the bridge cannot make a destination, or the key file
    /// cannot be used: with keys, an unreachable bridge is reported in the status and retried.
    pub async fn start(
        config: I2pConfig,
        bridge: String,
        key_file: &Path,
    ) -> Result<(I2p, I2pTransport, I2pListener), I2pError> {
        let keys = match DestinationKeys::load(key_file)? {
            Some(keys) => keys,
            None => {
                let connection = SamConnection::open(&bridge, config.command_timeout)
                    .await
                    .map_err(I2pError::Generate)?;
                let private = connection
                    .generate_destination(config.command_timeout)
                    .await
                    .map_err(I2pError::Generate)?;
                let keys = DestinationKeys::from_private(&private).map_err(I2pError::Generate)?;
                keys.save(key_file)?;
                tracing::info!("made this installation's I2P address {}", keys.address());
                keys
            }
        };
        let closed_file = key_file.with_extension("closed");
        let shared = Arc::new(Shared::new(bridge, keys, closed_file, config));
        let (stop, stopped) = watch::channel(false);
        let (accepted_tx, accepted) = mpsc::channel(ACCEPTED_CAPACITY);
        let tasks = vec![
            tokio::spawn(supervise(shared.clone(), Role::Listening, stopped.clone())),
            tokio::spawn(supervise(shared.clone(), Role::Dialing, stopped.clone())),
            tokio::spawn(accept_loop(shared.clone(), accepted_tx, stopped)),
        ];
        let i2p = I2p {
            shared: shared.clone(),
            stop,
            tasks: std::sync::Mutex::new(tasks),
        };
        let transport = I2pTransport {
            shared: shared.clone(),
        };
        let listener = I2pListener { shared, accepted };
        Ok((i2p, transport, listener))
    }

    /// This installation's I2P address, `i2p://NAME.b32.i2p`.
    pub fn address(&self) -> PeerAddress {
        self.shared.keys.address()
    }

    /// The SAM bridge's address.
    pub fn bridge(&self) -> &str {
        &self.shared.bridge
    }

    /// The health of the sessions.
    pub fn status(&self) -> TransportStatus {
        self.shared.status()
    }

    /// How many times the dialing session was renewed because a peer it had reached stopped answering.
    pub fn renewals(&self) -> u32 {
        self.shared
            .renewals
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether both sessions are up now.
    pub fn is_up(&self) -> bool {
        self.shared.listening.session.borrow().is_some()
            && self.shared.dialing.session.borrow().is_some()
    }

    /// Closes the sessions (telling the bridge, so that the destination is free at once for a restart) and
    /// stops the tasks; dials and accepts fail from then on.
    pub async fn shutdown(&self) {
        let _ = self.stop.send(true);
        let tasks = std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|e| e.into_inner()));
        for task in tasks {
            let _ = task.await;
        }
    }
}

impl Drop for I2p {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for task in self
            .tasks
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            task.abort();
        }
    }
}

/// Dials `i2p://` addresses through the SAM session.
#[derive(Clone, Debug)]
pub struct I2pTransport {
    shared: Arc<Shared>,
}

impl Transport for I2pTransport {
    fn dial<'a>(
        &'a self,
        address: &'a PeerAddress,
    ) -> BoxFuture<'a, Result<Box<dyn Stream>, DialError>> {
        Box::pin(async move {
            let PeerAddress::I2p { name } = address else {
                return Err(DialError::Unsupported {
                    address: address.clone(),
                });
            };
            let shared = &self.shared;
            let config = &shared.config;
            let session = shared.dialing.ready().await;
            let destination = format!("{name}.b32.i2p");
            let dialed = async {
                let connection =
                    SamConnection::open(&shared.bridge, config.command_timeout).await?;
                connection
                    .connect(&session.nickname, &destination, config.dial_timeout)
                    .await
            };
            let error = match timeout(config.dial_timeout, dialed).await {
                Ok(Ok(socket)) => {
                    let guard = session.opened(&destination);
                    return Ok(Box::new(DialedStream {
                        socket,
                        _guard: guard,
                    }) as Box<dyn Stream>);
                }
                Ok(Err(error)) => {
                    shared.dialing.failed(&error);
                    error
                }
                Err(_) => SamError::Timeout {
                    command: "STREAM CONNECT",
                    secs: config.dial_timeout.as_secs(),
                },
            };
            if !error.session_gone() {
                shared
                    .dialing
                    .unreachable(&session, &destination, config.renew_interval);
            }
            Err(DialError::Sam(error))
        })
    }

    fn dial_timeout(&self) -> Option<Duration> {
        Some(self.shared.config.dial_timeout)
    }

    fn handshake_timeout(&self) -> Option<Duration> {
        Some(self.shared.config.handshake_timeout)
    }
}

/// Hands over the streams that reach this installation's destination.
#[derive(Debug)]
pub struct I2pListener {
    shared: Arc<Shared>,
    accepted: mpsc::Receiver<Box<dyn Stream>>,
}

impl Listener for I2pListener {
    fn accept(&mut self) -> BoxFuture<'_, io::Result<Accepted>> {
        Box::pin(async move {
            let stream = self
                .accepted
                .recv()
                .await
                .ok_or_else(|| io::Error::other("the I2P transport stopped"))?;
            Ok((stream, None))
        })
    }

    fn local_address(&self) -> PeerAddress {
        self.shared.keys.address()
    }

    fn handshake_timeout(&self) -> Option<Duration> {
        Some(self.shared.config.handshake_timeout)
    }
}

/// Keeps one `STREAM ACCEPT` pending on the session, and passes each accepted stream on.
async fn accept_loop(
    shared: Arc<Shared>,
    accepted: mpsc::Sender<Box<dyn Stream>>,
    mut stop: watch::Receiver<bool>,
) {
    let slot = &shared.listening;
    let mut session = slot.session.subscribe();
    loop {
        let live = tokio::select! {
            live = slot.ready() => live,
            _ = stop.changed() => return,
        };
        session.borrow_and_update();
        let accept = async {
            let connection =
                SamConnection::open(&shared.bridge, shared.config.command_timeout).await?;
            connection
                .accept(&live.nickname, shared.config.command_timeout)
                .await
        };
        let result = tokio::select! {
            result = accept => result,
            // A new or lost session: this accept belongs to the old one.
            _ = session.changed() => continue,
            _ = stop.changed() => return,
        };
        match result {
            Ok((socket, _remote)) => {
                if accepted.send(Box::new(socket)).await.is_err() {
                    return;
                }
            }
            Err(error) => {
                tracing::debug!("I2P accept failed: {error}");
                slot.failed(&error);
                tokio::select! {
                    () = tokio::time::sleep(ACCEPT_PAUSE) => {}
                    _ = stop.changed() => return,
                }
            }
        }
    }
}

/// A stream opened through the dialing session, counted as open there until dropped (a renewed dialing
/// session is closed only once its streams have ended).
#[derive(Debug)]
struct DialedStream {
    socket: TcpStream,
    _guard: StreamGuard,
}

impl AsyncRead for DialedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.socket).poll_read(cx, buf)
    }
}

impl AsyncWrite for DialedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.socket).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.socket).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.socket).poll_shutdown(cx)
    }
}
