//! Carrying out a scenario: build the forum, post comments under the failure schedule, settle,
//! idle, check.
//!
//! The steps, each ending when the network is quiet (see [`Network::is_quiet`]):
//!
//! 1. Node 0 posts the forum root; every other node joins it through an earlier node
//!    (`Command::Join`), one every `join_interval_ms`.
//! 2. The thread author posts the thread under the root; the subscribers subscribe to it as soon
//!    as it reached them.
//! 3. The posters post the comments, one every `comment_interval_ms`, while the failure schedule
//!    plays out (its times count from the first comment).
//! 4. The network idles for `idle_ms`: whatever it sends then is the idle cost.
//! 5. The invariants are checked and the figures computed ([`crate::metrics`]).
//!
//! Convergence probes run alongside: after the last join, after a heal and after a center
//! leaves, the structural invariants of the affected overlays are checked every `check_ms` until
//! they hold, which gives the convergence times.

use crate::error::SimError;
use crate::fault::{Fault, Target, Who, assign_groups};
use crate::invariants;
use crate::ledger::DocKind;
use crate::malicious;
use crate::metrics::Report;
use crate::network::{Network, Phase};
use crate::scenario::{JoinVia, Scenario};
use cliqueclique_doc::{DocId, DocumentBuilder};
use cliqueclique_proto::{Command, CommandError, LinkState, Store};
use rand::RngExt;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

mod spam;

/// How often a convergence probe looks while the network is quiet (virtual ms).
const QUIET_PROBE_MS: u64 = 10_000;

/// Unix seconds of virtual time zero, so that documents carry plausible dates.
pub(crate) const EPOCH_SECS: u64 = 1_700_000_000;

/// Carries out `scenario` and returns its figures.
pub fn run(scenario: &Scenario) -> Result<Report, SimError> {
    let mut runner = Runner::new(scenario)?;
    runner.execute()?;
    Ok(runner.report())
}

/// Something the runner does at a scheduled virtual time.
#[derive(Clone, Debug)]
enum Action {
    Join(usize),
    Subscribe(usize),
    Comment(usize),
    Spam(usize),
    Ban,
    Fault(usize),
    Restart(usize),
    Probe(usize),
    Malicious {
        node: usize,
        round: u64,
        until: u64,
        interval: u64,
    },
}

/// What a convergence probe waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeKind {
    /// The root overlay after the last join.
    Join,
    /// The overlays after a partition healed.
    Heal,
    /// An overlay whose center left.
    CenterLeave,
}

/// A convergence probe: started at `start`, done when the structure of `docs` holds.
#[derive(Clone, Debug)]
pub struct Probe {
    /// What it measures.
    pub kind: ProbeKind,
    /// The overlays checked.
    pub docs: Vec<DocId>,
    /// When the event happened (virtual ms).
    pub start: u64,
    /// When the structure held again (virtual ms).
    pub done: Option<u64>,
}

/// The state of one run. [`run`] is the usual entry; tests use the runner to act afterwards.
pub struct Runner {
    scenario: Scenario,
    net: Network,
    faults: Vec<(u64, Fault)>,
    actions: Vec<Action>,
    blocking: usize,
    root: Option<DocId>,
    thread: Option<DocId>,
    thread_author: usize,
    subscribers: Vec<usize>,
    posters: Vec<usize>,
    spammer: Option<usize>,
    spam_posted: usize,
    skipped_comments: usize,
    forged: BTreeSet<DocId>,
    probes: Vec<Probe>,
    violations: Vec<String>,
    peak_subscription_bytes: usize,
    idle_bytes: u64,
    idle_ms: u64,
    started: Instant,
    wall_seconds: Option<f64>,
}

impl Runner {
    /// Creates the network of a validated scenario.
    pub fn new(scenario: &Scenario) -> Result<Runner, SimError> {
        scenario.validate()?;
        let faults = scenario.faults()?;
        let started = Instant::now();
        let net = Network::new(
            scenario.nodes,
            scenario.proto.clone(),
            scenario.network.clone(),
            scenario.seed,
        );
        Ok(Runner {
            scenario: scenario.clone(),
            net,
            faults,
            actions: Vec::new(),
            blocking: 0,
            root: None,
            thread: None,
            thread_author: 0,
            subscribers: Vec::new(),
            posters: Vec::new(),
            spammer: None,
            spam_posted: 0,
            skipped_comments: 0,
            forged: BTreeSet::new(),
            probes: Vec::new(),
            violations: Vec::new(),
            peak_subscription_bytes: 0,
            idle_bytes: 0,
            idle_ms: 0,
            started,
            wall_seconds: None,
        })
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The network.
    pub fn network(&self) -> &Network {
        &self.net
    }

    /// The network, to act on it after (or instead of) [`Runner::execute`].
    pub fn network_mut(&mut self) -> &mut Network {
        &mut self.net
    }

    /// The forum root, once posted.
    pub fn root(&self) -> Option<DocId> {
        self.root
    }

    /// The thread, once posted.
    pub fn thread(&self) -> Option<DocId> {
        self.thread
    }

    /// The thread's subscribers.
    pub fn subscribers(&self) -> &[usize] {
        &self.subscribers
    }

    /// The posters.
    pub fn posters(&self) -> &[usize] {
        &self.posters
    }

    /// The convergence probes started so far.
    pub fn probes(&self) -> &[Probe] {
        &self.probes
    }

    /// Forged bodies malicious nodes sent.
    pub fn forged(&self) -> &BTreeSet<DocId> {
        &self.forged
    }

    /// Violations the runner itself found (steps that never settled, refused commands).
    pub fn violations(&self) -> &[String] {
        &self.violations
    }

    /// Comments that could not be posted because every poster was down.
    pub fn skipped_comments(&self) -> usize {
        self.skipped_comments
    }

    /// Bytes sent during the idle period, and its length in ms.
    pub fn idle_figures(&self) -> (u64, u64) {
        (self.idle_bytes, self.idle_ms)
    }

    /// The largest sum of serialized subscription bytes seen at the end of a step.
    pub fn peak_subscription_bytes(&self) -> usize {
        self.peak_subscription_bytes
    }

    /// Wall time of the run so far (frozen once the report was taken).
    pub fn wall_seconds(&self) -> f64 {
        self.wall_seconds
            .unwrap_or_else(|| self.started.elapsed().as_secs_f64())
    }

    /// Adds a fault to the schedule (before [`Runner::comments`]), `at_ms` after the first comment.
    pub fn add_fault(&mut self, at_ms: u64, fault: Fault) {
        self.faults.push((at_ms, fault));
    }

    /// Runs every step of the scenario.
    pub fn execute(&mut self) -> Result<(), SimError> {
        self.setup()?;
        self.comments();
        self.idle();
        self.wall_seconds = Some(self.started.elapsed().as_secs_f64());
        Ok(())
    }

    /// Steps 1 and 2: the root, the joins, the thread and the subscriptions.
    pub fn setup(&mut self) -> Result<(), SimError> {
        let n = self.net.len();
        let root = DocumentBuilder::new("forum root")
            .text("the forum")
            .date(EPOCH_SECS)
            .build(self.net.sim_node(0).identity());
        self.root = Some(self.net.post(0, root, DocKind::Root, "root".into())?);
        let forum = self.scenario.forum.clone();
        for i in 1..n {
            let at = forum.join_start_ms + (i as u64 - 1) * forum.join_interval_ms;
            self.schedule(at, Action::Join(i));
        }
        self.drive_actions();
        self.start_probe(ProbeKind::Join, vec![self.root.expect("posted")]);
        self.settle("the joins");
        self.sample_memory();

        // The thread and its subscribers.
        let author = match forum.thread_author {
            Some(a) => a,
            None => self.net.rng().random_range(0..n),
        };
        self.thread_author = author;
        let thread = DocumentBuilder::new("a thread")
            .parent(self.root.expect("posted"))
            .text("what do you think?")
            .date(EPOCH_SECS + self.net.now().as_millis() / 1000)
            .build(self.net.sim_node(author).identity());
        self.thread = Some(
            self.net
                .post(author, thread, DocKind::Thread, "thread".into())?,
        );
        self.subscribers = if forum.subscriber_nodes.is_empty() {
            let mut all: Vec<usize> = (0..n).collect();
            self.shuffle(&mut all);
            all.truncate(forum.subscribers);
            all
        } else {
            forum.subscriber_nodes.clone()
        };
        self.posters = if forum.poster_nodes.is_empty() {
            self.subscribers
                .iter()
                .take(forum.posters)
                .copied()
                .collect()
        } else {
            forum.poster_nodes.clone()
        };
        let now = self.net.now().as_millis();
        for k in 0..self.subscribers.len() {
            let s = self.subscribers[k];
            self.schedule(now, Action::Subscribe(s));
        }
        self.choose_spammer(now);
        self.drive_actions();
        self.settle("the thread and its subscriptions");
        self.sample_memory();
        Ok(())
    }

    /// Step 3: comments under the failure schedule.
    pub fn comments(&mut self) {
        self.net.set_phase(Phase::Comments);
        let start = self.net.now().as_millis();
        let interval = self.scenario.forum.comment_interval_ms;
        for k in 0..self.scenario.forum.comments {
            self.schedule(start + k as u64 * interval, Action::Comment(k));
        }
        self.schedule_spam(start);
        for e in 0..self.faults.len() {
            let at = start + self.faults[e].0;
            self.schedule(at, Action::Fault(e));
        }
        self.drive_actions();
        self.settle("the comments");
        self.sample_memory();
    }

    /// Step 4: idle, measuring the bytes sent.
    pub fn idle(&mut self) {
        self.net.set_phase(Phase::Idle);
        let before = self.net.traffic(Phase::Idle).bytes;
        let until = self.net.now().as_millis() + self.scenario.idle_ms;
        self.drive(until);
        self.idle_bytes = self.net.traffic(Phase::Idle).bytes - before;
        self.idle_ms = self.scenario.idle_ms;
        if !self.net.is_quiet(self.net.quiet_horizon()) {
            self.violations.push(format!(
                "the network is not quiet after idling: {}",
                busy(&self.net)
            ));
        }
    }

    /// Step 5: the figures, with every invariant checked.
    pub fn report(&self) -> Report {
        let mut violations = self.violations.clone();
        violations.extend(self.net.anomalies());
        violations.extend(invariants::check_quiet(&self.net, &self.forged));
        Report::new(self, violations)
    }

    /// Runs until the network is quiet; a step that takes longer than `settle_limit_ms` is a violation.
    pub fn settle(&mut self, what: &str) -> bool {
        let deadline = self.net.now().as_millis() + self.scenario.settle_limit_ms;
        let horizon = self.net.quiet_horizon();
        loop {
            if self.blocking == 0 && self.net.is_quiet(horizon) {
                return true;
            }
            let now = self.net.now().as_millis();
            if now >= deadline {
                self.violations.push(format!(
                    "the network did not become quiet within {} ms after {what}: {}",
                    self.scenario.settle_limit_ms,
                    busy(&self.net)
                ));
                return false;
            }
            self.drive((now + 1000).min(deadline));
        }
    }

    /// Runs the network and the runner's actions up to virtual time `until`.
    pub fn drive(&mut self, until: u64) {
        while let Some(tag) = self.net.advance(cliqueclique_proto::Time(until)) {
            self.perform(tag as usize);
        }
    }

    /// Runs until every scheduled join, comment, fault and restart has been carried out.
    fn drive_actions(&mut self) {
        while self.blocking > 0 {
            match self.net.advance(cliqueclique_proto::Time(u64::MAX / 2)) {
                Some(tag) => self.perform(tag as usize),
                None => break,
            }
        }
    }

    fn schedule(&mut self, at: u64, action: Action) {
        if !matches!(action, Action::Probe(_)) {
            self.blocking += 1;
        }
        let tag = self.actions.len() as u32;
        self.actions.push(action);
        self.net.schedule_action(cliqueclique_proto::Time(at), tag);
    }

    fn perform(&mut self, tag: usize) {
        let action = self.actions[tag].clone();
        if !matches!(action, Action::Probe(_)) {
            self.blocking -= 1;
        }
        let now = self.net.now().as_millis();
        match action {
            Action::Join(i) => self.join(i),
            Action::Subscribe(i) => self.subscribe(i),
            Action::Comment(k) => self.comment(k),
            Action::Spam(k) => self.spam(k),
            Action::Ban => self.ban(),
            Action::Fault(e) => self.fault(e),
            Action::Restart(i) => {
                if self.net.sim_node(i).is_crashed() {
                    self.restart(i);
                }
            }
            Action::Probe(p) => self.probe(p),
            Action::Malicious {
                node,
                round,
                until,
                interval,
            } => {
                if self.net.sim_node(node).is_alive() {
                    let docs: Vec<DocId> = self
                        .root
                        .iter()
                        .chain(self.thread.iter())
                        .copied()
                        .collect();
                    self.forged
                        .extend(malicious::volley(&mut self.net, node, round, &docs));
                }
                if now + interval < until {
                    self.schedule(
                        now + interval,
                        Action::Malicious {
                            node,
                            round: round + 1,
                            until,
                            interval,
                        },
                    );
                }
            }
        }
    }

    fn join(&mut self, i: usize) {
        let root = self.root.expect("posted");
        let via = match self.scenario.forum.join_via {
            JoinVia::Random => self.net.rng().random_range(0..i),
            JoinVia::Previous => i - 1,
            JoinVia::First => 0,
        };
        let peer = self.net.sim_node(via).card().clone();
        if let Err(e) = self.net.command(i, Command::Join { doc: root, peer }) {
            self.violations
                .push(format!("node {i} could not join the root: {e}"));
        }
    }

    fn subscribe(&mut self, i: usize) {
        let thread = self.thread.expect("posted");
        let command = Command::Subscribe {
            doc: thread,
            thread: self.scenario.forum.thread_subscription,
        };
        match self.net.command(i, command) {
            Ok(_) => {}
            Err(SimError::Command {
                source: CommandError::UnknownDocument(_),
                ..
            })
            | Err(SimError::NotRunning(_)) => {
                // Not arrived yet: try again a little later, within the settle limit.
                let posted = self.net.ledger().get(&thread).map_or(0, |t| t.posted_at.0);
                let now = self.net.now().as_millis();
                if now.saturating_sub(posted) < self.scenario.settle_limit_ms {
                    self.schedule(now + self.scenario.check_ms, Action::Subscribe(i));
                } else {
                    self.violations.push(format!(
                        "node {i} never received the thread, so it could not subscribe"
                    ));
                }
            }
            Err(e) => self
                .violations
                .push(format!("node {i} could not subscribe: {e}")),
        }
    }

    fn comment(&mut self, k: usize) {
        let posters: Vec<usize> = self
            .posters
            .iter()
            .copied()
            .filter(|&p| self.net.sim_node(p).is_alive())
            .collect();
        if posters.is_empty() {
            self.skipped_comments += 1;
            return;
        }
        let poster = posters[self.net.rng().random_range(0..posters.len())];
        let thread = self.thread.expect("posted");
        let forum = &self.scenario.forum;
        let (p_reply, body_bytes) = (forum.reply_probability, forum.body_bytes);
        let mut parent = thread;
        if p_reply > 0.0 && self.net.rng().random_bool(p_reply) {
            let store = self.net.node(poster).expect("alive").store();
            let held: Vec<DocId> = self
                .net
                .ledger()
                .comments()
                .map(|c| c.id)
                .filter(|id| store.document(id).is_some())
                .collect();
            if !held.is_empty() {
                parent = held[self.net.rng().random_range(0..held.len())];
            }
        }
        let mut text = format!("comment {k} by node {poster}: ");
        while text.len() < body_bytes {
            text.push_str("lorem ipsum dolor sit amet ");
        }
        text.truncate(body_bytes.max(1));
        let now = self.net.now().as_millis();
        let document = DocumentBuilder::new(format!("comment {k}"))
            .parent(parent)
            .text(text)
            .date(EPOCH_SECS + now / 1000)
            .build(self.net.sim_node(poster).identity());
        if let Err(e) = self
            .net
            .post(poster, document, DocKind::Comment, format!("comment {k}"))
        {
            self.violations
                .push(format!("node {poster} could not post comment {k}: {e}"));
        }
    }

    fn fault(&mut self, e: usize) {
        let fault = self.faults[e].1.clone();
        let now = self.net.now().as_millis();
        match fault {
            Fault::Partition { groups } => {
                let groups = assign_groups(self.net.len(), &groups);
                self.net.partition(groups);
            }
            Fault::Heal => {
                self.net.heal();
                let docs = self
                    .root
                    .iter()
                    .chain(self.thread.iter())
                    .copied()
                    .collect();
                self.start_probe(ProbeKind::Heal, docs);
            }
            Fault::Crash {
                who,
                restart_after_ms,
            } => {
                for i in self.pick(who, false) {
                    if self.net.crash(i).is_ok()
                        && let Some(ms) = restart_after_ms
                    {
                        self.schedule(now + ms, Action::Restart(i));
                    }
                }
            }
            Fault::Restart { node } => {
                let nodes: Vec<usize> = match node {
                    Some(i) => vec![i],
                    None => (0..self.net.len())
                        .filter(|&i| self.net.sim_node(i).is_crashed())
                        .collect(),
                };
                for i in nodes {
                    self.restart(i);
                }
            }
            Fault::Leave { who } => {
                for i in self.pick(who, true) {
                    let _ = self.net.leave(i);
                }
            }
            Fault::CenterLeave { doc, heirs } => {
                let doc = match doc {
                    Target::Root => self.root,
                    Target::Thread => self.thread,
                }
                .expect("posted");
                match center_of(&self.net, &doc) {
                    Some(c) => {
                        let named: Vec<usize> = if heirs {
                            self.net
                                .node(c)
                                .and_then(|n| n.subscription(&doc))
                                .map(|s| s.named_heirs.clone())
                                .unwrap_or_default()
                                .iter()
                                .filter_map(|h| self.net.index_of(h))
                                .collect()
                        } else {
                            Vec::new()
                        };
                        let _ = self.net.leave(c);
                        for h in named {
                            let _ = self.net.leave(h);
                        }
                        self.start_probe(ProbeKind::CenterLeave, vec![doc]);
                    }
                    None => self.violations.push(format!(
                        "center_leave: no running center of {}",
                        self.net.ledger().label(&doc)
                    )),
                }
            }
            Fault::Malicious {
                who,
                duration_ms,
                interval_ms,
            } => {
                for node in self.pick(who, true) {
                    self.net.set_malicious(node);
                    self.schedule(
                        now,
                        Action::Malicious {
                            node,
                            round: 0,
                            until: now + duration_ms,
                            interval: interval_ms,
                        },
                    );
                }
            }
        }
    }

    fn restart(&mut self, i: usize) {
        if let Err(e) = self.net.restart(i) {
            self.violations
                .push(format!("restart of node {i} failed: {e}"));
        }
    }

    /// The nodes a fault hits; `spare` keeps the posters, the thread author and the root author.
    fn pick(&mut self, who: Who, spare: bool) -> Vec<usize> {
        match who {
            Who::Node(i) => vec![i],
            Who::Random(count) => {
                let mut candidates: Vec<usize> = self
                    .net
                    .alive()
                    .filter(|&i| !self.net.sim_node(i).is_malicious())
                    .filter(|i| {
                        !spare || !(self.posters.contains(i) || *i == self.thread_author || *i == 0)
                    })
                    .collect();
                self.shuffle(&mut candidates);
                candidates.truncate(count);
                candidates.sort_unstable();
                candidates
            }
        }
    }

    fn shuffle(&mut self, items: &mut [usize]) {
        for k in (1..items.len()).rev() {
            let j = self.net.rng().random_range(0..=k);
            items.swap(k, j);
        }
    }

    fn start_probe(&mut self, kind: ProbeKind, docs: Vec<DocId>) {
        let p = self.probes.len();
        let now = self.net.now().as_millis();
        self.probes.push(Probe {
            kind,
            docs,
            start: now,
            done: None,
        });
        self.schedule(now, Action::Probe(p));
    }

    fn probe(&mut self, p: usize) {
        let probe = &self.probes[p];
        if probe.done.is_some() {
            return;
        }
        let now = self.net.now().as_millis();
        let mut ok = true;
        if probe.kind == ProbeKind::Join {
            // Cheap first: every running node holds the root.
            let root = self.root.expect("posted");
            ok = self.net.alive().all(|i| {
                self.net
                    .node(i)
                    .is_some_and(|n| n.subscription(&root).is_some_and(|s| s.has_body()))
            });
        }
        ok = ok
            && probe
                .docs
                .iter()
                .all(|d| invariants::check_structure(&self.net, d).is_empty());
        if ok {
            self.probes[p].done = Some(now);
        } else if now - probe.start < self.scenario.settle_limit_ms {
            // A quiet network changes only on long timers (stranded retries, peer expiry):
            // look less often then, which keeps probes of large overlays cheap.
            let interval = if self.net.is_quiet(self.net.quiet_horizon()) {
                self.scenario.check_ms.max(QUIET_PROBE_MS)
            } else {
                self.scenario.check_ms
            };
            self.schedule(now + interval, Action::Probe(p));
        }
    }

    fn sample_memory(&mut self) {
        self.peak_subscription_bytes = self
            .peak_subscription_bytes
            .max(self.net.subscription_bytes());
    }
}

/// The running node most holders of `doc` follow as their center.
pub fn center_of(net: &Network, doc: &DocId) -> Option<usize> {
    let mut votes: BTreeMap<usize, usize> = BTreeMap::new();
    for i in net.alive() {
        if let Some(sub) = net.node(i).and_then(|n| n.subscription(doc))
            && let Some(c) = net.index_of(&sub.route.center)
            && net.sim_node(c).is_alive()
        {
            *votes.entry(c).or_default() += 1;
        }
    }
    votes
        .into_iter()
        .max_by_key(|&(c, v)| (v, std::cmp::Reverse(c)))
        .map(|(c, _)| c)
}

/// A description of what keeps the network busy, for violations.
pub fn busy(net: &Network) -> String {
    let mut out = format!("{} messages in flight", net.in_flight());
    if let Some((t, i)) = net.next_wake() {
        out.push_str(&format!(
            "; node {i} wakes at {} ms (now {} ms)",
            t.as_millis(),
            net.now().as_millis()
        ));
        if let Some(node) = net.node(i) {
            let mut pending = Vec::new();
            for sub in node.subscriptions() {
                for (peer, link) in &sub.links {
                    let up = node.peers().get(peer).is_some_and(|p| p.up);
                    if up && (link.acked != sub.serial || link.state != LinkState::Active) {
                        let j = net
                            .index_of(peer)
                            .map_or_else(|| peer.short(), |j| j.to_string());
                        pending.push(format!(
                            "{} to node {j}: {:?}, serial {} acked {}",
                            net.ledger().label(&sub.doc),
                            link.state,
                            sub.serial,
                            link.acked
                        ));
                    }
                }
                if let Some(r) = &sub.seq_request {
                    pending.push(format!(
                        "{}: asking for seq {} of {}",
                        net.ledger().label(&sub.doc),
                        r.seq,
                        r.center.short()
                    ));
                }
            }
            if !pending.is_empty() {
                pending.truncate(5);
                out.push_str(&format!(
                    " with unacknowledged state: {}",
                    pending.join("; ")
                ));
            }
        }
    }
    out
}
