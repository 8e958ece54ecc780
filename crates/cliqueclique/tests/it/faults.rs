//! (g) Five installations, each in a network namespace of its own, on links that drop packets and
//! behind relays that delay and cut their streams; while comments flow, random installations are
//! killed (`kill -9`) and restarted. Every comment whose post was acknowledged (its API call
//! answered success) reaches every installation, none twice.
//!
//! Needs root, iproute2 and nftables (`scripts/install-test-deps`). Without them the test skips,
//! unless `CLIQUECLIQUE_FAULT_TESTS=required` (as `scripts/test` sets) or `CI` is set, where it
//! fails. A failure prints its seed; `CC_FAULT_SEED=SEED` runs the same schedule again.

mod lab;
mod proxy;

use crate::support::{Installation, eventually, eventually_within, thread_ids};
use cliqueclique_daemon::api::{DocId, NewPost, Posted, ThreadEntry};
use cliqueclique_daemon::client::Client;
use lab::Lab;
use proxy::{Faults, Proxy};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Installations.
const N: usize = 5;
/// How long installations are killed while comments flow.
const CHAOS: Duration = Duration::from_secs(40);
/// The peer port of every installation, inside its own namespace.
const PEER_PORT: u16 = 7117;
/// Packets dropped per thousand, leaving and entering each namespace.
const LOSS_PER_MILLE: u32 = 20;
/// Each namespace's sending rate.
const RATE: &str = "20mbit";
/// What the relays do while the faults are on.
const FAULTS: Faults = Faults {
    max_delay_ms: 40,
    cut_chance: 0.3,
    cut_within_ms: 8_000,
};
/// The longest the installations may take to converge once the killing stops.
const CONVERGE_WITHIN: Duration = Duration::from_secs(120);

/// Prints the parameters, seed included, when the test fails.
struct OnFailure(String);

impl Drop for OnFailure {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("\nthe fault test failed with {}\n", self.0);
        }
    }
}

/// The API clients of the running installations (`None` while one is down), for the poster.
type Clients = Arc<Mutex<Vec<Option<Client>>>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn installations_killed_at_random_on_faulty_links_lose_and_duplicate_nothing() {
    let seed: u64 = std::env::var("CC_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    let params = format!(
        "CC_FAULT_SEED={seed}: {N} installations, {LOSS_PER_MILLE}‰ of packets dropped each way, \
         {RATE} per namespace, relays {FAULTS:?}, {} s of kills",
        CHAOS.as_secs()
    );
    let _report = OnFailure(params.clone());
    // The lab is declared first so that it is removed last, after the processes.
    let lab = match Lab::create(N, LOSS_PER_MILLE, RATE) {
        Ok(lab) => lab,
        Err(error) => {
            assert!(
                !lab::required(),
                "the fault test needs root, iproute2 and nftables ({error}): run scripts/install-test-deps"
            );
            eprintln!(
                "\n!!! SKIPPING the fault test: {error}. It needs root, iproute2 and nftables \
                 (scripts/install-test-deps). !!!\n"
            );
            return;
        }
    };
    eprintln!("fault test: {params}");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut proxies = Vec::new();
    for i in 0..N {
        let listen = SocketAddr::new(lab.gateway().into(), 0);
        let target = SocketAddr::new(lab.address(i).into(), PEER_PORT);
        let relay = Proxy::start(listen, target, FAULTS, rng.random())
            .await
            .expect("relay");
        proxies.push(relay);
    }
    let mut installations = Vec::new();
    for (i, relay) in proxies.iter().enumerate() {
        let address = lab.address(i);
        let x = Installation::start_in_namespace(
            &format!("x{i}"),
            lab.namespace(i),
            &format!("{address}:0"),
            &format!("tcp://{address}:{PEER_PORT}"),
            &["--advertise", &format!("tcp://{}", relay.address)],
        )
        .await;
        x.create_node(&format!("n{i}"));
        installations.push(x);
    }
    let root = installations[0].post("n0", "Faults", "root", None).await;
    // A tree, joined through the relays: introductions add links later.
    for (i, via) in [(1, 0), (2, 1), (3, 0), (4, 2)] {
        let via = format!("tcp://{}", proxies[via].address);
        installations[i].cli_ok(&["--node", &format!("n{i}"), "join", &via, &root.to_string()]);
    }
    for (i, x) in installations.iter().enumerate() {
        eventually(&format!("x{i} holds the forum"), || async {
            x.holds(&format!("n{i}"), root).await
        })
        .await;
    }

    for relay in &proxies {
        relay.set_active(true);
    }
    let clients: Clients = Arc::new(Mutex::new(
        installations
            .iter()
            .map(|x| Some(x.client.clone()))
            .collect(),
    ));
    let stop = Arc::new(AtomicBool::new(false));
    let poster = tokio::spawn(post_comments(
        clients.clone(),
        root,
        rng.random(),
        stop.clone(),
    ));
    let started = Instant::now();
    let mut kills = 0;
    while started.elapsed() < CHAOS {
        tokio::time::sleep(Duration::from_millis(rng.random_range(1_000..3_000))).await;
        let i = rng.random_range(0..N);
        clients.lock().expect("clients")[i] = None;
        installations[i].kill();
        kills += 1;
        tokio::time::sleep(Duration::from_millis(rng.random_range(200..1_500))).await;
        installations[i].restart().await;
        clients.lock().expect("clients")[i] = Some(installations[i].client.clone());
    }
    stop.store(true, Ordering::Relaxed);
    let (acknowledged, refused) = poster.await.expect("the poster");
    assert!(
        acknowledged.len() >= 50,
        "only {} posts acknowledged",
        acknowledged.len()
    );

    // The links stay faulty while the installations converge.
    let converging = Instant::now();
    for (i, x) in installations.iter().enumerate() {
        let node = format!("n{i}");
        eventually_within(
            &format!("x{i} holds every acknowledged comment"),
            CONVERGE_WITHIN,
            || async {
                let held = held(&x.thread(&node, root).await);
                acknowledged.iter().all(|doc| held.contains(doc))
            },
        )
        .await;
    }
    let converged = converging.elapsed();

    let mut everywhere: Option<BTreeSet<DocId>> = None;
    for (i, x) in installations.iter().enumerate() {
        let ids = thread_ids(&x.thread(&format!("n{i}"), root).await);
        let unique: BTreeSet<DocId> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "x{i} lists a comment twice");
        let status = x.status().await;
        assert_eq!(
            status.documents,
            unique.len(),
            "x{i} stores each document once"
        );
        assert_eq!(status.counters["commit_failures"], 0, "x{i}");
        match &everywhere {
            None => everywhere = Some(unique),
            Some(first) => assert_eq!(first, &unique, "x{i} holds what x0 holds"),
        }
    }
    let held_everywhere = everywhere.expect("installations").len() - 1;
    let cuts: u64 = proxies
        .iter()
        .map(|p| p.counters.cuts.load(Ordering::Relaxed))
        .sum();
    let connections: u64 = proxies
        .iter()
        .map(|p| p.counters.connections.load(Ordering::Relaxed))
        .sum();
    eprintln!(
        "fault test ({params}): {} posts acknowledged, {refused} refused or unanswered (installation down), \
         {kills} kills; lost 0, duplicated 0; {held_everywhere} comments held everywhere \
         ({} posted though unacknowledged); converged {:.1} s after the last restart; \
         {connections} relayed connections, {cuts} cut, {} packets dropped",
        acknowledged.len(),
        held_everywhere - acknowledged.len(),
        converged.as_secs_f64(),
        lab.dropped_packets(),
    );
}

/// The documents of a thread whose bodies are held (a missing body shows an empty subject).
fn held(entry: &ThreadEntry) -> BTreeSet<DocId> {
    let mut ids = BTreeSet::new();
    if !entry.subject.is_empty() {
        ids.insert(entry.id);
    }
    for child in &entry.children {
        ids.extend(held(child));
    }
    ids
}

/// Posts a comment to `root` every 100 ms on a random running installation until `stop`; returns
/// the acknowledged ones and the number of posts that failed or got no answer within 5 s.
async fn post_comments(
    clients: Clients,
    root: DocId,
    seed: u64,
    stop: Arc<AtomicBool>,
) -> (Vec<DocId>, usize) {
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut acknowledged, mut refused) = (Vec::new(), 0);
    let mut k = 0;
    while !stop.load(Ordering::Relaxed) {
        let i = rng.random_range(0..N);
        let client = clients.lock().expect("clients")[i].clone();
        if let Some(client) = client {
            k += 1;
            let new = NewPost {
                subject: format!("comment {k} on x{i}"),
                body: Some("under faults".into()),
                parent: Some(root),
                ..NewPost::default()
            };
            let path = format!("/api/nodes/n{i}/documents");
            let posted = tokio::time::timeout(
                Duration::from_secs(5),
                client.post::<_, Posted>(&path, &new),
            )
            .await;
            match posted {
                Ok(Ok(posted)) => acknowledged.push(posted.id),
                _ => refused += 1,
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (acknowledged, refused)
}
