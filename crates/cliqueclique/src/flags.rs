//! The command line: global options, then one subcommand. Parsed with clap's derive API.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// A peer-to-peer discussion forum: every message forms its own small network of the nodes that care about it.
///
/// `cliqueclique serve` runs an installation (a daemon hosting one or more nodes); the other
/// commands talk to the running daemon through its local API. Wherever a document id is asked
/// for, its first few characters do when they name one document the node knows.
#[derive(Debug, Parser)]
#[command(name = "cliqueclique", version, after_help = EXAMPLES)]
pub struct Flags {
    /// The data directory (database, api.addr). Default: $CLIQUECLIQUE_DATA_DIR, else
    /// $XDG_DATA_HOME/cliqueclique or ~/.local/share/cliqueclique.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// The daemon's API address, such as 127.0.0.1:8080. For `serve`, where to bind it (loopback
    /// only; port 0 picks one); for other commands, where to find it (default: $CLIQUECLIQUE_API,
    /// else DATA_DIR/api.addr, written by the daemon serving DATA_DIR).
    #[arg(long, global = true, value_name = "ADDR")]
    pub api: Option<String>,

    /// The local node that acts, by name, id or the first characters of its id, when the
    /// installation hosts several; for `status` and `peers`, the only node shown.
    #[arg(long, global = true, value_name = "NAME_OR_ID")]
    pub node: Option<String>,

    /// Print answers as JSON instead of text; an error is then one JSON object on standard
    /// error, {"error": "message"} (with "status", the HTTP status, when the daemon refused).
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  cliqueclique serve --listen tcp://0.0.0.0:7117 --advertise tcp://forum.example.org:7117
  cliqueclique serve --i2p sam --i2p-only
  cliqueclique serve --nntp 127.0.0.1:1119
  cliqueclique node create alice
  echo 'Welcome!' | cliqueclique post --subject 'Our forum'
  cliqueclique join tcp://forum.example.org:7117 ROOT_ID
  cliqueclique forums
  cliqueclique thread ROOT_ID   (or the first characters of the id)
  cliqueclique reply ID --file answer.txt
  cliqueclique serve --public --http 0.0.0.0:8080 --advertise tcp://forum.example.org:7117
  cliqueclique demo";

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the installation: the transport, the local nodes and the local API (until Ctrl-C).
    Serve(Serve),
    /// Create or list the local nodes (one per user account).
    #[command(subcommand)]
    Node(NodeCommand),
    /// Post a new document (a forum root, or a comment with --parent). The body is read from --file or stdin.
    Post(Post),
    /// Reply to a document: a post with it as parent, subject "Re: …" unless given.
    Reply(Reply),
    /// Retract one of your documents (with all its versions): every holder drops its body and
    /// shows "retracted" in its place.
    Retract(Target),
    /// Edit one of your documents: a new version with the body from --file or stdin, which every
    /// holder shows in its place, marked edited.
    #[command(after_help = "Example:
  cliqueclique edit k7f2q --file fixed.txt")]
    Edit(Edit),
    /// Attach an existing document CHILD under PARENT with a link document (both must be held).
    Link(Link),
    /// Join a forum with an invite, or with an installation's address and the root document's id.
    #[command(
        after_help = "Examples:\n  cliqueclique join 'cliqueclique:ROOT_ID?via=tcp://198.51.100.7:7117'\n  cliqueclique join tcp://198.51.100.7:7117 ROOT_ID\n  cliqueclique join --cancel ROOT_ID"
    )]
    Join(Join),
    /// Print an invite to a forum (its id and this installation's addresses) for someone to join.
    #[command(after_help = "Example:\n  cliqueclique invite k7f2q")]
    Invite(Target),
    /// Subscribe to a document: its comments are pushed to this node.
    Subscribe(Subscribe),
    /// Stop a subscription (the document stays while it is wanted for other reasons).
    Unsubscribe(Target),
    /// Bookmark a document (a bookmarked document is kept), or clear the bookmark with --off.
    Bookmark(Toggle),
    /// Mark a document read, or unread with --off.
    Read(Toggle),
    /// Show a document: subject, author, body, parts, flags and overlay state.
    Show(Target),
    /// Show the comments below a document as a tree, as a newsreader does.
    Thread(Target),
    /// Write an export file of a document (with this node's contact card) for someone to import.
    Export(Export),
    /// Import an export file: store its document, subscribe, and connect to the exporter.
    Import(Import),
    /// Directories: names found by prefix (create, publish, ls).
    #[command(subcommand)]
    Dir(DirCommand),
    /// Search the documents this node holds (words, flags, links; see docs/query.md).
    #[command(
        after_help = "Examples:\n  cliqueclique search tomato\n  cliqueclique search 'is:bookmarked -> is:unread'\n  cliqueclique search 'subject:\"weekly report\" <-'"
    )]
    Search(Search),
    /// List your forums (subscribed documents without a parent), with their unread counts.
    Forums,
    /// Rename a forum's newsgroup on this installation's NNTP server (serve --nntp).
    #[command(after_help = "Example:\n  cliqueclique newsgroup 7hq2 local.gardening")]
    Newsgroup(Newsgroup),
    /// List transport sessions and every local node's peers.
    Peers,
    /// Give a node your own name for it (a petname: trusted, unlike the name it claims), or
    /// remove it with --clear.
    #[command(
        after_help = "Example:\n  cliqueclique petname k7f2q-x9ab3 'Ann (the real one)'   (an id, a unique prefix or a fingerprint)"
    )]
    Petname(Petname),
    /// Mute a node: its documents are collapsed on the pages.
    Mute(PeerTarget),
    /// Unmute a node.
    Unmute(PeerTarget),
    /// Block a node: its documents are declined (not stored, relayed or pushed onward), its
    /// documents held here are let go, and no link to it is kept.
    Block(PeerTarget),
    /// Unblock a node: its documents and links are accepted again.
    Unblock(PeerTarget),
    /// Name or remove a moderator of a forum you own (you wrote its root), or set its proof of work.
    #[command(subcommand)]
    Moderator(ModeratorCommand),
    /// Hide a document in its forum, as its owner or a moderator: followers collapse it.
    Hide(Target),
    /// Undo a hide.
    Unhide(Target),
    /// Ban a node from a forum, as its owner or a moderator: followers decline its new documents.
    Ban(ForumNode),
    /// Undo a ban.
    Unban(ForumNode),
    /// Show a forum's moderation (owner, moderators, hidden documents, bans), or ignore or
    /// apply it for this node.
    Moderation(ModerationShow),
    /// List the nodes you named, muted or blocked; with NODE_ID, show one node.
    People(PeopleTarget),
    /// Show the installation: addresses, nodes, peers, documents, queues and counters.
    Status,
    /// Start several installations on loopback with a small sample forum and print their web
    /// addresses (until Ctrl-C), to watch a reply travel between browsers.
    Demo(Demo),
}

/// `demo`.
#[derive(Debug, Args)]
pub struct Demo {
    /// How many installations.
    #[arg(long, default_value_t = 3)]
    pub installations: usize,
    /// The first web port; the others follow (0 picks free ports).
    #[arg(long, default_value_t = 8081)]
    pub port: u16,
    /// The password of every demo account (each installation's owner is named after a person).
    #[arg(long, default_value = "demo-password")]
    pub password: String,
}

/// `serve`.
#[derive(Debug, Args)]
pub struct Serve {
    /// A transport address to listen on, such as tcp://0.0.0.0:7117 (repeatable; port 0 picks one).
    /// Default: tcp://0.0.0.0:7117.
    #[arg(long, value_name = "ADDR")]
    pub listen: Vec<String>,
    /// An address to put in the nodes' contact cards (repeatable). Default: the listen addresses.
    #[arg(long, value_name = "ADDR")]
    pub advertise: Vec<String>,
    /// A TOML file of settings (every key of the daemon's Config; flags win over it).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where the web UI and the API listen, such as 0.0.0.0:8080 with --public (same as --api).
    #[arg(long, value_name = "ADDR")]
    pub http: Option<String>,
    /// Run as a public website: any --http address; accounts with one node each; the API needs a
    /// login or a token (the CLI uses DATA_DIR/owner.token).
    #[arg(long)]
    pub public: bool,
    /// Who may register in public mode: open, invite or closed (default: the owner's setting on the
    /// account page, else invite).
    #[arg(long, value_name = "MODE")]
    pub registration: Option<String>,
    /// I2P: `sam` uses a running I2P router (i2pd, Java I2P) through its SAM bridge; `embedded` runs an
    /// I2P router inside the daemon; `off` (the default) uses TCP only.
    #[arg(long, value_name = "MODE")]
    pub i2p: Option<I2pModeFlag>,
    /// The SAM bridge of the I2P router, HOST:PORT. Default: 127.0.0.1:7656.
    #[arg(long, value_name = "ADDR")]
    pub sam: Option<String>,
    /// Use I2P only: never listen on, dial or advertise a TCP/IP address (needs --i2p sam or embedded).
    #[arg(long)]
    pub i2p_only: bool,
    /// Serve the followed forums to newsreaders (NNTP, RFC 3977) at this address, such as
    /// 127.0.0.1:1119 (port 0 picks one). Loopback only, unless --public, where newsreaders log in
    /// with an account's name and password (AUTHINFO).
    #[arg(long, value_name = "ADDR")]
    pub nntp: Option<String>,
}

/// `dir …`.
#[derive(Debug, Subcommand)]
pub enum DirCommand {
    /// Create a directory; prints its root id (others join it like a forum).
    Create {
        /// Its title.
        title: String,
        /// What it is for.
        #[arg(long, default_value = "")]
        description: String,
    },
    /// Publish a document under a name. Without DOC, posts a new document titled NAME whose body
    /// is read from --file or stdin.
    Publish {
        /// The directory's root id.
        root: String,
        /// The name.
        name: String,
        /// The document to publish (held by this node).
        doc: Option<String>,
        #[command(flatten)]
        body: Body,
    },
    /// List the names below a prefix, in order, one page at a time.
    Ls {
        /// The directory's root id.
        root: String,
        /// The prefix (case is ignored). Default: everything.
        #[arg(default_value = "")]
        prefix: String,
        /// At most this many names per page.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Start after this cursor (printed at the end of the previous page).
        #[arg(long, value_name = "CURSOR")]
        after: Option<String>,
        /// Print every page, not only the first.
        #[arg(long)]
        all: bool,
    },
}

/// `search`.
#[derive(Debug, Args)]
pub struct Search {
    /// The query (several arguments are joined with spaces).
    #[arg(required = true)]
    pub query: Vec<String>,
    /// At most this many results.
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

/// `serve --i2p`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum I2pModeFlag {
    /// No I2P.
    Off,
    /// A running router's SAM bridge.
    Sam,
    /// The embedded router.
    Embedded,
}

/// `node …`.
#[derive(Debug, Subcommand)]
pub enum NodeCommand {
    /// Create a local node (works while the daemon runs).
    Create {
        /// Its name: letters, digits, '-', '_' or '.'.
        name: String,
    },
    /// List the local nodes.
    List,
}

/// The body and attachments of a new document.
#[derive(Debug, Args)]
pub struct Body {
    /// Read the body from FILE ('-' for stdin). Default: stdin.
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The body's MIME type. Default: text/plain; charset=utf-8.
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,
    /// Attach a file (repeatable).
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Do not subscribe to comments on the new document.
    #[arg(long)]
    pub no_subscribe: bool,
}

/// `post`.
#[derive(Debug, Args)]
pub struct Post {
    /// The subject line.
    #[arg(long, short = 's')]
    pub subject: String,
    /// The document this one comments on.
    #[arg(long, value_name = "ID")]
    pub parent: Option<String>,
    #[command(flatten)]
    pub body: Body,
}

/// `reply`.
#[derive(Debug, Args)]
pub struct Reply {
    /// The document replied to.
    pub id: String,
    /// The subject line. Default: "Re: " and the parent's subject.
    #[arg(long, short = 's')]
    pub subject: Option<String>,
    #[command(flatten)]
    pub body: Body,
}

/// `edit`.
#[derive(Debug, Args)]
pub struct Edit {
    /// The document to edit (the original or any of its versions).
    pub id: String,
    /// The new subject line. Default: the current one.
    #[arg(long, short = 's')]
    pub subject: Option<String>,
    /// Read the new body from FILE ('-' for stdin). Default: stdin.
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The body's MIME type. Default: the current one.
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,
}

/// `link`.
#[derive(Debug, Args)]
pub struct Link {
    /// The document to attach under.
    pub parent: String,
    /// The document attached.
    pub child: String,
    /// Show PARENT under CHILD instead.
    #[arg(long)]
    pub reversed: bool,
    /// The link document's subject.
    #[arg(long, short = 's', default_value = "link")]
    pub subject: String,
}

/// `join`.
#[derive(Debug, Args)]
pub struct Join {
    /// An invite (cliqueclique:ROOT_ID?via=ADDRESS), or the address of an installation that
    /// holds the document, such as tcp://198.51.100.7:7117.
    #[arg(value_name = "INVITE|ADDRESS")]
    pub target: String,
    /// With an address: the root document's id (in full: the document is not here yet).
    pub root_id: Option<String>,
    /// Give up after this many seconds (the node keeps trying in the background; `forums` lists
    /// the join until its document arrives or the join is cancelled).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<u64>,
    /// Cancel the join in progress of the forum given (by its id or its invite, in place of
    /// INVITE|ADDRESS): the node stops fetching it.
    #[arg(long, conflicts_with_all = ["root_id", "timeout"])]
    pub cancel: bool,
}

/// `subscribe`.
#[derive(Debug, Args)]
pub struct Subscribe {
    /// The document.
    pub id: String,
    /// Follow the whole thread below it: every document at any depth, existing and future.
    #[arg(long)]
    pub thread: bool,
}

/// A command on one document.
#[derive(Debug, Args)]
pub struct Target {
    /// The document.
    pub id: String,
}

/// A node named on the command line: an id, a unique prefix of one this node knows, or a
/// fingerprint such as `k7f2q-x9ab3`.
#[derive(Debug, Args)]
pub struct PeerTarget {
    /// The node.
    pub node_id: String,
}

/// `moderator add|remove`.
#[derive(Debug, Subcommand)]
pub enum ModeratorCommand {
    /// Make a node a moderator of the forum.
    Add(ForumNode),
    /// Take a node's moderation of the forum away (its hides and bans lapse).
    Remove(ForumNode),
    /// Require proof of work of every post in the forum (0 lifts it): followers decline posts
    /// whose id lacks BITS leading zero bits, and posting computes them (about 2^BITS signatures).
    Work(ForumWork),
}

/// `moderator work ROOT BITS`.
#[derive(Debug, Args)]
pub struct ForumWork {
    /// The forum's root document.
    pub root: String,
    /// Leading zero bits every post's id must have, 0 to 32.
    #[arg(value_parser = clap::value_parser!(u8).range(0..=32))]
    pub bits: u8,
}

/// A forum and a node: `ROOT WHO`.
#[derive(Debug, Args)]
pub struct ForumNode {
    /// The forum's root document.
    pub root: String,
    /// The node: your petname for it, an id, a unique prefix or a fingerprint.
    #[arg(value_name = "WHO")]
    pub node_id: String,
}

/// `moderation ROOT [--ignore | --apply]`.
#[derive(Debug, Args)]
pub struct ModerationShow {
    /// The forum's root document.
    pub root: String,
    /// Ignore this forum's moderation for this node: nothing hidden, no ban applied.
    #[arg(long, conflicts_with = "apply")]
    pub ignore: bool,
    /// Apply this forum's moderation again (the default).
    #[arg(long)]
    pub apply: bool,
}

/// `newsgroup ROOT NAME`.
#[derive(Debug, Args)]
pub struct Newsgroup {
    /// The forum's root id (or its first characters).
    pub root: String,
    /// The group's new name: lower-case letters, digits and .+_- such as local.gardening.
    pub name: String,
}

/// `people [NODE_ID]`.
#[derive(Debug, Args)]
pub struct PeopleTarget {
    /// One node to show (an id, a unique prefix or a fingerprint).
    pub node_id: Option<String>,
}

/// `petname NODE_ID NAME` or `petname NODE_ID --clear`.
#[derive(Debug, Args)]
pub struct Petname {
    /// The node (an id, a unique prefix or a fingerprint).
    pub node_id: String,
    /// Your name for it (at most 64 characters).
    #[arg(required_unless_present = "clear", conflicts_with = "clear")]
    pub name: Option<String>,
    /// Remove your name for it.
    #[arg(long)]
    pub clear: bool,
}

/// A flag to set or clear.
#[derive(Debug, Args)]
pub struct Toggle {
    /// The document.
    pub id: String,
    /// Clear instead of set.
    #[arg(long)]
    pub off: bool,
}

/// `export`.
#[derive(Debug, Args)]
pub struct Export {
    /// The document.
    pub id: String,
    /// The file to write. Default: ID.cliqueclique in the current directory.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `import`.
#[derive(Debug, Args)]
pub struct Import {
    /// The export file.
    pub file: PathBuf,
}

/// Parses the command line; exits with status 2 and a usage message on bad input (under `--json`,
/// as one JSON object `{"error": "…"}` on standard error).
pub fn parse() -> Flags {
    match Flags::try_parse() {
        Ok(flags) => flags,
        Err(error) => {
            use clap::error::ErrorKind;
            let shown = matches!(
                error.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            );
            if !shown && std::env::args_os().any(|arg| arg == "--json") {
                let text = error.render().to_string();
                let message = text.trim().trim_start_matches("error: ");
                eprintln!("{}", serde_json::json!({ "error": message }));
                std::process::exit(2);
            }
            error.exit()
        }
    }
}
