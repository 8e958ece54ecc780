//! (i) Installations that know each other only by `….b32.i2p` address: a private I2P network of emissary
//! routers runs inside this test process on 127.0.0.1, and I2P-only `cliqueclique serve` processes use their
//! SAM bridges. A forum is joined by b32 address, comments travel both ways, each installation restarts with
//! the same address and the exchange resumes, a newcomer joins, and nothing that leaves an installation names
//! an IP address, a host name or a local path.

use crate::support::{Installation, eventually_within, thread_ids};
use cliqueclique_daemon::api::{DocId, Status};
use cliqueclique_net::TransportState;
use cliqueclique_net::i2p::private_network;
use std::net::SocketAddr;
use std::time::Duration;

/// The longest to wait for anything over I2P (a failure bound, not a speed claim: tunnels and lease-set
/// lookups on a freshly booted network take seconds to minutes on a loaded machine).
const I2P_DEADLINE: Duration = Duration::from_secs(300);

/// Settings for an I2P-only installation on the private network: short tunnels, quick retries, and
/// session timers that suit I2P's round trips.
const I2P_CONFIG: &str = r#"
reconnect_initial = 500
reconnect_max = 5000
join_timeout = 240000

[proto]
resend_initial = 1000
resend_max = 8000

[net]
keepalive = 5000
dead_after = 60000
backoff_initial = 500
backoff_max = 5000
handshake_timeout = 60000

[i2p]
tunnel_length = 1
tunnel_quantity = 1
session_timeout = 120000
dial_timeout = 60000
renew_interval = 10000
backoff_initial = 500
backoff_max = 5000
"#;

async fn start(name: &str, sam: SocketAddr) -> Installation {
    let sam = sam.to_string();
    Installation::start_custom(
        name,
        I2P_CONFIG,
        None,
        &["--i2p", "sam", "--sam", &sam, "--i2p-only"],
    )
    .await
}

/// Waits until the installation's I2P session is up, and returns its status.
async fn i2p_up(installation: &Installation) -> Status {
    eventually_within(
        &format!("{}: the I2P session to be up", installation.name),
        I2P_DEADLINE,
        || async {
            let status = installation.status().await;
            status
                .transports
                .iter()
                .any(|t| t.transport == "i2p" && t.state == TransportState::Up)
        },
    )
    .await;
    installation.status().await
}

/// Joins `doc` as `node` of `who` through `via`'s address, with the CLI and a long timeout.
fn join_i2p(who: &Installation, node: &str, via: &Installation, doc: DocId) -> String {
    who.cli_ok(&[
        "--node",
        node,
        "join",
        "--timeout",
        "240",
        &via.address,
        &doc.to_string(),
    ])
}

/// Waits until `node` of `installation` holds `doc`.
async fn holds(installation: &Installation, node: &str, doc: DocId) {
    eventually_within(&format!("{node} to hold {doc}"), I2P_DEADLINE, || async {
        installation.holds(node, doc).await
    })
    .await;
}

/// What must not appear in anything an installation sends: IP addresses, host names, local paths.
fn leaks(text: &str, installation: &Installation) -> Vec<String> {
    let mut found = Vec::new();
    let mut needles = vec![
        "127.0.0.1".to_owned(),
        "tcp://".to_owned(),
        "localhost".to_owned(),
        installation.dir.display().to_string(),
        std::env::temp_dir().display().to_string(),
    ];
    if let Ok(host) = std::fs::read_to_string("/etc/hostname") {
        let host = host.trim();
        // A very short host name would match by chance inside base32 or base64.
        if host.len() >= 6 {
            needles.push(host.to_owned());
        }
    }
    for needle in needles {
        if !needle.is_empty() && text.contains(&needle) {
            found.push(needle);
        }
    }
    found
}

/// Restarts `restarted` (same data directory, so the same key file and b32 address), then shows that the exchange
/// with `other` resumes: `other` comments on `root`, the restarted one holds it and answers, `other` holds the
/// answer. Each installation's node has the installation's name. Returns `other`'s comment on `root`.
async fn restart_and_resume(
    restarted: &mut Installation,
    other: &Installation,
    root: DocId,
) -> DocId {
    let address = restarted.address.clone();
    assert!(restarted.terminate().success());
    restarted.restart().await;
    i2p_up(restarted).await;
    assert_eq!(restarted.address, address);
    let (name, other_name) = (restarted.name.clone(), other.name.clone());
    let asked = other
        .post(
            &other_name,
            "Re: Over I2P",
            &format!("Still there, {name}?"),
            Some(root),
        )
        .await;
    holds(restarted, &name, asked).await;
    let answer = restarted
        .post(&name, "Re: Re: Over I2P", "Back again.", Some(asked))
        .await;
    holds(other, &other_name, answer).await;
    asked
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn installations_join_and_comment_by_b32_address_over_a_private_i2p_network() {
    let net_id = 10 + rand::random::<u8>() % 200;
    let routers = private_network(6, net_id)
        .await
        .expect("the private I2P network starts");
    let mut a = start("a", routers[3].sam_address()).await;
    let mut b = start("b", routers[4].sam_address()).await;
    a.create_node("a");
    b.create_node("b");

    // I2P only: the one address listened on and advertised is the b32 address.
    for installation in [&a, &b] {
        let status = i2p_up(installation).await;
        assert!(
            installation.address.starts_with("i2p://")
                && installation.address.ends_with(".b32.i2p"),
            "{}",
            installation.address
        );
        assert_eq!(status.listening, vec![installation.address.clone()]);
        assert_eq!(status.advertised, vec![installation.address.clone()]);
        assert!(status.transports.iter().all(|t| t.transport == "i2p"));
        // The keys are kept, owner-only.
        let key = installation.dir.join("i2p.key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key)
                .expect("key file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    // B joins A's forum by b32 address; comments both ways.
    let root: DocId = a
        .cli_ok_with_input(
            &["post", "-s", "Over I2P"],
            Some("Nobody knows where we are."),
        )
        .trim()
        .parse()
        .expect("an id");
    let out = join_i2p(&b, "b", &a, root);
    assert!(out.contains("joined \"Over I2P\""), "{out}");
    let from_b = b
        .post("b", "Re: Over I2P", "Hello from b.", Some(root))
        .await;
    holds(&a, "a", from_b).await;
    let from_a = a
        .post("a", "Re: Re: Over I2P", "Hello back.", Some(from_b))
        .await;
    holds(&b, "b", from_a).await;

    // Nothing that left A names an IP address, a host name or a local path: its contact card as B knows it,
    // and the export of its document (document bytes and card, exactly as peers receive them).
    let peers = b.cli_ok(&["--json", "peers"]);
    assert!(peers.contains(&a.address), "{peers}");
    assert_eq!(leaks(&peers, &a), Vec::<String>::new(), "{peers}");
    let export = a.dir.join("root.cliqueclique");
    a.cli_ok(&[
        "export",
        &root.to_string(),
        "-o",
        export.to_str().expect("utf-8"),
    ]);
    let bytes = std::fs::read(&export).expect("export file");
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(leaks(&text, &a), Vec::<String>::new());

    // B restarts, then A: each keeps its b32 address, and the exchange resumes both ways. (The restarted one
    // redials from a new dialing destination; its peer's router still holds an end-to-end session with its
    // previous one, which is why the dialing session exists: docs/transports.md §11.)
    restart_and_resume(&mut b, &a, root).await;
    let from_b = restart_and_resume(&mut a, &b, root).await;

    // C, new, joins the forum through B's address and comments.
    let mut c = start("c", routers[5].sam_address()).await;
    c.create_node("c");
    i2p_up(&c).await;
    let out = join_i2p(&c, "c", &b, root);
    assert!(out.contains("joined \"Over I2P\""), "{out}");
    holds(&c, "c", from_b).await;
    let from_c = c
        .post("c", "Re: Over I2P", "Hello from c.", Some(root))
        .await;
    holds(&a, "a", from_c).await;
    let thread = b.thread("b", root).await;
    assert!(thread_ids(&thread).contains(&from_c));

    c.terminate();
    a.terminate();
    b.terminate();
    for router in routers {
        router.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_embedded_router_runs_inside_the_daemon_and_keeps_the_address() {
    // Offline: no reseed, so the router knows no other router and builds no tunnels; everything up to the
    // session (router, SAM bridge, destination, key file, status) runs for real.
    let config = format!("{I2P_CONFIG}reseed = false\n");
    let mut x =
        Installation::start_custom("x", &config, None, &["--i2p", "embedded", "--i2p-only"]).await;
    let status = x.status().await;
    assert!(x.address.starts_with("i2p://"), "{}", x.address);
    assert_eq!(status.advertised, vec![x.address.clone()]);
    assert!(x.dir.join("i2p.key").exists());
    assert!(x.dir.join("i2p-router").is_dir());
    let i2p = status
        .transports
        .iter()
        .find(|t| t.transport == "i2p")
        .expect("an i2p transport");
    assert_ne!(i2p.state, TransportState::Up, "{i2p:?}");
    assert!(i2p.detail.contains("SAM bridge at 127.0.0.1:"), "{i2p:?}");
    let shown = x.cli_ok(&["status"]);
    assert!(shown.contains(&x.address), "{shown}");

    let address = x.address.clone();
    assert!(x.terminate().success());
    x.restart().await;
    assert_eq!(x.address, address);
}

#[test]
fn an_i2p_only_installation_refuses_tcp_and_needs_a_router() {
    let dir = tempfile::tempdir().expect("temp dir");
    let serve = |args: &[&str]| {
        let mut all = vec!["--api", "127.0.0.1:0", "serve"];
        all.extend_from_slice(args);
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_cliqueclique"))
            .arg("--data-dir")
            .arg(dir.path())
            .args(&all)
            .output()
            .expect("run serve");
        assert!(!output.status.success(), "{args:?} started");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let err = serve(&["--i2p-only"]);
    assert!(err.contains("--i2p sam or --i2p embedded"), "{err}");
    let err = serve(&[
        "--i2p",
        "sam",
        "--i2p-only",
        "--listen",
        "tcp://127.0.0.1:0",
    ]);
    assert!(err.contains("is not an I2P address"), "{err}");
    let err = serve(&[
        "--i2p",
        "sam",
        "--i2p-only",
        "--advertise",
        "tcp://forum.example.org:7117",
    ]);
    assert!(err.contains("is not an I2P address"), "{err}");
    // Nothing answers at this SAM address, and there are no keys yet: a clear refusal, nothing written.
    let err = serve(&["--i2p", "sam", "--sam", "127.0.0.1:9", "--i2p-only"]);
    assert!(err.contains("no SAM bridge at 127.0.0.1:9"), "{err}");
    assert!(!dir.path().join("i2p.key").exists());
}

/// Debian's i2pd in a network namespace of its own (only loopback, so nothing it tries leaves it), killed and
/// removed on drop.
struct I2pdNamespace {
    name: String,
    dir: tempfile::TempDir,
    children: Vec<std::process::Child>,
}

impl I2pdNamespace {
    fn command(&self, program: &str) -> std::process::Command {
        let mut command = std::process::Command::new("ip");
        command.args(["netns", "exec", &self.name, program]);
        command
    }

    /// `cliqueclique --data-dir DIR ARGS` inside the namespace.
    fn cli(&self, dir: &std::path::Path, args: &[&str]) -> std::process::Output {
        self.command(env!("CARGO_BIN_EXE_cliqueclique"))
            .arg("--data-dir")
            .arg(dir)
            .args(args)
            .output()
            .expect("run cliqueclique in the namespace")
    }

    fn serve(&mut self, dir: &std::path::Path) -> usize {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("serve.log"))
            .expect("log");
        let child = self
            .command(env!("CARGO_BIN_EXE_cliqueclique"))
            .arg("--data-dir")
            .arg(dir)
            .args([
                "--api",
                "127.0.0.1:0",
                "serve",
                "--i2p",
                "sam",
                "--i2p-only",
            ])
            .arg("--config")
            .arg(dir.join("config.toml"))
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .spawn()
            .expect("serve");
        self.children.push(child);
        self.children.len() - 1
    }

    fn terminate(&mut self, index: usize) {
        let child = &mut self.children[index];
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let _ = child.wait();
    }

    /// The I2P transport's status, once `serve` answers.
    fn i2p_status(&self, dir: &std::path::Path) -> Option<cliqueclique_net::TransportStatus> {
        let output = self.cli(dir, &["--json", "status"]);
        let status: Status = serde_json::from_slice(&output.stdout).ok()?;
        status.transports.into_iter().find(|t| t.transport == "i2p")
    }
}

impl Drop for I2pdNamespace {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::process::Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
        if std::thread::panicking() {
            let log = std::fs::read_to_string(self.dir.path().join("i2pd.log")).unwrap_or_default();
            eprintln!(
                "--- i2pd log ---\n{}",
                &log[log.len().saturating_sub(4000)..]
            );
        }
    }
}

/// Optional interop with Debian's i2pd 2.45.1 (`apt-get install i2pd`; needs root for `ip netns`): run with
/// `CC_I2PD_NETNS=1`. One i2pd router in a network namespace of its own; an I2P-only installation on its SAM
/// bridge gets keys (`DEST GENERATE`), a session (`SESSION CREATE` with encryption type 4: the default
/// post-quantum type crashes this i2pd) and, after a restart, the same address and a session again.
/// Streams between installations need several routers; i2pd 2.45.1 cannot run those on 127.0.0.1
/// (`../shared/reference/dependencies.md` §7), which is why the private network of the main tests is emissary's.
#[test]
fn interop_with_i2pd_in_a_network_namespace() {
    if std::env::var("CC_I2PD_NETNS").as_deref() != Ok("1") {
        eprintln!("skipped: set CC_I2PD_NETNS=1 (needs root and Debian's i2pd)");
        return;
    }
    let name = format!("cc-i2pd-{}", std::process::id());
    let status = std::process::Command::new("ip")
        .args(["netns", "add", &name])
        .status()
        .expect("ip netns add");
    assert!(
        status.success(),
        "cannot create a network namespace (root?)"
    );
    let mut ns = I2pdNamespace {
        name,
        dir: tempfile::tempdir().expect("temp dir"),
        children: Vec::new(),
    };
    assert!(
        ns.command("ip")
            .args(["link", "set", "lo", "up"])
            .status()
            .unwrap()
            .success()
    );
    let root = ns.dir.path().to_owned();
    std::fs::write(root.join("empty.conf"), "").unwrap();
    let arg = |key: &str, value: &std::path::Path| format!("--{key}={}", value.display());
    let i2pd = ns
        .command("i2pd")
        .arg(arg("datadir", &root.join("router")))
        .arg(arg("conf", &root.join("empty.conf")))
        .arg(arg("tunconf", &root.join("empty.conf")))
        .arg(arg("logfile", &root.join("i2pd.log")))
        .args([
            "--log=file",
            "--loglevel=warn",
            "--netid=99",
            "--sam.enabled=true",
            "--sam.address=127.0.0.1",
            "--sam.port=7656",
            "--http.enabled=false",
            "--httpproxy.enabled=false",
            "--socksproxy.enabled=false",
            "--i2cp.enabled=false",
            "--bob.enabled=false",
            "--upnp.enabled=false",
            "--ssu2.enabled=false",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("i2pd (apt-get install i2pd)");
    ns.children.push(i2pd);
    let started = std::time::Instant::now();
    loop {
        let listening = ns.command("ss").arg("-ltn").output().expect("ss");
        if String::from_utf8_lossy(&listening.stdout).contains("127.0.0.1:7656") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "i2pd's SAM bridge did not start"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    let dir = root.join("installation");
    std::fs::create_dir_all(&dir).unwrap();
    // Zero-hop tunnels: the router is alone. i2pd 2.45.1 answers SESSION CREATE after about 20 s.
    std::fs::write(
        dir.join("config.toml"),
        "[i2p]\ntunnel_length = 0\ntunnel_quantity = 1\nsession_timeout = 90000\n",
    )
    .unwrap();
    let wait_up = |ns: &I2pdNamespace| {
        let started = std::time::Instant::now();
        loop {
            if let Some(status) = ns.i2p_status(&dir)
                && status.state == TransportState::Up
            {
                return status.address;
            }
            assert!(
                started.elapsed() < Duration::from_secs(180),
                "no I2P session on i2pd: {:?}\n{}",
                ns.i2p_status(&dir),
                std::fs::read_to_string(dir.join("serve.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    };
    let serve = ns.serve(&dir);
    let address = wait_up(&ns);
    assert!(address.starts_with("i2p://") && address.ends_with(".b32.i2p"));
    ns.terminate(serve);
    ns.serve(&dir);
    assert_eq!(wait_up(&ns), address);
}
