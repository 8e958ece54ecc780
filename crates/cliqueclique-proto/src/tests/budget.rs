//! Admission budgets: a node sends and stores at most `push_budget` bodies per neighbour and
//! window, and at most `newcomer_budget` documents per forum and window from authors new there;
//! the rest wait, are offered again, and arrive in a later window.

use super::Net;
use crate::{Config, MemStore, Node};
use cliqueclique_doc::{ContactCard, DocId, DocumentBuilder};
use std::time::Duration;

const WINDOW: Duration = Duration::from_secs(10);

fn config(push_budget: u32, newcomer_budget: u32) -> Config {
    Config {
        target_peers_per_document: 1,
        push_budget,
        push_window: WINDOW,
        newcomer_budget,
        newcomer_window: WINDOW,
        ..Config::default()
    }
}

/// Gives node `i` a new configuration before it did anything.
fn reconfigure(net: &mut Net, i: usize, config: Config) {
    let identity = net.nodes[i].identity().clone();
    let card = ContactCard::new(&identity, format!("n{i}"), vec![format!("sim://{i}")], 0);
    net.nodes[i] = Node::new(identity, card, config, MemStore::default(), i as u64);
}

/// Node 0 posts a forum root that node 1 joins; returns the root once its window has passed.
fn pair(net: &mut Net) -> DocId {
    let root = net.post(0, DocumentBuilder::new("forum").text("welcome"));
    net.join(1, root, 0);
    net.run_for(WINDOW.as_millis() as u64 + 2_000);
    assert!(net.holds(1, &root));
    root
}

fn held(net: &Net, i: usize, docs: &[DocId]) -> usize {
    docs.iter().filter(|d| net.holds(i, d)).count()
}

/// Node 0 posts six comments at once under `root`: node 1 must hold three of them two seconds
/// later, and all six once `later_ms` more have passed.
fn three_now_six_later(net: &mut Net, root: DocId, later_ms: u64) {
    let comments: Vec<DocId> = (0..6)
        .map(|k| {
            net.post(
                0,
                DocumentBuilder::new(format!("c{k}")).parent(root).text("x"),
            )
        })
        .collect();
    net.run_for(2_000);
    assert_eq!(held(net, 1, &comments), 3, "the first window takes three");
    net.run_for(later_ms);
    assert_eq!(held(net, 1, &comments), 6, "the rest arrive later");
}

#[test]
fn a_sender_pushes_at_most_its_budget_per_window_and_the_rest_later() {
    let mut net = Net::new(2, config(3, 0));
    let root = pair(&mut net);
    three_now_six_later(&mut net, root, 40_000);
}

#[test]
fn a_receiver_defers_what_a_neighbour_pushes_beyond_its_budget() {
    // Node 0 pushes without a budget; node 1 stores three per window and pulls the rest.
    let mut net = Net::new(2, config(3, 0));
    reconfigure(&mut net, 0, config(0, 0));
    let root = pair(&mut net);
    three_now_six_later(&mut net, root, 150_000);
}

#[test]
fn documents_of_authors_new_to_a_forum_wait_beyond_the_newcomer_budget() {
    // Node 2 learns of the forum through node 1 only; nodes 1 and 3 are new authors to it.
    let (mut net, root) = super::forum_of_four_with(config(0, 1));
    net.run_for(WINDOW.as_millis() as u64);
    let first = [
        net.post(1, DocumentBuilder::new("hello").parent(root).text("from 1")),
        net.post(3, DocumentBuilder::new("hello").parent(root).text("from 3")),
    ];
    net.run_for(3_000);
    assert_eq!(held(&net, 2, &first), 1, "one newcomer per window");
    // A known author's next post does not wait.
    let known = if net.holds(2, &first[0]) { 1 } else { 3 };
    let again = net.post(
        known,
        DocumentBuilder::new("more").parent(root).text("again"),
    );
    net.run_for(1_000);
    assert!(net.holds(2, &again), "a known author's post waited");
    net.run_for(150_000);
    assert_eq!(
        held(&net, 2, &first),
        2,
        "the other newcomer's post arrives later"
    );
}
