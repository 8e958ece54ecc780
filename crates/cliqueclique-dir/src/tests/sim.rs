//! Publishers and readers of one directory on the simulated network (`cliqueclique-sim`).
//!
//! Several nodes publish names concurrently, each planning its names from what it holds (so
//! they race to create the same levels); then every publisher plans its names again until none
//! moves (convergence); then every node, including readers that start with nothing but the root,
//! finds every name by its full key following winning levels only. Fresh readers measure what
//! one lookup costs by prefix length (`docs/BENCHMARKS.md`).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;

use cliqueclique_doc::{DocId, DocumentBuilder};
use cliqueclique_proto::{Command, Config, Time};
use cliqueclique_sim::Network;
use cliqueclique_sim::link::{Latency, LinkModel};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::explore::{Action, Explorer};
use crate::lookup::{Follow, Query, Step, lookup};
use crate::name::Name;
use crate::publish::{DEFAULT_BUCKET, Plan, plan, published_by_me};
use crate::schema::{Entry, root_document};

/// The settling time of a level in the simulation (latencies are at most a few hundred ms).
const SETTLE: Duration = Duration::from_secs(2);
/// How many names one publisher works on at once.
const WINDOW: usize = 8;
/// Publishing step of the virtual clock.
const TICK_MS: u64 = 200;

pub struct Params {
    pub seed: u64,
    pub names: usize,
    pub publishers: usize,
    /// Readers that look up every name from scratch.
    pub readers: usize,
    /// Fresh readers per prefix length for the cost figures.
    pub samples: usize,
    pub max_prefix: usize,
    /// Publish with the publishers split in two halves that cannot reach each other, and heal
    /// the partition only before converging.
    pub partitioned: bool,
}

/// Averages over fresh readers (each joins the root, then looks up one prefix).
#[derive(Debug, Default, Serialize)]
pub struct Cost {
    pub prefix_len: usize,
    pub lookups: usize,
    /// Locating the prefix only (a page of 0 names): batches sent network-wide.
    pub locate_messages: f64,
    /// Documents the reader holds after locating.
    pub locate_documents: f64,
    /// Levels read while locating.
    pub locate_levels: f64,
    /// A page of 10 names: batches sent network-wide.
    pub messages: f64,
    /// Body transmissions network-wide.
    pub bodies: f64,
    /// Documents the reader holds after the page.
    pub documents_held: f64,
    /// Bodies the reader received that it already held.
    pub reader_duplicate_bodies: f64,
    /// Levels read for the page.
    pub levels_read: f64,
}

#[derive(Debug, Serialize)]
pub struct Figures {
    pub seed: u64,
    pub names: usize,
    pub publishers: usize,
    pub levels: usize,
    pub distinct_prefixes: usize,
    pub duplicate_levels: usize,
    /// Levels a tree with one level per distinct prefix of the names would have.
    pub prefixes_of_names: usize,
    pub republished: usize,
    pub convergence_rounds: usize,
    pub publish_virtual_s: f64,
    pub messages: u64,
    pub costs: Vec<Cost>,
}

struct Driver {
    net: Network,
    root: DocId,
    seed: u64,
    catalogs: Vec<Catalog>,
    explorers: Vec<Explorer>,
}

fn link_model() -> LinkModel {
    LinkModel {
        latency: Latency {
            min_ms: 5,
            max_ms: 120,
            tail_probability: 0.01,
            tail_max_ms: 600,
        },
        loss: 0.01,
        duplicate: 0.01,
        detect_ms: 2000,
    }
}

/// Distinct names of two to four syllables, some with a number, sharing many prefixes.
fn names(seed: u64, n: usize) -> Vec<Name> {
    const SYLLABLES: [&str; 24] = [
        "ka", "lo", "mi", "ra", "ne", "to", "su", "vi", "an", "el", "or", "un", "ba", "de", "fi",
        "go", "hu", "je", "qu", "ze", "wy", "xo", "pe", "ty",
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xd1_4ec7);
    let mut out = BTreeSet::new();
    while out.len() < n {
        let mut name = String::new();
        for _ in 0..rng.random_range(2..=4) {
            name.push_str(SYLLABLES[rng.random_range(0..SYLLABLES.len())]);
        }
        if rng.random_range(0..4) == 0 {
            name.push_str(&format!(" {}", rng.random_range(1..100)));
        }
        if rng.random_range(0..3) == 0 {
            let mut chars = name.chars();
            if let Some(first) = chars.next() {
                name = first.to_uppercase().chain(chars).collect();
            }
        }
        out.insert(Name::new(&name).expect("generated names are valid"));
    }
    let mut out: Vec<Name> = out.into_iter().collect();
    // Publishing order is random, not alphabetical.
    for i in (1..out.len()).rev() {
        out.swap(i, rng.random_range(0..=i));
    }
    out
}

impl Driver {
    fn new(seed: u64, nodes: usize) -> Driver {
        let mut net = Network::new(nodes, Config::default(), link_model(), seed);
        let identity = net.sim_node(0).identity().clone();
        let root_doc = root_document(&identity, "Directory", "names for the simulator", 1);
        let root = root_doc.id();
        net.command(
            0,
            Command::Post {
                document: root_doc,
                subscribe: true,
            },
        )
        .unwrap_or_else(|e| panic!("seed {seed}: posting the root: {e}"));
        Driver {
            net,
            root,
            seed,
            catalogs: (0..nodes).map(|_| Catalog::new()).collect(),
            explorers: (0..nodes).map(|_| Explorer::new(SETTLE)).collect(),
        }
    }

    fn seed_text(&self) -> String {
        format!("failing seed: {}", self.seed)
    }

    /// Carries out an action for node `i`; returns the time to wait for, if any.
    fn act(&mut self, i: usize, action: Action) -> Option<Time> {
        match action {
            Action::Join(doc) => {
                let peer = self.net.sim_node(0).card().clone();
                self.net
                    .command(i, Command::Join { doc, peer })
                    .unwrap_or_else(|e| panic!("{}: join: {e}", self.seed_text()));
                None
            }
            Action::Subscribe(doc) => {
                self.net
                    .command(i, Command::Subscribe { doc, thread: false })
                    .unwrap_or_else(|e| panic!("{}: subscribe: {e}", self.seed_text()));
                None
            }
            Action::Wait(at) => Some(at),
        }
    }

    fn plan(&mut self, i: usize, name: &Name, target: &DocId) -> Plan {
        let node = self.net.node(i).expect("publishers keep running");
        let identity = self.net.sim_node(i).identity().clone();
        plan(
            node,
            &mut self.catalogs[i],
            &mut self.explorers[i],
            &identity,
            &self.root,
            name,
            target,
            DEFAULT_BUCKET,
            self.net.now(),
        )
    }

    fn post(&mut self, i: usize, documents: Vec<cliqueclique_doc::Document>) {
        for document in documents {
            let subscribe = !matches!(Entry::of(&document), Some(Entry::Name { .. }));
            self.net
                .command(
                    i,
                    Command::Post {
                        document,
                        subscribe,
                    },
                )
                .unwrap_or_else(|e| panic!("{}: post: {e}", self.seed_text()));
        }
    }

    /// One lookup of node `i`, driven to its page.
    fn lookup(&mut self, i: usize, query: &Query) -> crate::lookup::Page {
        for _ in 0..10_000 {
            let step = {
                let node = self.net.node(i).expect("readers keep running");
                lookup(
                    node,
                    &mut self.catalogs[i],
                    &mut self.explorers[i],
                    &self.root,
                    query,
                    self.net.now(),
                )
            };
            match step {
                Step::Done(page) => return page,
                Step::Need(action) => {
                    let until = self
                        .act(i, action)
                        .unwrap_or(self.net.now().after(Duration::from_millis(TICK_MS)));
                    let ms = until.0.saturating_sub(self.net.now().0).max(1);
                    self.net.run_for(ms, |_, _| {});
                }
            }
        }
        panic!(
            "{}: a lookup of {:?} never finished",
            self.seed_text(),
            query.prefix
        );
    }
}

/// The whole scenario; panics (naming the seed) when a property fails.
pub fn run(p: &Params) -> Figures {
    let fresh = 2 * p.samples * (p.max_prefix + 1);
    let nodes = p.publishers + p.readers + fresh;
    let mut d = Driver::new(p.seed, nodes);
    let seed = p.seed;
    let all = names(seed, p.names);
    // Publishers hold the root and one content document per name they publish.
    let mut queues: Vec<VecDeque<(Name, DocId)>> = vec![VecDeque::new(); p.publishers];
    for (k, name) in all.iter().enumerate() {
        let i = k % p.publishers;
        let identity = d.net.sim_node(i).identity().clone();
        let doc = DocumentBuilder::new(name.as_str())
            .text(format!("the document called {name}"))
            .date(1)
            .build(&identity);
        let id = doc.id();
        d.net
            .command(
                i,
                Command::Post {
                    document: doc,
                    subscribe: false,
                },
            )
            .unwrap_or_else(|e| panic!("failing seed {seed}: {e}"));
        queues[i].push_back((name.clone(), id));
    }
    let expected: BTreeSet<(String, DocId)> = queues
        .iter()
        .flatten()
        .map(|(n, t)| (n.as_str().to_owned(), *t))
        .collect();
    for i in 1..p.publishers {
        d.act(i, Action::Join(d.root));
    }
    if p.partitioned {
        assert!(
            d.net.run_until_quiet(3_600_000, 1_000),
            "failing seed {seed}: the joins did not settle"
        );
        let half = p.publishers / 2;
        d.net.partition(
            (0..nodes)
                .map(|i| u32::from(half <= i && i < p.publishers))
                .collect(),
        );
    }
    // Concurrent publishing: each publisher works on a window of names per tick.
    let start = d.net.now();
    let mut windows: Vec<Vec<(Name, DocId)>> = vec![Vec::new(); p.publishers];
    let mut ticks = 0u64;
    while queues.iter().any(|q| !q.is_empty()) || windows.iter().any(|w| !w.is_empty()) {
        ticks += 1;
        assert!(
            ticks < 2_000_000,
            "failing seed {seed}: publishing never finished"
        );
        for i in 0..p.publishers {
            while windows[i].len() < WINDOW
                && let Some(next) = queues[i].pop_front()
            {
                windows[i].push(next);
            }
            let mut keep = Vec::new();
            for (name, target) in std::mem::take(&mut windows[i]) {
                match d.plan(i, &name, &target) {
                    Plan::Post(docs) => d.post(i, docs),
                    Plan::Published { .. } => {}
                    Plan::Need(action) => {
                        d.act(i, action);
                        keep.push((name, target));
                    }
                }
            }
            windows[i] = keep;
        }
        d.net.run_for(TICK_MS, |_, _| {});
    }
    let publish_virtual_s = d.net.now().since(start).as_secs_f64();
    if p.partitioned {
        d.net.heal();
    }
    // Convergence: publishers plan every name they published again until nothing moves.
    let mut republished = 0;
    let mut rounds = 0;
    loop {
        rounds += 1;
        assert!(
            rounds < 50,
            "failing seed {seed}: publishers never converged"
        );
        assert!(
            d.net.run_until_quiet(3_600_000, 1_000),
            "failing seed {seed}: the network did not quiet down"
        );
        d.net.run_for(SETTLE.as_millis() as u64, |_, _| {});
        let mut moved = 0;
        let mut waiting = false;
        for i in 0..p.publishers {
            let node = d.net.node(i).expect("publishers keep running");
            let mine = published_by_me(node, &mut d.catalogs[i], &d.root);
            for (name, target) in mine {
                match d.plan(i, &name, &target) {
                    Plan::Published { .. } => {}
                    Plan::Post(docs) => {
                        moved += 1;
                        d.post(i, docs);
                    }
                    Plan::Need(action) => {
                        waiting = true;
                        d.act(i, action);
                    }
                }
            }
        }
        republished += moved;
        if moved == 0 && !waiting {
            break;
        }
    }
    // Structure: levels and duplicates, over every document any node holds.
    let mut prefixes: BTreeMap<String, BTreeSet<DocId>> = BTreeMap::new();
    for i in 0..p.publishers {
        let node = d.net.node(i).expect("publishers keep running");
        for sub in node.subscriptions() {
            if let Some((Entry::Level { prefix, .. }, _)) = d.catalogs[i].entry(node, &sub.doc) {
                prefixes.entry(prefix).or_default().insert(sub.doc);
            }
        }
    }
    let levels: usize = prefixes.values().map(BTreeSet::len).sum();
    // Every publisher lists the whole directory through winning levels only.
    let everything = Query {
        prefix: String::new(),
        after: None,
        limit: usize::MAX,
        follow: Follow::Winners,
    };
    for i in 0..p.publishers {
        let page = d.lookup(i, &everything);
        let listed: BTreeSet<(String, DocId)> = page
            .names
            .iter()
            .map(|l| (l.name.clone(), l.target))
            .collect();
        assert_eq!(
            listed.len(),
            page.names.len(),
            "failing seed {seed}: node {i} lists a name twice"
        );
        let missing: Vec<_> = expected.difference(&listed).take(5).collect();
        assert!(
            missing.is_empty() && listed.len() == expected.len(),
            "failing seed {seed}: node {i} lists {} of {} names through the winners; missing e.g. {missing:?}",
            listed.len(),
            expected.len()
        );
    }
    // Every node finds every name by its key, following winning levels only; readers start
    // from nothing but the root's id.
    for i in 0..p.publishers + p.readers {
        for (name, target) in all.iter().zip(expected_targets(&expected, &all)) {
            let query = Query {
                prefix: name.key().to_owned(),
                after: None,
                limit: 64,
                follow: Follow::Winners,
            };
            let page = d.lookup(i, &query);
            assert!(
                page.names
                    .iter()
                    .any(|l| l.name == name.as_str() && l.target == target),
                "failing seed {seed}: node {i} does not find {name:?} by its key"
            );
            assert!(
                page.names.iter().all(|l| l.key.starts_with(name.key())),
                "failing seed {seed}: a listed name does not match the prefix"
            );
        }
    }
    // Nothing moves any more: every publisher's plan for every name is "published".
    for i in 0..p.publishers {
        let node = d.net.node(i).expect("publishers keep running");
        for (name, target) in published_by_me(node, &mut d.catalogs[i], &d.root) {
            match d.plan(i, &name, &target) {
                Plan::Published { .. } => {}
                other => panic!("failing seed {seed}: {name:?} would move again: {other:?}"),
            }
        }
    }
    // Cost of one lookup from scratch, by prefix length.
    let mut costs = Vec::new();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xc057);
    let mut reader = p.publishers + p.readers;
    for len in 0..=p.max_prefix {
        let mut cost = Cost {
            prefix_len: len,
            ..Cost::default()
        };
        for _ in 0..p.samples {
            let candidates: Vec<&Name> = all
                .iter()
                .filter(|n| n.key().chars().count() >= len)
                .collect();
            let name = candidates[rng.random_range(0..candidates.len())];
            let prefix = crate::name::take_chars(name.key(), len).to_owned();
            for limit in [0, 10] {
                let query = Query {
                    prefix: prefix.clone(),
                    after: None,
                    limit,
                    follow: Follow::Winners,
                };
                assert!(
                    d.net.run_until_quiet(3_600_000, 1_000),
                    "failing seed {seed}: not quiet"
                );
                let before = d.net.total_traffic();
                let page = d.lookup(reader, &query);
                assert!(
                    d.net.run_until_quiet(3_600_000, 1_000),
                    "failing seed {seed}: not quiet"
                );
                let after = d.net.total_traffic();
                let reader_node = d.net.node(reader).expect("readers run");
                let held = reader_node.subscriptions().count() as f64;
                let duplicates = reader_node.stats().duplicate_bodies as f64;
                let messages = (after.messages - before.messages) as f64;
                if limit == 0 {
                    assert!(
                        page.levels_read <= len + 1,
                        "failing seed {seed}: locating a prefix of {len} characters read {} levels",
                        page.levels_read
                    );
                    cost.locate_messages += messages;
                    cost.locate_documents += held;
                    cost.locate_levels += page.levels_read as f64;
                } else {
                    assert!(
                        !page.names.is_empty(),
                        "failing seed {seed}: empty page for a known prefix"
                    );
                    cost.messages += messages;
                    cost.bodies += (after.bodies - before.bodies) as f64;
                    cost.documents_held += held;
                    cost.reader_duplicate_bodies += duplicates;
                    cost.levels_read += page.levels_read as f64;
                }
                reader += 1;
            }
            cost.lookups += 1;
        }
        let n = cost.lookups.max(1) as f64;
        cost.locate_messages /= n;
        cost.locate_documents /= n;
        cost.locate_levels /= n;
        cost.messages /= n;
        cost.bodies /= n;
        cost.documents_held /= n;
        cost.reader_duplicate_bodies /= n;
        cost.levels_read /= n;
        costs.push(cost);
    }
    Figures {
        seed,
        names: p.names,
        publishers: p.publishers,
        levels,
        distinct_prefixes: prefixes.len(),
        duplicate_levels: levels - prefixes.len(),
        prefixes_of_names: all
            .iter()
            .flat_map(|n| {
                (1..=n.key().chars().count()).map(|l| crate::name::take_chars(n.key(), l))
            })
            .collect::<BTreeSet<_>>()
            .len(),
        republished,
        convergence_rounds: rounds,
        publish_virtual_s,
        messages: d.net.total_traffic().messages,
        costs,
    }
}

/// The target of each name, in the order of `all`.
fn expected_targets(expected: &BTreeSet<(String, DocId)>, all: &[Name]) -> Vec<DocId> {
    let by_name: BTreeMap<&str, DocId> = expected.iter().map(|(n, t)| (n.as_str(), *t)).collect();
    all.iter().map(|n| by_name[n.as_str()]).collect()
}

#[test]
fn concurrent_publishers_converge_and_every_node_finds_every_name() {
    for seed in [1, 2] {
        let figures = run(&Params {
            seed,
            names: 600,
            publishers: 4,
            readers: 1,
            samples: 1,
            max_prefix: 4,
            partitioned: false,
        });
        assert!(figures.levels > 0, "seed {seed}: the tree grew levels");
        eprintln!("{}", serde_json::to_string(&figures).unwrap_or_default());
    }
}

/// Two halves of the publishers build the same directory apart (each half creates its own
/// levels for the same prefixes), then the partition heals: they converge onto one winner per
/// prefix and every node finds every name.
#[test]
fn publishers_split_by_a_partition_converge_after_it_heals() {
    let figures = run(&Params {
        seed: 11,
        names: 400,
        publishers: 4,
        readers: 1,
        samples: 1,
        max_prefix: 2,
        partitioned: true,
    });
    assert!(
        figures.duplicate_levels > 0,
        "seed 11: the halves duplicated levels ({figures:?})"
    );
    eprintln!("{}", serde_json::to_string(&figures).unwrap_or_default());
}

/// The full size, part of the suite (about 90 s): 10,000 names from four concurrent
/// publishers, every name found by prefix from every node, one winning level per prefix. It also
/// prints the figures of `docs/BENCHMARKS.md` (1,000 and 10,000 names):
/// `cargo test -p cliqueclique-dir -- --nocapture ten_thousand`.
#[test]
fn ten_thousand_names() {
    for names in [1_000, 10_000] {
        let figures = run(&Params {
            seed: 7,
            names,
            publishers: 4,
            readers: 2,
            samples: 3,
            max_prefix: 6,
            partitioned: false,
        });
        println!("{}", serde_json::to_string(&figures).unwrap_or_default());
    }
}
