//! The figures of a run (`docs/BENCHMARKS.md`), printed as one JSON object or as a table.
//!
//! Definitions, for every comment y posted to x (x is the thread, or a comment for a reply):
//!
//! - `delivery_ratio`: delivered ÷ expected, where expected counts the running nodes whose user
//!   subscribed x, or follows the thread of a document above y, at the end, and delivered those
//!   of them whose store holds y. A comment nobody
//!   running holds any more (its poster left before passing it on) is not expected anywhere;
//!   such comments are counted in `comments_lost`.
//! - `rmr`: Update parts carrying y's body that were sent ÷ (|S(x)| − 1) − 1, averaged over the
//!   comments, with |S(x)| the running nodes whose `derived.subscribed` is set for x at the end.
//!   `rmr_received` counts the bodies that arrived instead (not lost by the link model; the link
//!   model's duplicate copies are not counted). With loss p, resends alone make `rmr` about
//!   1/(1−p) − 1. A comment below a followed thread counts against the running nodes that hold
//!   it at the end instead of |S(x)|: it travels along the thread's tree, not x's.
//! - `thread_completeness`: held ÷ expected (follower, document) pairs, over every node whose user
//!   follows a tracked document's thread and every document below it that exists on its side of
//!   a partition; `thread_depth_max`: the deepest comment's depth (1 = a comment on the thread).
//! - `ldh_max` and `hops_median`: hop counts of first copies over all comment deliveries (the
//!   poster has 0, a node that first got the body from m has hops(m) + 1).
//! - `control_bytes_per_delivery`: bytes sent during the comment phase minus the body bytes they
//!   carried, ÷ comment deliveries.
//! - `idle_bytes_per_document_hour`: bytes sent during the idle period ÷ (documents × hours).
//! - `spam_comments`, `spam_deliveries`: the spammer's comments (`[spam]`, not counted among
//!   the comments) and the spam bodies other nodes stored before they applied its ban.
//! - `ban_propagation_ms`: virtual time from the owner's ban decision until the last running
//!   node (all of them follow the forum) applied it, `ban_propagation_median_ms` until half of
//!   them had; `spam_deliveries_after_ban`: spam bodies
//!   stored by nodes after they applied it, which must be 0 (`crate::bans`).
//! - `convergence_*`: virtual time from the event until the structural invariants of the affected
//!   overlays held again (the largest if there were several events); rounds are that time ÷ the
//!   longest ordinary one-way latency. `null` when there was no such event.

use crate::ledger::{NO_HOPS, UNKNOWN_HOPS};
use crate::network::{Counters, Phase, Traffic};
use crate::run::{ProbeKind, Runner};
use cliqueclique_doc::DocId;
use cliqueclique_proto::Store;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Traffic per phase.
#[derive(Clone, Debug, Serialize)]
pub struct PhaseTraffic {
    /// Root, joins, thread, subscriptions.
    pub setup: Traffic,
    /// Comments and faults, until quiet.
    pub comments: Traffic,
    /// The idle period.
    pub idle: Traffic,
}

/// The figures of one run.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The scenario's name.
    pub scenario: String,
    /// The seed of the run.
    pub seed: u64,
    /// Nodes simulated.
    pub nodes: usize,
    /// Nodes running at the end.
    pub nodes_alive: usize,
    /// Documents posted (root, thread, comments).
    pub documents: usize,
    /// Comments posted.
    pub comments: usize,
    /// Comments not posted because every poster was down.
    pub comments_skipped: usize,
    /// Comments no running node holds at the end.
    pub comments_lost: usize,
    /// Running nodes whose user subscribed to the thread at the end.
    pub subscribers: usize,
    /// |S(thread)| at the end.
    pub thread_s_size: usize,
    /// Held ÷ expected (follower, document) pairs of followed threads; 1.0 when none is followed.
    pub thread_completeness: f64,
    /// Running nodes whose user follows some thread at the end.
    pub thread_followers: usize,
    /// The deepest comment's depth below the thread.
    pub thread_depth_max: usize,
    /// Delivered ÷ expected comment copies.
    pub delivery_ratio: f64,
    /// Expected comment copies.
    pub deliveries_expected: u64,
    /// Delivered comment copies.
    pub deliveries: u64,
    /// Spam comments the spammer posted (not counted as comments).
    pub spam_comments: usize,
    /// Spam bodies stored by other nodes before they applied the spammer's ban.
    pub spam_deliveries: u64,
    /// Virtual ms from the owner's ban until every running follower applied it; `null` without a
    /// ban (or while a follower has not applied it, which is a violation).
    pub ban_propagation_ms: Option<u64>,
    /// The same in rounds (longest ordinary one-way latency).
    pub ban_propagation_rounds: Option<f64>,
    /// Virtual ms from the owner's ban until half the running followers applied it.
    pub ban_propagation_median_ms: Option<u64>,
    /// Spam bodies stored by followers after they applied the spammer's ban; `null` without a ban.
    pub spam_deliveries_after_ban: Option<u64>,
    /// Relative message redundancy of comment bodies sent.
    pub rmr: Option<f64>,
    /// Relative message redundancy of comment bodies that arrived.
    pub rmr_received: Option<f64>,
    /// The largest hop count of a comment delivery.
    pub ldh_max: Option<u32>,
    /// The median hop count of comment deliveries.
    pub hops_median: Option<f64>,
    /// log2 |S(thread)|, to compare the hop counts with.
    pub log2_s: Option<f64>,
    /// Control bytes (everything but bodies) per comment delivery during the comment phase.
    pub control_bytes_per_delivery: Option<f64>,
    /// Bytes sent during the idle period per document per hour.
    pub idle_bytes_per_document_hour: f64,
    /// Bytes sent during the idle period.
    pub idle_bytes: u64,
    /// Virtual ms until the overlay whose center left was whole again.
    pub convergence_ms_after_center_leave: Option<u64>,
    /// The same in rounds (longest ordinary one-way latency).
    pub convergence_rounds_after_center_leave: Option<f64>,
    /// Virtual ms from the last join until the root overlay was whole and every node held the root.
    pub convergence_ms_after_join: Option<u64>,
    /// Virtual ms from a heal until the root and thread overlays were whole.
    pub convergence_ms_after_heal: Option<u64>,
    /// Every invariant that does not hold; empty when all hold.
    pub invariant_violations: Vec<String>,
    /// Frames sent.
    pub messages: u64,
    /// Bytes sent.
    pub bytes: u64,
    /// Traffic per phase.
    pub traffic: PhaseTraffic,
    /// Message outcomes.
    pub counters: Counters,
    /// The largest sum of serialized subscription records over the nodes.
    pub peak_subscription_bytes: usize,
    /// Serialized bytes per subscription at the end.
    pub subscription_bytes_per_subscription: Option<f64>,
    /// Virtual time simulated, in seconds.
    pub virtual_seconds: f64,
    /// Wall time of the run.
    pub wall_seconds: f64,
    /// Nodes ÷ wall seconds.
    pub nodes_per_wall_second: f64,
    /// Events processed ÷ wall seconds.
    pub events_per_wall_second: f64,
}

impl Report {
    /// Computes the figures of a finished run; `violations` are every invariant found broken.
    pub fn new(runner: &Runner, violations: Vec<String>) -> Report {
        let net = runner.network();
        let ledger = net.ledger();
        let thread = runner.thread();

        // |S(x)| and the user subscribers of x, per parent document.
        let mut s_size: BTreeMap<DocId, usize> = BTreeMap::new();
        let mut user_subscribers: BTreeMap<DocId, Vec<usize>> = BTreeMap::new();
        let parents: std::collections::BTreeSet<DocId> =
            ledger.comments().filter_map(|c| c.parent).collect();
        for x in parents.iter().chain(thread.iter()) {
            if s_size.contains_key(x) {
                continue;
            }
            let mut s = 0;
            let mut users = Vec::new();
            for i in net.alive() {
                let node = net.node(i).expect("alive");
                if node
                    .subscription(x)
                    .is_some_and(|sub| sub.derived.subscribed)
                {
                    s += 1;
                }
                if node.flags(x).is_some_and(|f| f.subscribed) {
                    users.push(i);
                }
            }
            s_size.insert(*x, s);
            user_subscribers.insert(*x, users);
        }

        let groups = net.groups();
        let holds = |i: usize, id: &DocId| {
            net.node(i)
                .is_some_and(|n| n.store().document(id).is_some())
        };
        // The nodes whose user follows the thread below each tracked document.
        let mut followers: BTreeMap<DocId, Vec<usize>> = BTreeMap::new();
        for t in ledger.docs() {
            let f: Vec<usize> = net
                .alive()
                .filter(|&i| {
                    net.node(i)
                        .and_then(|n| n.flags(&t.id))
                        .is_some_and(|f| f.subscribed && f.thread)
                })
                .collect();
            if !f.is_empty() {
                followers.insert(t.id, f);
            }
        }
        let (mut thread_expected, mut thread_held) = (0u64, 0u64);
        let mut thread_depth_max = 0;
        let (mut expected, mut delivered, mut lost) = (0u64, 0u64, 0usize);
        let (mut rmr_sent, mut rmr_arrived, mut rmr_n) = (0.0, 0.0, 0usize);
        let mut hops = Vec::new();
        for comment in ledger.comments() {
            let Some(x) = comment.parent else { continue };
            let available: std::collections::BTreeSet<u32> = net
                .alive()
                .filter(|&i| holds(i, &comment.id))
                .map(|i| groups[i])
                .collect();
            if available.is_empty() {
                lost += 1;
                continue;
            }
            thread_depth_max = thread_depth_max.max(ledger.depth(&comment.id));
            let mut expecting: std::collections::BTreeSet<usize> =
                user_subscribers[&x].iter().copied().collect();
            let mut in_thread = false;
            for top in ledger.ancestors(&comment.id) {
                for &i in followers.get(&top).into_iter().flatten() {
                    in_thread = true;
                    expecting.insert(i);
                    if available.contains(&groups[i]) {
                        thread_expected += 1;
                        thread_held += u64::from(holds(i, &comment.id));
                    }
                }
            }
            for &i in &expecting {
                if available.contains(&groups[i]) {
                    expected += 1;
                    if holds(i, &comment.id) {
                        delivered += 1;
                    }
                }
            }
            let s = if in_thread {
                net.alive().filter(|&i| holds(i, &comment.id)).count()
            } else {
                s_size[&x]
            };
            if s > 1 {
                rmr_sent += comment.bodies_sent as f64 / (s - 1) as f64 - 1.0;
                rmr_arrived += comment.bodies_arrived as f64 / (s - 1) as f64 - 1.0;
                rmr_n += 1;
            }
            for (i, &h) in comment.hops.iter().enumerate() {
                if h != 0 && h < UNKNOWN_HOPS && h != NO_HOPS && holds(i, &comment.id) {
                    hops.push(h);
                }
            }
        }
        hops.sort_unstable();
        let hops_median = match hops.len() {
            0 => None,
            n if n % 2 == 1 => Some(hops[n / 2] as f64),
            n => Some((hops[n / 2 - 1] + hops[n / 2]) as f64 / 2.0),
        };
        let thread_s = thread.map_or(0, |t| s_size.get(&t).copied().unwrap_or(0));

        let comments_traffic = net.traffic(Phase::Comments);
        let deliveries_seen = net.counters().comment_deliveries;
        let control = comments_traffic.bytes - comments_traffic.body_bytes;
        let (idle_bytes, idle_ms) = runner.idle_figures();
        let documents = ledger.docs().len();
        let idle_hours = idle_ms as f64 / 3_600_000.0;

        let longest = |kind: ProbeKind| {
            runner
                .probes()
                .iter()
                .filter(|p| p.kind == kind)
                .map(|p| p.done.map(|d| d - p.start))
                .reduce(|a, b| match (a, b) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                })
                .flatten()
        };
        let mut violations = violations;
        for probe in runner.probes() {
            if probe.done.is_none() {
                violations.push(format!(
                    "the overlays did not converge within {} ms after the {:?} at {} ms",
                    runner.scenario().settle_limit_ms,
                    probe.kind,
                    probe.start
                ));
            }
        }
        let running: Vec<(usize, cliqueclique_doc::NodeId)> =
            net.alive().map(|i| (i, net.sim_node(i).id())).collect();
        let bans = net.bans();
        for (decision, i) in bans.missing(&running).into_iter().take(20) {
            violations.push(format!(
                "node {i} never applied the ban {}",
                decision.short()
            ));
        }
        let ban_times = bans.propagation_ms(&running);
        let ban_propagation_ms = ban_times.as_ref().and_then(|t| t.last().copied());
        let ban_propagation_median_ms =
            ban_times.as_ref().and_then(|t| t.get(t.len() / 2).copied());
        let spam_after_ban = bans.any_decision().then(|| bans.stored_after_ban());
        if let Some(n) = spam_after_ban.filter(|&n| n > 0) {
            violations.push(format!(
                "{n} spam bodies were stored by followers that applied the spammer's ban"
            ));
        }
        let center_leave = longest(ProbeKind::CenterLeave);
        let round = net.link().round_ms() as f64;
        let total = net.total_traffic();
        let wall = runner.wall_seconds().max(1e-9);
        let n_subs = net.subscription_count();
        let ratio = |a: f64, b: f64| if b > 0.0 { Some(a / b) } else { None };
        Report {
            scenario: runner.scenario().name.clone(),
            seed: runner.scenario().seed,
            nodes: net.len(),
            nodes_alive: net.alive().count(),
            documents,
            comments: ledger.comments().count(),
            comments_skipped: runner.skipped_comments(),
            comments_lost: lost,
            subscribers: thread.map_or(0, |t| user_subscribers.get(&t).map_or(0, Vec::len)),
            thread_s_size: thread_s,
            thread_completeness: if thread_expected == 0 {
                1.0
            } else {
                thread_held as f64 / thread_expected as f64
            },
            thread_followers: net
                .alive()
                .filter(|&i| followers.values().any(|f| f.contains(&i)))
                .count(),
            thread_depth_max,
            delivery_ratio: if expected == 0 {
                1.0
            } else {
                delivered as f64 / expected as f64
            },
            deliveries_expected: expected,
            deliveries: delivered,
            spam_comments: runner.spam_posted(),
            spam_deliveries: bans.stored_before_ban(),
            ban_propagation_ms,
            ban_propagation_rounds: ban_propagation_ms.map(|ms| ms as f64 / round),
            ban_propagation_median_ms,
            spam_deliveries_after_ban: spam_after_ban,
            rmr: ratio(rmr_sent, rmr_n as f64),
            rmr_received: ratio(rmr_arrived, rmr_n as f64),
            ldh_max: hops.last().copied(),
            hops_median,
            log2_s: (thread_s > 1).then(|| (thread_s as f64).log2()),
            control_bytes_per_delivery: ratio(control as f64, deliveries_seen as f64),
            idle_bytes_per_document_hour: ratio(idle_bytes as f64, documents as f64 * idle_hours)
                .unwrap_or(0.0),
            idle_bytes,
            convergence_ms_after_center_leave: center_leave,
            convergence_rounds_after_center_leave: center_leave.map(|ms| ms as f64 / round),
            convergence_ms_after_join: longest(ProbeKind::Join),
            convergence_ms_after_heal: longest(ProbeKind::Heal),
            invariant_violations: violations,
            messages: total.messages,
            bytes: total.bytes,
            traffic: PhaseTraffic {
                setup: net.traffic(Phase::Setup),
                comments: comments_traffic,
                idle: net.traffic(Phase::Idle),
            },
            counters: net.counters().clone(),
            peak_subscription_bytes: runner.peak_subscription_bytes(),
            subscription_bytes_per_subscription: ratio(
                net.subscription_bytes() as f64,
                n_subs as f64,
            ),
            virtual_seconds: net.now().as_millis() as f64 / 1000.0,
            wall_seconds: wall,
            nodes_per_wall_second: net.len() as f64 / wall,
            events_per_wall_second: net.counters().events as f64 / wall,
        }
    }

    /// Whether the run failed: an invariant broke or a comment was not delivered.
    pub fn is_failing(&self) -> bool {
        !self.invariant_violations.is_empty()
            || self.delivery_ratio < 1.0
            || self.thread_completeness < 1.0
    }

    /// A readable table of the main figures and every violation.
    pub fn table(&self) -> String {
        let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.4}"));
        let opt_u = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
        let rows: Vec<(&str, String)> = vec![
            ("scenario", self.scenario.clone()),
            ("seed", self.seed.to_string()),
            (
                "nodes (alive)",
                format!("{} ({})", self.nodes, self.nodes_alive),
            ),
            ("documents", self.documents.to_string()),
            (
                "comments (skipped, lost)",
                format!(
                    "{} ({}, {})",
                    self.comments, self.comments_skipped, self.comments_lost
                ),
            ),
            (
                "subscribers, |S(thread)|",
                format!("{}, {}", self.subscribers, self.thread_s_size),
            ),
            (
                "thread completeness, followers, depth max",
                format!(
                    "{:.4}, {}, {}",
                    self.thread_completeness, self.thread_followers, self.thread_depth_max
                ),
            ),
            (
                "delivery ratio",
                format!(
                    "{:.4} ({} / {})",
                    self.delivery_ratio, self.deliveries, self.deliveries_expected
                ),
            ),
            ("rmr (sent)", opt(self.rmr)),
            ("rmr (received)", opt(self.rmr_received)),
            (
                "ldh max, hops median, log2|S|",
                format!(
                    "{}, {}, {}",
                    self.ldh_max.map_or("-".into(), |v| v.to_string()),
                    opt(self.hops_median),
                    opt(self.log2_s)
                ),
            ),
            (
                "control bytes / delivery",
                opt(self.control_bytes_per_delivery),
            ),
            (
                "idle bytes / document / hour",
                format!(
                    "{:.4} ({} bytes)",
                    self.idle_bytes_per_document_hour, self.idle_bytes
                ),
            ),
            (
                "convergence after center leave",
                format!(
                    "{} ms ({} rounds)",
                    opt_u(self.convergence_ms_after_center_leave),
                    opt(self.convergence_rounds_after_center_leave)
                ),
            ),
            (
                "convergence after join",
                format!("{} ms", opt_u(self.convergence_ms_after_join)),
            ),
            (
                "convergence after heal",
                format!("{} ms", opt_u(self.convergence_ms_after_heal)),
            ),
            (
                "spam: posted, stored, stored after ban",
                format!(
                    "{}, {}, {}",
                    self.spam_comments,
                    self.spam_deliveries,
                    opt_u(self.spam_deliveries_after_ban)
                ),
            ),
            (
                "ban propagation",
                format!(
                    "{} ms ({} rounds), median {} ms",
                    opt_u(self.ban_propagation_ms),
                    opt(self.ban_propagation_rounds),
                    opt_u(self.ban_propagation_median_ms)
                ),
            ),
            (
                "messages, bytes",
                format!("{}, {}", self.messages, self.bytes),
            ),
            (
                "lost, duplicated, dropped",
                format!(
                    "{}, {}, {} partition + {} dead",
                    self.counters.lost,
                    self.counters.duplicated,
                    self.counters.dropped_partition,
                    self.counters.dropped_dead
                ),
            ),
            (
                "rejected, decode errors",
                format!(
                    "{}, {}",
                    self.counters.rejected, self.counters.decode_errors
                ),
            ),
            (
                "peak subscription bytes",
                format!(
                    "{} ({} per subscription)",
                    self.peak_subscription_bytes,
                    opt(self.subscription_bytes_per_subscription)
                ),
            ),
            (
                "virtual s, wall s",
                format!("{:.1}, {:.2}", self.virtual_seconds, self.wall_seconds),
            ),
            (
                "nodes / wall s, events / wall s",
                format!(
                    "{:.0}, {:.0}",
                    self.nodes_per_wall_second, self.events_per_wall_second
                ),
            ),
        ];
        let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        let mut out = String::new();
        for (k, v) in rows {
            let _ = writeln!(out, "{k:<width$}  {v}");
        }
        if self.invariant_violations.is_empty() {
            let _ = writeln!(out, "{:<width$}  none", "invariant violations");
        } else {
            let _ = writeln!(
                out,
                "{:<width$}  {}",
                "invariant violations",
                self.invariant_violations.len()
            );
            for v in &self.invariant_violations {
                let _ = writeln!(out, "  - {v}");
            }
        }
        out
    }
}

/// Minimum, mean and maximum of one figure over a sweep.
#[derive(Clone, Debug, Serialize)]
pub struct Spread {
    /// Runs that had the figure.
    pub n: usize,
    /// Smallest value.
    pub min: f64,
    /// Mean value.
    pub mean: f64,
    /// Largest value.
    pub max: f64,
}

impl Spread {
    fn of(values: impl IntoIterator<Item = Option<f64>>) -> Option<Spread> {
        let values: Vec<f64> = values.into_iter().flatten().collect();
        if values.is_empty() {
            return None;
        }
        Some(Spread {
            n: values.len(),
            min: values.iter().copied().fold(f64::INFINITY, f64::min),
            mean: values.iter().sum::<f64>() / values.len() as f64,
            max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        })
    }
}

/// The summary of runs of one scenario over several seeds.
#[derive(Clone, Debug, Serialize)]
pub struct Sweep {
    /// The scenario's name.
    pub scenario: String,
    /// Runs made.
    pub runs: usize,
    /// Seeds whose runs failed.
    pub failing_seeds: Vec<u64>,
    /// The first violations of each failing seed.
    pub failures: BTreeMap<u64, Vec<String>>,
    /// Figures over the runs.
    pub delivery_ratio: Option<Spread>,
    /// Thread completeness.
    pub thread_completeness: Option<Spread>,
    /// RMR (sent).
    pub rmr: Option<Spread>,
    /// RMR (received).
    pub rmr_received: Option<Spread>,
    /// LDH.
    pub ldh_max: Option<Spread>,
    /// Median hops.
    pub hops_median: Option<Spread>,
    /// Control bytes per delivery.
    pub control_bytes_per_delivery: Option<Spread>,
    /// Idle bytes per document hour.
    pub idle_bytes_per_document_hour: Option<Spread>,
    /// Convergence after a center left.
    pub convergence_ms_after_center_leave: Option<Spread>,
    /// Convergence after a heal.
    pub convergence_ms_after_heal: Option<Spread>,
    /// Wall seconds per run.
    pub wall_seconds: Option<Spread>,
}

impl Sweep {
    /// Summarizes reports of one scenario.
    pub fn new(reports: &[Report]) -> Sweep {
        let f = |g: fn(&Report) -> Option<f64>| Spread::of(reports.iter().map(g));
        let failing: Vec<&Report> = reports.iter().filter(|r| r.is_failing()).collect();
        Sweep {
            scenario: reports
                .first()
                .map_or(String::new(), |r| r.scenario.clone()),
            runs: reports.len(),
            failing_seeds: failing.iter().map(|r| r.seed).collect(),
            failures: failing
                .iter()
                .map(|r| {
                    let mut v: Vec<String> =
                        r.invariant_violations.iter().take(3).cloned().collect();
                    if r.delivery_ratio < 1.0 {
                        v.push(format!("delivery ratio {:.4}", r.delivery_ratio));
                    }
                    if r.thread_completeness < 1.0 {
                        v.push(format!("thread completeness {:.4}", r.thread_completeness));
                    }
                    (r.seed, v)
                })
                .collect(),
            delivery_ratio: f(|r| Some(r.delivery_ratio)),
            thread_completeness: f(|r| Some(r.thread_completeness)),
            rmr: f(|r| r.rmr),
            rmr_received: f(|r| r.rmr_received),
            ldh_max: f(|r| r.ldh_max.map(f64::from)),
            hops_median: f(|r| r.hops_median),
            control_bytes_per_delivery: f(|r| r.control_bytes_per_delivery),
            idle_bytes_per_document_hour: f(|r| Some(r.idle_bytes_per_document_hour)),
            convergence_ms_after_center_leave: f(|r| {
                r.convergence_ms_after_center_leave.map(|v| v as f64)
            }),
            convergence_ms_after_heal: f(|r| r.convergence_ms_after_heal.map(|v| v as f64)),
            wall_seconds: f(|r| Some(r.wall_seconds)),
        }
    }

    /// A readable summary.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "scenario  {}", self.scenario);
        let _ = writeln!(out, "runs      {}", self.runs);
        let _ = writeln!(out, "failing   {:?}", self.failing_seeds);
        let rows: [(&str, &Option<Spread>); 11] = [
            ("delivery_ratio", &self.delivery_ratio),
            ("thread_completeness", &self.thread_completeness),
            ("rmr", &self.rmr),
            ("rmr_received", &self.rmr_received),
            ("ldh_max", &self.ldh_max),
            ("hops_median", &self.hops_median),
            (
                "control_bytes_per_delivery",
                &self.control_bytes_per_delivery,
            ),
            (
                "idle_bytes_per_document_hour",
                &self.idle_bytes_per_document_hour,
            ),
            (
                "convergence_ms_after_center_leave",
                &self.convergence_ms_after_center_leave,
            ),
            ("convergence_ms_after_heal", &self.convergence_ms_after_heal),
            ("wall_seconds", &self.wall_seconds),
        ];
        let _ = writeln!(
            out,
            "{:<34} {:>12} {:>12} {:>12}",
            "figure", "min", "mean", "max"
        );
        for (name, spread) in rows {
            if let Some(s) = spread {
                let _ = writeln!(
                    out,
                    "{name:<34} {:>12.4} {:>12.4} {:>12.4}",
                    s.min, s.mean, s.max
                );
            }
        }
        for (seed, violations) in &self.failures {
            let _ = writeln!(out, "seed {seed}:");
            for v in violations {
                let _ = writeln!(out, "  - {v}");
            }
        }
        out
    }
}
