//! Blocking a node: its documents are declined whoever relays them, held ones are let go,
//! links to it are dropped and refused, and unblocking restores normal behaviour.

use super::{Net, count_events, forum_of_four as forum, links};
use crate::{Command, CommandError, Event};
use cliqueclique_doc::{DocId, DocumentBuilder};

fn comment(net: &mut Net, author: usize, root: DocId, text: &str) -> DocId {
    net.post(author, DocumentBuilder::new(text).parent(root).text(text))
}

#[test]
fn a_blocked_authors_document_is_declined_whoever_relays_it() {
    let (mut net, root) = forum();
    let impostor = net.id(3);
    net.command(2, Command::Block { node: impostor });
    let post = comment(&mut net, 3, root, "send me your password");
    net.run_for(20_000);
    assert!(
        net.holds(0, &post) && net.holds(1, &post),
        "the others hold it"
    );
    assert!(
        !net.holds(2, &post),
        "the blocker holds a blocked author's post"
    );
    assert_eq!(
        count_events(
            &net,
            2,
            |e| matches!(e, Event::DocumentArrived { doc, .. } if *doc == post)
        ),
        0,
        "the blocker stored a blocked author's post, even for a moment"
    );
    assert!(
        net.nodes[2].subscription(&post).is_none(),
        "the blocker keeps state for it"
    );
    // An honest post still arrives along the same path.
    let honest = comment(&mut net, 0, root, "hello");
    net.run_for(20_000);
    assert!(net.holds(2, &honest));
}

#[test]
fn a_blocked_authors_held_documents_are_let_go() {
    let (mut net, root) = forum();
    let post = comment(&mut net, 3, root, "before the block");
    net.run_for(20_000);
    assert!(net.holds(2, &post));
    let impostor = net.id(3);
    net.command(2, Command::Block { node: impostor });
    net.run_for(20_000);
    assert!(
        !net.holds(2, &post),
        "the blocked author's post is still held"
    );
    assert!(
        count_events(
            &net,
            2,
            |e| matches!(e, Event::DocumentRemoved { doc } if *doc == post)
        ) > 0
    );
    // Nodes that did not block keep it, and the blocker's relay holds no link for it to us.
    assert!(net.holds(1, &post));
    assert!(!links(&net, 1, &post).contains(&net.id(2)));
}

#[test]
fn links_to_a_blocked_node_are_dropped_and_refused() {
    let (mut net, root) = forum();
    let (bob, relay) = (net.id(2), net.id(1));
    assert!(links(&net, 1, &root).contains(&bob));
    net.command(1, Command::Block { node: bob });
    net.run_for(20_000);
    assert!(
        !links(&net, 1, &root).contains(&bob),
        "the blocker kept the link"
    );
    assert!(
        !links(&net, 2, &root).contains(&relay),
        "the blocked node kept the link"
    );
    // Asking again is declined.
    net.command(
        2,
        Command::AddPeer {
            doc: root,
            peer: net.card(1),
        },
    );
    net.run_for(20_000);
    assert!(!links(&net, 1, &root).contains(&bob));
    assert!(!links(&net, 2, &root).contains(&relay));
    // And the blocker never links to it on its own.
    net.command(
        1,
        Command::AddPeer {
            doc: root,
            peer: net.card(2),
        },
    );
    net.run_for(20_000);
    assert!(!links(&net, 1, &root).contains(&bob));
}

#[test]
fn unblocking_restores_normal_behaviour() {
    let (mut net, root) = forum();
    let impostor = net.id(3);
    net.command(2, Command::Block { node: impostor });
    net.run_for(5_000);
    net.command(2, Command::Unblock { node: impostor });
    assert!(!net.nodes[2].is_blocked(&impostor));
    let post = comment(&mut net, 3, root, "after the unblock");
    net.run_for(20_000);
    assert!(
        net.holds(2, &post),
        "an unblocked author's post did not arrive"
    );
}

#[test]
fn a_node_cannot_block_itself_and_the_block_is_stored() {
    let (mut net, _) = forum();
    let me = net.id(2);
    let now = net.now;
    assert_eq!(
        net.nodes[2].handle_command(now, Command::Block { node: me }),
        Err(CommandError::SelfPeer)
    );
    let other = net.id(3);
    net.command(2, Command::Block { node: other });
    assert_eq!(crate::Store::blocked(net.nodes[2].store()), vec![other]);
}
