//! `status` and `peers`.

use super::Ctx;
use cliqueclique_daemon::api::{NodeInfo, Peers, Status};

/// The installation's status; with `--node`, only that node's line.
pub async fn status(ctx: &Ctx) -> anyhow::Result<()> {
    let only = ctx.node_filter().await?;
    let mut status: Status = ctx.client.get("/api/status").await?;
    if let Some(only) = &only {
        status.nodes.retain(|n| n.id == only.id);
    }
    if ctx.json {
        return ctx.print_json(&status);
    }
    out!("installation  {}", status.installation);
    out!("data dir      {}", status.data_dir);
    out!("listening     {}", status.listening.join(" "));
    out!("advertised    {}", status.advertised.join(" "));
    out!("api           http://{}", status.api);
    for t in &status.transports {
        let retry = t
            .retry_in_ms
            .map(|ms| format!(", next try in {} s", ms.div_ceil(1000)))
            .unwrap_or_default();
        out!(
            "{:<13} {} {}: {}{retry}",
            t.transport,
            t.state,
            t.address,
            t.detail
        );
    }
    out!("sessions      {}", status.sessions);
    out!("documents     {}", status.documents);
    out!();
    out!(
        "{:<16} {:>9} {:>10} {:>10} {:>9} {:>8}",
        "node",
        "documents",
        "subscribed",
        "peers up",
        "unacked",
        "rejected"
    );
    for n in &status.nodes {
        out!(
            "{:<16} {:>9} {:>10} {:>7}/{:<2} {:>9} {:>8}",
            n.name,
            n.documents,
            n.subscribed,
            n.peers_up,
            n.peers,
            n.unacked_links,
            n.rejected
        );
    }
    out!();
    out!("queues");
    for (name, value) in &status.queues {
        out!("  {name:<28} {value}");
    }
    out!("counters (zeros omitted)");
    for (name, value) in status.counters.iter().filter(|(_, v)| **v > 0) {
        out!("  {name:<28} {value}");
    }
    Ok(())
}

/// The sessions and the local nodes' peers; with `--node`, only that node's peers.
pub async fn peers(ctx: &Ctx) -> anyhow::Result<()> {
    let only = ctx.node_filter().await?;
    let mut peers: Peers = ctx.client.get("/api/peers").await?;
    if let Some(only) = &only {
        peers.peers.retain(|p| p.node == only.id);
    }
    let nodes: Vec<NodeInfo> = ctx.client.get("/api/nodes").await?;
    if ctx.json {
        return ctx.print_json(&peers);
    }
    out!("sessions");
    for s in &peers.sessions {
        let who = s
            .installation
            .as_deref()
            .map_or("(handshake)", |k| &k[..16]);
        out!(
            "  {who}  {}  {} node(s), queue {}, up {} s",
            s.dialed.as_deref().unwrap_or("(accepted)"),
            s.remote_nodes.len(),
            s.queue_len,
            s.age_secs
        );
    }
    for address in &peers.dialing {
        out!("  dialing {address}");
    }
    out!("peers");
    for p in &peers.peers {
        let local = nodes
            .iter()
            .find(|n| n.id == p.node)
            .map_or_else(|| p.node.to_string(), |n| n.name.clone());
        let mut marks = String::new();
        if let Some(petname) = &p.petname {
            marks.push_str(&format!(" ={petname}"));
        }
        if p.muted {
            marks.push_str(" (muted)");
        }
        if p.blocked {
            marks.push_str(" (blocked)");
        }
        out!(
            "  {local} → {:<16} [{}]{marks} {} {:>4} doc(s)  {}  {}",
            format!("{:?}", p.name.as_deref().unwrap_or("?")),
            p.fingerprint,
            if p.up { "up  " } else { "down" },
            p.documents,
            p.peer,
            p.addresses.join(" ")
        );
    }
    Ok(())
}
