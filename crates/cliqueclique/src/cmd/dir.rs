//! `dir create`, `dir publish` and `dir ls`: directories over the API (`docs/directory.md`).

use super::post::body;
use super::{Ctx, encode_query};
use crate::flags::DirCommand;
use cliqueclique_daemon::api::{NamePage, NewDirectory, NewPost, Posted, PublishName, Published};

pub async fn run(ctx: &Ctx, command: DirCommand) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    match command {
        DirCommand::Create { title, description } => {
            let posted: Posted = ctx
                .client
                .post(
                    &format!("/api/nodes/{node}/directories"),
                    &NewDirectory { title, description },
                )
                .await?;
            if ctx.json {
                return ctx.print_json(&posted);
            }
            out!("{}", posted.id);
            Ok(())
        }
        DirCommand::Publish {
            root,
            name,
            doc,
            body: flags,
        } => {
            let root = ctx.doc(&node, &root).await?;
            let target = match doc {
                Some(doc) => ctx.doc(&node, &doc).await?,
                None => {
                    let new = NewPost {
                        subject: name.clone(),
                        ..body(&flags)?
                    };
                    let posted: Posted = ctx
                        .client
                        .post(&format!("/api/nodes/{node}/documents"), &new)
                        .await?;
                    posted.id
                }
            };
            let published: Published = ctx
                .client
                .post(
                    &format!("/api/nodes/{node}/directories/{root}/names"),
                    &PublishName {
                        name,
                        target,
                        timeout_ms: None,
                    },
                )
                .await?;
            if ctx.json {
                return ctx.print_json(&published);
            }
            out!("{}\t{}", published.target, published.name);
            Ok(())
        }
        DirCommand::Ls {
            root,
            prefix,
            limit,
            mut after,
            all,
        } => {
            let root = ctx.doc(&node, &root).await?;
            loop {
                let mut path = format!(
                    "/api/nodes/{node}/directories/{root}/names?prefix={}&limit={limit}",
                    encode_query(&prefix)
                );
                if let Some(after) = &after {
                    path.push_str(&format!("&after={}", encode_query(after)));
                }
                let page: NamePage = ctx.client.get(&path).await?;
                if ctx.json {
                    ctx.print_json(&page)?;
                } else {
                    for entry in &page.names {
                        out!("{}\t{}", entry.target, entry.name);
                    }
                }
                match page.next {
                    Some(next) if all => after = Some(next),
                    Some(next) => {
                        if !ctx.json {
                            eprintln!("more: --after '{next}'");
                        }
                        return Ok(());
                    }
                    None => return Ok(()),
                }
            }
        }
    }
}
