//! Test support (the `testing` feature), shared by the tests of the daemon, the web UI and the
//! command line: the configuration of an in-process test daemon, a join nobody answers, polling
//! with a deadline, and a stranger flooding an installation with throw-away node keys
//! ([`throwaway`]).

pub mod throwaway;

use crate::config::Config;
use crate::error::ApiError;
use crate::state::AppState;
use cliqueclique_doc::{ContactCard, DocId, Identity, NodeId};
use std::future::Future;
use std::path::Path;
use std::time::{Duration, Instant};

/// How long [`eventually`] waits: a failure bound, not a speed claim.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// A configuration for a daemon in a test: its data in `data_dir`, the transport and the HTTP
/// server on free loopback ports, everything else the default.
pub fn config(data_dir: &Path) -> Config {
    Config {
        data_dir: data_dir.to_owned(),
        listen: vec!["tcp://127.0.0.1:0".to_owned()],
        api: ([127, 0, 0, 1], 0).into(),
        ..Config::default()
    }
}

/// Joins `doc` as local node `node` through a made-up holder at `address` that never answers,
/// waiting a moment for the body: the join fails as one whose holder went away does, and the
/// node goes on fetching the document in the background. Returns the join's error.
pub async fn join_unanswered(
    state: &AppState,
    node: NodeId,
    doc: DocId,
    address: &str,
) -> ApiError {
    let wait = Duration::from_millis(300);
    let nobody = Identity::generate(&mut rand::rng());
    let card = ContactCard::new(&nobody, "nobody", vec![address.to_owned()], 0);
    let address = address.parse().expect("an address");
    let deadline = tokio::time::Instant::now() + wait;
    match crate::join::join_through(state, node, doc, vec![card], address, deadline, wait).await {
        Ok(joined) => panic!("nobody answered, yet the join went through: {joined:?}"),
        Err(e) => e,
    }
}

/// Polls `check` every 100 ms until it holds; panics after [`DEADLINE`].
pub async fn eventually<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    eventually_within(what, DEADLINE, check).await;
}

/// [`eventually`] with another deadline.
pub async fn eventually_within<F, Fut>(what: &str, deadline: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return;
        }
        assert!(
            started.elapsed() < deadline,
            "timed out after {deadline:?} waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// (current, peak) resident memory of process `pid` in KiB, from `/proc` (zeros where it cannot be read).
pub fn resident_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
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
