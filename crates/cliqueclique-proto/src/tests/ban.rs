//! Forum bans: a node declines the new documents of an author banned from a forum, at any depth
//! below its root, and only there; lifting the ban lets them through again.

use super::{count_events, forum_of_four as forum};
use crate::{Command, Event};
use cliqueclique_doc::DocumentBuilder;
use std::collections::BTreeSet;

#[test]
fn a_banned_authors_new_documents_are_declined_in_that_forum_only() {
    let (mut net, root) = forum();
    let topic = net.post(0, DocumentBuilder::new("topic").parent(root).text("t"));
    net.run_for(20_000);
    let spammer = net.id(3);
    net.command(
        2,
        Command::SetForumBans {
            forum: root,
            nodes: BTreeSet::from([spammer]),
        },
    );
    let spam = net.post(3, DocumentBuilder::new("buy").parent(root).text("buy"));
    let deep = net.post(3, DocumentBuilder::new("buy").parent(topic).text("more"));
    net.command(
        2,
        Command::Subscribe {
            doc: topic,
            thread: true,
        },
    );
    net.run_for(30_000);
    assert!(net.holds(1, &spam), "node 1 applies no ban");
    assert!(
        !net.holds(2, &spam),
        "the banned author's topic reached node 2"
    );
    assert!(
        !net.holds(2, &deep),
        "the banned author's reply reached node 2"
    );
    assert_eq!(
        count_events(&net, 2, |e| matches!(
            e,
            Event::DocumentArrived { doc, .. } if *doc == spam || *doc == deep
        )),
        0
    );
    // Someone else's post still arrives, and the ban lifted lets the next one through.
    let honest = net.post(1, DocumentBuilder::new("hi").parent(root).text("hi"));
    net.run_for(20_000);
    assert!(net.holds(2, &honest));
    net.command(
        2,
        Command::SetForumBans {
            forum: root,
            nodes: BTreeSet::new(),
        },
    );
    let later = net.post(3, DocumentBuilder::new("sorry").parent(root).text("sorry"));
    net.run_for(30_000);
    assert!(net.holds(2, &later));
}
