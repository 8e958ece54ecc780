//! A stranger floods an installation over real sessions with throw-away node keys, each
//! sending its card, a link request and a goodbye: the node's peer records stay within
//! `[proto] max_peer_records`, its API keeps answering, and a follower's comments still arrive.

use crate::support::{Installation, eventually, join};
use cliqueclique_daemon::api::Status;
use cliqueclique_daemon::testing::throwaway;
use std::time::{Duration, Instant};

/// The bound under test, far below the default so that a short flood crosses it many times.
const MAX_PEERS: usize = 64;
/// Throw-away node keys in the flood.
const KEYS: usize = 3_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v3_throwaway_node_keys_keep_peer_records_bounded() {
    let target =
        Installation::start_with("target", &format!("max_peer_records = {MAX_PEERS}")).await;
    let node = target.create_node("t");
    let root = target.start_forum("Flooded", "root");
    let follower = Installation::start("follower").await;
    follower.create_node("f");
    join(&follower, "f", &target, root);
    let idle = target.memory_kib().0;

    let started = Instant::now();
    let address = target.address.clone();
    let flood =
        tokio::spawn(async move { throwaway::flood(&address, node.id, root, KEYS, 250, 4).await });
    let comment = follower
        .post("f", "during the flood", "still here", Some(root))
        .await;
    // Sample the API until the flood is sent and the installation has handled it: every node
    // made a record (the follower's included), kept or forgotten.
    let (mut latencies, mut most_peers, mut most_rss) = (Vec::new(), 0, 0);
    let (mut sent_secs, mut handled) = (None, false);
    while !handled {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the flood was not handled within 2 minutes"
        );
        let asked = Instant::now();
        let status: Status =
            tokio::time::timeout(Duration::from_secs(30), target.client.get("/api/status"))
                .await
                .expect("the API answers within 30 s")
                .expect("status");
        latencies.push(asked.elapsed().as_secs_f64() * 1000.0);
        let records = &status.nodes[0];
        most_peers = most_peers.max(records.peers);
        most_rss = most_rss.max(target.memory_kib().0);
        assert!(
            records.peers <= MAX_PEERS,
            "{} peer records after {:.1} s of the flood",
            records.peers,
            started.elapsed().as_secs_f64()
        );
        if sent_secs.is_none() && flood.is_finished() {
            sent_secs = Some(started.elapsed().as_secs_f64());
        }
        handled = sent_secs.is_some() && records.peers_forgotten as usize + records.peers > KEYS;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let failed = flood.await.expect("the flood task");
    let handled_secs = started.elapsed().as_secs_f64();
    let status = target.status().await;
    let records = &status.nodes[0];
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
    eprintln!(
        "V3 flood: {KEYS} keys sent in {:.1} s ({failed} sessions failed), handled in \
         {handled_secs:.1} s; records at most {most_peers}, now {}, forgotten {}, cards ignored {}; \
         RSS idle {idle} KiB, at most {most_rss} KiB; status over {} samples: median {:.1} ms, \
         p95 {:.1} ms, max {:.1} ms",
        sent_secs.unwrap_or_default(),
        records.peers,
        records.peers_forgotten,
        records.cards_ignored,
        latencies.len(),
        at(0.5),
        at(0.95),
        at(1.0),
    );
    assert_eq!(
        failed, 0,
        "every session of the flood got through the transport's bounds"
    );
    assert!(records.peers <= MAX_PEERS);
    assert!(
        records.peers_forgotten >= (KEYS - MAX_PEERS) as u64,
        "each throw-away node made a record that was then forgotten: {records:?}"
    );
    assert!(
        at(0.5) < 1_000.0,
        "the API's median latency under the flood"
    );

    // The follower is linked, so its record stayed, and its comments arrive.
    eventually("the comment posted during the flood arrives", || async {
        target.holds("t", comment).await
    })
    .await;
    let after = follower
        .post("f", "after the flood", "and after", Some(root))
        .await;
    eventually("the comment posted after the flood arrives", || async {
        target.holds("t", after).await
    })
    .await;
}
