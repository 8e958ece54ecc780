//! The embedded I2P router (feature `embedded`): emissary, a pure-Rust I2P router, on the daemon's tokio
//! runtime, with its SAM bridge on a free loopback port.
//!
//! The installation then talks to it exactly as to i2pd or Java I2P, through [`I2p::start`](super::I2p::start)
//! on [`EmbeddedRouter::sam_address`]; nothing else changes.
//!
//! - [`Network::Public`] joins the real I2P network: the router's keys and the routers it knows persist in its
//!   directory, and a near-empty network database is filled over HTTPS from I2P's reseed servers. The router
//!   does not publish an address (it is a client behind whatever NAT there is) and carries a few transit tunnels.
//! - [`Network::Private`] joins a private network on 127.0.0.1 with its own network id, where tunnels may run
//!   through the few routers there are: what the integration tests build, several routers in one process.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use emissary_core::router::Router;
use emissary_core::{Config, Ntcp2Config, SamConfig, TransitConfig};
use emissary_util::reseeder::Reseeder;
use emissary_util::runtime::tokio::Runtime;
use emissary_util::storage::Storage;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::error::I2pError;

/// Fewer known routers than this and a public router reseeds.
const RESEED_BELOW: usize = 25;
/// How long a stopping router may take to close its connections.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// Which I2P network the router joins.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Network {
    /// The public I2P network.
    Public {
        /// The router's own directory: keys, known routers, peer profiles.
        data_dir: PathBuf,
        /// Whether to reseed when it knows too few routers.
        reseed: bool,
    },
    /// A private network on 127.0.0.1 (tests).
    Private {
        /// The network id, shared by all its routers (the public network's is 2).
        net_id: u8,
        /// Router infos of routers already running ([`EmbeddedRouter::router_info`]).
        routers: Vec<Vec<u8>>,
        /// Whether this router keeps the network database for the others; a network needs one or two.
        floodfill: bool,
    },
}

/// A running router.
pub struct EmbeddedRouter {
    sam: SocketAddr,
    router_info: Vec<u8>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for EmbeddedRouter {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("EmbeddedRouter")
            .field("sam", &self.sam)
            .finish_non_exhaustive()
    }
}

impl EmbeddedRouter {
    /// Starts a router on the current tokio runtime.
    pub async fn start(network: Network) -> Result<EmbeddedRouter, I2pError> {
        let embedded = |error: &dyn std::fmt::Display| I2pError::Embedded(error.to_string());
        let sam = Some(SamConfig {
            tcp_port: 0,
            udp_port: 0,
            host: Ipv4Addr::LOCALHOST.to_string(),
        });
        let (router, _events, router_info) = match network {
            Network::Public { data_dir, reseed } => {
                std::fs::create_dir_all(&data_dir).map_err(|e| embedded(&e))?;
                let storage = Storage::new::<Runtime>(Some(data_dir))
                    .await
                    .map_err(|e| embedded(&e))?;
                let bundle = storage.load().await;
                let mut routers = bundle.routers;
                if reseed && routers.len() < RESEED_BELOW {
                    tracing::info!("reseeding the embedded I2P router from I2P's reseed servers");
                    match Reseeder::reseed::<Runtime>(None, false).await {
                        Ok(infos) => {
                            for info in infos {
                                let _ = storage
                                    .store_router_info(info.name, info.router_info.clone())
                                    .await;
                                routers.push(info.router_info);
                            }
                        }
                        Err(error) => {
                            tracing::warn!("cannot reseed the embedded I2P router: {error}");
                        }
                    }
                }
                let config = Config {
                    ntcp2: Some(ntcp2(None, false, bundle.ntcp2_key, bundle.ntcp2_iv)),
                    static_key: Some(bundle.static_key),
                    signing_key: Some(bundle.signing_key),
                    router_info: bundle.router_info,
                    profiles: bundle.profiles,
                    routers,
                    samv3_config: sam,
                    transit: Some(TransitConfig {
                        max_tunnels: Some(200),
                    }),
                    ..Config::default()
                };
                let storage = Arc::new(storage);
                let started = Router::<Runtime>::new(config, None, Some(storage.clone()))
                    .await
                    .map_err(|e| embedded(&e))?;
                let _ = storage.store_local_router_info(started.2.clone()).await;
                started
            }
            Network::Private {
                net_id,
                routers,
                floodfill,
            } => {
                let config = Config {
                    net_id: Some(net_id),
                    floodfill,
                    allow_local: true,
                    insecure_tunnels: true,
                    ntcp2: Some(ntcp2(
                        Some(Ipv4Addr::LOCALHOST),
                        true,
                        rand::random(),
                        rand::random(),
                    )),
                    routers,
                    samv3_config: sam,
                    transit: Some(TransitConfig {
                        max_tunnels: Some(5000),
                    }),
                    ..Config::default()
                };
                Router::<Runtime>::new(config, None, None)
                    .await
                    .map_err(|e| embedded(&e))?
            }
        };
        let sam = router
            .protocol_address_info()
            .sam_tcp
            .ok_or_else(|| I2pError::Embedded("the router has no SAM bridge".to_owned()))?;
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(run(router, stopped));
        Ok(EmbeddedRouter {
            sam,
            router_info,
            stop: Some(stop),
            task,
        })
    }

    /// Where its SAM bridge listens.
    pub fn sam_address(&self) -> SocketAddr {
        self.sam
    }

    /// Its router info, for other routers of a private network to find it.
    pub fn router_info(&self) -> &[u8] {
        &self.router_info
    }

    /// Stops the router, closing its connections.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for EmbeddedRouter {
    fn drop(&mut self) {
        if self.stop.is_some() {
            self.task.abort();
        }
    }
}

/// Starts a private network of `routers` routers on 127.0.0.1 (the first two are floodfills), each knowing
/// the ones started before it. Their SAM bridges accept sessions once the network has settled, which takes
/// tens of seconds: the I2P transport retries until then.
pub async fn private_network(routers: usize, net_id: u8) -> Result<Vec<EmbeddedRouter>, I2pError> {
    let mut started: Vec<EmbeddedRouter> = Vec::with_capacity(routers);
    for index in 0..routers {
        let known = started.iter().map(|r| r.router_info.clone()).collect();
        started.push(
            EmbeddedRouter::start(Network::Private {
                net_id,
                routers: known,
                floodfill: index < 2,
            })
            .await?,
        );
    }
    Ok(started)
}

/// NTCP2 on a free port; published (so that other routers can connect) only on a private network.
fn ntcp2(host: Option<Ipv4Addr>, publish: bool, key: [u8; 32], iv: [u8; 16]) -> Ntcp2Config {
    Ntcp2Config {
        ipv4: true,
        ipv4_host: host,
        ipv6: false,
        ipv6_host: None,
        iv,
        key,
        port: 0,
        publish,
        ml_kem: None,
        disable_pq: false,
    }
}

/// Runs the router until it ends or `stop` fires; then shuts it down (twice: at once, without the
/// grace period for transit tunnels).
async fn run(mut router: Router<Runtime>, stop: oneshot::Receiver<()>) {
    tokio::select! {
        () = &mut router => {}
        _ = stop => {
            router.shutdown();
            router.shutdown();
            let _ = tokio::time::timeout(STOP_GRACE, &mut router).await;
        }
    }
}
