//! (i) Installations that know each other only by `….b32.i2p` address: a private I2P network of emissary
//! routers runs inside this test process on 127.0.0.1, and I2P-only `cliqueclique serve` processes use their
//! SAM bridges. A forum is joined by b32 address, comments travel both ways, each installation restarts with
//! the same address and the exchange resumes, a newcomer joins, and nothing that leaves an installation names
//! an IP address, a host name or a local path. With `CC_I2PD_NETNS=1` (root), optional tests run Debian's i2pd
//! in a network namespace: one router alone, and a network of three with a join, comments and restarts.

use crate::support::{Installation, eventually_within, thread_ids};
use cliqueclique_daemon::api::{DocId, DocumentView, Status};
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

/// Debian's i2pd routers and the installations on their SAM bridges, in a network namespace of their own (only
/// loopback, so nothing they try leaves it). On drop every process is killed and the namespace removed; on a
/// failure the end of every log is printed, with the processes that had already exited.
struct I2pdNamespace {
    name: String,
    dir: tempfile::TempDir,
    /// Every process started, with what it is (`r1`, `a`, …); `None` once stopped on purpose.
    children: Vec<(String, Option<std::process::Child>)>,
}

impl I2pdNamespace {
    /// A new namespace with loopback up; `tag` tells concurrent tests' namespaces apart.
    fn new(tag: &str) -> I2pdNamespace {
        let name = format!("cc-{tag}-{}", std::process::id());
        let status = std::process::Command::new("ip")
            .args(["netns", "add", &name])
            .status()
            .expect("ip netns add");
        assert!(
            status.success(),
            "cannot create a network namespace (root?)"
        );
        let ns = I2pdNamespace {
            name,
            dir: tempfile::tempdir().expect("temp dir"),
            children: Vec::new(),
        };
        ns.ip(&["link", "set", "lo", "up"]);
        ns
    }

    fn command(&self, program: &str) -> std::process::Command {
        let mut command = std::process::Command::new("ip");
        command.args(["netns", "exec", &self.name, program]);
        command
    }

    /// `ip ARGS` inside the namespace.
    fn ip(&self, args: &[&str]) {
        let status = self.command("ip").args(args).status().expect("ip");
        assert!(status.success(), "ip {args:?}: {status}");
    }

    /// Starts i2pd as `name` (data dir `name/`, log `name.log`, the settings file `conf`) with its SAM bridge
    /// at `sam` and `args` on top of the common ones, and waits until the bridge listens.
    fn i2pd(&mut self, name: &str, conf: &str, sam: SocketAddr, args: &[String]) {
        let root = self.dir.path().to_owned();
        let path = |file: String| root.join(file).display().to_string();
        std::fs::write(root.join(format!("{name}.conf")), conf).expect("i2pd.conf");
        std::fs::write(root.join("empty.conf"), "").expect("empty.conf");
        let out = std::fs::File::create(root.join(format!("{name}.out"))).expect("i2pd.out");
        let child = self
            .command("i2pd")
            .arg(format!("--datadir={}", path(name.to_owned())))
            .arg(format!("--conf={}", path(format!("{name}.conf"))))
            .arg(format!("--tunconf={}", path("empty.conf".to_owned())))
            .arg(format!("--logfile={}", path(format!("{name}.log"))))
            .arg(format!("--sam.address={}", sam.ip()))
            .arg(format!("--sam.port={}", sam.port()))
            .args([
                "--log=file",
                "--loglevel=warn",
                "--netid=99",
                "--sam.enabled=true",
                "--http.enabled=false",
                "--httpproxy.enabled=false",
                "--socksproxy.enabled=false",
                "--i2cp.enabled=false",
                "--bob.enabled=false",
                "--upnp.enabled=false",
                "--ssu2.enabled=false",
            ])
            .args(args)
            .stdout(out.try_clone().expect("i2pd.out"))
            .stderr(out)
            .spawn()
            .expect("i2pd (apt-get install i2pd)");
        self.children.push((name.to_owned(), Some(child)));
        let started = std::time::Instant::now();
        loop {
            let listening = self.command("ss").arg("-ltn").output().expect("ss");
            if String::from_utf8_lossy(&listening.stdout).contains(&sam.to_string()) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{name}: i2pd's SAM bridge did not start"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// A data directory `name/` for an installation, with the settings `config`.
    fn installation(&self, name: &str, config: &str) -> std::path::PathBuf {
        let dir = self.dir.path().join(name);
        std::fs::create_dir_all(&dir).expect("installation dir");
        std::fs::write(dir.join("config.toml"), config).expect("config.toml");
        dir
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

    /// [`I2pdNamespace::cli`], failing the test on a non-zero exit; returns the standard output.
    fn cli_ok(&self, dir: &std::path::Path, args: &[&str]) -> String {
        let output = self.cli(dir, args);
        assert!(
            output.status.success(),
            "cliqueclique {args:?} in {}: {}\n{}",
            dir.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("utf-8")
    }

    /// Posts as the installation's only node (a comment on `parent`, if given), and returns the new id.
    fn post(
        &self,
        dir: &std::path::Path,
        subject: &str,
        body: &str,
        parent: Option<DocId>,
    ) -> DocId {
        let file = dir.join("body.txt");
        std::fs::write(&file, body).expect("body");
        let file = file.display().to_string();
        let parent = parent.map(|p| p.to_string());
        let mut args = vec!["post", "-s", subject, "-f", &file];
        if let Some(parent) = &parent {
            args.extend(["--parent", parent]);
        }
        self.cli_ok(dir, &args).trim().parse().expect("an id")
    }

    /// Waits until the installation's only node holds `doc`'s body.
    fn holds(&self, dir: &std::path::Path, doc: DocId) {
        let started = std::time::Instant::now();
        loop {
            let output = self.cli(dir, &["--json", "show", &doc.to_string()]);
            let view: Option<DocumentView> = serde_json::from_slice(&output.stdout).ok();
            if view.is_some_and(|v| v.document.is_some()) {
                return;
            }
            assert!(
                started.elapsed() < I2P_DEADLINE,
                "{} does not hold {doc}",
                dir.display()
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// Starts `cliqueclique serve` on `dir` (I2P only, on the SAM bridge at `sam`) as `name`; returns its index
    /// for [`I2pdNamespace::terminate`].
    fn serve(&mut self, name: &str, dir: &std::path::Path, sam: SocketAddr) -> usize {
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
            .arg("--sam")
            .arg(sam.to_string())
            .arg("--config")
            .arg(dir.join("config.toml"))
            .env("RUST_LOG", "info")
            .stdout(std::process::Stdio::null())
            .stderr(log)
            .spawn()
            .expect("serve");
        self.children.push((name.to_owned(), Some(child)));
        self.children.len() - 1
    }

    /// Stops a process with SIGTERM and waits for it.
    fn terminate(&mut self, index: usize) {
        let (name, child) = &mut self.children[index];
        let mut child = child.take().expect("running");
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let status = child.wait().expect("wait");
        assert!(status.success(), "{name} stopped with {status}");
    }

    /// The I2P transport's status, once `serve` answers.
    fn i2p_status(&self, dir: &std::path::Path) -> Option<cliqueclique_net::TransportStatus> {
        let output = self.cli(dir, &["--json", "status"]);
        let status: Status = serde_json::from_slice(&output.stdout).ok()?;
        status.transports.into_iter().find(|t| t.transport == "i2p")
    }

    /// Restarts process `index`, an installation on `dir` (SIGTERM, then `serve` again at once on the bridge at
    /// `sam`), checks that it has `address` again, and returns the new process's index. The installation itself
    /// waits `[i2p] reuse_delay` (10 s) before it creates its listening session again: i2pd 2.45.1 deletes a
    /// closed session's destination 5 s after the close, also from under a session created meanwhile with the
    /// same keys, which is then unreachable (without the wait, the exchange after A's restart had not resumed 5
    /// minutes later) or the router dies ("malloc(): unsorted double linked list corrupted", seen once);
    /// PurpleI2P/i2pd#2558, up to 2.61.
    fn restart(
        &mut self,
        index: usize,
        dir: &std::path::Path,
        sam: SocketAddr,
        address: &str,
    ) -> usize {
        let name = self.children[index].0.clone();
        self.terminate(index);
        let started = std::time::Instant::now();
        let index = self.serve(&name, dir, sam);
        assert_eq!(self.wait_up(dir), address);
        eprintln!(
            "{name}: sessions up again {:?} after the start",
            started.elapsed()
        );
        index
    }

    /// `from` comments on `parent`, `to` holds the comment and answers it, `from` holds the answer.
    fn exchange(
        &self,
        from: &std::path::Path,
        to: &std::path::Path,
        parent: DocId,
        [comment, answer]: [&str; 2],
    ) {
        let started = std::time::Instant::now();
        let comment = self.post(from, "Re: Over i2pd", comment, Some(parent));
        self.holds(to, comment);
        let answer = self.post(to, "Re: Re: Over i2pd", answer, Some(comment));
        self.holds(from, answer);
        eprintln!(
            "a comment and its answer crossed in {:?}",
            started.elapsed()
        );
    }

    /// Waits until the installation's I2P sessions are up, and returns its address.
    fn wait_up(&self, dir: &std::path::Path) -> String {
        let started = std::time::Instant::now();
        loop {
            if let Some(status) = self.i2p_status(dir)
                && status.state == TransportState::Up
            {
                return status.address;
            }
            assert!(
                started.elapsed() < I2P_DEADLINE,
                "no I2P session on i2pd: {:?}",
                self.i2p_status(dir)
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

impl Drop for I2pdNamespace {
    fn drop(&mut self) {
        let panicking = std::thread::panicking();
        for (name, child) in &mut self.children {
            let Some(child) = child else { continue };
            if panicking && let Ok(Some(status)) = child.try_wait() {
                eprintln!("--- {name} had exited: {status}");
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::process::Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
        if panicking {
            let root = self.dir.path();
            let mut names: Vec<&String> = self.children.iter().map(|(name, _)| name).collect();
            names.sort();
            names.dedup();
            for name in names {
                for file in [
                    root.join(format!("{name}.out")),
                    root.join(format!("{name}.log")),
                    root.join(name).join("serve.log"),
                ] {
                    if let Ok(log) = std::fs::read_to_string(&file) {
                        let start = log.floor_char_boundary(log.len().saturating_sub(6000));
                        eprintln!("--- {} ---\n{}", file.display(), &log[start..]);
                    }
                }
            }
        }
    }
}

/// Optional interop with Debian's i2pd 2.45.1 (`apt-get install i2pd`; needs root for `ip netns`): run with
/// `CC_I2PD_NETNS=1`. One i2pd router in a network namespace of its own; an I2P-only installation on its SAM
/// bridge gets keys (`DEST GENERATE`), a session (`SESSION CREATE` with encryption type 4: the default
/// post-quantum type crashes this i2pd) and, after a restart, the same address and a session again.
/// Streams between installations are in `interop_with_i2pd_routers_join_comment_and_restart`.
#[test]
fn interop_with_i2pd_in_a_network_namespace() {
    if std::env::var("CC_I2PD_NETNS").as_deref() != Ok("1") {
        eprintln!("skipped: set CC_I2PD_NETNS=1 (needs root and Debian's i2pd)");
        return;
    }
    let mut ns = I2pdNamespace::new("i2pd");
    let sam = SocketAddr::from(([127, 0, 0, 1], 7656));
    ns.i2pd("router", "", sam, &[]);
    // Zero-hop tunnels: the router is alone. i2pd 2.45.1 answers SESSION CREATE after about 20 s.
    let dir = ns.installation(
        "installation",
        "[i2p]\ntunnel_length = 0\ntunnel_quantity = 1\nsession_timeout = 90000\n",
    );
    let serve = ns.serve("installation", &dir, sam);
    let address = ns.wait_up(&dir);
    assert!(address.starts_with("i2p://") && address.ends_with(".b32.i2p"));
    ns.restart(serve, &dir, sam, &address);
}

/// The settings file of every router of the three-router network: it publishes the address it is given, and
/// peers' addresses in 198.18.0.0/15 are not rejected as reserved (switches, which the command line can only
/// turn on).
const I2PD_NETWORK_CONF: &str = "nat = false\nipv4 = true\nipv6 = false\nreservedrange = false\n";

/// Where i2pd finds a known router in its netDb: `netDb/r<C>/routerInfo-<HASH>.dat`, HASH being the I2P-base64
/// SHA-256 of the router identity and C its first character. A router identity has a destination's layout
/// (keys, then a certificate), so the hash is what a destination's b32 name encodes.
fn netdb_path(router_info: &[u8]) -> std::path::PathBuf {
    let mut spec = data_encoding::Specification::new();
    spec.symbols
        .push_str("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~");
    spec.padding = Some('=');
    let i2p_base64 = spec.encoding().expect("the I2P base64 alphabet");
    let identity =
        cliqueclique_net::i2p::DestinationKeys::from_private(&i2p_base64.encode(router_info))
            .expect("a router info starts with a router identity");
    let hash = data_encoding::BASE32_NOPAD
        .decode(identity.name().to_ascii_uppercase().as_bytes())
        .expect("base32");
    let hash = i2p_base64.encode(&hash);
    std::path::Path::new("netDb")
        .join(format!("r{}", &hash[..1]))
        .join(format!("routerInfo-{hash}.dat"))
}

/// Optional interop with a network of Debian's i2pd 2.45.1 (run with `CC_I2PD_NETNS=1`, root): three routers in
/// a network namespace, on 198.18.0.1–3 (2.45.1 refuses peers on 127.0.0.1), NTCP2 only, r1 a floodfill that r2 and r3 know from its router info copied into their netDb, tunnels of
/// zero hops. Installations A and B, I2P only, run on r2's and r3's SAM bridges: B joins A's forum by A's b32
/// address, comments cross both ways, then B restarts and then A restarts (SIGTERM, same data directory), each
/// with the same address, and after each restart a comment crosses in each direction. Each restart waits
/// the installation's own `reuse_delay` first. Times are printed (`--nocapture`); observed here: sessions up 20.5 s after a
/// start (i2pd 2.45.1 answers each `SESSION CREATE` after 20 s), the join in 30–90 ms, a comment and its answer
/// across in 0.55 s, also right after each restart (in 2 runs of 7, 30 s after A's); 85–115 s in all.
#[test]
fn interop_with_i2pd_routers_join_comment_and_restart() {
    if std::env::var("CC_I2PD_NETNS").as_deref() != Ok("1") {
        eprintln!("skipped: set CC_I2PD_NETNS=1 (needs root and Debian's i2pd)");
        return;
    }
    let began = std::time::Instant::now();
    let mut ns = I2pdNamespace::new("i2pd-net");
    let sam = |i: u8| SocketAddr::from(([127, 0, 0, 1], 7650 + u16::from(i)));
    for i in 1..=3u8 {
        let host = format!("198.18.0.{i}");
        ns.ip(&["addr", "add", &format!("{host}/32"), "dev", "lo"]);
        let router = format!("r{i}");
        if i > 1 {
            let info =
                std::fs::read(ns.dir.path().join("r1/router.info")).expect("r1's router info");
            let path = ns.dir.path().join(&router).join(netdb_path(&info));
            std::fs::create_dir_all(path.parent().expect("a directory")).expect("netDb");
            std::fs::write(path, info).expect("seed");
        }
        let mut args = vec![
            format!("--host={host}"),
            format!("--address4={host}"),
            format!("--port={}", 12000 + u16::from(i)),
            format!("--ntcp2.port={}", 12000 + u16::from(i)),
            "--ntcp2.enabled=true".to_owned(),
            "--ntcp2.published=true".to_owned(),
            "--exploratory.inbound.length=0".to_owned(),
            "--exploratory.outbound.length=0".to_owned(),
        ];
        if i == 1 {
            args.push("--floodfill".to_owned());
        }
        ns.i2pd(&router, I2PD_NETWORK_CONF, sam(i), &args);
        if i == 1 {
            let info = ns.dir.path().join("r1/router.info");
            let started = std::time::Instant::now();
            while !info.exists() {
                assert!(
                    started.elapsed() < Duration::from_secs(60),
                    "no router.info"
                );
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }

    // Zero-hop client tunnels too: each installation's router is the gateway of its lease set.
    let config = I2P_CONFIG.replace("tunnel_length = 1", "tunnel_length = 0");
    assert_ne!(config, I2P_CONFIG);
    let a = ns.installation("a", &config);
    let b = ns.installation("b", &config);
    let started = std::time::Instant::now();
    let serve_a = ns.serve("a", &a, sam(2));
    let serve_b = ns.serve("b", &b, sam(3));
    let a_address = ns.wait_up(&a);
    let b_address = ns.wait_up(&b);
    eprintln!(
        "both installations' sessions up {:?} after the start",
        started.elapsed()
    );
    ns.cli_ok(&a, &["node", "create", "a"]);
    ns.cli_ok(&b, &["node", "create", "b"]);
    for address in [&a_address, &b_address] {
        assert!(
            address.starts_with("i2p://") && address.ends_with(".b32.i2p"),
            "{address}"
        );
    }

    // 1. B joins A's forum by b32 address; comments cross both ways.
    let root = ns.post(&a, "Over i2pd", "Three routers, no Internet.", None);
    let started = std::time::Instant::now();
    let out = ns.cli_ok(
        &b,
        &[
            "--node",
            "b",
            "join",
            "--timeout",
            "240",
            &a_address,
            &root.to_string(),
        ],
    );
    assert!(out.contains("joined \"Over i2pd\""), "{out}");
    eprintln!("joined in {:?}", started.elapsed());
    ns.exchange(&b, &a, root, ["Hello from b.", "Hello back."]);

    // 2. B restarts: the same address, and the exchange resumes both ways.
    let serve_b = ns.restart(serve_b, &b, sam(3), &b_address);
    ns.exchange(&a, &b, root, ["Still here, b?", "Back, a."]);

    // 3. A restarts: the same.
    let serve_a = ns.restart(serve_a, &a, sam(2), &a_address);
    ns.exchange(&b, &a, root, ["Did you restart, a?", "I did."]);

    ns.terminate(serve_a);
    ns.terminate(serve_b);
    eprintln!("whole test: {:?}", began.elapsed());
}
