//! The HTTP server of the API and the web UI, with bounds on what a client can hold.
//!
//! - At most `max_connections` connections are open at once: the accept loop waits for a free slot, so
//!   further clients wait in the kernel's listen backlog and cost no file descriptor.
//! - At most `max_connections_per_address` of them come from one address (reverse proxies in
//!   `trusted_proxies` excepted); a further connection from that address is closed at once.
//! - A client has `header_read_timeout` to send a request's headers; the same timer closes a keep-alive
//!   connection that stays idle that long.
//! - A request body must make progress at least every `body_timeout`; its size is bounded by the
//!   routers (`DefaultBodyLimit`).
//!
//! Every request carries the client's socket address as `ConnectInfo<SocketAddr>`, as with
//! `axum::serve`.

use crate::config::HttpConfig;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

/// Serves `app` on `listener` within `limits` until the returned sender fires (or is dropped); then
/// stops accepting and lets open connections finish their current request.
pub(crate) fn serve(
    listener: TcpListener,
    app: Router,
    limits: HttpConfig,
) -> (JoinHandle<()>, oneshot::Sender<()>) {
    let (stop, stop_rx) = oneshot::channel::<()>();
    let server = tokio::spawn(run(listener, app, limits, stop_rx));
    (server, stop)
}

async fn run(
    listener: TcpListener,
    app: Router,
    limits: HttpConfig,
    mut stop: oneshot::Receiver<()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let per_address = PerAddress::default();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let (closing, closing_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            _ = &mut stop => break,
        };
        let Ok(slot) = slot else { break };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Usually one failed connection, or a shortage of file descriptors: pause, don't spin.
                    tracing::debug!(%error, "HTTP accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        while connections.try_join_next().is_some() {}
        let ip = remote.ip().to_canonical();
        let trusted = limits.trusted_proxies.contains(&ip);
        let Some(counted) = per_address.enter(ip, trusted, &limits) else {
            tracing::debug!(%remote, "too many HTTP connections from one address");
            continue;
        };
        let app = app.clone();
        let body_timeout = limits.body_timeout;
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let mut request =
                request.map(|body| axum::body::Body::new(TimeoutBody::new(body_timeout, body)));
            request.extensions_mut().insert(ConnectInfo(remote));
            app.clone().oneshot(request)
        });
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let mut closing = closing_rx.clone();
        connections.spawn(async move {
            let _slot = slot;
            let _counted = counted;
            tokio::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = closing.changed() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = result {
                tracing::debug!(%remote, %error, "HTTP connection ended");
            }
        });
    }
    drop(listener);
    let _ = closing.send(true);
    while connections.join_next().await.is_some() {}
}

/// Open connections per client address.
#[derive(Clone, Default)]
struct PerAddress(Arc<Mutex<HashMap<IpAddr, usize>>>);

impl PerAddress {
    /// Counts a connection from `ip`, unless that address has its maximum; trusted proxies are counted
    /// only against the total.
    fn enter(&self, ip: IpAddr, trusted: bool, limits: &HttpConfig) -> Option<Counted> {
        if trusted {
            return Some(Counted(None));
        }
        let mut open = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(ip).or_default();
        if *count >= limits.max_connections_per_address.max(1) {
            return None;
        }
        *count += 1;
        Some(Counted(Some((self.clone(), ip))))
    }
}

/// One counted connection; uncounted when dropped.
struct Counted(Option<(PerAddress, IpAddr)>);

impl Drop for Counted {
    fn drop(&mut self) {
        if let Some((per_address, ip)) = self.0.take() {
            let mut open = per_address.0.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(count) = open.get_mut(&ip) {
                *count -= 1;
                if *count == 0 {
                    open.remove(&ip);
                }
            }
        }
    }
}
