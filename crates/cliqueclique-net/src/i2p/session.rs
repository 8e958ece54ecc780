//! The installation's SAM session, kept alive by a supervisor task, and the health it reports.
//!
//! The supervisor creates the stream session on the bridge (waiting while the router builds tunnels), then
//! watches its control socket: the session lives as long as that socket. When the bridge cannot be reached,
//! refuses, is too slow, or the session drops (the router stopped, or a dial or accept learnt that the bridge no
//! longer knows the session), it logs one line, records the reason in the health, waits with a doubling back-off
//! and tries again. Dials and accepts wait for a session meanwhile; the session manager above keeps their
//! batches queued (`docs/transports.md` §9).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::time::{Instant, timeout};

use super::config::I2pConfig;
use super::destination::DestinationKeys;
use super::sam::{SamConnection, TunnelOptions};
use crate::error::SamError;
use crate::status::{TransportState, TransportStatus};

/// `SESSION CREATE` is abandoned (and retried) after this many `session_timeout`s.
const SLOW_SESSION_FACTOR: u32 = 4;

/// How long a closing session may take to say `QUIT`.
const QUIT_PATIENCE: Duration = Duration::from_secs(2);

/// What the transport, the listener and the supervisor share.
pub(crate) struct Shared {
    pub(crate) bridge: String,
    pub(crate) keys: DestinationKeys,
    pub(crate) config: I2pConfig,
    /// The nickname of the session while it is up.
    pub(crate) session: watch::Sender<Option<Arc<str>>>,
    /// Wakes the supervisor when a dial or accept found the session gone.
    pub(crate) lost: Notify,
    health: Mutex<Health>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Shared")
            .field("bridge", &self.bridge)
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

struct Health {
    state: TransportState,
    detail: String,
    since: Instant,
    failures: u32,
    retry_at: Option<Instant>,
}

impl Shared {
    pub(crate) fn new(bridge: String, keys: DestinationKeys, config: I2pConfig) -> Shared {
        Shared {
            health: Mutex::new(Health {
                state: TransportState::Starting,
                detail: format!("connecting to the SAM bridge at {bridge}"),
                since: Instant::now(),
                failures: 0,
                retry_at: None,
            }),
            bridge,
            keys,
            config,
            session: watch::Sender::new(None),
            lost: Notify::new(),
        }
    }

    /// The session's nickname once it is up; waits while it is not.
    pub(crate) async fn ready(&self) -> Arc<str> {
        let mut session = self.session.subscribe();
        loop {
            if let Some(nickname) = session.borrow_and_update().clone() {
                return nickname;
            }
            if session.changed().await.is_err() {
                // The sender lives in `self`, so this does not happen; wait for nothing rather than spin.
                std::future::pending::<()>().await;
            }
        }
    }

    /// Reports a failure of a dial or an accept; a failure that means the session is gone restarts it.
    pub(crate) fn failed(&self, error: &SamError) {
        if error.session_gone() {
            self.lost.notify_one();
        }
    }

    fn set(&self, state: TransportState, detail: String, failures: u32, retry_at: Option<Instant>) {
        let mut health = self.health.lock().unwrap_or_else(|e| e.into_inner());
        if health.state != state {
            health.since = Instant::now();
        }
        health.state = state;
        health.detail = detail;
        health.failures = failures;
        health.retry_at = retry_at;
    }

    pub(crate) fn status(&self) -> TransportStatus {
        let health = self.health.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        TransportStatus {
            transport: "i2p".to_owned(),
            address: self.keys.address().to_string(),
            state: health.state,
            detail: health.detail.clone(),
            failures: health.failures,
            retry_in_ms: health
                .retry_at
                .map(|at| millis(at.saturating_duration_since(now))),
            since_ms: millis(now.duration_since(health.since)),
        }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Keeps a session on the bridge until `stop` changes.
pub(crate) async fn supervise(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let config = &shared.config;
    let bridge = &shared.bridge;
    let tunnels = TunnelOptions {
        length: config.tunnel_length,
        quantity: config.tunnel_quantity,
    };
    let mut failures = 0u32;
    let mut backoff = config.backoff_initial;
    loop {
        let attempt = if failures == 0 {
            String::new()
        } else {
            format!(" (attempt {})", failures + 1)
        };
        shared.set(
            TransportState::Starting,
            format!("creating a session on the SAM bridge at {bridge}, building tunnels{attempt}"),
            failures,
            None,
        );
        let nickname: Arc<str> = format!("cliqueclique-{:016x}", rand::random::<u64>()).into();
        // Past `session_timeout` the wait is reported as slow but goes on: giving up and asking again would
        // only be refused while the router still builds the first session's tunnels (DUPLICATE_DEST).
        let created = {
            let create = async {
                let connection = SamConnection::open(bridge, config.command_timeout).await?;
                connection
                    .create_session(
                        &nickname,
                        shared.keys.private(),
                        tunnels,
                        config.session_timeout * SLOW_SESSION_FACTOR,
                    )
                    .await
            };
            tokio::pin!(create);
            let slow = tokio::time::sleep(config.session_timeout);
            tokio::pin!(slow);
            let mut reported = false;
            loop {
                tokio::select! {
                    created = &mut create => break created,
                    () = &mut slow, if !reported => {
                        reported = true;
                        let detail = format!(
                            "the SAM bridge at {bridge} has not built the session's tunnels after {} s; still \
                             waiting (a slow or unreachable I2P network, or too few known routers)",
                            config.session_timeout.as_secs()
                        );
                        tracing::warn!("I2P transport slow: {detail}");
                        shared.set(TransportState::Starting, detail, failures, None);
                    }
                    _ = stop.changed() => return,
                }
            }
        };
        let error = match created {
            Ok(control) => {
                failures = 0;
                backoff = config.backoff_initial;
                tracing::info!(
                    bridge = %bridge,
                    "I2P session ready: reachable at {}",
                    shared.keys.address()
                );
                shared.set(
                    TransportState::Up,
                    format!("session ready on the SAM bridge at {bridge}"),
                    0,
                    None,
                );
                shared.session.send_replace(Some(nickname));
                let mut control = control;
                let ended = tokio::select! {
                    ended = watch_control(&mut control) => ended,
                    () = shared.lost.notified() => SamError::Refused {
                        command: "STREAM",
                        result: "INVALID_ID".to_owned(),
                        message: Some("the bridge no longer knows the session".to_owned()),
                    },
                    _ = stop.changed() => {
                        // Without QUIT some routers keep the destination busy for a minute, so a
                        // restarted installation would be refused as a duplicate meanwhile.
                        let _ = timeout(QUIT_PATIENCE, control.quit()).await;
                        return;
                    }
                };
                shared.session.send_replace(None);
                format!("the I2P session on the SAM bridge at {bridge} dropped: {ended}")
            }
            Err(error) => format!("{error}"),
        };
        failures = failures.saturating_add(1);
        let retry_at = Instant::now() + backoff;
        tracing::warn!(
            "I2P transport down: {error}; retrying in {} s",
            backoff.as_secs_f32()
        );
        shared.set(
            TransportState::Down,
            format!("{error}; retrying"),
            failures,
            Some(retry_at),
        );
        tokio::select! {
            () = tokio::time::sleep_until(retry_at) => {}
            _ = stop.changed() => return,
        }
        backoff = (backoff * 2).min(config.backoff_max);
    }
}

/// Reads the control socket until it closes, answering `PING`s; returns why it ended.
async fn watch_control(control: &mut SamConnection) -> SamError {
    loop {
        match control.read_line().await {
            Ok(line) if line.starts_with("PING") => {
                if let Err(error) = control.pong(&line).await {
                    return error;
                }
            }
            Ok(line) => {
                tracing::debug!(
                    "SAM control socket: {}",
                    line.chars().take(80).collect::<String>()
                );
            }
            Err(error) => return error,
        }
    }
}
