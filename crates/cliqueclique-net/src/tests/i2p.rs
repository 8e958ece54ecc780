//! The I2P transport: failures without a router, and (feature `embedded`) streams by b32 address over a
//! private network of emissary routers in this process, a stable address across restarts, a bridge that
//! refuses and a session that drops.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::i2p::destination::test_keys;
use crate::i2p::{I2p, I2pConfig, I2pMode};
use crate::{I2pError, PeerAddress, SamError, TransportState, TransportStatus};

/// Quick retries and small tunnels, so that failures and recoveries happen within a test.
fn test_config() -> I2pConfig {
    I2pConfig {
        mode: I2pMode::Sam,
        tunnel_length: 1,
        tunnel_quantity: 1,
        session_timeout: Duration::from_secs(60),
        dial_timeout: Duration::from_secs(60),
        command_timeout: Duration::from_secs(10),
        backoff_initial: Duration::from_millis(200),
        backoff_max: Duration::from_secs(2),
        renew_interval: Duration::from_secs(5),
        ..I2pConfig::default()
    }
}

/// A fresh directory for key files.
fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cc-i2p-{:016x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A loopback address where nothing listens.
async fn dead_address() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    drop(listener);
    address
}

/// Polls the transport's status until `check` holds; fails with the last status after `limit`.
async fn wait_status(
    i2p: &I2p,
    what: &str,
    limit: Duration,
    check: impl Fn(&TransportStatus) -> bool,
) {
    let started = Instant::now();
    loop {
        let status = i2p.status();
        if check(&status) {
            return;
        }
        assert!(
            started.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}; status: {status:#?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn without_keys_and_without_a_bridge_start_fails_with_a_clear_message() {
    let dir = temp_dir();
    let bridge = dead_address().await;
    let error = I2p::start(test_config(), bridge.clone(), &dir.join("i2p.key"))
        .await
        .expect_err("no bridge to make keys");
    assert!(
        matches!(error, I2pError::Generate(SamError::Unreachable { .. })),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains(&format!("no SAM bridge at {bridge}")),
        "{message}"
    );
    assert!(!dir.join("i2p.key").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn an_unreachable_bridge_is_reported_and_retried_while_dials_wait() {
    let dir = temp_dir();
    let key_file = dir.join("i2p.key");
    let keys = test_keys(5);
    keys.save(&key_file).unwrap();
    let bridge = dead_address().await;
    let (i2p, transport, _listener) = I2p::start(test_config(), bridge.clone(), &key_file)
        .await
        .expect("starts with keys");
    // The address is known at once, from the key file.
    assert_eq!(i2p.address(), keys.address());
    wait_status(&i2p, "two failed attempts", Duration::from_secs(20), |s| {
        s.state == TransportState::Down && s.failures >= 2
    })
    .await;
    let status = i2p.status();
    assert!(
        status
            .detail
            .contains(&format!("no SAM bridge at {bridge}")),
        "{status:#?}"
    );
    assert!(status.retry_in_ms.is_some(), "{status:#?}");
    assert_eq!(status.address, keys.address().to_string());
    // A dial waits for the session instead of failing (the manager's timeout bounds it).
    let peer = test_keys(6).address();
    let dial = crate::Transport::dial(&transport, &peer);
    assert!(
        tokio::time::timeout(Duration::from_millis(500), dial)
            .await
            .is_err()
    );
    // TCP addresses are not this transport's.
    let tcp: PeerAddress = "tcp://127.0.0.1:1".parse().unwrap();
    assert!(matches!(
        crate::Transport::dial(&transport, &tcp).await,
        Err(crate::DialError::Unsupported { .. })
    ));
    i2p.shutdown().await;
    std::fs::remove_dir_all(dir).unwrap();
}

#[cfg(feature = "embedded")]
mod private_network {
    use super::*;
    use crate::i2p::{EmbeddedRouter, private_network};
    use crate::{Listener, Stream, Transport};
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// The longest the network may take to carry a session (a failure bound, not a speed claim).
    const SESSION_LIMIT: Duration = Duration::from_secs(240);
    /// The longest one exchange may take once sessions are up.
    const EXCHANGE_LIMIT: Duration = Duration::from_secs(120);

    /// Sends `message` on a stream dialed from `from` to `to`'s address and reads it on `to`'s side, then the
    /// answer back; bounded by [`EXCHANGE_LIMIT`].
    async fn exchange(from: &dyn Transport, to: &mut dyn Listener, message: &[u8]) {
        let address = to.local_address();
        let work = async {
            let dial = async {
                // The remote lease set takes a moment to reach the network database: redial, as the
                // session manager does.
                let mut stream: Box<dyn Stream> = loop {
                    match from.dial(&address).await {
                        Ok(stream) => break stream,
                        Err(error) => {
                            eprintln!("dial {address}: {error}; retrying");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                };
                stream.write_all(message).await.expect("write");
                stream.flush().await.expect("flush");
                let mut answer = vec![0; message.len()];
                stream.read_exact(&mut answer).await.expect("read answer");
                answer
            };
            let accept = async {
                let (mut stream, _) = to.accept().await.expect("accept");
                let mut got = vec![0; message.len()];
                stream.read_exact(&mut got).await.expect("read");
                let reversed: Vec<u8> = got.iter().rev().copied().collect();
                stream.write_all(&reversed).await.expect("write answer");
                stream.flush().await.expect("flush");
                // Keep the stream open until the answer is read.
                tokio::time::sleep(Duration::from_secs(2)).await;
                got
            };
            tokio::join!(dial, accept)
        };
        let (answer, got) = tokio::time::timeout(EXCHANGE_LIMIT, work)
            .await
            .unwrap_or_else(|_| panic!("no exchange with {address} within {EXCHANGE_LIMIT:?}"));
        assert_eq!(got, message);
        assert_eq!(answer, message.iter().rev().copied().collect::<Vec<_>>());
    }

    async fn up(i2p: &I2p) {
        wait_status(i2p, "the session to be up", SESSION_LIMIT, |s| {
            s.state == TransportState::Up
        })
        .await;
    }

    fn bridge(router: &EmbeddedRouter) -> String {
        router.sam_address().to_string()
    }

    /// A TCP relay in front of a SAM bridge: stopping it closes every connection and refuses new ones,
    /// as a router process that dies does (an in-process emissary router that stops keeps its SAM sockets).
    struct Relay {
        address: String,
        task: tokio::task::JoinHandle<()>,
    }

    impl Relay {
        async fn start(target: SocketAddr) -> Relay {
            Relay::start_on("127.0.0.1:0", target).await
        }

        /// A relay on `address` (again, after a stop).
        async fn start_on(address: &str, target: SocketAddr) -> Relay {
            let listener = tokio::net::TcpListener::bind(address).await.unwrap();
            let address = listener.local_addr().unwrap().to_string();
            let task = tokio::spawn(async move {
                let mut connections = tokio::task::JoinSet::new();
                while let Ok((mut inbound, _)) = listener.accept().await {
                    connections.spawn(async move {
                        if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                            let _ =
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                        }
                    });
                }
            });
            Relay { address, task }
        }

        /// Aborting the task drops the listener and, with the join set, every relayed connection.
        async fn stop(self) {
            self.task.abort();
            let _ = self.task.await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn streams_by_b32_address_survive_restarts_and_failures_are_reported() {
        // RUST_LOG=emissary=debug shows the routers' side of a failure.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
        let net_id = 10 + rand::random::<u8>() % 200;
        let routers = private_network(6, net_id).await.expect("routers start");
        let (dir_a, dir_b) = (temp_dir(), temp_dir());
        let (key_a, key_b) = (dir_a.join("i2p.key"), dir_b.join("i2p.key"));

        // First start: the bridge makes the keys, which are kept.
        let (a, a_transport, mut a_listener) =
            I2p::start(test_config(), bridge(&routers[4]), &key_a)
                .await
                .expect("a starts");
        let relay = Relay::start(routers[5].sam_address()).await;
        let (b, b_transport, mut b_listener) =
            I2p::start(test_config(), relay.address.clone(), &key_b)
                .await
                .expect("b starts");
        assert!(key_a.exists() && key_b.exists());
        let a_address = a.address();
        assert_eq!(a_listener.local_address(), a_address);
        assert_ne!(a_address, b.address());
        up(&a).await;
        up(&b).await;

        // Streams both ways, by b32 address.
        exchange(&a_transport, &mut b_listener, b"hello from a").await;
        exchange(&b_transport, &mut a_listener, b"hello from b").await;

        // A refusing bridge: a second session for A's destination is refused as a duplicate.
        let (twin, _twin_transport, _twin_listener) =
            I2p::start(test_config(), bridge(&routers[4]), &key_a)
                .await
                .expect("twin starts");
        wait_status(&twin, "the duplicate to be refused", SESSION_LIMIT, |s| {
            s.state == TransportState::Down && s.detail.contains("DUPLICATE_DEST")
        })
        .await;
        twin.shutdown().await;

        // Restart A: same key file, same address, and streams work again.
        drop((a_transport, a_listener));
        a.shutdown().await;
        let (a, a_transport, mut a_listener) =
            I2p::start(test_config(), bridge(&routers[4]), &key_a)
                .await
                .expect("a restarts");
        assert_eq!(a.address(), a_address);
        // A closed its listening session a moment ago: it waits `reuse_delay` before creating it again.
        wait_status(&a, "the wait before reuse", Duration::from_secs(5), |s| {
            s.detail.contains("waiting") && s.state == TransportState::Starting
        })
        .await;
        up(&a).await;
        // B had dialed A: its router keeps an end-to-end session with A's previous destination, which A's new
        // one cannot read. B's dial fails, B renews its dialing session, and the next dial reaches A.
        let renewals = b.renewals();
        exchange(&b_transport, &mut a_listener, b"hello again a, from b").await;
        assert!(b.renewals() > renewals, "B reached A without renewing");
        // A dials from a dialing session that is new since its restart: B answers at once.
        exchange(&a_transport, &mut b_listener, b"hello again b, from a").await;
        assert_eq!(a.renewals(), 0);
        // A newcomer reaches A at its old address too.
        let dir_c = temp_dir();
        let (c, c_transport, _c_listener) =
            I2p::start(test_config(), bridge(&routers[3]), &dir_c.join("i2p.key"))
                .await
                .expect("c starts");
        up(&c).await;
        exchange(&c_transport, &mut a_listener, b"hello a, from c").await;
        c.shutdown().await;
        drop(a_transport);

        // A session that drops: B's bridge goes away; B reports it and retries.
        relay.stop().await;
        wait_status(
            &b,
            "the dropped session to be reported",
            SESSION_LIMIT,
            |s| s.state == TransportState::Down && s.failures >= 1,
        )
        .await;
        let status = b.status();
        assert!(
            status.detail.contains("dropped") || status.detail.contains("no SAM bridge"),
            "{status:#?}"
        );
        a.shutdown().await;
        b.shutdown().await;
        for router in routers {
            router.stop().await;
        }
        std::fs::remove_dir_all(dir_a).unwrap();
        std::fs::remove_dir_all(dir_b).unwrap();
        std::fs::remove_dir_all(dir_c).unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn batches_queued_while_the_bridge_is_down_are_delivered_when_it_returns() {
        use crate::tests::{batch, identity};
        use crate::{Config, Event, SessionManager, StaticKey};
        use std::sync::Arc;

        let net_id = 10 + rand::random::<u8>() % 200;
        let routers = private_network(5, net_id).await.expect("routers start");
        let (dir_a, dir_b) = (temp_dir(), temp_dir());

        // A's bridge sits behind a relay; A gets its keys, then the bridge goes away.
        let relay = Relay::start(routers[3].sam_address()).await;
        let relay_address = relay.address.clone();
        let (a, a_transport, a_listener) =
            I2p::start(test_config(), relay_address.clone(), &dir_a.join("i2p.key"))
                .await
                .expect("a starts");
        up(&a).await;
        relay.stop().await;
        wait_status(&a, "A's bridge to be gone", SESSION_LIMIT, |s| {
            s.state == TransportState::Down
        })
        .await;

        let (b, b_transport, b_listener) =
            I2p::start(test_config(), bridge(&routers[4]), &dir_b.join("i2p.key"))
                .await
                .expect("b starts");
        up(&b).await;
        let config = Config {
            handshake_timeout: Duration::from_secs(60),
            backoff_initial: Duration::from_millis(200),
            backoff_max: Duration::from_secs(2),
            ..Config::default()
        };
        let manager = |key: u8, transport: Arc<dyn Transport>, listener: Box<dyn Listener>| {
            SessionManager::spawn(
                config.clone(),
                StaticKey::from_secret_bytes([key; 32]),
                vec![transport],
                vec![listener],
            )
        };
        let (a_manager, _a_events) = manager(1, Arc::new(a_transport), Box::new(a_listener));
        let (b_manager, mut b_events) = manager(2, Arc::new(b_transport), Box::new(b_listener));
        let (a_node, b_node) = (identity(1), identity(2));
        a_manager.add_node(a_node.clone()).await.unwrap();
        b_manager.add_node(b_node.clone()).await.unwrap();
        a_manager
            .set_address(b_node.node_id(), Some(b.address()))
            .await
            .unwrap();

        // Queued while A has no bridge.
        let sent = [
            batch(a_node.node_id(), b_node.node_id(), 100),
            batch(a_node.node_id(), b_node.node_id(), 200),
        ];
        for one in &sent {
            a_manager.send(one).await.expect("queued");
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        let status = a_manager.status().await.unwrap();
        assert_eq!(status.dialing.len(), 1, "{status:#?}");
        assert_eq!(status.dialing[0].queue_len, 2, "{status:#?}");

        // The bridge comes back at the same address: the session is recreated and the batches arrive.
        let relay = Relay::start_on(&relay_address, routers[3].sam_address()).await;
        let mut received = Vec::new();
        let deadline = tokio::time::Instant::now() + SESSION_LIMIT;
        while received.len() < sent.len() {
            let event = tokio::time::timeout_at(deadline, b_events.recv())
                .await
                .unwrap_or_else(|_| panic!("not delivered; A: {:#?}", a.status()))
                .expect("events");
            if let Event::Received { batch, .. } = event {
                received.push(batch);
            }
        }
        assert_eq!(received, sent);

        a_manager.shutdown().await;
        b_manager.shutdown().await;
        a.shutdown().await;
        b.shutdown().await;
        relay.stop().await;
        for router in routers {
            router.stop().await;
        }
        std::fs::remove_dir_all(dir_a).unwrap();
        std::fs::remove_dir_all(dir_b).unwrap();
    }
}
