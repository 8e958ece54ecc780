//! `post`, `reply`, `link`, `retract` and `edit`: new documents signed by the acting node.

use super::Ctx;
use crate::flags::{Body, Edit, Link, Post, Reply, Target};
use anyhow::Context;
use cliqueclique_daemon::api::{DocumentView, EditPost, NewAttachment, NewPost, Posted};
use data_encoding::BASE64;
use std::io::{IsTerminal, Read};

pub async fn post(ctx: &Ctx, flags: Post) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let parent = match flags.parent.as_deref() {
        Some(text) => Some(ctx.doc(&node, text).await?),
        None => None,
    };
    let mut new = body(&flags.body)?;
    new.subject = flags.subject;
    new.parent = parent;
    send(ctx, &node, new).await
}

pub async fn reply(ctx: &Ctx, flags: Reply) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let parent = ctx.doc(&node, &flags.id).await?;
    let subject = match flags.subject {
        Some(subject) => subject,
        None => {
            let view: DocumentView = ctx
                .client
                .get(&format!("/api/nodes/{node}/documents/{parent}"))
                .await?;
            let subject = view.document.map(|d| d.subject).unwrap_or_default();
            if subject.starts_with("Re: ") {
                subject
            } else {
                format!("Re: {subject}")
            }
        }
    };
    let mut new = body(&flags.body)?;
    new.subject = subject;
    new.parent = Some(parent);
    send(ctx, &node, new).await
}

pub async fn link(ctx: &Ctx, flags: Link) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let new = NewPost {
        subject: flags.subject,
        parent: Some(ctx.doc(&node, &flags.parent).await?),
        link_child: Some(ctx.doc(&node, &flags.child).await?),
        reversed: flags.reversed,
        ..NewPost::default()
    };
    send(ctx, &node, new).await
}

pub async fn retract(ctx: &Ctx, target: Target) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let doc = ctx.doc(&node, &target.id).await?;
    let posted: Posted = ctx
        .client
        .post(
            &format!("/api/nodes/{node}/documents/{doc}/retract"),
            &serde_json::json!({}),
        )
        .await?;
    if ctx.json {
        return ctx.print_json(&posted);
    }
    out!("retracted {doc} (by {})", posted.id);
    Ok(())
}

pub async fn edit(ctx: &Ctx, flags: Edit) -> anyhow::Result<()> {
    let node = ctx.node().await?;
    let doc = ctx.doc(&node, &flags.id).await?;
    let text = read_text(flags.file.as_deref())?;
    if text.trim().is_empty() {
        anyhow::bail!(
            "the new body is empty: to withdraw the document, use `cliqueclique retract`"
        );
    }
    let edit = EditPost {
        subject: flags.subject,
        body: text,
        content_type: flags.content_type,
    };
    let posted: Posted = ctx
        .client
        .post(&format!("/api/nodes/{node}/documents/{doc}/edit"), &edit)
        .await?;
    if ctx.json {
        return ctx.print_json(&posted);
    }
    out!("{}", posted.id);
    Ok(())
}

/// The text of FILE, or of standard input for none or `-`.
fn read_text(file: Option<&std::path::Path>) -> anyhow::Result<String> {
    let bytes = read_input(file)?;
    String::from_utf8(bytes).context("the new body is not UTF-8 text")
}

/// The bytes of FILE, or of standard input for none or `-`.
fn read_input(file: Option<&std::path::Path>) -> anyhow::Result<Vec<u8>> {
    match file {
        Some(path) if path.as_os_str() != "-" => {
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
        }
        _ => {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprintln!("reading the body from standard input; end it with Ctrl-D");
            }
            let mut bytes = Vec::new();
            stdin
                .lock()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            Ok(bytes)
        }
    }
}

/// How long a post may take before the command says why it waits: the daemon is computing the
/// proof of work the forum's owner requires.
const WORK_NOTICE_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

async fn send(ctx: &Ctx, node: &str, new: NewPost) -> anyhow::Result<()> {
    new.check()?;
    let path = format!("/api/nodes/{node}/documents");
    let request = ctx.client.post::<_, Posted>(&path, &new);
    tokio::pin!(request);
    let posted = tokio::select! {
        answer = &mut request => answer?,
        () = tokio::time::sleep(WORK_NOTICE_AFTER) => {
            eprintln!("computing the proof of work this forum requires; this may take a while");
            request.await?
        }
    };
    if ctx.json {
        return ctx.print_json(&posted);
    }
    out!("{}", posted.id);
    Ok(())
}

/// Reads the body (file or stdin) and the attachments.
pub fn body(flags: &Body) -> anyhow::Result<NewPost> {
    let bytes = read_input(flags.file.as_deref())?;
    let mut new = NewPost {
        content_type: flags.content_type.clone(),
        subscribe: Some(!flags.no_subscribe),
        ..NewPost::default()
    };
    match String::from_utf8(bytes) {
        Ok(text) => new.body = Some(text),
        Err(e) => new.body_base64 = Some(BASE64.encode(e.as_bytes())),
    }
    for path in &flags.attach {
        let data =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let filename = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        new.attachments.push(NewAttachment {
            content_type: Some(guess_type(&filename).to_owned()),
            filename,
            data: BASE64.encode(&data),
        });
    }
    Ok(new)
}

/// A MIME type from a file name's extension, for the common cases.
fn guess_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("txt" | "md") => "text/plain",
        Some("html" | "htm") => "text/html",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("pdf") => "application/pdf",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}
