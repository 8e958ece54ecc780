//! Daemon benchmarks, run against real `cliqueclique serve` processes (see `docs/BENCHMARKS.md`).
//!
//! ```sh
//! cargo build --release -p cliqueclique --bins --examples
//! target/release/examples/bench ingest --comments 5000
//! target/release/examples/bench idle --docs 100000
//! ```
//!
//! - `ingest`: one daemon holds a forum root with N signed comments of 1 KiB; a second daemon joins
//!   the root over loopback and receives every comment durably (each batch committed with an
//!   fsync before it is acknowledged). Prints documents per second and the receiver's peak memory.
//! - `idle`: an installation whose node holds N subscribed documents, built offline, is started and
//!   left idle; prints the resident memory per document above an empty installation's.

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
        _ => anyhow::bail!(
            "usage: bench ingest [--comments N] [--size BYTES] | bench idle [--docs N]"
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
        let binary = std::env::current_exe()?
            .parent()
            .and_then(Path::parent)
            .map(|d| d.join("cliqueclique"))
            .expect("the example lives in target/PROFILE/examples");
        let _ = std::fs::remove_file(dir.join("api.addr"));
        let child = Command::new(binary)
            .arg("--data-dir")
            .arg(dir)
            .args([
                "--api",
                "127.0.0.1:0",
                "serve",
                "--listen",
                "tcp://127.0.0.1:0",
            ])
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

    /// (current, peak) resident memory in KiB, from /proc.
    fn memory_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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
