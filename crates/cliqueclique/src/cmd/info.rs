//! `status` and `peers`.

use super::Ctx;
use cliqueclique_daemon::api::{Peers, Status};

pub async fn status(ctx: &Ctx) -> anyhow::Result<()> {
    let status: Status = ctx.client.get("/api/status").await?;
    if ctx.json {
        return ctx.print_json(&status);
    }
    println!("installation  {}", status.installation);
    println!("data dir      {}", status.data_dir);
    println!("listening     {}", status.listening.join(" "));
    println!("advertised    {}", status.advertised.join(" "));
    println!("api           http://{}", status.api);
    for t in &status.transports {
        let retry = t
            .retry_in_ms
            .map(|ms| format!(", next try in {} s", ms.div_ceil(1000)))
            .unwrap_or_default();
        println!(
            "{:<13} {} {}: {}{retry}",
            t.transport, t.state, t.address, t.detail
        );
    }
    println!("sessions      {}", status.sessions);
    println!("documents     {}", status.documents);
    println!();
    println!(
        "{:<16} {:>9} {:>10} {:>10} {:>9} {:>8}",
        "node", "documents", "subscribed", "peers up", "unacked", "rejected"
    );
    for n in &status.nodes {
        println!(
            "{:<16} {:>9} {:>10} {:>7}/{:<2} {:>9} {:>8}",
            n.name, n.documents, n.subscribed, n.peers_up, n.peers, n.unacked_links, n.rejected
        );
    }
    println!();
    println!("queues");
    for (name, value) in &status.queues {
        println!("  {name:<28} {value}");
    }
    println!("counters (zeros omitted)");
    for (name, value) in status.counters.iter().filter(|(_, v)| **v > 0) {
        println!("  {name:<28} {value}");
    }
    Ok(())
}

pub async fn peers(ctx: &Ctx) -> anyhow::Result<()> {
    let peers: Peers = ctx.client.get("/api/peers").await?;
    if ctx.json {
        return ctx.print_json(&peers);
    }
    println!("sessions");
    for s in &peers.sessions {
        let who = s
            .installation
            .as_deref()
            .map_or("(handshake)", |k| &k[..16]);
        println!(
            "  {who}  {}  {} node(s), queue {}, up {} s",
            s.dialed.as_deref().unwrap_or("(accepted)"),
            s.remote_nodes.len(),
            s.queue_len,
            s.age_secs
        );
    }
    for address in &peers.dialing {
        println!("  dialing {address}");
    }
    println!("peers");
    for p in &peers.peers {
        println!(
            "  {} → {:<16} {} {:>4} doc(s)  {}  {}",
            p.node.short(),
            p.name.as_deref().unwrap_or("?"),
            if p.up { "up  " } else { "down" },
            p.documents,
            p.peer.short(),
            p.addresses.join(" ")
        );
    }
    Ok(())
}
