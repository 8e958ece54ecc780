//! Forum moderation: `moderator add|remove|work`, `hide`, `unhide`, `ban`, `unban` and `moderation`
//! (a forum's moderation, and ignoring or applying it), over `/api/nodes/{node}/forums/{root}`.

use super::people::who;
use super::{Ctx, encode_query};
use crate::flags::{ForumNode, ForumWork, ModerationShow, ModeratorCommand, Target};
use cliqueclique_daemon::api::{
    AuthorView, IgnoreModeration, Moderation, ModerationView, NodeId, Posted,
};

/// `moderator add|remove ROOT WHO` and `moderator work ROOT BITS`.
pub async fn moderator(ctx: &Ctx, command: ModeratorCommand) -> anyhow::Result<()> {
    let (flags, add) = match command {
        ModeratorCommand::Add(flags) => (flags, true),
        ModeratorCommand::Remove(flags) => (flags, false),
        ModeratorCommand::Work(flags) => return work(ctx, flags).await,
    };
    decide(ctx, flags, |n| {
        if add {
            Moderation::AddModerator(n)
        } else {
            Moderation::RemoveModerator(n)
        }
    })
    .await
}

/// `moderator work ROOT BITS`: the owner sets the forum's proof of work.
async fn work(ctx: &Ctx, flags: ForumWork) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let root = ctx.doc(&node, &flags.root).await?;
    let posted: Posted = ctx
        .client
        .post(
            &format!("/api/nodes/{node}/forums/{root}/moderation"),
            &Moderation::Work(flags.bits),
        )
        .await?;
    if ctx.json {
        return ctx.print_json(&posted);
    }
    out!(
        "work {} bits in {root} (decision {})",
        flags.bits,
        posted.id
    );
    Ok(())
}

/// `ban ROOT WHO` and `unban ROOT WHO`.
pub async fn ban(ctx: &Ctx, flags: ForumNode, on: bool) -> anyhow::Result<()> {
    decide(ctx, flags, |n| {
        if on {
            Moderation::Ban(n)
        } else {
            Moderation::Unban(n)
        }
    })
    .await
}

/// `hide ID` and `unhide ID`.
pub async fn hide(ctx: &Ctx, target: Target, on: bool) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let doc = ctx.doc(&node, &target.id).await?;
    let action = if on { "hide" } else { "unhide" };
    let posted: Posted = ctx
        .client
        .post(
            &format!("/api/nodes/{node}/documents/{doc}/{action}"),
            &serde_json::json!({}),
        )
        .await?;
    if ctx.json {
        return ctx.print_json(&posted);
    }
    let done = if on { "hid" } else { "unhid" };
    out!("{done} {doc} (decision {})", posted.id);
    Ok(())
}

/// `moderation ROOT [--ignore | --apply]`.
pub async fn show(ctx: &Ctx, flags: ModerationShow) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let root = ctx.doc(&node, &flags.root).await?;
    let uri = format!("/api/nodes/{node}/forums/{root}/moderation");
    let view: ModerationView = match (flags.ignore, flags.apply) {
        (false, false) => ctx.client.get(&uri).await?,
        (ignore, _) => {
            ctx.client
                .post(&format!("{uri}/ignore"), &IgnoreModeration { ignore })
                .await?
        }
    };
    if ctx.json {
        return ctx.print_json(&view);
    }
    if let Some(owner) = &view.owner {
        out!("owner:      {}  {}", who(owner), owner.id);
    }
    for moderator in &view.moderators {
        out!("moderator:  {}  {}", who(moderator), moderator.id);
    }
    for hidden in &view.hidden {
        out!("hidden:     {} by {}", hidden.id, who(&hidden.by));
    }
    for banned in &view.banned {
        out!("banned:     {} by {}", banned.id, who(&banned.by));
    }
    if view.work_bits > 0 {
        out!(
            "work:       {} bits (posts by others than the owner and moderators)",
            view.work_bits
        );
    }
    if view.ignored {
        out!("this node ignores the forum's moderation (apply it with --apply)");
    }
    Ok(())
}

/// Resolves the node (a petname, an id, a unique prefix or a fingerprint), signs the decision in the forum and prints its id.
async fn decide(
    ctx: &Ctx,
    flags: ForumNode,
    decision: impl FnOnce(NodeId) -> Moderation,
) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let root = ctx.doc(&node, &flags.root).await?;
    let peer: AuthorView = ctx
        .client
        .get(&format!(
            "/api/nodes/{node}/people/{}",
            encode_query(&flags.node_id)
        ))
        .await?;
    let decision = decision(peer.id);
    let posted: Posted = ctx
        .client
        .post(
            &format!("/api/nodes/{node}/forums/{root}/moderation"),
            &decision,
        )
        .await?;
    if ctx.json {
        return ctx.print_json(&posted);
    }
    out!(
        "{} {}  {} (decision {})",
        decision.action(),
        who(&peer),
        peer.id,
        posted.id
    );
    Ok(())
}
