//! Scenarios: TOML files that describe a forum, a network and a failure schedule.
//!
//! Every key has a default, so a scenario states only what it changes; `scenarios/README.md`
//! documents each key. The protocol settings are [`cliqueclique_proto::Config`] embedded as-is
//! under `[proto]`, exactly as the daemon's configuration embeds them.
//!
//! A run goes through fixed steps (see [`crate::run`]): node 0 posts the forum root, every other
//! node joins it through an earlier node, one node posts a thread, `subscribers` nodes subscribe
//! to it, `posters` among them post `comments` replies, the failure schedule (`[[event]]`, times
//! relative to the first comment) plays out meanwhile, the network settles and then idles.

use crate::error::ScenarioError;
use crate::fault::{Bound, EventSpec, Fault};
use crate::link::LinkModel;
use cliqueclique_proto::Config;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A whole scenario file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Scenario {
    /// A name for reports; defaults to the file name.
    pub name: String,
    /// The seed of the one random generator; `--seed` overrides it.
    pub seed: u64,
    /// How many nodes.
    pub nodes: usize,
    /// The link model.
    pub network: LinkModel,
    /// The protocol settings of every node.
    pub proto: Config,
    /// The forum to build and the comments to post.
    pub forum: Forum,
    /// A spammer's comments and the owner's ban of it.
    pub spam: Spam,
    /// Virtual time the network idles after everything settled (idle bytes are measured here).
    pub idle_ms: u64,
    /// The longest the network may take to become quiet after each step before that counts as a violation.
    pub settle_limit_ms: u64,
    /// How often (virtual ms) convergence probes check the invariants.
    pub check_ms: u64,
    /// The failure schedule.
    #[serde(rename = "event")]
    pub events: Vec<EventSpec>,
}

impl Default for Scenario {
    fn default() -> Scenario {
        Scenario {
            name: String::new(),
            seed: 1,
            nodes: 20,
            network: LinkModel::default(),
            proto: Config::default(),
            forum: Forum::default(),
            spam: Spam::default(),
            idle_ms: 3_600_000,
            settle_limit_ms: 600_000,
            check_ms: 250,
            events: Vec::new(),
        }
    }
}

/// How a joining node chooses the peer it joins through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JoinVia {
    /// A random earlier node.
    Random,
    /// The previous node: the overlay starts as a chain.
    Previous,
    /// Node 0, the root's author: a star (with `max_peers_per_document`, joins get declined and redirected).
    First,
}

/// The forum: who joins how, who subscribes, who posts what and when.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Forum {
    /// When the first join happens (virtual ms; node 0 posts the root at 0).
    pub join_start_ms: u64,
    /// The time between two joins.
    pub join_interval_ms: u64,
    /// Which earlier node each node joins through.
    pub join_via: JoinVia,
    /// The node that posts the thread; random when absent.
    pub thread_author: Option<usize>,
    /// How many random nodes subscribe to the thread (ignored when `subscriber_nodes` is given).
    pub subscribers: usize,
    /// Exactly these nodes subscribe to the thread.
    pub subscriber_nodes: Vec<usize>,
    /// Subscribers follow the whole thread (`thread = true`): every document below it, at any depth.
    pub thread_subscription: bool,
    /// How many subscribers post comments (the first ones; ignored when `poster_nodes` is given).
    pub posters: usize,
    /// Exactly these nodes post comments (they must hold the thread: subscribers or its author).
    pub poster_nodes: Vec<usize>,
    /// How many comments in all.
    pub comments: usize,
    /// The time between two comments.
    pub comment_interval_ms: u64,
    /// The probability that a comment replies to an earlier comment (that its poster holds)
    /// instead of the thread, building a tree.
    pub reply_probability: f64,
    /// The size of each comment's text in bytes.
    pub body_bytes: usize,
}

impl Default for Forum {
    fn default() -> Forum {
        Forum {
            join_start_ms: 100,
            join_interval_ms: 20,
            join_via: JoinVia::Random,
            thread_author: None,
            subscribers: 5,
            subscriber_nodes: Vec::new(),
            thread_subscription: false,
            posters: 2,
            poster_nodes: Vec::new(),
            comments: 20,
            comment_interval_ms: 100,
            reply_probability: 0.0,
            body_bytes: 200,
        }
    }
}

/// A spammer: a node that follows the thread and floods it with comments, and the forum owner's
/// ban of it (`docs/moderation.md`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Spam {
    /// The spammer; a random node that neither owns the forum, wrote the thread nor posts
    /// honest comments when absent.
    pub spammer: Option<usize>,
    /// How many spam comments (0: no spammer).
    pub comments: usize,
    /// The time between two spam comments.
    pub interval_ms: u64,
    /// When the forum's owner (node 0) bans the spammer, after the first comment; never when absent.
    pub ban_at_ms: Option<u64>,
}

impl Default for Spam {
    fn default() -> Spam {
        Spam {
            spammer: None,
            comments: 0,
            interval_ms: 10,
            ban_at_ms: None,
        }
    }
}

impl Scenario {
    /// Reads and validates a scenario file; the name defaults to the file stem.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut scenario = Scenario::from_toml(&text)?;
        if scenario.name.is_empty() {
            scenario.name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
        }
        Ok(scenario)
    }

    /// Parses and validates a scenario.
    pub fn from_toml(text: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = toml::from_str(text)?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The failure schedule, resolved: (time after the first comment, fault).
    pub fn faults(&self) -> Result<Vec<(u64, Fault)>, ScenarioError> {
        self.events
            .iter()
            .map(|e| e.resolve(self.nodes).map(|f| (e.at_ms, f)))
            .collect()
    }

    /// Checks every index, count and probability.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let invalid = |m: String| Err(ScenarioError::Invalid(m));
        let n = self.nodes;
        if n < 2 {
            return invalid(format!("nodes = {n}: at least 2 are needed"));
        }
        self.network.validate().map_err(ScenarioError::Invalid)?;
        let f = &self.forum;
        let in_range = |what: &str, i: usize| {
            if i < n {
                Ok(())
            } else {
                Err(ScenarioError::Invalid(format!(
                    "forum.{what}: node {i} does not exist (nodes = {n})"
                )))
            }
        };
        if let Some(a) = f.thread_author {
            in_range("thread_author", a)?;
        }
        for &i in &f.subscriber_nodes {
            in_range("subscriber_nodes", i)?;
        }
        for &i in &f.poster_nodes {
            in_range("poster_nodes", i)?;
        }
        if f.subscriber_nodes.is_empty() && f.subscribers > n {
            return invalid(format!(
                "forum.subscribers = {} > nodes = {n}",
                f.subscribers
            ));
        }
        let n_subscribers = if f.subscriber_nodes.is_empty() {
            f.subscribers
        } else {
            f.subscriber_nodes.len()
        };
        if f.poster_nodes.is_empty() && f.posters > n_subscribers {
            return invalid(format!(
                "forum.posters = {} > subscribers = {n_subscribers}: posters are picked among subscribers",
                f.posters
            ));
        }
        if f.comments > 0 && f.poster_nodes.is_empty() && f.posters == 0 {
            return invalid("forum.comments > 0 but nobody posts (posters = 0)".into());
        }
        if !(0.0..=1.0).contains(&f.reply_probability) {
            return invalid(format!(
                "forum.reply_probability = {} is outside 0..=1",
                f.reply_probability
            ));
        }
        if let Some(s) = self.spam.spammer
            && (s >= n || s == 0 || f.poster_nodes.contains(&s) || f.thread_author == Some(s))
        {
            return invalid(format!(
                "spam.spammer = {s} does not exist, owns the forum, writes the thread or posts honest comments"
            ));
        }
        if self.check_ms == 0 {
            return invalid("check_ms must be positive".into());
        }
        self.faults()?;
        Ok(())
    }
}

impl Bound {
    /// The node index this bound stands for in a network of `n` nodes.
    pub fn index(self, n: usize) -> usize {
        match self {
            Bound::Index(i) => (i as usize).min(n),
            Bound::Fraction(f) => ((f.clamp(0.0, 1.0) * n as f64).round() as usize).min(n),
        }
    }
}
