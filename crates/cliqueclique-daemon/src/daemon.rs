//! Starting and stopping an installation: database, static key, transport, node thread, API server.

use crate::actor::{self, Input, STATIC_KEY_SETTING, Start};
use crate::config::Config;
use crate::handle::Handle;
use crate::routes::router;
use crate::state::AppState;
use anyhow::{Context, bail};
use axum::Router;
use cliqueclique_net::{
    I2p, I2pConfig, I2pMode, Listener, PeerAddress, SessionManager, StaticKey, TcpTransport,
    Transport,
};
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

/// The file in the data directory with the installation's I2P destination keys (mode 0600).
pub const I2P_KEY_FILE: &str = "i2p.key";

/// The embedded I2P router's directory inside the data directory.
#[cfg(feature = "embedded")]
const I2P_ROUTER_DIR: &str = "i2p-router";

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
    Daemon::start_with(config, app)
        .await?
        .serve_until(shutdown)
        .await
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
    i2p: Option<Arc<I2p>>,
    router: Option<EmbeddedRouter>,
    _lock: File,
}

/// The embedded I2P router, when the build has one.
#[cfg(feature = "embedded")]
type EmbeddedRouter = cliqueclique_net::i2p::EmbeddedRouter;
/// No embedded router in this build.
#[cfg(not(feature = "embedded"))]
type EmbeddedRouter = std::convert::Infallible;

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
        check_settings(&config)?;
        let config = Arc::new(config);
        let sockets = tcp_sockets(&config).await?;
        let data_dir = config.data_dir.clone();
        let (lock, db) = open_data_dir(&data_dir).await?;
        let key = static_key(&db)?;
        let transport = Transports::start(&config, &sockets, &data_dir).await?;
        let (net, net_events) = SessionManager::spawn(
            config.net.clone(),
            key.clone(),
            transport.transports,
            transport.listeners,
        );
        let (handle, thread) = start_node_thread(db, &config, &net, &transport.advertised).await?;
        let forwarder = forward_net_events(&handle, net_events);
        let failed = watch_node_thread(&handle);
        let converger = tokio::spawn(converge_directories(handle.clone()));

        let api = tokio::net::TcpListener::bind(config.api)
            .await
            .with_context(|| format!("cannot bind the API to {}", config.api))?;
        let api_addr = api.local_addr()?;
        let state = AppState {
            handle: handle.clone(),
            net: net.clone(),
            config: config.clone(),
            installation: key.public().to_string(),
            listening: transport.listening,
            advertised: transport.advertised,
            api: api_addr,
            i2p: transport.i2p.clone(),
        };
        let app = match app(state.clone()) {
            Ok(app) => app,
            Err(error) => {
                handle.stop().await;
                net.shutdown().await;
                return Err(error);
            }
        };
        let (server, server_stop) = crate::http::serve(api, app, config.http.clone());
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
            i2p: transport.i2p,
            router: transport.router,
            _lock: lock,
        })
    }

    /// Serves until `shutdown` completes or the node thread fails, then stops.
    pub async fn serve_until(self, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
        tracing::info!(api = %self.api_addr(), "serving");
        tokio::pin!(shutdown);
        let mut failed = self.failed.clone();
        tokio::select! {
            () = &mut shutdown => {}
            _ = failed.changed() => {}
        }
        let thread_failed = *self.failed.borrow();
        self.stop().await?;
        if thread_failed {
            bail!("the node thread stopped unexpectedly");
        }
        Ok(())
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
        if let Some(i2p) = &self.i2p {
            i2p.shutdown().await;
        }
        #[cfg(feature = "embedded")]
        if let Some(router) = self.router {
            router.stop().await;
        }
        #[cfg(not(feature = "embedded"))]
        let _ = self.router;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Refuses settings that cannot work: a public API address without `public`, and under
/// `i2p.only` anything that would touch TCP/IP.
fn check_settings(config: &Config) -> anyhow::Result<()> {
    if !config.api.ip().is_loopback() && !config.public {
        bail!(
            "the API address {} is not a loopback address: the API has no authentication, so it binds to 127.0.0.1 \
             only (a public website runs with --public, where accounts guard it)",
            config.api
        );
    }
    check_i2p_only(config)
}

/// The socket addresses of the TCP listeners; also checks the advertised addresses.
async fn tcp_sockets(config: &Config) -> anyhow::Result<Vec<SocketAddr>> {
    let mut sockets = Vec::new();
    // The I2P listener's address comes from its key file, not from here.
    for text in config.listen.iter().filter(|text| !is_i2p(text)) {
        sockets.push(listen_address(text).await?);
    }
    for text in &config.advertise {
        text.parse::<PeerAddress>()
            .with_context(|| format!("bad advertised address {text:?}"))?;
    }
    Ok(sockets)
}

/// Creates and locks the data directory and opens the database in it.
async fn open_data_dir(data_dir: &Path) -> anyhow::Result<(File, Database)> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
    let lock = lock_data_dir(data_dir)?;
    let path = database_path(data_dir);
    let db = tokio::task::spawn_blocking(move || Database::open(&path))
        .await
        .context("opening the database")??;
    Ok((lock, db))
}

/// The transport's pieces, before the session manager takes them.
struct Transports {
    listeners: Vec<Box<dyn Listener>>,
    transports: Vec<Arc<dyn Transport>>,
    /// Bound addresses.
    listening: Vec<String>,
    /// Addresses for the contact cards.
    advertised: Vec<String>,
    i2p: Option<Arc<I2p>>,
    router: Option<EmbeddedRouter>,
}

impl Transports {
    /// Binds the TCP listeners and starts I2P when the settings ask for it.
    async fn start(
        config: &Config,
        sockets: &[SocketAddr],
        data_dir: &Path,
    ) -> anyhow::Result<Transports> {
        let mut listeners: Vec<Box<dyn Listener>> = Vec::new();
        let mut listening = Vec::new();
        for &socket in sockets {
            let listener = TcpTransport::bind(socket)
                .await
                .with_context(|| format!("cannot listen on {socket}"))?;
            listening.push(listener.local_address().to_string());
            listeners.push(Box::new(listener));
        }
        let mut advertised = advertised_addresses(config, sockets, &listening);
        let mut transports: Vec<Arc<dyn Transport>> = Vec::new();
        if !config.i2p.only {
            let tcp = if config.dials_private() {
                TcpTransport::new()
            } else {
                TcpTransport::public_only()
            };
            transports.push(Arc::new(tcp));
        }
        let (i2p, router) = match start_i2p(&config.i2p, data_dir).await? {
            Some((i2p, transport, listener, router)) => {
                let address = i2p.address().to_string();
                tracing::info!(bridge = %i2p.bridge(), "I2P address {address}");
                listening.push(address.clone());
                if !advertised.contains(&address) {
                    advertised.push(address);
                }
                transports.push(Arc::new(transport));
                listeners.push(Box::new(listener));
                (Some(Arc::new(i2p)), router)
            }
            None => (None, None),
        };
        Ok(Transports {
            listeners,
            transports,
            listening,
            advertised,
            i2p,
            router,
        })
    }
}

/// The addresses for the contact cards: the configured ones, else the bound TCP addresses that
/// can be dialed (a wildcard address such as 0.0.0.0 reaches nobody).
fn advertised_addresses(
    config: &Config,
    sockets: &[SocketAddr],
    listening: &[String],
) -> Vec<String> {
    if !config.advertise.is_empty() {
        return config.advertise.clone();
    }
    let dialable: Vec<String> = sockets
        .iter()
        .zip(listening)
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
}

/// Starts the node thread and waits until it has loaded every local node; on failure the
/// transport is shut down again.
async fn start_node_thread(
    db: Database,
    config: &Arc<Config>,
    net: &SessionManager,
    advertised: &[String],
) -> anyhow::Result<(Handle, std::thread::JoinHandle<()>)> {
    let (ready_tx, ready_rx) = oneshot::channel();
    let start = Start {
        db,
        config: config.clone(),
        net: net.clone(),
        advertised: advertised.to_vec(),
    };
    let (handle, thread) = actor::spawn(start, ready_tx).context("starting the node thread")?;
    match ready_rx.await {
        Ok(Ok(())) => Ok((handle, thread)),
        Ok(Err(e)) => {
            net.shutdown().await;
            Err(e.context("loading the local nodes"))
        }
        Err(_) => {
            net.shutdown().await;
            bail!("the node thread stopped while loading");
        }
    }
}

/// Forwards the transport's events to the node thread until either side stops.
fn forward_net_events(
    handle: &Handle,
    mut net_events: tokio::sync::mpsc::Receiver<cliqueclique_net::Event>,
) -> JoinHandle<()> {
    let inputs = handle.net_inputs();
    tokio::spawn(async move {
        while let Some(event) = net_events.recv().await {
            if inputs.send(Input::Net(event)).await.is_err() {
                break;
            }
        }
    })
}

/// A flag that turns true when the node thread ends (it stops taking inputs).
fn watch_node_thread(handle: &Handle) -> tokio::sync::watch::Receiver<bool> {
    let (failed_tx, failed) = tokio::sync::watch::channel(false);
    let inputs = handle.inputs();
    tokio::spawn(async move {
        inputs.closed().await;
        let _ = failed_tx.send(true);
    });
    failed
}

/// How often the local nodes re-plan the names they published, to move names found under a
/// losing duplicate level onto the winner (`docs/directory.md` §4).
const CONVERGE_INTERVAL: Duration = Duration::from_secs(60);

/// Re-plans the published directory names every [`CONVERGE_INTERVAL`] until the node thread stops.
async fn converge_directories(handle: Handle) {
    loop {
        tokio::time::sleep(CONVERGE_INTERVAL).await;
        if handle.converge_directories().await.is_err() {
            return;
        }
    }
}

/// Under `i2p.only`, refuses settings that would listen on, dial or advertise a TCP/IP address.
fn check_i2p_only(config: &Config) -> anyhow::Result<()> {
    if !config.i2p.only {
        return Ok(());
    }
    if config.i2p.mode == I2pMode::Off {
        bail!("I2P only needs I2P: set --i2p sam or --i2p embedded");
    }
    if let Some(tcp) = config
        .listen
        .iter()
        .chain(&config.advertise)
        .find(|a| !is_i2p(a))
    {
        bail!(
            "{tcp:?} is not an I2P address: an I2P-only installation never listens on, dials or reveals a \
             TCP/IP address (remove it, or leave out --i2p-only)"
        );
    }
    Ok(())
}

fn is_i2p(address: &str) -> bool {
    matches!(address.parse::<PeerAddress>(), Ok(PeerAddress::I2p { .. }))
}

/// The I2P transport the settings ask for (and the embedded router it uses), or `None` when I2P is off.
async fn start_i2p(
    config: &I2pConfig,
    data_dir: &Path,
) -> anyhow::Result<
    Option<(
        I2p,
        cliqueclique_net::I2pTransport,
        cliqueclique_net::I2pListener,
        Option<EmbeddedRouter>,
    )>,
> {
    let (bridge, router) = match config.mode {
        I2pMode::Off => return Ok(None),
        I2pMode::Sam => (config.sam.clone(), None),
        #[cfg(feature = "embedded")]
        I2pMode::Embedded => {
            let router = cliqueclique_net::i2p::EmbeddedRouter::start(
                cliqueclique_net::i2p::Network::Public {
                    data_dir: data_dir.join(I2P_ROUTER_DIR),
                    reseed: config.reseed,
                },
            )
            .await
            .context("starting the embedded I2P router")?;
            (router.sam_address().to_string(), Some(router))
        }
        #[cfg(not(feature = "embedded"))]
        I2pMode::Embedded => bail!(
            "this build has no embedded I2P router (cargo feature `embedded`): use --i2p sam with i2pd or Java I2P"
        ),
    };
    let (i2p, transport, listener) =
        I2p::start(config.clone(), bridge, &data_dir.join(I2P_KEY_FILE))
            .await
            .context("starting the I2P transport")?;
    Ok(Some((i2p, transport, listener, router)))
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
