//! [`AppState`]: what every HTTP handler (the API's and the web UI's) can reach.

use crate::config::Config;
use crate::handle::Handle;
use cliqueclique_net::{I2p, SessionManager, TransportState, TransportStatus};
use std::net::SocketAddr;
use std::sync::Arc;

/// What every handler can reach; the daemon builds it once it is running.
#[derive(Clone)]
pub struct AppState {
    /// The node thread.
    pub handle: Handle,
    /// The transport.
    pub net: SessionManager,
    /// The daemon's settings.
    pub config: Arc<Config>,
    /// The installation's public key, hex.
    pub installation: String,
    /// Bound transport addresses.
    pub listening: Vec<String>,
    /// Addresses in the local nodes' cards.
    pub advertised: Vec<String>,
    /// The API's own address.
    pub api: SocketAddr,
    /// The I2P transport, when enabled (for its status).
    pub i2p: Option<Arc<I2p>>,
}

impl AppState {
    /// The health of each transport: TCP listeners are up once bound; I2P reports its session.
    pub fn transports(&self) -> Vec<TransportStatus> {
        let mut transports: Vec<TransportStatus> = self
            .listening
            .iter()
            .filter(|address| address.starts_with("tcp://"))
            .map(|address| TransportStatus {
                transport: "tcp".to_owned(),
                address: address.clone(),
                state: TransportState::Up,
                detail: "listening".to_owned(),
                failures: 0,
                retry_in_ms: None,
                since_ms: 0,
            })
            .collect();
        transports.extend(self.i2p.as_ref().map(|i2p| i2p.status()));
        transports
    }
}
