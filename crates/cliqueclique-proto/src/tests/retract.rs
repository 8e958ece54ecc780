//! Retraction: an author's retraction reaches every holder, drops the body, keeps a late or
//! stale copy from coming back, withdraws the edits with the original, and means nothing when
//! someone else signs it.

use super::{Net, count_events, forum_of_four as forum};
use crate::{Command, CommandError, Event};
use cliqueclique_doc::{ContactCard, DocId, DocumentBuilder, Export};

/// Node `author`'s topic under `root`, delivered everywhere.
fn topic(net: &mut Net, author: usize, root: DocId, text: &str) -> DocId {
    let topic = net.post(author, DocumentBuilder::new(text).parent(root).text(text));
    net.run_for(20_000);
    topic
}

fn retract(net: &mut Net, author: usize, parent: DocId, target: DocId) -> DocId {
    net.post(
        author,
        DocumentBuilder::new("").parent(parent).retracts(target),
    )
}

#[test]
fn a_retraction_reaches_every_holder_and_drops_the_body() {
    let (mut net, root) = forum();
    // Followers of the whole forum: pushes to them carry claims of its count.
    for i in 1..4 {
        net.command(
            i,
            Command::Subscribe {
                doc: root,
                thread: true,
            },
        );
    }
    let post = topic(&mut net, 0, root, "a post I regret");
    let reply = topic(&mut net, 1, root, "another topic");
    assert!(net.holds(2, &reply));
    for i in 0..4 {
        assert!(net.holds(i, &post), "node {i} lacks the post");
    }
    let retraction = retract(&mut net, 0, root, post);
    // The author's own copy goes at once.
    assert!(!net.holds(0, &post));
    net.run_for(30_000);
    for i in 0..4 {
        assert!(!net.holds(i, &post), "node {i} still holds the body");
        assert!(net.holds(i, &retraction), "node {i} lacks the retraction");
        let record = net.nodes[i]
            .retraction(&post, &net.id(0))
            .expect("a recorded retraction");
        assert_eq!((record.by, record.parent), (retraction, Some(root)));
        assert!(
            net.nodes[i].subscription(&post).is_none(),
            "node {i} keeps state for the retracted post"
        );
        // The count of the forum that a neighbour claimed before does not make it look
        // incomplete.
        let status = net.nodes[i].thread_status(&root);
        assert!(status.complete(), "node {i}: {status:?}");
    }
    // The author cannot revise it again.
    let again = DocumentBuilder::new("")
        .parent(root)
        .retracts(post)
        .date(99)
        .build(net.nodes[0].identity());
    let refused = net.nodes[0].handle_command(
        net.now,
        Command::Post {
            document: again,
            subscribe: false,
        },
    );
    assert_eq!(refused.unwrap_err(), CommandError::Retracted(post));
}

#[test]
fn a_stale_copy_neither_comes_back_nor_stays() {
    let (mut net, root) = forum();
    let post = topic(&mut net, 0, root, "soon gone");
    // Node 3 is away while the retraction spreads, so it keeps a stale copy.
    net.cut(0, 3);
    retract(&mut net, 0, root, post);
    net.run_for(30_000);
    assert!(!net.holds(2, &post));
    let stale = net.nodes[3].document(&post).expect("node 3 was away");

    // The stale holder offers the post straight to node 2, which declines it.
    net.heal(3, 2);
    let card = net.card(2);
    let sent = net.nodes[3].stats().bodies_sent;
    net.command(
        3,
        Command::AddPeer {
            doc: post,
            peer: card,
        },
    );
    net.run_for(20_000);
    assert!(
        net.nodes[3].stats().bodies_sent > sent,
        "no body was offered"
    );
    assert!(!net.holds(2, &post), "the retracted post came back");
    assert!(net.nodes[2].subscription(&post).is_none());
    assert_eq!(
        count_events(&net, 2, |e| matches!(
            e,
            Event::DocumentArrived { doc, .. } if *doc == post
        )),
        1,
        "the post was stored again after its retraction"
    );

    // Back in the forum, the stale holder learns of the retraction and lets go too.
    net.heal(0, 3);
    net.run_for(60_000);
    assert!(!net.holds(3, &post), "the stale copy stayed");
    assert!(net.nodes[3].retraction(&post, &net.id(0)).is_some());

    // An import of the stale copy is refused as well.
    let card = net.card(3);
    let export = Export::new(net.nodes[3].identity(), card, stale);
    let imported = net.nodes[2].handle_command(net.now, Command::Import { export });
    assert_eq!(imported.unwrap_err(), CommandError::Retracted(post));
}

#[test]
fn edits_go_with_the_original() {
    let (mut net, root) = forum();
    let post = topic(&mut net, 0, root, "first");
    let edit = net.post(
        0,
        DocumentBuilder::new("second")
            .parent(root)
            .supersedes(post)
            .text("second"),
    );
    net.run_for(20_000);
    assert!(net.holds(2, &edit));
    retract(&mut net, 0, root, post);
    net.run_for(30_000);
    for i in 0..4 {
        assert!(!net.holds(i, &post) && !net.holds(i, &edit), "node {i}");
    }
    // A copy of the edit offered later is declined, like the original.
    assert!(net.nodes[2].retraction(&edit, &net.id(0)).is_some());
}

#[test]
fn someone_elses_retraction_changes_nothing() {
    let (mut net, root) = forum();
    let post = topic(&mut net, 0, root, "mine");
    // A node cannot post a revision of another author's document.
    let forged = DocumentBuilder::new("")
        .parent(root)
        .retracts(post)
        .date(1)
        .build(net.nodes[3].identity());
    let refused = net.nodes[3].handle_command(
        net.now,
        Command::Post {
            document: forged.clone(),
            subscribe: false,
        },
    );
    assert_eq!(
        refused.unwrap_err(),
        CommandError::NotYours {
            doc: post,
            author: net.id(0)
        }
    );
    // One that arrives anyway (here through an import) is recorded but not applied.
    let impostor = net.nodes[3].identity().clone();
    let card = ContactCard::new(&impostor, "ann", vec!["sim://3".into()], 0);
    let export = Export::new(&impostor, card, forged);
    net.command(2, Command::Import { export });
    net.run_for(20_000);
    assert!(
        net.holds(2, &post),
        "someone else's retraction dropped the post"
    );
    assert!(net.nodes[2].retraction(&post, &net.id(3)).is_some());
    // The forged record does not stand in the way of the author's own retraction.
    let reply = net.post(1, DocumentBuilder::new("re").parent(post).text("re"));
    net.run_for(20_000);
    assert!(net.holds(0, &reply), "the post no longer travels");
    retract(&mut net, 0, root, post);
    net.run_for(30_000);
    assert!(!net.holds(2, &post));
    assert_eq!(net.nodes[2].retractions_of(&post).count(), 2);
}

#[test]
fn a_reading_keeps_documents_but_never_one_whose_body_went() {
    let (mut net, root) = forum();
    let post = topic(&mut net, 0, root, "read twice, then retracted");
    net.nodes[0].remember_reads();
    let first = net.nodes[0].document(&post).expect("the post");
    assert_eq!(net.nodes[0].document(&post), Some(first));
    retract(&mut net, 0, root, post);
    assert!(net.nodes[0].document(&post).is_none());
    net.nodes[0].forget_reads();
    assert!(net.nodes[0].document(&root).is_some());
}
