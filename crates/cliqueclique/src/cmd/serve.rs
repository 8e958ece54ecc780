//! `cliqueclique serve`: settings from defaults, then a TOML file, then flags; run the daemon with
//! the web UI, print the web UI's address, and serve until Ctrl-C or SIGTERM. In public mode a
//! fresh owner token is written to `DATA_DIR/owner.token` (mode 0600) for the local CLI.

use crate::flags::{I2pModeFlag, Serve};
use anyhow::Context;
use cliqueclique_daemon::{Config, Daemon};
use cliqueclique_net::I2pMode;
use cliqueclique_web::{Registration, Settings};
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

/// The file holding the owner token of a public website, read by the CLI.
pub const OWNER_TOKEN_FILE: &str = "owner.token";

pub async fn run(flags: &Serve, data_dir: PathBuf, api: Option<&str>) -> anyhow::Result<()> {
    let (config, settings) = settings(flags, data_dir, api)?;
    let nntp = match &flags.nntp {
        Some(address) => Some(nntp_listener(address, config.public).await?),
        None => None,
    };
    let public = config.public;
    let data_dir = config.data_dir.clone();
    let daemon = Daemon::start_with(
        config,
        // Runs with the data directory locked: the owner token of another daemon is never replaced.
        move |state| {
            match &settings.owner_token {
                Some(token) => write_owner_token(&data_dir, token)?,
                None => {
                    let _ = std::fs::remove_file(data_dir.join(OWNER_TOKEN_FILE));
                }
            }
            Ok(cliqueclique_web::router(state, settings))
        },
    )
    .await?;
    // Nothing to tell if standard output is closed: the daemon runs on.
    let _ = writeln!(std::io::stdout(), "{}", web_ui_line(daemon.api_addr()));
    let nntp = nntp.map(|listener| {
        if let Ok(address) = listener.local_addr() {
            let _ = writeln!(std::io::stdout(), "NNTP: news://{address}/");
        }
        let installation = cliqueclique_nntp::Installation::new(daemon.handle());
        tokio::spawn(cliqueclique_nntp::serve(
            listener,
            installation,
            public,
            cliqueclique_nntp::Limits::default(),
        ))
    });
    let result = daemon.serve_until(shutdown_signal()).await;
    if let Some(server) = nntp {
        server.abort();
    }
    result
}

/// Binds the NNTP listener. A local installation has no logins, so it serves newsreaders on
/// loopback only; a public website asks them for an account (AUTHINFO) and may bind anywhere.
async fn nntp_listener(address: &str, public: bool) -> anyhow::Result<tokio::net::TcpListener> {
    let socket: SocketAddr = address
        .trim_start_matches("news://")
        .trim_start_matches("nntp://")
        .trim_end_matches('/')
        .parse()
        .with_context(|| {
            format!("bad NNTP address {address:?}: expected HOST:PORT such as 127.0.0.1:1119")
        })?;
    if !socket.ip().is_loopback() && !public {
        anyhow::bail!(
            "the NNTP address {socket} is not a loopback address: a local installation has no logins, so its \
             newsreader port binds to 127.0.0.1 only (a public website, --public, asks newsreaders for an account \
             with AUTHINFO and may listen anywhere)"
        );
    }
    tokio::net::TcpListener::bind(socket)
        .await
        .with_context(|| format!("cannot bind the NNTP server to {socket}"))
}

/// The line `serve` prints once it runs: where to open the web UI. An address bound on every
/// interface is shown as the loopback address, which a browser on this machine can open.
fn web_ui_line(bound: SocketAddr) -> String {
    if bound.ip().is_unspecified() {
        let local = SocketAddr::new(Ipv4Addr::LOCALHOST.into(), bound.port());
        format!(
            "web UI: http://{local}/ (listening on every address, port {})",
            bound.port()
        )
    } else {
        format!("web UI: http://{bound}/")
    }
}

/// The daemon's settings and the web UI's, from the flags.
pub fn settings(
    flags: &Serve,
    data_dir: PathBuf,
    api: Option<&str>,
) -> anyhow::Result<(Config, Settings)> {
    let mut config = match &flags.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            toml::from_str::<Config>(&text)
                .with_context(|| format!("bad settings in {}", path.display()))?
        }
        None => Config::default(),
    };
    config.data_dir = data_dir;
    if !flags.listen.is_empty() {
        config.listen = flags.listen.clone();
    }
    if !flags.advertise.is_empty() {
        config.advertise = flags.advertise.clone();
    }
    if let Some(mode) = flags.i2p {
        config.i2p.mode = match mode {
            I2pModeFlag::Off => I2pMode::Off,
            I2pModeFlag::Sam => I2pMode::Sam,
            I2pModeFlag::Embedded => I2pMode::Embedded,
        };
    }
    if let Some(sam) = &flags.sam {
        config.i2p.sam = sam.clone();
    }
    if flags.i2p_only {
        config.i2p.only = true;
    }
    if config.i2p.only && flags.listen.is_empty() {
        // The default TCP listener does not apply to an I2P-only installation.
        config
            .listen
            .retain(|address| !address.starts_with("tcp://"));
    }
    if let Some(api) = flags.http.as_deref().or(api) {
        config.api = api
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .with_context(|| format!("bad HTTP address {api:?}"))?;
    }
    config.public |= flags.public;
    let mut settings = if config.public {
        Settings::public(cliqueclique_web::auth::random_token())
    } else {
        Settings::local()
    };
    if let Some(mode) = &flags.registration {
        settings.registration = Some(mode.parse::<Registration>().map_err(anyhow::Error::msg)?);
    }
    Ok((config, settings))
}

/// Writes the owner token readable by the owner only.
fn write_owner_token(data_dir: &Path, token: &str) -> anyhow::Result<()> {
    let path = data_dir.join(OWNER_TOKEN_FILE);
    let _ = std::fs::remove_file(&path);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    std::io::Write::write_all(&mut file, format!("{token}\n").as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    tracing::info!("shutting down");
}
