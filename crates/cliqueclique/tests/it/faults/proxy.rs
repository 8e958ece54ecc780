//! A fault-injecting TCP relay in front of one installation's peer port: what `tc netem` would do
//! to a link, done to the stream instead (this kernel has no `netem`). Every chunk is held for a
//! random delay before it is passed on (in order, as TCP delivers it), and some connections are
//! cut (both sides closed) after a random time, which the installations see as a lost link: they redial,
//! and their protocol resends whatever was not acknowledged. Faults apply only while switched on.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// What the relay does to the streams it carries.
#[derive(Clone, Copy, Debug)]
pub struct Faults {
    /// Each chunk waits between 0 and this many milliseconds.
    pub max_delay_ms: u64,
    /// The chance that a connection is cut.
    pub cut_chance: f64,
    /// A cut connection lives between 0 and this many milliseconds.
    pub cut_within_ms: u64,
}

/// Counters of one relay.
#[derive(Debug, Default)]
pub struct Counters {
    /// Connections relayed.
    pub connections: AtomicU64,
    /// Connections cut.
    pub cuts: AtomicU64,
    /// Chunks delayed.
    pub delayed: AtomicU64,
}

/// A running relay; stopped, with every connection it carries, on drop.
pub struct Proxy {
    /// Where it listens.
    pub address: SocketAddr,
    /// Whether faults apply now.
    pub active: Arc<AtomicBool>,
    /// Its counters.
    pub counters: Arc<Counters>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Listens on `listen` (port 0 picks one) and relays each connection to `target`.
    pub async fn start(
        listen: SocketAddr,
        target: SocketAddr,
        faults: Faults,
        seed: u64,
    ) -> std::io::Result<Proxy> {
        let listener = TcpListener::bind(listen).await?;
        let address = listener.local_addr()?;
        let active = Arc::new(AtomicBool::new(false));
        let counters = Arc::new(Counters::default());
        let (on, count) = (active.clone(), counters.clone());
        let task = tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut connections = JoinSet::new();
            while let Ok((inbound, _)) = listener.accept().await {
                count.connections.fetch_add(1, Ordering::Relaxed);
                let cut = (on.load(Ordering::Relaxed) && rng.random_bool(faults.cut_chance))
                    .then(|| Duration::from_millis(rng.random_range(0..=faults.cut_within_ms)));
                let seed = rng.random();
                let (on, count) = (on.clone(), count.clone());
                connections.spawn(async move {
                    relay(inbound, target, faults, cut, seed, on, count).await;
                });
                // Forget finished connections.
                while connections.try_join_next().is_some() {}
            }
        });
        Ok(Proxy {
            address,
            active,
            counters,
            task,
        })
    }

    /// Switches the faults on or off.
    pub fn set_active(&self, on: bool) {
        self.active.store(on, Ordering::Relaxed);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Relays one connection both ways until either side closes it or it is cut.
async fn relay(
    inbound: TcpStream,
    target: SocketAddr,
    faults: Faults,
    cut: Option<Duration>,
    seed: u64,
    active: Arc<AtomicBool>,
    counters: Arc<Counters>,
) {
    let Ok(outbound) = TcpStream::connect(target).await else {
        return;
    };
    let _ = inbound.set_nodelay(true);
    let _ = outbound.set_nodelay(true);
    let (in_read, in_write) = inbound.into_split();
    let (out_read, out_write) = outbound.into_split();
    let pumps = async {
        tokio::join!(
            pump(in_read, out_write, faults, seed, &active, &counters),
            pump(out_read, in_write, faults, seed ^ 1, &active, &counters),
        )
    };
    match cut {
        Some(after) => {
            if tokio::time::timeout(after, pumps).await.is_err() {
                counters.cuts.fetch_add(1, Ordering::Relaxed);
            }
        }
        None => {
            pumps.await;
        }
    }
    // Dropping the halves closes both connections.
}

/// Copies one direction, holding each chunk for a random delay while faults are on.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    faults: Faults,
    seed: u64,
    active: &AtomicBool,
    counters: &Counters,
) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if active.load(Ordering::Relaxed) && faults.max_delay_ms > 0 {
            counters.delayed.fetch_add(1, Ordering::Relaxed);
            let delay = rng.random_range(0..=faults.max_delay_ms);
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}
