//! `forums`: the acting node's forums with their unread counts, newest activity first, as a
//! newsreader lists its groups (the overview the web UI's home page shows); `newsgroup`: a
//! forum's name on the NNTP server.

use super::{Ctx, format_date, shown_subject};
use crate::flags::Newsgroup;
use cliqueclique_daemon::api::{NewsgroupName, Overview};

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
            "no forums yet: start one with `cliqueclique post --subject NAME`, or join one with `cliqueclique join INVITE`"
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
    for join in &overview.joining {
        let how = match (&join.address, join.since) {
            (Some(address), Some(since)) => {
                format!("still trying {address} since {}", format_date(since))
            }
            _ => "still trying".to_owned(),
        };
        let error = join
            .last_error
            .as_ref()
            .map_or_else(String::new, |e| format!("; last error: {e}"));
        out!(
            "{}  joining: the root has not arrived yet, {how}{error}",
            join.doc
        );
    }
    Ok(())
}

/// `newsgroup ROOT NAME`.
pub async fn rename_newsgroup(ctx: &Ctx, newsgroup: Newsgroup) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let root = ctx.doc(&node, &newsgroup.root).await?;
    let renamed: NewsgroupName = ctx
        .client
        .post(
            &format!("/api/nodes/{node}/newsgroups"),
            &NewsgroupName {
                root,
                name: newsgroup.name,
            },
        )
        .await?;
    if ctx.json {
        return ctx.print_json(&renamed);
    }
    out!("{}  is now the newsgroup {}", renamed.root, renamed.name);
    Ok(())
}
