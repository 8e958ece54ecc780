//! The subcommands. `serve` runs the daemon; the others are HTTP clients of its API.

mod demo;
mod dir;
mod docs;
mod forums;
pub mod ids;
mod info;
mod join;
mod moderation;
mod node;
pub mod people;
mod post;
mod search;
mod serve;

use crate::flags::{Command, Flags};
use anyhow::{Context, bail};
use cliqueclique_daemon::API_ADDR_FILE;
use cliqueclique_daemon::api::NodeInfo;
use cliqueclique_daemon::client::Client;
use cliqueclique_store::{DATA_DIR_ENV, resolve_data_dir};
use serve::OWNER_TOKEN_FILE;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Sets up logging to stderr: `info` for `serve`, warnings only for the client commands.
/// `RUST_LOG` overrides both.
pub fn init_logging(flags: &Flags) {
    let default = match flags.command {
        Command::Serve(_) => "info",
        _ => "warn",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

/// The environment variable naming the API address of the daemon the client commands talk to,
/// like `--api`.
pub const API_ENV: &str = "CLIQUECLIQUE_API";

/// Runs one subcommand.
pub async fn run(flags: Flags) -> anyhow::Result<()> {
    let data_dir = resolve_data_dir(flags.data_dir.clone(), std::env::var_os(DATA_DIR_ENV));
    if let Command::Serve(serve) = &flags.command {
        return serve::run(serve, data_dir, flags.api.as_deref()).await;
    }
    if let Command::Demo(demo) = &flags.command {
        return demo::run(demo).await;
    }
    let token = std::fs::read_to_string(data_dir.join(OWNER_TOKEN_FILE))
        .ok()
        .map(|t| t.trim().to_owned());
    let ctx = Ctx {
        client: Client::new(api_address(&data_dir, flags.api.as_deref())?).with_token(token),
        node: flags.node.clone(),
        json: flags.json,
    };
    match flags.command {
        Command::Serve(_) | Command::Demo(_) => unreachable!("handled above"),
        Command::Node(command) => node::run(&ctx, command).await,
        Command::Post(post) => post::post(&ctx, post).await,
        Command::Reply(reply) => post::reply(&ctx, reply).await,
        Command::Link(link) => post::link(&ctx, link).await,
        Command::Retract(t) => post::retract(&ctx, t).await,
        Command::Edit(edit) => post::edit(&ctx, edit).await,
        Command::Join(join) => join::run(&ctx, join).await,
        Command::Invite(t) => join::invite(&ctx, t).await,
        Command::Subscribe(s) => docs::subscribe(&ctx, s).await,
        Command::Unsubscribe(t) => docs::unsubscribe(&ctx, t).await,
        Command::Bookmark(t) => docs::bookmark(&ctx, t).await,
        Command::Read(t) => docs::read(&ctx, t).await,
        Command::Show(t) => docs::show(&ctx, t).await,
        Command::Thread(t) => docs::thread(&ctx, t).await,
        Command::Export(e) => docs::export(&ctx, e).await,
        Command::Import(i) => docs::import(&ctx, i).await,
        Command::Dir(command) => dir::run(&ctx, command).await,
        Command::Search(search) => search::run(&ctx, search).await,
        Command::Forums => forums::run(&ctx).await,
        Command::Newsgroup(n) => forums::rename_newsgroup(&ctx, n).await,
        Command::Peers => info::peers(&ctx).await,
        Command::Petname(p) => people::petname(&ctx, p).await,
        Command::Mute(t) => people::mark(&ctx, t, people::Mark::Mute(true)).await,
        Command::Unmute(t) => people::mark(&ctx, t, people::Mark::Mute(false)).await,
        Command::Block(t) => people::mark(&ctx, t, people::Mark::Block(true)).await,
        Command::Unblock(t) => people::mark(&ctx, t, people::Mark::Block(false)).await,
        Command::People(t) => people::list(&ctx, t).await,
        Command::Moderator(c) => moderation::moderator(&ctx, c).await,
        Command::Hide(t) => moderation::hide(&ctx, t, true).await,
        Command::Unhide(t) => moderation::hide(&ctx, t, false).await,
        Command::Ban(f) => moderation::ban(&ctx, f, true).await,
        Command::Unban(f) => moderation::ban(&ctx, f, false).await,
        Command::Moderation(m) => moderation::show(&ctx, m).await,
        Command::Status => info::status(&ctx).await,
    }
}

/// What a client subcommand needs.
pub struct Ctx {
    /// The API client.
    pub client: Client,
    /// `--node`.
    pub node: Option<String>,
    /// `--json`.
    pub json: bool,
}

impl Ctx {
    /// The id of the acting local node: `--node`, or the only one.
    pub async fn node(&self) -> anyhow::Result<String> {
        let nodes: Vec<NodeInfo> = self.client.get("/api/nodes").await?;
        match &self.node {
            Some(wanted) => Ok(ids::find_node(&nodes, wanted)?.id.to_string()),
            None => match nodes.as_slice() {
                [only] => Ok(only.id.to_string()),
                [] => bail!(
                    "this installation has no node yet: create one with `cliqueclique node create NAME`"
                ),
                _ => bail!(
                    "this installation hosts several nodes ({}): choose one with --node NAME",
                    names(&nodes)
                ),
            },
        }
    }

    /// The local node `--node` names, if it was given (an error if it names none): for the
    /// commands that show every node unless told which.
    pub async fn node_filter(&self) -> anyhow::Result<Option<NodeInfo>> {
        let Some(wanted) = &self.node else {
            return Ok(None);
        };
        let nodes: Vec<NodeInfo> = self.client.get("/api/nodes").await?;
        Ok(Some(ids::find_node(&nodes, wanted)?.clone()))
    }

    /// Prints `value` as pretty JSON.
    pub fn print_json<T: serde::Serialize>(&self, value: &T) -> anyhow::Result<()> {
        out!("{}", serde_json::to_string_pretty(value)?);
        Ok(())
    }
}

fn names(nodes: &[NodeInfo]) -> String {
    nodes
        .iter()
        .map(|n| n.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The API address: `--api`, else `$CLIQUECLIQUE_API`, else `DATA_DIR/api.addr`, which the daemon
/// serving this data directory writes. Without any of them no node runs for this data directory,
/// and guessing a default port could act on another installation.
fn api_address(data_dir: &std::path::Path, flag: Option<&str>) -> anyhow::Result<SocketAddr> {
    if let Some(text) = flag {
        return parse_api(text);
    }
    if let Some(text) = std::env::var_os(API_ENV) {
        return parse_api(&text.to_string_lossy())
            .with_context(|| format!("${API_ENV} is not an API address"));
    }
    let path: PathBuf = data_dir.join(API_ADDR_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            parse_api(text.trim()).with_context(|| format!("{} is damaged", path.display()))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => bail!(
            "no cliqueclique node is running for the data directory {dir} (there is no {file}): \
             start one with `cliqueclique --data-dir {dir} serve`, or name a running one's API \
             with --api HOST:PORT or ${API_ENV}",
            dir = data_dir.display(),
            file = path.display(),
        ),
        Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Accepts `127.0.0.1:8080` or `http://127.0.0.1:8080/`.
fn parse_api(text: &str) -> anyhow::Result<SocketAddr> {
    let bare = text.trim_start_matches("http://").trim_end_matches('/');
    bare.parse().with_context(|| {
        format!("bad API address {text:?}: expected HOST:PORT such as 127.0.0.1:8080")
    })
}

pub use cliqueclique_daemon::api::format_date;

/// A document's subject as the text output shows it: empty only while its body has not arrived.
pub fn shown_subject(subject: &str) -> &str {
    if subject.is_empty() {
        "(the body has not arrived yet)"
    } else {
        subject
    }
}

/// Percent-encodes a query parameter value (everything but RFC 3986's unreserved characters).
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
