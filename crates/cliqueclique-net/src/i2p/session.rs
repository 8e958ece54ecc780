//! The installation's two SAM sessions, each kept alive by a supervisor task, and the health they report.
//!
//! - The *listening* session carries the installation's destination (its `….b32.i2p` address, from the key
//!   file) and only accepts streams.
//! - The *dialing* session has a transient destination, new at every start, and opens every outbound stream.
//!
//! Why two: a router keeps one end-to-end (ECIES ratchet) session per pair of destinations. When a destination
//! restarts, routers that had sent to it go on sending with the old session, which the new one cannot decrypt;
//! emissary 0.4 does so until it has sent nothing for eight minutes, that is never while the sender keeps
//! redialing. A dialing destination that is new at every start means that a restarted installation's own dials
//! never meet such a stale session. For the other side, when a dial fails to a destination that the current
//! dialing session had reached, the supervisor *renews* it: it creates a fresh transient destination, makes
//! it the one new dials use, and lets the old one go once the streams opened through it have ended. A renewal
//! happens at most once per `renew_interval` (`docs/transports.md` §11).
//!
//! A supervisor creates its session on the bridge (waiting while the router builds tunnels), then watches the
//! session's control socket: the session lives as long as that socket. When the bridge cannot be reached,
//! refuses, is too slow, or the session drops (the router stopped, or a dial or accept learnt that the bridge no
//! longer knows the session), it logs one line, records the reason in the health, waits with a doubling back-off
//! and tries again. Dials and accepts wait for their session meanwhile; the session manager above keeps their
//! batches queued (`docs/transports.md` §9).

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::{Notify, oneshot, watch};
use tokio::task::JoinHandle;
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

/// Replaced dialing sessions kept for their open streams; beyond this, the oldest is closed with its streams
/// (the session manager redials them through the current one).
const MAX_RETIRING: usize = 2;

/// What a supervised session is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// The installation's own destination: accepts streams.
    Listening,
    /// A transient destination: opens streams.
    Dialing,
}

impl fmt::Display for Role {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Role::Listening => "listening",
            Role::Dialing => "dialing",
        })
    }
}

/// One session while it is up.
#[derive(Debug)]
pub(crate) struct Session {
    /// The `ID` the bridge knows the session by.
    pub(crate) nickname: Arc<str>,
    /// When it came up.
    created: Instant,
    /// The destinations (`NAME.b32.i2p`) that streams from this session reached.
    reached: Mutex<HashSet<String>>,
    /// Streams opened through this session and still open.
    streams: AtomicUsize,
    /// Woken when the last open stream closes.
    idle: Notify,
}

impl Session {
    fn new(nickname: Arc<str>) -> Session {
        Session {
            nickname,
            created: Instant::now(),
            reached: Mutex::new(HashSet::new()),
            streams: AtomicUsize::new(0),
            idle: Notify::new(),
        }
    }

    /// Records a stream opened to `destination`; the stream holds the returned guard while it is open.
    pub(crate) fn opened(self: &Arc<Session>, destination: &str) -> StreamGuard {
        self.reached
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(destination.to_owned());
        self.streams.fetch_add(1, Ordering::AcqRel);
        StreamGuard(self.clone())
    }

    fn has_reached(&self, destination: &str) -> bool {
        self.reached
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(destination)
    }

    /// Waits until no stream opened through this session is open.
    async fn idle(&self) {
        loop {
            let notified = self.idle.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.streams.load(Ordering::Acquire) == 0 {
                return;
            }
            notified.await;
        }
    }
}

/// Counts a stream as open on its session until dropped.
#[derive(Debug)]
pub(crate) struct StreamGuard(Arc<Session>);

impl Drop for StreamGuard {
    fn drop(&mut self) {
        if self.0.streams.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

/// One role's session as the transport sees it: the session while it is up, and its health.
pub(crate) struct Slot {
    role: Role,
    /// The session while it is up.
    pub(crate) session: watch::Sender<Option<Arc<Session>>>,
    /// Wakes the supervisor when a dial or accept found the session gone.
    lost: Notify,
    /// Wakes the dialing supervisor to renew its session.
    renew: Notify,
    health: Mutex<Health>,
}

#[derive(Clone)]
struct Health {
    state: TransportState,
    detail: String,
    since: Instant,
    failures: u32,
    retry_at: Option<Instant>,
}

impl Slot {
    fn new(role: Role, bridge: &str) -> Slot {
        Slot {
            role,
            session: watch::Sender::new(None),
            lost: Notify::new(),
            renew: Notify::new(),
            health: Mutex::new(Health {
                state: TransportState::Starting,
                detail: format!("connecting to the SAM bridge at {bridge}"),
                since: Instant::now(),
                failures: 0,
                retry_at: None,
            }),
        }
    }

    /// The session once it is up; waits while it is not.
    pub(crate) async fn ready(&self) -> Arc<Session> {
        let mut session = self.session.subscribe();
        loop {
            if let Some(session) = session.borrow_and_update().clone() {
                return session;
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

    /// Reports a dial from `session` to `destination` that failed although the bridge still knows the session.
    /// If this session had reached that destination before, the remote end has probably restarted and its
    /// router cannot read our end-to-end session any more: the dialing session is renewed, unless it is
    /// younger than `interval`.
    pub(crate) fn unreachable(
        &self,
        session: &Arc<Session>,
        destination: &str,
        interval: Duration,
    ) {
        let current = self
            .session
            .borrow()
            .as_ref()
            .is_some_and(|now| Arc::ptr_eq(now, session));
        if self.role == Role::Dialing
            && current
            && session.has_reached(destination)
            && session.created.elapsed() >= interval
        {
            tracing::info!(
                "I2P: {destination} no longer answers the dialing session that reached it before (restarted?); \
                 renewing the dialing session"
            );
            self.renew.notify_one();
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

    fn health(&self) -> Health {
        self.health
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// What the transport, the listener and the supervisors share.
pub(crate) struct Shared {
    pub(crate) bridge: String,
    pub(crate) keys: DestinationKeys,
    /// Where the time the listening session was last closed is kept (unix milliseconds).
    closed_file: PathBuf,
    pub(crate) config: I2pConfig,
    pub(crate) listening: Slot,
    pub(crate) dialing: Slot,
    /// How many times the dialing session was renewed.
    pub(crate) renewals: std::sync::atomic::AtomicU32,
}

impl fmt::Debug for Shared {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Shared")
            .field("bridge", &self.bridge)
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

impl Shared {
    pub(crate) fn new(
        bridge: String,
        keys: DestinationKeys,
        closed_file: PathBuf,
        config: I2pConfig,
    ) -> Shared {
        Shared {
            closed_file,
            listening: Slot::new(Role::Listening, &bridge),
            dialing: Slot::new(Role::Dialing, &bridge),
            renewals: std::sync::atomic::AtomicU32::new(0),
            bridge,
            keys,
            config,
        }
    }

    /// Records that the listening session was closed now (best effort: without the record a restart does not
    /// wait, which only matters on some routers).
    fn mark_closed(&self) {
        let now = unix_millis(SystemTime::now());
        if let Err(error) = std::fs::write(&self.closed_file, format!("{now}\n")) {
            tracing::warn!("cannot write {}: {error}", self.closed_file.display());
        }
    }

    /// How long to wait before creating the listening session again: what is left of `reuse_delay` since it
    /// was last closed.
    fn reuse_wait(&self) -> Option<Duration> {
        let text = std::fs::read_to_string(&self.closed_file).ok()?;
        let closed: u64 = text.trim().parse().ok()?;
        let since = unix_millis(SystemTime::now()).checked_sub(closed)?;
        self.config
            .reuse_delay
            .checked_sub(Duration::from_millis(since))
            .filter(|wait| !wait.is_zero())
    }

    fn slot(&self, role: Role) -> &Slot {
        match role {
            Role::Listening => &self.listening,
            Role::Dialing => &self.dialing,
        }
    }

    /// One health for both sessions: "up" when both are, otherwise the one that is worse off speaks.
    pub(crate) fn status(&self) -> TransportStatus {
        let (listening, dialing) = (self.listening.health(), self.dialing.health());
        let rank = |state: TransportState| match state {
            TransportState::Up => 0,
            TransportState::Starting => 1,
            TransportState::Down => 2,
        };
        let health = if listening.state == TransportState::Up && dialing.state == TransportState::Up
        {
            Health {
                detail: format!(
                    "sessions ready on the SAM bridge at {} (listening and dialing)",
                    self.bridge
                ),
                since: listening.since.max(dialing.since),
                ..listening
            }
        } else if rank(dialing.state) > rank(listening.state) {
            dialing
        } else {
            listening
        };
        let now = Instant::now();
        TransportStatus {
            transport: "i2p".to_owned(),
            address: self.keys.address().to_string(),
            state: health.state,
            detail: health.detail,
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

fn unix_millis(time: SystemTime) -> u64 {
    millis(time.duration_since(UNIX_EPOCH).unwrap_or_default())
}

/// A session that is up: its control socket is watched by a task that ends when the session does.
struct Live {
    session: Arc<Session>,
    watcher: JoinHandle<SamError>,
    quit: Option<oneshot::Sender<()>>,
}

impl Live {
    fn start(session: Arc<Session>, mut control: SamConnection) -> Live {
        let (quit, quitting) = oneshot::channel();
        let watcher = tokio::spawn(async move {
            tokio::select! {
                ended = watch_control(&mut control) => ended,
                _ = quitting => {
                    let _ = timeout(QUIT_PATIENCE, control.quit()).await;
                    SamError::Closed
                }
            }
        });
        Live {
            session,
            watcher,
            quit: Some(quit),
        }
    }

    /// Ends the session with `QUIT` (without it some routers keep the destination busy for a minute, so that a
    /// restarted installation would be refused as a duplicate meanwhile).
    async fn close(mut self) {
        if let Some(quit) = self.quit.take() {
            let _ = quit.send(());
        }
        let _ = (&mut self.watcher).await;
    }
}

impl Drop for Live {
    /// A supervisor that is aborted must not leave the control socket open (the session with it).
    fn drop(&mut self) {
        self.watcher.abort();
    }
}

/// Keeps the `role` session on the bridge until `stop` changes.
pub(crate) async fn supervise(shared: Arc<Shared>, role: Role, mut stop: watch::Receiver<bool>) {
    let config = &shared.config;
    let bridge = &shared.bridge;
    let slot = shared.slot(role);
    let mut failures = 0u32;
    let mut backoff = config.backoff_initial;
    let mut retiring: VecDeque<(JoinHandle<()>, oneshot::Sender<()>)> = VecDeque::new();
    loop {
        let attempt = if failures == 0 {
            String::new()
        } else {
            format!(" (attempt {})", failures + 1)
        };
        if role == Role::Listening
            && let Some(wait) = shared.reuse_wait()
        {
            slot.set(
                TransportState::Starting,
                format!(
                    "waiting {:.1} s before creating the listening session on the SAM bridge at {bridge} again \
                     (some routers are still releasing the previous one)",
                    wait.as_secs_f32()
                ),
                failures,
                Some(Instant::now() + wait),
            );
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                _ = stop.changed() => return,
            }
        }
        slot.set(
            TransportState::Starting,
            format!(
                "creating the {role} session on the SAM bridge at {bridge}, building tunnels{attempt}"
            ),
            failures,
            None,
        );
        let report_slow = |detail: String| {
            tracing::warn!("I2P transport slow: {detail}");
            slot.set(TransportState::Starting, detail, failures, None);
        };
        let Some(created) = create(&shared, role, &mut stop, report_slow).await else {
            return;
        };
        let error = match created {
            Ok(mut live) => {
                failures = 0;
                backoff = config.backoff_initial;
                match role {
                    Role::Listening => tracing::info!(
                        bridge = %bridge,
                        "I2P session ready: reachable at {}",
                        shared.keys.address()
                    ),
                    Role::Dialing => tracing::info!(bridge = %bridge, "I2P dialing session ready"),
                }
                slot.set(
                    TransportState::Up,
                    format!("{role} session ready on the SAM bridge at {bridge}"),
                    0,
                    None,
                );
                slot.session.send_replace(Some(live.session.clone()));
                let ended = loop {
                    tokio::select! {
                        ended = &mut live.watcher => {
                            break ended.unwrap_or(SamError::Closed);
                        }
                        () = slot.lost.notified() => {
                            live.close().await;
                            break SamError::Refused {
                                command: "STREAM",
                                result: "INVALID_ID".to_owned(),
                                message: Some("the bridge no longer knows the session".to_owned()),
                            };
                        }
                        () = slot.renew.notified(), if role == Role::Dialing => {
                            let Some(renewed) = create(&shared, role, &mut stop, |_| {}).await else {
                                live.close().await;
                                return;
                            };
                            match renewed {
                                Ok(fresh) => {
                                    let old = std::mem::replace(&mut live, fresh);
                                    slot.session.send_replace(Some(live.session.clone()));
                                    shared.renewals.fetch_add(1, Ordering::Relaxed);
                                    tracing::info!("I2P dialing session renewed");
                                    retiring.retain(|(task, _)| !task.is_finished());
                                    if retiring.len() >= MAX_RETIRING
                                        && let Some((_, force)) = retiring.pop_front()
                                    {
                                        let _ = force.send(());
                                    }
                                    retiring.push_back(retire(old, stop.clone()));
                                }
                                Err(error) => tracing::warn!(
                                    "I2P: could not renew the dialing session ({error}); keeping the old one"
                                ),
                            }
                        }
                        _ = stop.changed() => {
                            live.close().await;
                            if role == Role::Listening {
                                shared.mark_closed();
                            }
                            return;
                        }
                    }
                };
                slot.session.send_replace(None);
                if role == Role::Listening {
                    shared.mark_closed();
                }
                format!("the I2P {role} session on the SAM bridge at {bridge} dropped: {ended}")
            }
            Err(error) => format!("{role} session: {error}"),
        };
        failures = failures.saturating_add(1);
        let retry_at = Instant::now() + backoff;
        tracing::warn!(
            "I2P transport down: {error}; retrying in {} s",
            backoff.as_secs_f32()
        );
        slot.set(
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

/// Creates a `role` session; `None` when `stop` changed meanwhile. Past `session_timeout` the wait is reported
/// through `slow` but goes on: giving up and asking again would only be refused while the router still builds
/// the first session's tunnels (`DUPLICATE_DEST`).
async fn create(
    shared: &Shared,
    role: Role,
    stop: &mut watch::Receiver<bool>,
    slow: impl Fn(String),
) -> Option<Result<Live, SamError>> {
    let config = &shared.config;
    let bridge = &shared.bridge;
    let tunnels = TunnelOptions {
        length: config.tunnel_length,
        quantity: config.tunnel_quantity,
    };
    let nickname: Arc<str> = format!("cliqueclique-{:016x}", rand::random::<u64>()).into();
    let destination = match role {
        Role::Listening => shared.keys.private(),
        Role::Dialing => "TRANSIENT",
    };
    let create = async {
        let connection = SamConnection::open(bridge, config.command_timeout).await?;
        connection
            .create_session(
                &nickname,
                destination,
                tunnels,
                config.session_timeout * SLOW_SESSION_FACTOR,
            )
            .await
    };
    tokio::pin!(create);
    let late = tokio::time::sleep(config.session_timeout);
    tokio::pin!(late);
    let mut reported = false;
    loop {
        tokio::select! {
            created = &mut create => {
                return Some(created.map(|control| Live::start(Arc::new(Session::new(nickname.clone())), control)));
            }
            () = &mut late, if !reported => {
                reported = true;
                slow(format!(
                    "the SAM bridge at {bridge} has not built the {role} session's tunnels after {} s; still \
                     waiting (a slow or unreachable I2P network, or too few known routers)",
                    config.session_timeout.as_secs()
                ));
            }
            _ = stop.changed() => return None,
        }
    }
}

/// Keeps a replaced dialing session until its streams have ended (or `force`, or `stop`), then closes it.
fn retire(mut old: Live, mut stop: watch::Receiver<bool>) -> (JoinHandle<()>, oneshot::Sender<()>) {
    let (force, forced) = oneshot::channel();
    let task = tokio::spawn(async move {
        let session = old.session.clone();
        tokio::select! {
            () = session.idle() => {}
            _ = forced => {}
            _ = stop.changed() => {}
            // The bridge ended it already.
            _ = &mut old.watcher => return,
        }
        old.close().await;
    });
    (task, force)
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
