//! Starting and stopping an installation: database, static key, transport, node thread, API server.

use crate::actor::{self, Handle, Input, STATIC_KEY_SETTING, Start};
use crate::config::Config;
use crate::router::{AppState, router};
use anyhow::{Context, bail};
use axum::Router;
use cliqueclique_net::{Listener, PeerAddress, SessionManager, StaticKey, TcpTransport, Transport};
use cliqueclique_store::{Database, database_path};
use std::fs::File;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The file in the data directory that holds the API's address while the daemon runs.
pub const API_ADDR_FILE: &str = "api.addr";

/// The lock file that keeps two daemons off one data directory.
const LOCK_FILE: &str = "daemon.lock";

/// Runs an installation until `shutdown` completes (or the node thread fails).
///
/// Refuses to start on a database that is newer, corrupt or foreign, with the store's message.
pub async fn run(config: Config, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    run_with(config, |state| Ok(router(state)), shutdown).await
}

/// [`run`] with the HTTP server's routes built by `app` (the web UI adds its pages and guards).
pub async fn run_with(
    config: Config,
    app: impl FnOnce(AppState) -> anyhow::Result<Router>,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let daemon = Daemon::start_with(config, app).await?;
    tracing::info!(api = %daemon.api_addr(), "serving");
    tokio::pin!(shutdown);
    let mut failed = daemon.failed.clone();
    tokio::select! {
        () = &mut shutdown => {}
        _ = failed.changed() => {}
    }
    let thread_failed = *daemon.failed.borrow();
    daemon.stop().await?;
    if thread_failed {
        bail!("the node thread stopped unexpectedly");
    }
    Ok(())
}

/// A running installation.
pub struct Daemon {
    state: AppState,
    api_addr: SocketAddr,
    data_dir: PathBuf,
    server: JoinHandle<()>,
    server_stop: oneshot::Sender<()>,
    forwarder: JoinHandle<()>,
    converger: JoinHandle<()>,
    thread: std::thread::JoinHandle<()>,
    failed: tokio::sync::watch::Receiver<bool>,
    _lock: File,
}

impl Daemon {
    /// Opens the database, starts the transport, the node thread and the API, and writes `api.addr`.
    pub async fn start(config: Config) -> anyhow::Result<Daemon> {
        Daemon::start_with(config, |state| Ok(router(state))).await
    }

    /// [`Daemon::start`] with the HTTP server's routes built by `app` from the API's state.
    /// `app` runs once the data directory is locked and the database open, so it may write files
    /// there; if it fails, the daemon stops again.
    ///
    /// A non-loopback address is accepted only with `config.public`, whose caller promises that
    /// `app` guards the API (the web UI's public mode requires an account for it).
    pub async fn start_with(
        config: Config,
        app: impl FnOnce(AppState) -> anyhow::Result<Router>,
    ) -> anyhow::Result<Daemon> {
        if !config.api.ip().is_loopback() && !config.public {
            bail!(
                "the API address {} is not a loopback address: the API has no authentication, so it binds to 127.0.0.1 \
                 only (a public website runs with --public, where accounts guard it)",
                config.api
            );
        }
        let config = Arc::new(config);
        let mut sockets = Vec::new();
        for text in &config.listen {
            sockets.push(listen_address(text).await?);
        }
        for text in &config.advertise {
            text.parse::<PeerAddress>()
                .with_context(|| format!("bad advertised address {text:?}"))?;
        }
        let data_dir = config.data_dir.clone();
        std::fs::create_dir_all(&data_dir)
            .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
        let lock = lock_data_dir(&data_dir)?;
        let path = database_path(&data_dir);
        let db = tokio::task::spawn_blocking(move || Database::open(&path))
            .await
            .context("opening the database")??;
        let key = static_key(&db)?;

        let mut listeners: Vec<Box<dyn Listener>> = Vec::new();
        let mut listening = Vec::new();
        for &socket in &sockets {
            let listener = TcpTransport::bind(socket)
                .await
                .with_context(|| format!("cannot listen on {socket}"))?;
            listening.push(listener.local_address().to_string());
            listeners.push(Box::new(listener));
        }
        let advertised = if config.advertise.is_empty() {
            // A wildcard address (0.0.0.0, ::) reaches nobody: leave it out of the cards.
            let dialable: Vec<String> = sockets
                .iter()
                .zip(&listening)
                .filter(|(socket, _)| !socket.ip().is_unspecified())
                .map(|(_, address)| address.clone())
                .collect();
            if dialable.len() < listening.len() {
                tracing::warn!(
                    "listening on all interfaces without --advertise: contact cards carry no address for that \
                     listener, so peers introduced to this installation cannot dial it (set --advertise tcp://HOST:PORT)"
                );
            }
            dialable
        } else {
            config.advertise.clone()
        };
        let transports: Vec<Arc<dyn Transport>> = vec![Arc::new(TcpTransport)];
        let (net, mut net_events) =
            SessionManager::spawn(config.net.clone(), key.clone(), transports, listeners);

        let (ready_tx, ready_rx) = oneshot::channel();
        let start = Start {
            db,
            config: config.clone(),
            net: net.clone(),
            advertised: advertised.clone(),
        };
        let (handle, thread) = actor::spawn(start, ready_tx).context("starting the node thread")?;
        match ready_rx.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                net.shutdown().await;
                return Err(e.context("loading the local nodes"));
            }
            Err(_) => {
                net.shutdown().await;
                bail!("the node thread stopped while loading");
            }
        }
        let (failed_tx, failed) = tokio::sync::watch::channel(false);
        let forwarder = {
            let inputs = handle.inputs();
            tokio::spawn(async move {
                while let Some(event) = net_events.recv().await {
                    if inputs.send(Input::Net(event)).await.is_err() {
                        break;
                    }
                }
            })
        };
        let watcher_handle = handle.clone();
        let thread_done = {
            let inputs = watcher_handle.inputs();
            async move {
                inputs.closed().await;
                let _ = failed_tx.send(true);
            }
        };
        tokio::spawn(thread_done);
        let converger = tokio::spawn(converge_directories(handle.clone()));

        let api = tokio::net::TcpListener::bind(config.api)
            .await
            .with_context(|| format!("cannot bind the API to {}", config.api))?;
        let api_addr = api.local_addr()?;
        let state = AppState::new(
            handle.clone(),
            net.clone(),
            config.clone(),
            key.public().to_string(),
            listening,
            advertised,
            api_addr,
        );
        let app = match app(state.clone()) {
            Ok(app) => app.into_make_service_with_connect_info::<SocketAddr>(),
            Err(error) => {
                handle.stop().await;
                net.shutdown().await;
                return Err(error);
            }
        };
        let (server_stop, stop_rx) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let serve = axum::serve(api, app).with_graceful_shutdown(async move {
                let _ = stop_rx.await;
            });
            if let Err(error) = serve.await {
                tracing::error!(%error, "the API server failed");
            }
        });
        write_api_addr(&data_dir, api_addr)?;
        Ok(Daemon {
            state,
            api_addr,
            data_dir,
            server,
            server_stop,
            forwarder,
            converger,
            thread,
            failed,
            _lock: lock,
        })
    }

    /// The API server's state, to build more routers on (tests, the web UI).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// The bound API address.
    pub fn api_addr(&self) -> SocketAddr {
        self.api_addr
    }

    /// A handle on the node thread.
    pub fn handle(&self) -> Handle {
        self.state.handle.clone()
    }

    /// Stops the API, the node thread and the transport, in that order, and removes `api.addr`.
    pub async fn stop(self) -> anyhow::Result<()> {
        let _ = std::fs::remove_file(self.data_dir.join(API_ADDR_FILE));
        let _ = self.server_stop.send(());
        // Open event streams would hold a graceful shutdown forever: give requests a moment.
        let mut server = self.server;
        if tokio::time::timeout(Duration::from_secs(2), &mut server)
            .await
            .is_err()
        {
            server.abort();
        }
        self.state.handle.stop().await;
        self.forwarder.abort();
        self.converger.abort();
        let thread = self.thread;
        tokio::task::spawn_blocking(move || thread.join())
            .await?
            .map_err(|_| anyhow::anyhow!("the node thread panicked"))?;
        self.state.net.shutdown().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// How often the local nodes re-plan the names they published, to move names found under a
/// losing duplicate level onto the winner (`docs/directory.md` §4).
const CONVERGE_INTERVAL: Duration = Duration::from_secs(60);

/// Re-plans the published directory names every [`CONVERGE_INTERVAL`] until the node thread stops.
async fn converge_directories(handle: Handle) {
    loop {
        tokio::time::sleep(CONVERGE_INTERVAL).await;
        if handle.call(|actor| actor.dir_converge()).await.is_err() {
            return;
        }
    }
}

/// The socket address of a `tcp://HOST:PORT` listen address (port 0 allowed).
async fn listen_address(text: &str) -> anyhow::Result<SocketAddr> {
    let rest = text.strip_prefix("tcp://").with_context(|| {
        format!("cannot listen on {text:?}: only tcp://HOST:PORT listeners exist so far")
    })?;
    tokio::net::lookup_host(rest)
        .await
        .ok()
        .and_then(|mut addresses| addresses.next())
        .with_context(|| format!("bad listen address {text:?}: expected tcp://HOST:PORT"))
}

/// Takes the data directory's lock, or explains who holds it.
fn lock_data_dir(data_dir: &Path) -> anyhow::Result<File> {
    let path = data_dir.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => bail!(
            "another cliqueclique daemon is running on {}",
            data_dir.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

/// The installation's Noise static key, made once and kept in the settings.
fn static_key(db: &Database) -> anyhow::Result<StaticKey> {
    if let Some(bytes) = db.setting(STATIC_KEY_SETTING)? {
        let secret: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .context("the stored transport key is damaged")?;
        return Ok(StaticKey::from_secret_bytes(secret));
    }
    let secret: [u8; 32] = rand::random();
    db.set_setting(STATIC_KEY_SETTING, &secret)?;
    Ok(StaticKey::from_secret_bytes(secret))
}

/// Writes `api.addr` atomically, so a reader never sees half of it.
fn write_api_addr(data_dir: &Path, address: SocketAddr) -> anyhow::Result<()> {
    let path = data_dir.join(API_ADDR_FILE);
    let temporary = data_dir.join(format!("{API_ADDR_FILE}.tmp"));
    std::fs::write(&temporary, format!("{address}\n"))
        .and_then(|()| std::fs::rename(&temporary, &path))
        .with_context(|| format!("cannot write {}", path.display()))
}
