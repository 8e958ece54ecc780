//! Other nodes: `petname`, `mute`, `unmute`, `block`, `unblock` and `people`, over
//! `/api/nodes/{node}/people/{peer}`, and [`who`], the one way every command prints an author.
//!
//! A name a node claims is only a claim; the fingerprint of its key and the user's own petname
//! are what tell two nodes apart, so every author is printed with them.

use super::{Ctx, encode_query};
use crate::flags::{PeerTarget, PeopleTarget, Petname};
use cliqueclique_daemon::api::{AuthorView, PeerMarksChange, People};

/// How an author is printed: the petname first if the user gave one (`=name`, trusted), the
/// claimed name in quotes, the fingerprint in brackets, and the marks, such as
/// `=Ann "ann" [k7f2q-x9ab3]` or `"ann" [x4m2a-bq7c1] !same name as another key here`.
pub fn who(author: &AuthorView) -> String {
    let mut text = String::new();
    if let Some(petname) = &author.petname {
        text.push_str(&format!("={petname} "));
    }
    let claimed = if author.name.is_empty() {
        "no name"
    } else {
        &author.name
    };
    text.push_str(&format!("{claimed:?} [{}]", author.fingerprint));
    if author.name_collision {
        text.push_str(" !same name as another key here");
    }
    if author.muted {
        text.push_str(" (muted)");
    }
    if author.blocked {
        text.push_str(" (blocked)");
    }
    text
}

/// A change of a mark.
pub enum Mark {
    /// Mute (`true`) or unmute.
    Mute(bool),
    /// Block (`true`) or unblock.
    Block(bool),
}

/// `mute`, `unmute`, `block`, `unblock`.
pub async fn mark(ctx: &Ctx, target: PeerTarget, mark: Mark) -> anyhow::Result<()> {
    let (change, done) = match mark {
        Mark::Mute(on) => (
            PeerMarksChange {
                muted: Some(on),
                ..PeerMarksChange::default()
            },
            if on { "muted" } else { "unmuted" },
        ),
        Mark::Block(on) => (
            PeerMarksChange {
                blocked: Some(on),
                ..PeerMarksChange::default()
            },
            if on { "blocked" } else { "unblocked" },
        ),
    };
    change_marks(ctx, &target.node_id, change, done).await
}

/// `petname NODE_ID NAME` or `petname NODE_ID --clear`.
pub async fn petname(ctx: &Ctx, flags: Petname) -> anyhow::Result<()> {
    let name = if flags.clear {
        String::new()
    } else {
        flags.name.unwrap_or_default()
    };
    if !flags.clear && name.trim().is_empty() {
        anyhow::bail!("the petname is empty: give a name, or --clear to remove it");
    }
    let done = if flags.clear {
        "petname cleared:"
    } else {
        "petname set:"
    };
    let change = PeerMarksChange {
        petname: Some(name),
        ..PeerMarksChange::default()
    };
    change_marks(ctx, &flags.node_id, change, done).await
}

async fn change_marks(
    ctx: &Ctx,
    peer: &str,
    change: PeerMarksChange,
    done: &str,
) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let view: AuthorView = ctx
        .client
        .post(
            &format!("/api/nodes/{node}/people/{}", encode_query(peer)),
            &change,
        )
        .await?;
    if ctx.json {
        return ctx.print_json(&view);
    }
    out!("{done} {}  {}", who(&view), view.id);
    Ok(())
}

/// `people [NODE_ID]`.
pub async fn list(ctx: &Ctx, target: PeopleTarget) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let people = match &target.node_id {
        Some(peer) => People {
            people: vec![
                ctx.client
                    .get(&format!("/api/nodes/{node}/people/{}", encode_query(peer)))
                    .await?,
            ],
        },
        None => ctx.client.get(&format!("/api/nodes/{node}/people")).await?,
    };
    if ctx.json {
        return ctx.print_json(&people);
    }
    if people.people.is_empty() {
        out!("no node named, muted or blocked yet");
    }
    for person in &people.people {
        out!("{}  {}", person.id, who(person));
    }
    Ok(())
}
