//! The failure schedule: partitions, crashes, restarts, departures and malicious nodes.
//!
//! A scenario lists `[[event]]` tables with a flat set of keys ([`EventSpec`]), which are checked
//! and resolved into a typed [`Fault`] once the number of nodes is known. Random choices (which
//! node crashes) are made when the fault fires, from the simulation's generator.

use crate::error::ScenarioError;
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// The kind of an `[[event]]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Split the nodes into groups that cannot talk to each other.
    Partition,
    /// End the partition.
    Heal,
    /// Crash nodes: they keep their store and may restart.
    Crash,
    /// Restart crashed nodes.
    Restart,
    /// Nodes leave for good.
    Leave,
    /// The current center of the root or of the thread leaves for good.
    CenterLeave,
    /// A node starts sending forged documents and garbage frames to its peers.
    Malicious,
}

/// Which overlay a `center_leave` targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The forum root.
    Root,
    /// The thread.
    Thread,
}

/// A group boundary: a node index (an integer) or a fraction of the nodes (a float).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Bound {
    /// A node index.
    Index(u64),
    /// A fraction of the node count, 0.0 to 1.0.
    Fraction(f64),
}

/// One `[[event]]` table as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// When, in virtual ms after the first comment.
    pub at_ms: u64,
    /// What.
    pub kind: FaultKind,
    /// The node concerned (crash, restart, leave, malicious); random if absent.
    #[serde(default)]
    pub node: Option<usize>,
    /// How many random nodes (crash, leave); default 1.
    #[serde(default)]
    pub count: Option<usize>,
    /// Partition groups as `[from, to)` pairs of node indices or fractions; nodes outside every
    /// listed group form one more group.
    #[serde(default)]
    pub groups: Option<Vec<[Bound; 2]>>,
    /// For `center_leave`: `"root"` or `"thread"` (default).
    #[serde(default)]
    pub doc: Option<Target>,
    /// For `crash`: restart the crashed nodes this long afterwards.
    #[serde(default)]
    pub restart_after_ms: Option<u64>,
    /// For `malicious`: how long the node misbehaves (default 10 s).
    #[serde(default)]
    pub duration_ms: Option<u64>,
    /// For `malicious`: the time between two volleys of forged traffic (default 250 ms).
    #[serde(default)]
    pub interval_ms: Option<u64>,
    /// For `center_leave`: the heirs the center named leave at the same moment.
    #[serde(default)]
    pub heirs: Option<bool>,
}

/// Which nodes a fault hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// This node.
    Node(usize),
    /// This many random running nodes (posters and the thread author are spared by `leave`).
    Random(usize),
}

/// A resolved fault.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// Node groups (index ranges); nodes outside them form one more group.
    Partition {
        /// The groups.
        groups: Vec<Range<usize>>,
    },
    /// End the partition.
    Heal,
    /// Crash nodes.
    Crash {
        /// Which.
        who: Who,
        /// Restart them this long afterwards.
        restart_after_ms: Option<u64>,
    },
    /// Restart one crashed node, or all of them.
    Restart {
        /// Which; all crashed nodes if absent.
        node: Option<usize>,
    },
    /// Nodes leave for good.
    Leave {
        /// Which.
        who: Who,
    },
    /// The current center of a document leaves for good.
    CenterLeave {
        /// Which document.
        doc: Target,
        /// The heirs it named leave with it.
        heirs: bool,
    },
    /// A node sends forged and garbage traffic.
    Malicious {
        /// Which.
        who: Who,
        /// For how long.
        duration_ms: u64,
        /// Between volleys.
        interval_ms: u64,
    },
}

impl EventSpec {
    /// Checks the keys used by this kind and resolves them for `n` nodes.
    pub fn resolve(&self, n: usize) -> Result<Fault, ScenarioError> {
        let invalid =
            |m: String| ScenarioError::Invalid(format!("event at {} ms: {m}", self.at_ms));
        if let Some(i) = self.node
            && i >= n
        {
            return Err(invalid(format!("node {i} does not exist (nodes = {n})")));
        }
        let who = match (self.node, self.count) {
            (Some(i), None) => Who::Node(i),
            (None, count) => Who::Random(count.unwrap_or(1)),
            (Some(_), Some(_)) => return Err(invalid("give either node or count".into())),
        };
        let allowed: &[&str] = match self.kind {
            FaultKind::Partition => &["groups"],
            FaultKind::Heal => &[],
            FaultKind::Crash => &["node", "count", "restart_after_ms"],
            FaultKind::Restart => &["node"],
            FaultKind::Leave => &["node", "count"],
            FaultKind::CenterLeave => &["doc", "heirs"],
            FaultKind::Malicious => &["node", "duration_ms", "interval_ms"],
        };
        let used = [
            ("node", self.node.is_some()),
            ("count", self.count.is_some()),
            ("groups", self.groups.is_some()),
            ("doc", self.doc.is_some()),
            ("restart_after_ms", self.restart_after_ms.is_some()),
            ("duration_ms", self.duration_ms.is_some()),
            ("interval_ms", self.interval_ms.is_some()),
            ("heirs", self.heirs.is_some()),
        ];
        for (key, present) in used {
            if present && !allowed.contains(&key) {
                return Err(invalid(format!(
                    "key {key} does not apply to {:?}",
                    self.kind
                )));
            }
        }
        Ok(match self.kind {
            FaultKind::Partition => {
                let specs = self
                    .groups
                    .as_ref()
                    .ok_or_else(|| invalid("partition needs groups".into()))?;
                let groups: Vec<Range<usize>> =
                    specs.iter().map(|[a, b]| a.index(n)..b.index(n)).collect();
                if groups.iter().any(|g| g.is_empty()) {
                    return Err(invalid(format!("empty partition group in {groups:?}")));
                }
                Fault::Partition { groups }
            }
            FaultKind::Heal => Fault::Heal,
            FaultKind::Crash => Fault::Crash {
                who,
                restart_after_ms: self.restart_after_ms,
            },
            FaultKind::Restart => Fault::Restart { node: self.node },
            FaultKind::Leave => Fault::Leave { who },
            FaultKind::CenterLeave => Fault::CenterLeave {
                doc: self.doc.unwrap_or(Target::Thread),
                heirs: self.heirs.unwrap_or(false),
            },
            FaultKind::Malicious => Fault::Malicious {
                who,
                duration_ms: self.duration_ms.unwrap_or(10_000),
                interval_ms: self.interval_ms.unwrap_or(250).max(1),
            },
        })
    }
}

/// The group of every node for a partition: listed groups get 1, 2, ...; the others 0.
pub fn assign_groups(n: usize, groups: &[Range<usize>]) -> Vec<u32> {
    let mut out = vec![0; n];
    for (g, range) in groups.iter().enumerate() {
        for slot in out.iter_mut().take(range.end.min(n)).skip(range.start) {
            *slot = g as u32 + 1;
        }
    }
    out
}
