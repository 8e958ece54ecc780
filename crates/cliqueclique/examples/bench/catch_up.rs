//! `bench catch-up`: two installations share a forum; the second stops, misses comments and
//! starts again from its data directory (see the module documentation of `bench.rs`).

use super::{Serve, temp_dir};
use cliqueclique_daemon::api::{
    CreateNode, DocId, JoinRequest, Joined, NewPost, NodeInfo, Posted, Status,
};
use std::time::{Duration, Instant};

/// The first node of an installation, as its status reports it.
async fn first_node(serve: &Serve) -> anyhow::Result<cliqueclique_daemon::api::NodeStatus> {
    let status: Status = serve.client.get("/api/status").await?;
    status
        .nodes
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("the installation has no node"))
}

/// Waits until both installations have no unacknowledged link and sent nothing for two seconds.
async fn quiet(a: &Serve, b: &Serve) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut last = (u64::MAX, u64::MAX);
    let mut since = Instant::now();
    loop {
        let (na, nb) = (first_node(a).await?, first_node(b).await?);
        let now = (na.parts_sent, nb.parts_sent);
        if now != last || na.unacked_links + nb.unacked_links > 0 {
            last = now;
            since = Instant::now();
        } else if since.elapsed() > Duration::from_secs(2) {
            return Ok(());
        }
        anyhow::ensure!(started.elapsed() < Duration::from_secs(600), "never quiet");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Posts a short document as node `a` of `serve`.
async fn post_at_a(serve: &Serve, subject: String, parent: Option<DocId>) -> anyhow::Result<DocId> {
    let post = NewPost {
        subject,
        body: Some("a comment of a forum that two installations share".into()),
        parent,
        ..NewPost::default()
    };
    let posted: Posted = serve.client.post("/api/nodes/a/documents", &post).await?;
    Ok(posted.id)
}

pub(super) async fn catch_up(comments: usize, missed: &[usize]) -> anyhow::Result<()> {
    let (dir_a, dir_b) = (temp_dir("catch-up-a")?, temp_dir("catch-up-b")?);
    let a = Serve::start(&dir_a).await?;
    let mut b = Serve::start(&dir_b).await?;
    for (serve, name) in [(&a, "a"), (&b, "b")] {
        let _: NodeInfo = serve
            .client
            .post("/api/nodes", &CreateNode { name: name.into() })
            .await?;
    }
    let root = post_at_a(&a, "shared".into(), None).await?;
    for i in 0..comments {
        post_at_a(&a, format!("c{i}"), Some(root)).await?;
    }
    let join = JoinRequest {
        address: a.address.clone(),
        addresses: Vec::new(),
        doc: root,
        timeout_ms: Some(600_000),
    };
    let _: Joined = b.client.post("/api/nodes/b/join", &join).await?;
    let mut held = comments + 1;
    while first_node(&b).await?.documents < held {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    quiet(&a, &b).await?;
    for &d in missed {
        drop(b);
        for i in 0..d {
            post_at_a(&a, format!("m{held}-{i}"), Some(root)).await?;
        }
        held += d;
        let before = first_node(&a).await?;
        let started = Instant::now();
        b = Serve::start(&dir_b).await?;
        while first_node(&b).await?.documents < held {
            anyhow::ensure!(started.elapsed() < Duration::from_secs(600), "no catch-up");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let caught_up = started.elapsed();
        quiet(&a, &b).await?;
        let (after, restarted) = (first_node(&a).await?, first_node(&b).await?);
        let figures = serde_json::json!({
            "benchmark": "catch-up",
            "shared": held - d - 1,
            "missed": d,
            "parts_sent_by_the_other": after.parts_sent - before.parts_sent,
            "parts_sent_by_the_restarted": restarted.parts_sent,
            "batches": after.batches_sent - before.batches_sent + restarted.batches_sent,
            "bodies": after.bodies_sent - before.bodies_sent + restarted.bodies_sent,
            "caught_up_secs": caught_up.as_secs_f64(),
        });
        println!("{}", serde_json::to_string(&figures)?);
    }
    drop((a, b));
    let _ = std::fs::remove_dir_all(dir_a);
    let _ = std::fs::remove_dir_all(dir_b);
    Ok(())
}
