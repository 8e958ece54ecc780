//! Commands on one document: flags, `show`, `thread`, `export`, `import`.

use super::ids::printed;
use super::{Ctx, format_date};
use crate::flags::{Export, Import, Subscribe, Target, Toggle};
use anyhow::Context;
use cliqueclique_daemon::api::{DocumentView, FlagsChange, Joined, ThreadEntry, ThreadStatusView};
use cliqueclique_daemon::client::Method;

async fn set_flags(ctx: &Ctx, id: &str, change: FlagsChange, done: &str) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let doc = ctx.doc(&node, id).await?;
    let view: DocumentView = ctx
        .client
        .post(&format!("/api/nodes/{node}/documents/{doc}/flags"), &change)
        .await?;
    if ctx.json {
        return ctx.print_json(&view);
    }
    out!("{done} {doc}");
    Ok(())
}

pub async fn subscribe(ctx: &Ctx, flags: Subscribe) -> anyhow::Result<()> {
    let change = FlagsChange {
        subscribed: Some(true),
        thread: Some(flags.thread),
        ..FlagsChange::default()
    };
    let done = if flags.thread {
        "subscribed to the whole thread of"
    } else {
        "subscribed to"
    };
    set_flags(ctx, &flags.id, change, done).await
}

pub async fn unsubscribe(ctx: &Ctx, target: Target) -> anyhow::Result<()> {
    let change = FlagsChange {
        subscribed: Some(false),
        ..FlagsChange::default()
    };
    set_flags(ctx, &target.id, change, "unsubscribed from").await
}

pub async fn bookmark(ctx: &Ctx, toggle: Toggle) -> anyhow::Result<()> {
    let change = FlagsChange {
        bookmarked: Some(!toggle.off),
        ..FlagsChange::default()
    };
    let done = if toggle.off {
        "removed the bookmark of"
    } else {
        "bookmarked"
    };
    set_flags(ctx, &toggle.id, change, done).await
}

pub async fn read(ctx: &Ctx, toggle: Toggle) -> anyhow::Result<()> {
    let change = FlagsChange {
        read: Some(!toggle.off),
        ..FlagsChange::default()
    };
    let done = if toggle.off {
        "marked unread:"
    } else {
        "marked read:"
    };
    set_flags(ctx, &toggle.id, change, done).await
}

pub async fn show(ctx: &Ctx, target: Target) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let doc = ctx.doc(&node, &target.id).await?;
    let view: DocumentView = ctx
        .client
        .get(&format!("/api/nodes/{node}/documents/{doc}"))
        .await?;
    if ctx.json {
        return ctx.print_json(&view);
    }
    out!("id:       {}", view.id);
    if view.retracted {
        out!("retracted by its author: its body is gone");
    }
    // An edited document shows its newest version; the others are listed.
    let shown = view.newest.as_ref().or(view.document.as_ref());
    match shown {
        Some(d) => {
            out!("subject:  {}", d.subject);
            out!(
                "from:     {}  {}",
                super::people::who(&d.author_info),
                d.author
            );
            match &view.hidden_by {
                Some(moderator) => out!("hidden:   by moderator {}", super::people::who(moderator)),
                None if view.hidden => out!("hidden:   its author is muted here"),
                None => {}
            }
            out!("date:     {}", format_date(d.date));
            if let Some(parent) = d.parent {
                out!("parent:   {parent}");
            }
            if let Some(child) = d.child {
                out!(
                    "child:    {child} ({})",
                    d.link.map_or("link", |l| l.as_str())
                );
            }
            out!("type:     {}", d.content_type);
            for part in d.parts.iter().filter(|p| p.part_type == "attachment") {
                out!(
                    "attached: {} ({}, {} bytes)",
                    part.filename.as_deref().unwrap_or("unnamed"),
                    part.content_type,
                    part.size
                );
            }
        }
        None if view.retracted => {}
        None => out!("(the body has not arrived yet)"),
    }
    if let Some(newest) = view.superseded_by {
        out!("edited:   showing the newest version {newest}");
        for version in &view.versions {
            out!(
                "version:  {} {} {}",
                version.id,
                format_date(version.date),
                version.subject
            );
        }
    }
    let f = &view.flags;
    let mut flags = Vec::new();
    for (on, name) in [
        (f.subscribed, "subscribed"),
        (f.thread, "whole thread"),
        (f.bookmarked, "bookmarked"),
        (f.read, "read"),
        (f.own, "own"),
        (f.joining, "joining"),
    ] {
        if on {
            flags.push(name);
        }
    }
    out!(
        "flags:    {}",
        if flags.is_empty() {
            "-".to_owned()
        } else {
            flags.join(", ")
        }
    );
    if let Some(state) = &view.state {
        out!(
            "overlay:  center {} at distance {}, {} link(s), {} comment(s) held",
            state.center,
            state.distance,
            state.links.len(),
            view.children.len()
        );
    }
    if let Some(d) = shown {
        out!();
        match (&d.body, &d.body_base64) {
            (Some(text), _) => out!("{text}"),
            (None, Some(b64)) => out!(
                "({} bytes of {}, base64)\n{b64}",
                b64.len() * 3 / 4,
                d.content_type
            ),
            _ => {}
        }
    }
    Ok(())
}

pub async fn thread(ctx: &Ctx, target: Target) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let doc = ctx.doc(&node, &target.id).await?;
    // A thread not followed here is fetched whole, as a newsreader fetches what it shows.
    let view: DocumentView = ctx
        .client
        .get(&format!("/api/nodes/{node}/documents/{doc}"))
        .await?;
    if !(view.flags.subscribed && view.flags.thread) {
        let change = FlagsChange {
            fetch: Some(true),
            ..FlagsChange::default()
        };
        let _: DocumentView = ctx
            .client
            .post(&format!("/api/nodes/{node}/documents/{doc}/flags"), &change)
            .await?;
    }
    let root: ThreadEntry = ctx
        .client
        .get(&format!("/api/nodes/{node}/documents/{doc}/thread"))
        .await?;
    if ctx.json {
        return ctx.print_json(&root);
    }
    let unread = print_entry(&root, "", "")?;
    let view: DocumentView = ctx
        .client
        .get(&format!("/api/nodes/{node}/documents/{doc}"))
        .await?;
    let unread = match unread {
        0 => "nothing unread".to_owned(),
        n => format!("{n} unread (marked *)"),
    };
    match view.thread {
        Some(status) => out!("{unread}; {}", completeness(&status)),
        None => out!("{unread}"),
    }
    Ok(())
}

/// "complete: 3 documents below", or how many have not arrived yet.
pub fn completeness(status: &ThreadStatusView) -> String {
    let plural = |n: u32| if n == 1 { "" } else { "s" };
    if status.complete {
        format!(
            "complete: {} document{} below",
            status.below,
            plural(status.below)
        )
    } else {
        format!(
            "{} document{} below, {} not here yet, fetching",
            status.below,
            plural(status.below),
            status.missing
        )
    }
}

/// Prints one entry and its children with box-drawing branches, like a newsreader's thread view:
/// an id that every command takes, `*` if unread, the subject, and the author and date. Returns
/// how many entries are unread.
fn print_entry(entry: &ThreadEntry, lead: &str, child_lead: &str) -> anyhow::Result<usize> {
    let mark = if entry.read { ' ' } else { '*' };
    let linked = if entry.linked { " [linked]" } else { "" };
    let edited = if entry.superseded_by.is_some() {
        " [edited]"
    } else {
        ""
    };
    let hidden = if entry.hidden_by.is_some() {
        " [hidden by a moderator]"
    } else {
        ""
    };
    if entry.retracted {
        out!("{} {mark} {lead}(retracted)", printed(&entry.id));
    } else if entry.subject.is_empty() && entry.author_name.is_empty() {
        out!("{} {mark} {lead}(not arrived yet)", printed(&entry.id));
    } else {
        let author = match &entry.author_info {
            Some(a) => super::people::who(a),
            None if entry.author_name.is_empty() => "no name".to_owned(),
            None => entry.author_name.clone(),
        };
        out!(
            "{} {mark} {lead}{}{linked}{edited}{hidden}  ({author}, {})",
            printed(&entry.id),
            entry.subject,
            format_date(entry.date)
        );
    }
    let mut unread = usize::from(!entry.read);
    let n = entry.children.len();
    for (i, child) in entry.children.iter().enumerate() {
        let last = i + 1 == n;
        let (branch, next) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        unread += print_entry(
            child,
            &format!("{child_lead}{branch}"),
            &format!("{child_lead}{next}"),
        )?;
    }
    Ok(unread)
}

pub async fn export(ctx: &Ctx, flags: Export) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let doc = ctx.doc(&node, &flags.id).await?;
    let bytes = ctx
        .client
        .request(
            Method::GET,
            &format!("/api/nodes/{node}/documents/{doc}/export"),
            None,
        )
        .await?;
    let path = flags
        .output
        .unwrap_or_else(|| format!("{}.cliqueclique", doc.short()).into());
    std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    out!("wrote {} ({} bytes)", path.display(), bytes.len());
    Ok(())
}

pub async fn import(ctx: &Ctx, flags: Import) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let bytes = std::fs::read(&flags.file)
        .with_context(|| format!("cannot read {}", flags.file.display()))?;
    eprintln!("importing {} …", flags.file.display());
    let joined: Joined = ctx
        .client
        .post_bytes(&format!("/api/nodes/{node}/import"), bytes)
        .await?;
    if ctx.json {
        return ctx.print_json(&joined);
    }
    out!(
        "imported {:?} ({}); subscribed, and connecting to the exporter {} ({})",
        joined.subject,
        joined.doc,
        joined.peer_name,
        joined.peer
    );
    Ok(())
}
