//! `forums`: the acting node's forums with their unread counts, newest activity first, as a
//! newsreader lists its groups (the overview the web UI's home page shows).

use super::{Ctx, format_date, shown_subject};
use cliqueclique_daemon::api::Overview;

pub async fn run(ctx: &Ctx) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let overview: Overview = ctx
        .client
        .get(&format!("/api/nodes/{node}/overview"))
        .await?;
    if ctx.json {
        return ctx.print_json(&overview.forums);
    }
    if overview.forums.is_empty() && overview.joining.is_empty() {
        out!(
            "no forums yet: start one with `cliqueclique post --subject NAME`, or join one with `cliqueclique join ADDRESS ROOT_ID`"
        );
    }
    for forum in &overview.forums {
        out!(
            "{}  {:>5} unread of {:<5}  {}  {} ({})",
            forum.id,
            forum.unread,
            forum.documents,
            format_date(forum.last_activity),
            shown_subject(&forum.subject),
            forum
                .author_info
                .as_ref()
                .map_or_else(|| forum.author_name.clone(), super::people::who)
        );
    }
    for doc in &overview.joining {
        out!("{doc}  joining: the root has not arrived yet");
    }
    Ok(())
}
