//! `cliqueclique join INVITE` (or `join ADDRESS ROOT_ID`): shows progress while the daemon looks
//! the document up and fetches it; `join --cancel ROOT_ID` stops a join still trying.
//! `cliqueclique invite ID`: the invite others join with.

use super::Ctx;
use crate::flags::{Join, Target};
use anyhow::bail;
use cliqueclique_daemon::api::{InviteView, JoinRequest, Joined, Joining};
use cliqueclique_daemon::invite::{Invite, is_invite};
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub async fn run(ctx: &Ctx, flags: Join) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    if flags.cancel {
        return cancel(ctx, &node, &flags.target).await;
    }
    let (doc, addresses) = match (is_invite(&flags.target), &flags.root_id) {
        (true, None) => {
            let invite: Invite = flags.target.parse()?;
            let addresses: Vec<String> = invite.addresses.iter().map(ToString::to_string).collect();
            (invite.doc, addresses)
        }
        (true, Some(_)) => bail!("an invite carries the root id already: give the invite alone"),
        (false, Some(root)) => (ctx.doc(&node, root).await?, vec![flags.target.clone()]),
        (false, None) => bail!(
            "give an invite (cliqueclique:ROOT_ID?via=ADDRESS), or an address and the root id: \
             cliqueclique join tcp://HOST:PORT ROOT_ID"
        ),
    };
    let request = JoinRequest {
        address: String::new(),
        addresses: addresses.clone(),
        doc,
        timeout_ms: flags.timeout.map(|s| s * 1000),
    };
    eprintln!(
        "asking {} for document {} and fetching it …",
        addresses.join(" or "),
        doc
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

/// `join --cancel ROOT_ID` (or the invite): the node stops fetching the forum.
async fn cancel(ctx: &Ctx, node: &str, target: &str) -> anyhow::Result<()> {
    let doc = if is_invite(target) {
        target.parse::<Invite>()?.doc
    } else {
        ctx.doc(node, target).await?
    };
    let left: Vec<Joining> = ctx
        .client
        .delete(&format!("/api/nodes/{node}/documents/{doc}/join"))
        .await?;
    if ctx.json {
        return ctx.print_json(&left);
    }
    out!("{doc}  join cancelled: the node fetches it no more");
    Ok(())
}

/// `invite ID`: prints the invite on stdout, and on stderr what keeps others from using it.
pub async fn invite(ctx: &Ctx, target: Target) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let doc = ctx.doc(&node, &target.id).await?;
    let view: InviteView = ctx
        .client
        .get(&format!("/api/nodes/{node}/documents/{doc}/invite"))
        .await?;
    if view.addresses.is_empty() {
        bail!(
            "{}",
            view.warning
                .as_deref()
                .unwrap_or("this installation advertises no address")
        );
    }
    if ctx.json {
        return ctx.print_json(&view);
    }
    if let Some(warning) = &view.warning {
        eprintln!("warning: {warning}");
    }
    out!("{}", view.invite);
    Ok(())
}
