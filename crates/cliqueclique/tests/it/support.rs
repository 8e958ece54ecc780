//! Test support: an [`Installation`] is one `cliqueclique serve` process with its data directory.

use cliqueclique_daemon::api::{
    DocId, DocumentView, NewPost, NodeInfo, Posted, Status, ThreadEntry,
};
use cliqueclique_daemon::client::Client;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub use cliqueclique_daemon::testing::{DEADLINE, eventually, eventually_within};

/// Settings that make reconnections and resends quick, so tests do not wait for long back-offs.
pub const FAST_CONFIG: &str = r#"
reconnect_initial = 200
reconnect_max = 1000
join_timeout = 30000

[proto]
resend_initial = 300
resend_max = 2000
{proto}

[net]
keepalive = 1000
dead_after = 4000
backoff_initial = 100
backoff_max = 1000
handshake_timeout = 3000
"#;

/// One running (or stopped) installation.
pub struct Installation {
    pub name: String,
    pub dir: PathBuf,
    _temp: Option<tempfile::TempDir>,
    child: Option<Child>,
    pub client: Client,
    /// The transport address, `tcp://127.0.0.1:PORT` (or `i2p://….b32.i2p` for an I2P-only installation).
    pub address: String,
    /// `--listen`, if any.
    listen: Option<String>,
    /// More `serve` arguments.
    serve_args: Vec<String>,
    /// The network namespace the process runs in (`ip netns exec`), if not this one.
    namespace: Option<String>,
    /// Where the API binds (`--api`).
    api_bind: String,
}

impl Installation {
    /// Starts an installation in a fresh temporary directory.
    pub async fn start(name: &str) -> Installation {
        Installation::start_with(name, "").await
    }

    /// Starts one installation per name, each with one local node of that name.
    pub async fn start_each(names: &[&str]) -> Vec<Installation> {
        let mut all = Vec::new();
        for name in names {
            let installation = Installation::start(name).await;
            installation.create_node(name);
            all.push(installation);
        }
        all
    }

    /// Starts an installation with extra lines in the `[proto]` section of its settings.
    pub async fn start_with(name: &str, proto: &str) -> Installation {
        let config = FAST_CONFIG.replace("{proto}", proto);
        Installation::start_custom(name, &config, Some("tcp://127.0.0.1:0"), &[]).await
    }

    /// Starts a public website (`serve --public`); its client uses the owner token.
    pub async fn start_public(name: &str) -> Installation {
        let config = FAST_CONFIG.replace("{proto}", "");
        Installation::start_custom(name, &config, Some("tcp://127.0.0.1:0"), &["--public"]).await
    }

    /// Starts an installation with more `serve` arguments.
    pub async fn start_with_args(name: &str, serve_args: &[&str]) -> Installation {
        let config = FAST_CONFIG.replace("{proto}", "");
        Installation::start_custom(name, &config, Some("tcp://127.0.0.1:0"), serve_args).await
    }

    /// The port of the NNTP server (`serve --nntp`), from the last line `serve` printed about it,
    /// once that is not `stale` (the port before a restart).
    pub async fn nntp_port_not(&self, stale: u16) -> u16 {
        let mut port = 0;
        eventually(&format!("{} prints its NNTP address", self.name), || {
            port = self
                .stdout()
                .lines()
                .filter_map(|l| l.strip_prefix("NNTP: news://"))
                .filter_map(|rest| rest.trim_end_matches('/').rsplit_once(':'))
                .filter_map(|(_, p)| p.parse().ok())
                .next_back()
                .unwrap_or(0);
            async move { port != 0 && port != stale }
        })
        .await;
        port
    }

    /// The port of the NNTP server (`serve --nntp`).
    pub async fn nntp_port(&self) -> u16 {
        self.nntp_port_not(0).await
    }

    /// Starts an installation with its own settings file, `--listen` address and `serve` arguments.
    pub async fn start_custom(
        name: &str,
        config: &str,
        listen: Option<&str>,
        serve_args: &[&str],
    ) -> Installation {
        Installation::start_in(name, config, None, "127.0.0.1:0", listen, serve_args).await
    }

    /// Starts a public website (`--public`, so that its API may bind `api`, and `dial_private`) in the network
    /// namespace `namespace`, with the quick test settings and extra lines in `[proto]`.
    pub async fn start_in_namespace(
        name: &str,
        namespace: &str,
        api: &str,
        listen: &str,
        serve_args: &[&str],
    ) -> Installation {
        let config = format!(
            "dial_private = true\n{}",
            FAST_CONFIG.replace("{proto}", "")
        );
        let mut args = vec!["--public"];
        args.extend_from_slice(serve_args);
        Installation::start_in(name, &config, Some(namespace), api, Some(listen), &args).await
    }

    /// Starts an installation: its settings file, network namespace, API and `--listen` addresses and `serve`
    /// arguments.
    async fn start_in(
        name: &str,
        config: &str,
        namespace: Option<&str>,
        api: &str,
        listen: Option<&str>,
        serve_args: &[&str],
    ) -> Installation {
        let temp = tempfile::Builder::new()
            .prefix(&format!("cc-{name}-"))
            .tempdir()
            .expect("temp dir");
        let dir = temp.path().to_owned();
        std::fs::write(dir.join("config.toml"), config).expect("config");
        let mut installation = Installation {
            name: name.to_owned(),
            dir,
            _temp: Some(temp),
            child: None,
            client: Client::new(SocketAddr::from(([127, 0, 0, 1], 1))),
            address: String::new(),
            listen: listen.map(str::to_owned),
            serve_args: serve_args.iter().map(|a| (*a).to_owned()).collect(),
            namespace: namespace.map(str::to_owned),
            api_bind: api.to_owned(),
        };
        installation.spawn().await;
        installation
    }

    /// Starts the process and waits until its API answers.
    async fn spawn(&mut self) {
        let _ = std::fs::remove_file(self.dir.join("api.addr"));
        let open = |name: &str| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.dir.join(name))
                .expect("log file")
        };
        let (log, out) = (open("serve.log"), open("serve.out"));
        let binary = env!("CARGO_BIN_EXE_cliqueclique");
        // `ip netns exec` replaces itself with the program, so the child is the daemon itself.
        let mut command = match &self.namespace {
            Some(namespace) => {
                let mut command = Command::new("ip");
                command.args(["netns", "exec", namespace, binary]);
                command
            }
            None => Command::new(binary),
        };
        let child = command
            .arg("--data-dir")
            .arg(&self.dir)
            .args(["--api", &self.api_bind, "serve"])
            .args(self.listen.iter().flat_map(|l| ["--listen", l.as_str()]))
            .args(&self.serve_args)
            .arg("--config")
            .arg(self.dir.join("config.toml"))
            .env("RUST_LOG", "info,cliqueclique_daemon=debug")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(log)
            .spawn()
            .expect("spawn cliqueclique serve");
        self.child = Some(child);
        let api_file = self.dir.join("api.addr");
        let started = Instant::now();
        let api: SocketAddr = loop {
            if let Ok(text) = std::fs::read_to_string(&api_file)
                && let Ok(address) = text.trim().parse()
            {
                break address;
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("{}: serve exited with {status}:\n{}", self.name, self.log());
            }
            assert!(
                started.elapsed() < DEADLINE,
                "{}: no api.addr:\n{}",
                self.name,
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let token = std::fs::read_to_string(self.dir.join("owner.token"))
            .ok()
            .map(|t| t.trim().to_owned());
        assert_eq!(
            token.is_some(),
            self.serve_args.iter().any(|a| a == "--public"),
            "an owner token only in public mode"
        );
        self.client = Client::new(api).with_token(token);
        let status: Status = self.client.get("/api/status").await.expect("status");
        self.address = status.listening[0].clone();
        // A restart keeps its port, so peers find it at the address they know.
        if self.listen.is_some() {
            self.listen = Some(self.address.clone());
        }
    }

    /// The daemon's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("serve.log")).unwrap_or_default()
    }

    /// What `serve` printed on its standard output so far.
    pub fn stdout(&self) -> String {
        std::fs::read_to_string(self.dir.join("serve.out")).unwrap_or_default()
    }

    /// (current, peak) resident memory of the running process in KiB.
    pub fn memory_kib(&self) -> (u64, u64) {
        self.child.as_ref().map_or((0, 0), |c| {
            cliqueclique_daemon::testing::resident_kib(c.id())
        })
    }

    /// `kill -9`.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Stops the process gracefully (SIGTERM) and waits for it.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("running");
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait().expect("wait") {
                return status;
            }
            if started.elapsed() > DEADLINE {
                let _ = child.kill();
                panic!("{}: did not stop on SIGTERM:\n{}", self.name, self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Starts the process again on the same data directory and port.
    pub async fn restart(&mut self) {
        assert!(self.child.is_none(), "stop it first");
        self.spawn().await;
    }

    /// Runs the CLI against this installation.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.cli_with_input(args, None)
    }

    /// Runs the CLI with `input` on its standard input.
    pub fn cli_with_input(&self, args: &[&str], input: Option<&str>) -> Output {
        run_cli(&self.dir, args, input)
    }

    /// Runs the CLI and returns its standard output; fails the test on a non-zero exit.
    pub fn cli_ok(&self, args: &[&str]) -> String {
        self.cli_ok_with_input(args, None)
    }

    /// [`Installation::cli_ok`] with standard input.
    pub fn cli_ok_with_input(&self, args: &[&str], input: Option<&str>) -> String {
        let output = self.cli_with_input(args, input);
        assert!(
            output.status.success(),
            "{}: cliqueclique {args:?} failed ({}):\n{}\n--- daemon log ---\n{}",
            self.name,
            output.status,
            String::from_utf8_lossy(&output.stderr),
            tail(&self.log())
        );
        String::from_utf8(output.stdout).expect("utf-8")
    }

    /// Starts a forum through the CLI (`post -s SUBJECT` with `body` on standard input) and
    /// returns its root id.
    pub fn start_forum(&self, subject: &str, body: &str) -> DocId {
        self.cli_ok_with_input(&["post", "-s", subject], Some(body))
            .trim()
            .parse()
            .expect("an id")
    }

    /// Creates a local node through the CLI.
    pub fn create_node(&self, name: &str) -> NodeInfo {
        let out = self.cli_ok(&["--json", "node", "create", name]);
        serde_json::from_str(&out).expect("node json")
    }

    /// Posts through the API as `node`.
    pub async fn post(
        &self,
        node: &str,
        subject: &str,
        body: &str,
        parent: Option<DocId>,
    ) -> DocId {
        let new = NewPost {
            subject: subject.to_owned(),
            body: Some(body.to_owned()),
            parent,
            ..NewPost::default()
        };
        let posted: Posted = self
            .client
            .post(&format!("/api/nodes/{node}/documents"), &new)
            .await
            .unwrap_or_else(|e| panic!("{}: post failed: {e}", self.name));
        posted.id
    }

    /// The document as `node` sees it, if known.
    pub async fn show(&self, node: &str, doc: DocId) -> Option<DocumentView> {
        self.client
            .get(&format!("/api/nodes/{node}/documents/{doc}"))
            .await
            .ok()
    }

    /// Whether `node` holds `doc`'s body.
    pub async fn holds(&self, node: &str, doc: DocId) -> bool {
        self.show(node, doc)
            .await
            .is_some_and(|v| v.document.is_some())
    }

    /// The thread below `doc` as `node` sees it.
    pub async fn thread(&self, node: &str, doc: DocId) -> ThreadEntry {
        self.client
            .get(&format!("/api/nodes/{node}/documents/{doc}/thread"))
            .await
            .expect("thread")
    }

    /// The status.
    pub async fn status(&self) -> Status {
        self.client.get("/api/status").await.expect("status")
    }
}

impl Drop for Installation {
    fn drop(&mut self) {
        self.kill();
        if std::thread::panicking() {
            eprintln!("--- log of {} ---\n{}", self.name, tail(&self.log()));
        }
    }
}

/// Whether tests that need more than cargo must run: in CI and when the environment variable
/// `var` is `required` (as `scripts/test` sets), what they need missing fails them instead of
/// skipping them.
pub fn required(var: &str) -> bool {
    std::env::var_os("CI").is_some() || std::env::var(var).as_deref() == Ok("required")
}

/// Whether the tests of real clients (Python's nntplib and feedparser, tin) must run
/// (`CLIQUECLIQUE_CLIENT_TESTS`).
pub fn clients_required() -> bool {
    required("CLIQUECLIQUE_CLIENT_TESTS")
}

/// Whether `program` runs (`program --version` succeeds); if not, fails when clients are
/// required, else says loudly that the test is skipped.
pub fn client_present(program: &str, check: &[&str], install: &str) -> bool {
    let ok = Command::new(program)
        .args(check)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            !clients_required(),
            "{program} {check:?} failed: run scripts/install-test-deps ({install})"
        );
        eprintln!(
            "\n!!! SKIPPING: {program} {check:?} failed. Run scripts/install-test-deps ({install}). !!!\n"
        );
    }
    ok
}

/// Runs `python3 tests/it/SCRIPT ARGS…` off the async threads; fails with its output unless it
/// succeeds, and returns what it printed.
pub async fn run_python(script: &str, args: Vec<String>) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/it")
        .join(script);
    let out = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .arg(path)
            .args(args)
            .output()
            .expect("run python3")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{script} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Runs the CLI with a data directory.
pub fn run_cli(dir: &Path, args: &[&str], input: Option<&str>) -> Output {
    run_cli_with_env(dir, args, input, &[])
}

/// [`run_cli`] with more environment variables.
pub fn run_cli_with_env(
    dir: &Path,
    args: &[&str],
    input: Option<&str>,
    env: &[(&str, &str)],
) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_cliqueclique"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        // The tests name their daemon by its data directory, whatever the environment says.
        .env_remove("CLIQUECLIQUE_API")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cliqueclique");
    let mut stdin = child.stdin.take().expect("stdin");
    if let Some(input) = input {
        stdin.write_all(input.as_bytes()).expect("write stdin");
    }
    drop(stdin);
    child.wait_with_output().expect("cliqueclique output")
}

/// The last lines of a log.
fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(80)..].join("\n")
}

/// Every document id in a thread, depth first.
pub fn thread_ids(entry: &ThreadEntry) -> Vec<DocId> {
    let mut ids = vec![entry.id];
    for child in &entry.children {
        ids.extend(thread_ids(child));
    }
    ids
}

/// Joins `doc` as `node` of `who` through `via`'s address, with the CLI.
pub fn join(who: &Installation, node: &str, via: &Installation, doc: DocId) -> String {
    who.cli_ok(&["--node", node, "join", &via.address, &doc.to_string()])
}
