//! Daemon benchmarks, run against real `cliqueclique serve` processes (see `docs/BENCHMARKS.md`).
//!
//! ```sh
//! cargo build --release -p cliqueclique --bins --examples
//! target/release/examples/bench ingest --comments 5000
//! target/release/examples/bench idle --docs 100000
//! target/release/examples/bench latency --transport tcp --comments 20
//! target/release/examples/bench latency --transport i2p --comments 20 [--hops 3]
//! target/release/examples/bench flood --connections 1000
//! target/release/examples/bench keys --keys 48000
//! target/release/examples/bench catch-up --comments 10000 --missed 0,1,100,1000
//! ```
//!
//! - `ingest`: one daemon holds a forum root with N signed comments of 1 KiB; a second daemon joins
//!   the root over loopback and receives every comment durably (each batch committed with an
//!   fsync before it is acknowledged). Prints documents per second and the receiver's peak memory.
//! - `idle`: an installation whose node holds N subscribed documents, built offline, is started and
//!   left idle; prints the resident memory per document above an empty installation's.
//! - `latency`: two installations, over TCP on loopback or I2P-only over a private network of six emissary
//!   routers in this process (tunnels of `--hops`, default 1); prints the time to join a forum by address and the time
//!   from posting a comment to its arrival at the other installation, each way.
//! - `flood`: one installation flooded from loopback: N idle TCP connections to the peer port from one address and
//!   from many (127.0.0.x), N idle HTTP connections to the API from one address and from many, and a burst of wrong
//!   logins. Prints the resident memory and the latency of `GET /api/status` (median, p95, max) before, during and
//!   after each, and the transport's refusal counters.
//! - `keys`: one installation holding a forum, flooded over real sessions by a stranger with N throw-away node keys
//!   (`cliqueclique_daemon::testing::throwaway`), each sending its card, a link request and a goodbye. Prints the
//!   resident memory, the latency of `GET /api/status` and the node's peer records before, during and after.
//! - `catch-up`: two installations share a forum of N comments; the second is stopped, misses d
//!   comments, and is started again from its data directory, once for each d of `--missed`.
//!   Prints the parts each core sent from the restart until both are quiet, and the time until
//!   the second holds every missed comment.

#[path = "bench/catch_up.rs"]
mod catch_up;
use catch_up::catch_up;
use cliqueclique_daemon::api::{
    CreateNode, DocId, JoinRequest, Joined, NewPost, NodeInfo, Posted, Status,
};
use cliqueclique_daemon::client::Client;
use cliqueclique_doc::{DocumentBuilder, Identity};
use cliqueclique_proto::{Command as CoreCommand, Node};
use cliqueclique_store::{Database, database_path};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |flag: &str, default: usize| -> usize {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let runtime = tokio::runtime::Runtime::new()?;
    match args.first().map(String::as_str) {
        Some("ingest") => {
            runtime.block_on(ingest(number("--comments", 5000), number("--size", 1024)))
        }
        Some("idle") => runtime.block_on(idle(number("--docs", 100_000))),
        Some("latency") => {
            let i2p = args
                .iter()
                .position(|a| a == "--transport")
                .and_then(|i| args.get(i + 1))
                .is_some_and(|t| t == "i2p");
            runtime.block_on(latency(i2p, number("--hops", 1), number("--comments", 20)))
        }
        Some("flood") => runtime.block_on(flood(
            number("--connections", 1000),
            number("--logins", 200),
        )),
        Some("keys") => runtime.block_on(keys(number("--keys", 48_000))),
        Some("catch-up") => {
            let missed = args
                .iter()
                .position(|a| a == "--missed")
                .and_then(|i| args.get(i + 1))
                .map_or("0,1,100,1000", String::as_str)
                .split(',')
                .map(str::parse)
                .collect::<Result<Vec<usize>, _>>()?;
            runtime.block_on(catch_up(number("--comments", 10_000), &missed))
        }
        _ => anyhow::bail!(
            "usage: bench ingest [--comments N] [--size BYTES] | bench idle [--docs N] | \
             bench latency [--transport tcp|i2p] [--hops N] [--comments N] | \
             bench flood [--connections N] [--logins N] | bench keys [--keys N] | \
             bench catch-up [--comments N] [--missed D,D,..]"
        ),
    }
}

/// A `cliqueclique serve` process, killed on drop.
struct Serve {
    child: Child,
    client: Client,
    address: String,
}

impl Serve {
    async fn start(dir: &Path) -> anyhow::Result<Serve> {
        Serve::start_with(dir, &["--listen", "tcp://127.0.0.1:0"]).await
    }

    /// Starts `serve` with these arguments.
    async fn start_with(dir: &Path, serve_args: &[&str]) -> anyhow::Result<Serve> {
        let binary = std::env::current_exe()?
            .parent()
            .and_then(Path::parent)
            .map(|d| d.join("cliqueclique"))
            .expect("the example lives in target/PROFILE/examples");
        let _ = std::fs::remove_file(dir.join("api.addr"));
        let child = Command::new(binary)
            .arg("--data-dir")
            .arg(dir)
            .args(["--api", "127.0.0.1:0", "serve"])
            .args(serve_args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()?;
        let started = Instant::now();
        let api: SocketAddr = loop {
            if let Ok(text) = std::fs::read_to_string(dir.join("api.addr"))
                && let Ok(address) = text.trim().parse()
            {
                break address;
            }
            anyhow::ensure!(started.elapsed() < Duration::from_secs(600), "no api.addr");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let client = Client::new(api);
        let status: Status = client.get("/api/status").await?;
        Ok(Serve {
            child,
            client,
            address: status.listening[0].clone(),
        })
    }

    /// Waits until every transport of the installation is up; `since` bounds the wait.
    async fn transports_up(&self, since: Instant) -> anyhow::Result<()> {
        loop {
            let status: Status = self.client.get("/api/status").await?;
            // An I2P-only installation lists its I2P transport from the start (TCP lists none).
            let i2p_only = status.listening.iter().all(|a| a.starts_with("i2p://"));
            let listed = !i2p_only || status.transports.iter().any(|t| t.transport == "i2p");
            if listed
                && status
                    .transports
                    .iter()
                    .all(|t| t.state == cliqueclique_net::TransportState::Up)
            {
                return Ok(());
            }
            anyhow::ensure!(since.elapsed() < Duration::from_secs(600), "no I2P session");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Stops the process as a user would (SIGTERM: it closes its sessions and its database), and waits.
    fn terminate(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }

    /// (current, peak) resident memory in KiB, from /proc.
    fn memory_kib(&self) -> (u64, u64) {
        cliqueclique_daemon::testing::resident_kib(self.child.id())
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn as_strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// Posts `new` at `from` and waits until `to` holds it; returns the time from the post request.
async fn deliver(
    from: &Serve,
    name_from: &str,
    to: &Serve,
    name_to: &str,
    new: &NewPost,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let posted: Posted = from
        .client
        .post(&format!("/api/nodes/{name_from}/documents"), new)
        .await?;
    loop {
        let held: Result<cliqueclique_daemon::api::DocumentView, _> = to
            .client
            .get(&format!("/api/nodes/{name_to}/documents/{}", posted.id))
            .await;
        if held.is_ok_and(|v| v.document.is_some()) {
            return Ok(started.elapsed());
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "{:?} from {name_from} did not reach {name_to}",
            new.subject
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn temp_dir(name: &str) -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("cc-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

async fn ingest(comments: usize, size: usize) -> anyhow::Result<()> {
    let (dir_s, dir_r) = (temp_dir("sender")?, temp_dir("receiver")?);
    let sender = Serve::start(&dir_s).await?;
    let receiver = Serve::start(&dir_r).await?;
    let _: NodeInfo = sender
        .client
        .post("/api/nodes", &CreateNode { name: "s".into() })
        .await?;
    let _: NodeInfo = receiver
        .client
        .post("/api/nodes", &CreateNode { name: "r".into() })
        .await?;
    let post = |subject: String, parent: Option<DocId>, body: String| NewPost {
        subject,
        body: Some(body),
        parent,
        ..NewPost::default()
    };
    let root: Posted = sender
        .client
        .post(
            "/api/nodes/s/documents",
            &post("bench".into(), None, "root".into()),
        )
        .await?;
    let started = Instant::now();
    for i in 0..comments {
        let body: String = format!("comment {i} ").chars().cycle().take(size).collect();
        let _: Posted = sender
            .client
            .post(
                "/api/nodes/s/documents",
                &post(format!("c{i}"), Some(root.id), body),
            )
            .await?;
    }
    let posting = started.elapsed();

    let started = Instant::now();
    let join = JoinRequest {
        address: sender.address.clone(),
        addresses: Vec::new(),
        doc: root.id,
        timeout_ms: Some(600_000),
    };
    let _: Joined = receiver.client.post("/api/nodes/r/join", &join).await?;
    loop {
        let status: Status = receiver.client.get("/api/status").await?;
        if status.documents > comments {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(1200),
            "ingest did not finish"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    let (rss, peak) = receiver.memory_kib();
    let figures = serde_json::json!({
        "benchmark": "ingest",
        "comments": comments,
        "body_bytes": size,
        "posting_secs": posting.as_secs_f64(),
        "posts_per_sec": comments as f64 / posting.as_secs_f64(),
        "ingest_secs": elapsed.as_secs_f64(),
        "ingested_docs_per_sec": comments as f64 / elapsed.as_secs_f64(),
        "receiver_rss_kib": rss,
        "receiver_peak_rss_kib": peak,
    });
    println!("{}", serde_json::to_string_pretty(&figures)?);
    drop((sender, receiver));
    let _ = std::fs::remove_dir_all(dir_s);
    let _ = std::fs::remove_dir_all(dir_r);
    Ok(())
}

/// Builds an installation whose one node holds `docs` subscribed documents, in transactions of
/// a few thousand posts (what the daemon does one post at a time).
fn build_installation(dir: &Path, docs: usize) -> anyhow::Result<()> {
    let db = Database::open(&database_path(dir))?;
    let identity = Identity::generate(&mut rand::rng());
    let info = db.create_node("idle", &identity, 0)?;
    let card = cliqueclique_doc::ContactCard::new(&identity, "idle", Vec::new(), 0);
    let mut node = Node::new(
        identity.clone(),
        card,
        cliqueclique_proto::Config::default(),
        db.store(info.id)?,
        1,
    );
    let now = cliqueclique_proto::Time(1_700_000_000_000);
    for chunk in (0..docs).collect::<Vec<_>>().chunks(5000) {
        db.begin()?;
        for i in chunk {
            let document = DocumentBuilder::new(format!("document {i}"))
                .text(format!("idle document number {i}"))
                .date(1_700_000_000)
                .build(&identity);
            node.handle_command(
                now,
                CoreCommand::Post {
                    document,
                    subscribe: true,
                },
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        db.commit()?;
    }
    Ok(())
}

async fn idle(docs: usize) -> anyhow::Result<()> {
    let dir_empty = temp_dir("empty")?;
    build_installation(&dir_empty, 0)?;
    let dir_full = temp_dir("full")?;
    let started = Instant::now();
    build_installation(&dir_full, docs)?;
    let build = started.elapsed();

    let empty = Serve::start(&dir_empty).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (empty_rss, _) = empty.memory_kib();
    drop(empty);

    let started = Instant::now();
    let full = Serve::start(&dir_full).await?;
    let startup = started.elapsed();
    let status: Status = full.client.get("/api/status").await?;
    anyhow::ensure!(
        status.documents == docs,
        "the installation holds {}",
        status.documents
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (full_rss, full_peak) = full.memory_kib();
    let figures = serde_json::json!({
        "benchmark": "idle",
        "documents": docs,
        "build_secs": build.as_secs_f64(),
        "startup_secs": startup.as_secs_f64(),
        "empty_rss_kib": empty_rss,
        "rss_kib": full_rss,
        "peak_rss_kib": full_peak,
        "bytes_per_document": (full_rss.saturating_sub(empty_rss) * 1024) as f64 / docs.max(1) as f64,
    });
    println!("{}", serde_json::to_string_pretty(&figures)?);
    drop(full);
    let _ = std::fs::remove_dir_all(dir_empty);
    let _ = std::fs::remove_dir_all(dir_full);
    Ok(())
}

/// Stands in for the embedded router in a build without it (never constructed).
#[cfg(not(feature = "embedded"))]
enum NoRouter {}

#[cfg(not(feature = "embedded"))]
impl NoRouter {
    fn sam_address(&self) -> SocketAddr {
        match *self {}
    }

    async fn stop(self) {}
}

/// Settings for the latency runs, the same over both transports except `[i2p]`.
const LATENCY_CONFIG: &str = r#"
reconnect_initial = 500
reconnect_max = 5000
join_timeout = 240000

[proto]
resend_initial = 1000
resend_max = 8000

[net]
keepalive = 5000
dead_after = 60000
handshake_timeout = 60000

[i2p]
tunnel_length = 1
tunnel_quantity = 1
dial_timeout = 60000
backoff_initial = 500
backoff_max = 5000
"#;

async fn latency(i2p: bool, hops: usize, comments: usize) -> anyhow::Result<()> {
    let (dir_a, dir_b) = (temp_dir("lat-a")?, temp_dir("lat-b")?);
    #[cfg(feature = "embedded")]
    let routers = if i2p {
        let net_id = 10 + rand::random::<u8>() % 200;
        cliqueclique_net::i2p::private_network(6, net_id).await?
    } else {
        Vec::new()
    };
    #[cfg(not(feature = "embedded"))]
    let routers: Vec<NoRouter> = if i2p {
        anyhow::bail!("the I2P latency benchmark needs the feature `embedded` (on by default)")
    } else {
        Vec::new()
    };
    let mut installations = Vec::new();
    let mut serve_args = Vec::new();
    for (index, dir) in [&dir_a, &dir_b].into_iter().enumerate() {
        let config = dir.join("config.toml");
        std::fs::write(
            &config,
            LATENCY_CONFIG.replace("tunnel_length = 1", &format!("tunnel_length = {hops}")),
        )?;
        let config = config.to_str().expect("utf-8 path").to_owned();
        let sam = routers
            .get(3 + index)
            .map(|r| r.sam_address().to_string())
            .unwrap_or_default();
        let args: Vec<String> = if i2p {
            vec![
                "--config".into(),
                config,
                "--i2p".into(),
                "sam".into(),
                "--sam".into(),
                sam,
                "--i2p-only".into(),
            ]
        } else {
            vec![
                "--config".into(),
                config,
                "--listen".into(),
                "tcp://127.0.0.1:0".into(),
            ]
        };
        installations.push(Serve::start_with(dir, &as_strs(&args)).await?);
        serve_args.push(args);
    }
    let boot = Instant::now();
    for (serve, name) in [(&installations[0], "a"), (&installations[1], "b")] {
        let _: NodeInfo = serve
            .client
            .post("/api/nodes", &CreateNode { name: name.into() })
            .await?;
        serve.transports_up(boot).await?;
    }
    let session_up = boot.elapsed();
    let post = |node: &str, parent: Option<DocId>, i: usize| NewPost {
        subject: format!("comment {i}"),
        body: Some(format!("comment {i} from {node}")),
        parent,
        ..NewPost::default()
    };
    let root = post("a", None, 0);
    let (a, b) = (&installations[0], &installations[1]);
    let root: Posted = a.client.post("/api/nodes/a/documents", &root).await?;
    let started = Instant::now();
    let join = JoinRequest {
        address: a.address.clone(),
        addresses: Vec::new(),
        doc: root.id,
        timeout_ms: Some(600_000),
    };
    let _: Joined = b.client.post("/api/nodes/b/join", &join).await?;
    let join_time = started.elapsed();
    let mut a_to_b = Vec::new();
    let mut b_to_a = Vec::new();
    for i in 0..comments {
        for (from, to, name_from, name_to, times) in
            [(a, b, "a", "b", &mut a_to_b), (b, a, "b", "a", &mut b_to_a)]
        {
            let new = post(name_from, Some(root.id), i);
            let took = deliver(from, name_from, to, name_to, &new).await?;
            times.push(took.as_secs_f64() * 1000.0);
        }
    }
    // Each installation restarts in turn (B, then A): the time until its sessions are up again, and until a
    // comment posted on either side after that has reached the other.
    let mut restarts = serde_json::Map::new();
    for (index, name) in [(1, "b"), (0, "a")] {
        let dir = if index == 0 { &dir_a } else { &dir_b };
        installations[index].terminate();
        let started = Instant::now();
        installations[index] = Serve::start_with(dir, &as_strs(&serve_args[index])).await?;
        installations[index].transports_up(started).await?;
        let up = started.elapsed();
        let (restarted, other) = (&installations[index], &installations[1 - index]);
        let other_name = if index == 0 { "b" } else { "a" };
        let to_restarted = deliver(
            other,
            other_name,
            restarted,
            name,
            &post(other_name, Some(root.id), comments + index),
        )
        .await?;
        let from_restarted = deliver(
            restarted,
            name,
            other,
            other_name,
            &post(name, Some(root.id), comments + 2 + index),
        )
        .await?;
        restarts.insert(
            format!("restart_{name}"),
            serde_json::json!({
                "sessions_up_secs": up.as_secs_f64(),
                "comment_to_restarted_secs": to_restarted.as_secs_f64(),
                "comment_from_restarted_secs": from_restarted.as_secs_f64(),
            }),
        );
    }
    let summary = |mut times: Vec<f64>| {
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        serde_json::json!({ "median_ms": at(0.5), "p90_ms": at(0.9), "max_ms": at(1.0) })
    };
    let figures = serde_json::json!({
        "benchmark": "latency",
        "transport": if i2p { format!("i2p (private network, {hops}-hop tunnels)") } else { "tcp (loopback)".to_owned() },
        "comments_each_way": comments,
        "sessions_up_secs": session_up.as_secs_f64(),
        "join_secs": join_time.as_secs_f64(),
        "comment_a_to_b": summary(a_to_b),
        "comment_b_to_a": summary(b_to_a),
        "restarts": restarts,
    });
    println!("{}", serde_json::to_string_pretty(&figures)?);
    drop(installations);
    for router in routers {
        router.stop().await;
    }
    let _ = std::fs::remove_dir_all(dir_a);
    let _ = std::fs::remove_dir_all(dir_b);
    Ok(())
}

/// The API's latency from 127.0.0.1: `samples` sequential `GET /api/status`, 20 ms apart, each on a new
/// connection; a request that fails or takes over 30 s counts as failed.
async fn api_latency(api: SocketAddr, samples: usize) -> serde_json::Value {
    let mut times = Vec::with_capacity(samples);
    let mut failed = 0;
    for _ in 0..samples {
        let started = Instant::now();
        let client = Client::new(api);
        match tokio::time::timeout(Duration::from_secs(30), client.get::<Status>("/api/status"))
            .await
        {
            Ok(Ok(_)) => times.push(started.elapsed().as_secs_f64() * 1000.0),
            _ => failed += 1,
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q).round() as usize)
            .copied()
    };
    serde_json::json!({
        "ok": times.len(),
        "failed": failed,
        "median_ms": at(0.5),
        "p95_ms": at(0.95),
        "max_ms": times.last(),
    })
}

/// Memory and API latency of `serve` now, under `label`.
async fn measure(serve: &Serve, api: SocketAddr, label: &str) -> serde_json::Value {
    let latency = api_latency(api, 40).await;
    let (rss, peak) = serve.memory_kib();
    let figures = serde_json::json!({
        "phase": label,
        "rss_kib": rss,
        "peak_rss_kib": peak,
        "status": latency,
    });
    eprintln!("{figures}");
    figures
}

/// Opens `count` idle TCP connections to `target`, taking the source addresses from `sources` in turn;
/// connections that fail to open are counted, not kept.
async fn idle_connections(
    target: SocketAddr,
    count: usize,
    sources: &[std::net::Ipv4Addr],
) -> (Vec<tokio::net::TcpStream>, usize) {
    let mut open = Vec::with_capacity(count);
    let mut failed = 0;
    for i in 0..count {
        let source = sources[i % sources.len()];
        let stream = async {
            let socket = tokio::net::TcpSocket::new_v4()?;
            socket.bind(SocketAddr::new(source.into(), 0))?;
            tokio::time::timeout(Duration::from_secs(5), socket.connect(target))
                .await
                .map_err(std::io::Error::other)?
        };
        match stream.await {
            Ok(stream) => open.push(stream),
            Err(_) => failed += 1,
        }
    }
    (open, failed)
}

/// How many of `streams` the other side has not closed.
async fn still_open(streams: &[tokio::net::TcpStream]) -> usize {
    let mut open = 0;
    let mut buf = [0u8; 1];
    for stream in streams {
        match stream.try_read(&mut buf) {
            Ok(0) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => open += 1,
            Ok(_) => open += 1,
            Err(_) => {}
        }
    }
    open
}

/// One HTTP/1.1 request from `source` on a new connection with the pre-login CSRF cookie `token`; returns the
/// status code.
async fn form_post(
    source: std::net::Ipv4Addr,
    api: SocketAddr,
    path: &str,
    token: &str,
    body: &str,
) -> anyhow::Result<u16> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source.into(), 0))?;
    let mut stream = socket.connect(api).await?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {api}\r\nCookie: cc_pre={token}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await?;
    let text = String::from_utf8_lossy(&answer);
    let code = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no HTTP status in {:?}", text.lines().next()))?;
    Ok(code)
}

/// The transport's refusal counters.
async fn refusals(serve: &Serve) -> serde_json::Value {
    let status: Result<Status, _> = serve.client.get("/api/status").await;
    let counters = status.map(|s| s.counters).unwrap_or_default();
    let pick = |name: &str| counters.get(name).copied().unwrap_or(0);
    serde_json::json!({
        "net_sessions_refused": pick("net_sessions_refused"),
        "net_address_refused": pick("net_address_refused"),
        "net_unattested_refused": pick("net_unattested_refused"),
        "net_handshake_failures": pick("net_handshake_failures"),
    })
}

async fn flood(connections: usize, logins: usize) -> anyhow::Result<()> {
    let dir = temp_dir("flood")?;
    let serve = Serve::start(&dir).await?;
    let api: SocketAddr = std::fs::read_to_string(dir.join("api.addr"))?
        .trim()
        .parse()?;
    let peer: SocketAddr = serve
        .address
        .strip_prefix("tcp://")
        .ok_or_else(|| anyhow::anyhow!("not a TCP address: {}", serve.address))?
        .parse()?;
    let mut phases = vec![measure(&serve, api, "idle").await];

    // The API is asked from 127.0.0.1, so its flood from one address comes from 127.0.0.2.
    let one = |last: u8| vec![std::net::Ipv4Addr::new(127, 0, 0, last)];
    let many: Vec<_> = (2..102)
        .map(|last| std::net::Ipv4Addr::new(127, 0, 0, last))
        .collect();
    for (label, target, sources) in [
        ("peer port, one address", peer, one(1)),
        ("peer port, 100 addresses", peer, many.clone()),
        ("API, one address", api, one(2)),
        ("API, 100 addresses", api, many.clone()),
    ] {
        let opening_label = format!("{label}: opening");
        let started = Instant::now();
        // The API is measured while the connections open (a burst), then while they are held.
        let (((streams, failed), opening_secs), opening) = tokio::join!(
            async {
                let opened = idle_connections(target, connections, &sources).await;
                (opened, started.elapsed().as_secs_f64())
            },
            measure(&serve, api, &opening_label)
        );
        phases.push(opening);
        tokio::time::sleep(Duration::from_millis(500)).await;
        let kept = still_open(&streams).await;
        let mut during = measure(&serve, api, &format!("{label}: held")).await;
        during["connections_opened"] = streams.len().into();
        during["connections_failed"] = failed.into();
        during["opening_secs"] = opening_secs.into();
        during["still_open_after_0.5s"] = kept.into();
        during["still_open_after_measuring"] = still_open(&streams).await.into();
        during["refusals"] = refusals(&serve).await;
        phases.push(during);
        drop(streams);
        tokio::time::sleep(Duration::from_secs(1)).await;
        phases.push(measure(&serve, api, &format!("{label}: after")).await);
    }

    // A burst of wrong logins for the owner, in parallel from four addresses; then the right password from
    // another address.
    let token = "a".repeat(52);
    let local = std::net::Ipv4Addr::LOCALHOST;
    let setup = form_post(
        local,
        api,
        "/setup",
        &token,
        &format!("csrf={token}&username=owner&password=correct+horse+battery"),
    )
    .await?;
    anyhow::ensure!(setup == 303, "setup answered {setup}");
    let started = Instant::now();
    let burst = tokio::spawn(async move {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..logins {
            let token = "a".repeat(52);
            tasks.spawn(async move {
                let body = format!("csrf={token}&username=owner&password=wrong{i}");
                let source = std::net::Ipv4Addr::new(127, 0, 0, 2 + (i % 4) as u8);
                form_post(source, api, "/login", &token, &body)
                    .await
                    .unwrap_or(0)
            });
        }
        let mut codes = std::collections::BTreeMap::<u16, usize>::new();
        while let Some(code) = tasks.join_next().await {
            *codes.entry(code.unwrap_or(0)).or_default() += 1;
        }
        codes
    });
    let mut during = measure(&serve, api, "wrong logins: during").await;
    let codes = burst.await?;
    during["logins"] = logins.into();
    during["login_burst_secs"] = started.elapsed().as_secs_f64().into();
    during["login_answers"] = serde_json::to_value(&codes)?;
    let right = Instant::now();
    let code = form_post(
        local,
        api,
        "/login",
        &token,
        &format!("csrf={token}&username=owner&password=correct+horse+battery"),
    )
    .await?;
    during["right_password_answer"] = code.into();
    during["right_password_ms"] = (right.elapsed().as_secs_f64() * 1000.0).into();
    phases.push(during);
    phases.push(measure(&serve, api, "wrong logins: after").await);

    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "benchmark": "flood",
            "connections": connections,
            "phases": phases,
        }))?
    );
    drop(serve);
    let _ = std::fs::remove_dir_all(dir);
    Ok(())
}

/// Throw-away node keys: a stranger sends one batch from each of `keys` fresh nodes over real sessions (256 nodes to
/// a session, 8 sessions at once) while the API's latency, the memory and the peer records are measured.
async fn keys(keys: usize) -> anyhow::Result<()> {
    let dir = temp_dir("keys")?;
    let serve = Serve::start(&dir).await?;
    let api: SocketAddr = std::fs::read_to_string(dir.join("api.addr"))?
        .trim()
        .parse()?;
    let node: NodeInfo = serve
        .client
        .post("/api/nodes", &CreateNode { name: "t".into() })
        .await?;
    let new = NewPost {
        subject: "flooded".into(),
        body: Some("root".into()),
        ..NewPost::default()
    };
    let root: Posted = serve.client.post("/api/nodes/t/documents", &new).await?;
    let records = |status: &Status| {
        status.nodes.first().map_or(
            serde_json::Value::Null,
            |n| serde_json::json!({ "peers": n.peers, "peers_forgotten": n.peers_forgotten }),
        )
    };
    let mut phases = vec![measure(&serve, api, "idle").await];
    let started = Instant::now();
    let address = serve.address.clone();
    let flood = tokio::spawn(async move {
        cliqueclique_daemon::testing::throwaway::flood(&address, node.id, root.id, keys, 256, 8)
            .await
    });
    // Until the flood is sent and handled: every node made a record, kept or forgotten (or, for an installation
    // that counts no forgotten records, the count has not moved for 10 s).
    let (mut most_peers, mut made, mut moved) = (0, 0, Instant::now());
    let mut sent_secs = None;
    loop {
        let mut during = measure(&serve, api, "throw-away keys: during").await;
        let status: Status = serve.client.get("/api/status").await?;
        let (peers, forgotten) = status
            .nodes
            .first()
            .map_or((0, 0), |n| (n.peers, n.peers_forgotten as usize));
        most_peers = most_peers.max(peers);
        if peers + forgotten != made {
            (made, moved) = (peers + forgotten, Instant::now());
        }
        during["records"] = records(&status);
        during["flood_secs"] = started.elapsed().as_secs_f64().into();
        phases.push(during);
        if sent_secs.is_none() && flood.is_finished() {
            sent_secs = Some(started.elapsed().as_secs_f64());
        }
        if sent_secs.is_some() && (made >= keys || moved.elapsed() > Duration::from_secs(10)) {
            break;
        }
    }
    let failed_sessions = flood.await?;
    let flood_secs = started.elapsed().as_secs_f64();
    let mut after = measure(&serve, api, "throw-away keys: after").await;
    let status: Status = serve.client.get("/api/status").await?;
    after["records"] = records(&status);
    after["most_peers_seen"] = most_peers.into();
    after["sent_secs"] = sent_secs.into();
    after["handled_secs"] = flood_secs.into();
    after["failed_sessions"] = failed_sessions.into();
    phases.push(after);
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "benchmark": "keys",
            "keys": keys,
            "phases": phases,
        }))?
    );
    drop(serve);
    let _ = std::fs::remove_dir_all(dir);
    Ok(())
}
