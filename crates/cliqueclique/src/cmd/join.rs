//! `cliqueclique join ADDRESS ROOT_ID`: shows progress while the daemon looks the document up and fetches it.

use super::Ctx;
use crate::flags::Join;
use cliqueclique_daemon::api::{JoinRequest, Joined};
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub async fn run(ctx: &Ctx, flags: Join) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let doc = ctx.doc(&node, &flags.root_id).await?;
    let request = JoinRequest {
        address: flags.address.clone(),
        doc,
        timeout_ms: flags.timeout.map(|s| s * 1000),
    };
    eprintln!(
        "asking {} for document {} and fetching it …",
        flags.address, doc
    );
    let path = format!("/api/nodes/{node}/join");
    let call = ctx.client.post::<_, Joined>(&path, &request);
    tokio::pin!(call);
    let started = Instant::now();
    let spinner = std::io::stderr().is_terminal();
    let frames = ['|', '/', '-', '\\'];
    let mut tick = 0;
    let joined = loop {
        tokio::select! {
            result = &mut call => break result,
            () = tokio::time::sleep(Duration::from_millis(150)) => {
                if spinner {
                    tick += 1;
                    eprint!("\r{} waiting {:>3} s", frames[tick % 4], started.elapsed().as_secs());
                    let _ = std::io::stderr().flush();
                }
            }
        }
    };
    if spinner {
        eprint!("\r                    \r");
    }
    let joined = joined?;
    if ctx.json {
        return ctx.print_json(&joined);
    }
    out!(
        "joined {:?} ({}) through {} ({}) in {:.1} s",
        joined.subject,
        joined.doc,
        joined.peer_name,
        joined.peer,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
