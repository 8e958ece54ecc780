//! Proof of work per forum: a node declines new documents below a forum whose ids lack the
//! forum's work, at any depth, unless their author is exempt; documents with the work pass, and
//! the node refuses to post one without it.

use super::{count_events, forum_of_four as forum};
use crate::{Command, CommandError, Event};
use cliqueclique_doc::DocumentBuilder;
use cliqueclique_doc::document::work;
use std::collections::BTreeSet;

const BITS: u8 = 8;

#[test]
fn documents_without_the_forums_work_are_declined_and_with_it_pass() {
    let (mut net, root) = forum();
    let topic = net.post(0, DocumentBuilder::new("topic").parent(root).text("t"));
    net.run_for(20_000);
    let owner = net.id(0);
    net.command(
        2,
        Command::SetForumWork {
            forum: root,
            bits: BITS,
            exempt: BTreeSet::from([owner]),
        },
    );
    net.command(
        2,
        Command::Subscribe {
            doc: topic,
            thread: true,
        },
    );
    // Without the work, at the root and deeper: node 1 requires none and keeps them.
    let lazy = net.post(3, DocumentBuilder::new("cheap").parent(root).text("cheap"));
    let deep = net.post(3, DocumentBuilder::new("cheap").parent(topic).text("deep"));
    assert!(!work::meets(&lazy, BITS) && !work::meets(&deep, BITS));
    // With it.
    let worked = DocumentBuilder::new("worked")
        .parent(root)
        .text("paid for")
        .date(1)
        .build_with_work(net.nodes[3].identity(), BITS, &mut |_| true)
        .unwrap();
    let worked_id = worked.id();
    net.command(
        3,
        Command::Post {
            document: worked,
            subscribe: true,
        },
    );
    // The owner is exempt.
    let owners = net.post(
        0,
        DocumentBuilder::new("rules").parent(root).text("be nice"),
    );
    assert!(!work::meets(&owners, BITS));
    net.run_for(30_000);
    assert!(net.holds(1, &lazy), "node 1 requires no work");
    assert!(!net.holds(2, &lazy), "a post without work reached node 2");
    assert!(!net.holds(2, &deep), "a reply without work reached node 2");
    assert_eq!(
        count_events(&net, 2, |e| matches!(
            e,
            Event::DocumentArrived { doc, .. } if *doc == lazy || *doc == deep
        )),
        0
    );
    assert!(net.holds(2, &worked_id), "the post with work was declined");
    assert!(net.holds(2, &owners), "the owner's post was declined");

    // Node 2 itself cannot post without the work.
    let own = super::build(
        &net,
        2,
        DocumentBuilder::new("mine").parent(root).text("no work"),
    );
    let refused = net.nodes[2].handle_command(
        net.now,
        Command::Post {
            document: own.clone(),
            subscribe: true,
        },
    );
    assert_eq!(
        refused,
        Err(CommandError::MissingWork {
            doc: own.id(),
            bits: BITS
        })
    );

    // Lifted, the next cheap post passes.
    net.command(
        2,
        Command::SetForumWork {
            forum: root,
            bits: 0,
            exempt: BTreeSet::new(),
        },
    );
    let later = net.post(3, DocumentBuilder::new("cheap").parent(root).text("again"));
    net.run_for(30_000);
    assert!(net.holds(2, &later));
}
