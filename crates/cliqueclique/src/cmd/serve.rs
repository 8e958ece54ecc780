//! `cliqueclique serve`: settings from defaults, then a TOML file, then flags; run until Ctrl-C or SIGTERM.

use crate::flags::{I2pModeFlag, Serve};
use anyhow::Context;
use cliqueclique_daemon::Config;
use cliqueclique_net::I2pMode;
use std::path::PathBuf;

pub async fn run(flags: &Serve, data_dir: PathBuf, api: Option<&str>) -> anyhow::Result<()> {
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
    if let Some(api) = api {
        config.api = api
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .with_context(|| format!("bad API address {api:?}"))?;
    }
    cliqueclique_daemon::run(config, shutdown_signal()).await
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
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
