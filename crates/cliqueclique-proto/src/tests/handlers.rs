//! Behaviour of each handler, on two to five nodes.

use super::{Net, build, count_events, links};
use crate::event::RejectReason;
use crate::message::{Advert, Batch, Part, Rank};
use crate::{Command, CommandError, Config, Event};
use bytes::Bytes;
use cliqueclique_doc::{DocId, DocumentBuilder, Export, LinkDirection};

fn config() -> Config {
    Config::default()
}

/// A forum root on node 0, joined by every other node in a chain (i joins through i-1).
///
/// With one target peer nobody asks for introductions, so the overlay stays a chain.
fn chain(n: usize) -> (Net, DocId) {
    let mut cfg = config();
    cfg.target_peers_per_document = 1;
    let mut net = Net::new(n, cfg);
    let root = net.post(0, DocumentBuilder::new("forum").text("welcome"));
    for i in 1..n {
        net.join(i, root, i - 1);
        net.run_for(2_000);
    }
    net.run_for(10_000);
    (net, root)
}

#[test]
fn join_fetches_the_document_and_elects_the_author() {
    let (net, root) = chain(2);
    assert!(net.holds(1, &root));
    assert_eq!(net.route(0, &root), Some((net.id(0), 0)));
    assert_eq!(net.route(1, &root), Some((net.id(0), 1)));
    assert_eq!(
        count_events(&net, 1, |e| matches!(e, Event::DocumentArrived { .. })),
        1
    );
}

#[test]
fn an_idle_document_sends_nothing() {
    let (mut net, _) = chain(4);
    assert_eq!(net.batches_during(3_600_000), 0);
}

#[test]
fn metadata_sync_converges_under_heavy_loss_and_then_stops() {
    let mut net = Net::new(2, config());
    net.loss = 0.4;
    let root = net.post(0, DocumentBuilder::new("forum").text("welcome"));
    net.join(1, root, 0);
    net.run_for(600_000);
    net.loss = 0.0;
    net.run_for(600_000);
    assert!(net.holds(1, &root));
    assert_eq!(net.route(1, &root), Some((net.id(0), 1)));
    let a = net.nodes[0].subscription(&root).unwrap();
    let b = net.nodes[1].subscription(&root).unwrap();
    assert_eq!(a.links[&net.id(1)].acked, a.serial);
    assert_eq!(b.links[&net.id(0)].acked, b.serial);
    assert_eq!(a.links[&net.id(1)].peer_serial, b.serial);
    assert_eq!(net.batches_during(3_600_000), 0);
}

#[test]
fn comments_cross_relays_to_subscribers() {
    let (mut net, root) = chain(5);
    let comment = net.post(0, DocumentBuilder::new("hello").parent(root).text("first"));
    net.run_for(10_000);
    for i in 0..5 {
        assert!(net.holds(i, &comment), "node {i} lacks the comment");
    }
    let reply = net.post(
        4,
        DocumentBuilder::new("re: hello")
            .parent(comment)
            .text("reply"),
    );
    net.run_for(10_000);
    // Node 4 subscribed to the comment by replying; interest crossed nodes 3..1 to reach 0.
    for i in 0..5 {
        assert!(net.holds(i, &reply), "node {i} lacks the reply");
    }
}

#[test]
fn unsubscribed_nodes_do_not_receive_comment_bodies() {
    let (mut net, root) = chain(3);
    let thread = net.post(0, DocumentBuilder::new("thread").parent(root).text("t"));
    net.run_for(10_000);
    // Only node 0 (the author) subscribes to the thread; node 2 subscribes to it too.
    net.command(
        2,
        Command::Subscribe {
            doc: thread,
            thread: false,
        },
    );
    net.run_for(10_000);
    let reply = net.post(0, DocumentBuilder::new("re").parent(thread).text("r"));
    net.run_for(10_000);
    assert!(net.holds(2, &reply));
    assert!(net.holds(1, &reply), "the relay is in the subscribing set");
    // A fourth node that holds the thread but is not subscribed to it gets no reply.
    let mut net2 = Net::new(3, config());
    let root2 = net2.post(0, DocumentBuilder::new("forum").text("w"));
    net2.join(1, root2, 0);
    net2.join(2, root2, 0);
    net2.run_for(10_000);
    let thread2 = net2.post(0, DocumentBuilder::new("thread").parent(root2).text("t"));
    net2.run_for(10_000);
    net2.command(
        1,
        Command::Subscribe {
            doc: thread2,
            thread: false,
        },
    );
    net2.run_for(10_000);
    let reply2 = net2.post(1, DocumentBuilder::new("re").parent(thread2).text("r"));
    net2.run_for(10_000);
    assert!(net2.holds(0, &reply2));
    assert!(net2.holds(2, &thread2));
    assert!(!net2.holds(2, &reply2), "node 2 never asked for replies");
}

#[test]
fn comments_behind_link_documents_reach_subscribers() {
    let (mut net, root) = chain(3);
    // Node 2 posts a document elsewhere (its own root), then links it under the forum root.
    let other = net.post(2, DocumentBuilder::new("elsewhere").text("attached"));
    net.run_for(1_000);
    let link = net.post(
        2,
        DocumentBuilder::new("link").link(root, other, LinkDirection::Natural),
    );
    net.run_for(20_000);
    for i in 0..3 {
        assert!(net.holds(i, &link), "node {i} lacks the link");
        assert!(net.holds(i, &other), "node {i} lacks the attached document");
    }
}

#[test]
fn unwanted_state_is_removed_on_both_sides_and_flags_survive() {
    let (mut net, root) = chain(3);
    net.command(
        2,
        Command::MarkRead {
            doc: root,
            read: true,
        },
    );
    net.command(2, Command::Unsubscribe { doc: root });
    net.run_for(60_000);
    assert!(net.nodes[2].subscription(&root).is_none());
    assert!(!net.holds(2, &root));
    assert!(!links(&net, 1, &root).contains(&net.id(2)));
    let flags = net.nodes[2].flags(&root).expect("remembered flags");
    assert!(flags.read && !flags.subscribed);
    assert_eq!(
        count_events(&net, 2, |e| matches!(e, Event::DocumentRemoved { .. })),
        1
    );
    // The relay's interest came only from node 2: it leaves too, the author keeps its document.
    net.command(1, Command::Unsubscribe { doc: root });
    net.run_for(60_000);
    assert!(net.nodes[1].subscription(&root).is_none());
    assert!(links(&net, 0, &root).is_empty());
    assert!(net.holds(0, &root));
    assert_eq!(net.batches_during(3_600_000), 0);
}

#[test]
fn full_nodes_decline_with_suggestions() {
    let mut cfg = config();
    cfg.max_peers_per_document = 2;
    cfg.target_peers_per_document = 1;
    let mut net = Net::new(5, cfg);
    let root = net.post(0, DocumentBuilder::new("forum").text("w"));
    for i in 1..5 {
        net.join(i, root, 0);
        net.run_for(5_000);
    }
    net.run_for(30_000);
    for i in 0..5 {
        assert!(net.holds(i, &root), "node {i} never got the root");
        let n = links(&net, i, &root).len();
        assert!(n <= 2, "node {i} has {n} links");
    }
    assert!(
        count_events(
            &net,
            3,
            |e| matches!(e, Event::LinkRefused { suggestions, .. } if *suggestions > 0)
        ) > 0
    );
}

#[test]
fn introductions_give_a_subscriber_more_peers() {
    let mut net = Net::new(4, config());
    let root = net.post(0, DocumentBuilder::new("forum").text("w"));
    for i in 1..4 {
        net.join(i, root, 0);
        net.run_for(5_000);
    }
    net.run_for(30_000);
    // Each joiner knew only node 0 but is introduced to the others.
    for i in 1..4 {
        assert!(
            links(&net, i, &root).len() >= 2,
            "node {i}: {:?}",
            links(&net, i, &root)
        );
    }
}

#[test]
fn misaddressed_and_forged_input_is_rejected_without_changes() {
    let (mut net, root) = chain(2);
    let before = net.nodes[1].store().n_documents();
    // A batch for someone else.
    let batch = Batch {
        from: net.id(0),
        to: net.id(0),
        parts: vec![Part::Goodbye {
            doc: root,
            serial: 1,
            suggestions: Vec::new(),
        }],
    };
    let now = net.now;
    let from = net.id(0);
    net.nodes[1].handle_batch(now, from, batch);
    // A body whose id does not match.
    let fake = build(&net, 0, DocumentBuilder::new("x").text("y"));
    let batch = Batch {
        from: net.id(0),
        to: net.id(1),
        parts: vec![Part::Update {
            doc: DocId([7; 32]),
            serial: 99,
            advert: Advert {
                center: net.id(0),
                rank: Rank::default(),
                seq: 1,
                dist: 0,
                flags: Advert::HAS_BODY,
            },
            body: Some(fake.bytes().clone()),
            thread: None,
        }],
    };
    net.nodes[1].handle_batch(now, from, batch);
    // Garbage bytes where a body should be.
    let batch = Batch {
        from: net.id(0),
        to: net.id(1),
        parts: vec![Part::Update {
            doc: DocId([8; 32]),
            serial: 1,
            advert: Advert {
                center: net.id(0),
                rank: Rank::default(),
                seq: 1,
                dist: 0,
                flags: 0,
            },
            body: Some(Bytes::from_static(b"\x00garbage")),
            thread: None,
        }],
    };
    net.nodes[1].handle_batch(now, from, batch);
    // A sender that is not the authenticated one.
    let batch = Batch {
        from: net.id(1),
        to: net.id(1),
        parts: vec![],
    };
    net.nodes[1].handle_batch(now, from, batch);
    while let Some(e) = net.nodes[1].poll_event() {
        net.events.push((1, e));
    }
    assert_eq!(net.nodes[1].store().n_documents(), before);
    assert!(net.nodes[1].subscription(&DocId([7; 32])).is_none());
    assert!(net.holds(1, &root));
    let rejected = |r: fn(&RejectReason) -> bool| {
        count_events(
            &net,
            1,
            |e| matches!(e, Event::Rejected { reason, .. } if r(reason)),
        )
    };
    assert_eq!(rejected(|r| matches!(r, RejectReason::Misaddressed)), 1);
    assert_eq!(rejected(|r| matches!(r, RejectReason::BadDocument(_))), 2);
    assert_eq!(rejected(|r| matches!(r, RejectReason::WrongSender)), 1);
    assert_eq!(net.nodes[1].stats().rejected, 4);
}

#[test]
fn unsolicited_documents_are_declined() {
    let (mut net, _) = chain(2);
    let spam = build(&net, 0, DocumentBuilder::new("spam").text("buy"));
    let batch = Batch {
        from: net.id(0),
        to: net.id(1),
        parts: vec![Part::Update {
            doc: spam.id(),
            serial: 1,
            advert: Advert {
                center: net.id(0),
                rank: Rank::default(),
                seq: 1,
                dist: 0,
                flags: Advert::HAS_BODY,
            },
            body: Some(spam.bytes().clone()),
            thread: None,
        }],
    };
    let (now, from) = (net.now, net.id(0));
    net.nodes[1].handle_batch(now, from, batch);
    assert!(net.nodes[1].subscription(&spam.id()).is_none());
    let t = net.nodes[1].poll_transmit().expect("a decline");
    assert!(matches!(t.batch.parts.last(), Some(Part::Decline { .. })));
}

#[test]
fn a_lost_upstream_is_replaced_and_restored() {
    // 0 - 1 - 2 and 0 - 2: when 1 and 2 lose their session, 2 routes through 0 directly.
    let (mut net, root) = chain(3);
    net.command(
        2,
        Command::AddPeer {
            doc: root,
            peer: net.card(0),
        },
    );
    net.run_for(10_000);
    assert_eq!(net.route(2, &root), Some((net.id(0), 1)));
    net.cut(0, 2);
    net.run_for(10_000);
    assert_eq!(net.route(2, &root), Some((net.id(0), 2)));
    net.heal(0, 2);
    net.run_for(10_000);
    assert_eq!(net.route(2, &root), Some((net.id(0), 1)));
    assert_eq!(net.batches_during(3_600_000), 0);
}

#[test]
fn a_departed_center_is_replaced_without_counting_to_infinity() {
    // A ring 0-1-2-3-0 where 0 is the center; 0 disappears.
    let (mut net, root) = chain(4);
    net.command(
        3,
        Command::AddPeer {
            doc: root,
            peer: net.card(0),
        },
    );
    net.run_for(10_000);
    for peer in [1, 2, 3] {
        net.cut(0, peer);
    }
    // Past the interest grace, when orphans reach the heirs the center named.
    let grace = net.nodes[1].config().interest_grace.as_millis() as u64;
    net.run_for(grace + 60_000);
    let best = [1, 2, 3]
        .into_iter()
        .max_by_key(|&i| {
            let sub = net.nodes[i].subscription(&root).unwrap();
            (sub.rank(net.id(i)), net.id(i))
        })
        .unwrap();
    for i in 1..4 {
        let sub = net.nodes[i].subscription(&root).unwrap();
        assert_eq!(sub.route.center, net.id(best), "node {i}");
        assert!(sub.route.dist <= 2, "node {i} counts to {}", sub.route.dist);
    }
    assert_eq!(net.batches_during(3_600_000), 0);
}

#[test]
fn a_center_answers_sequence_number_requests() {
    let (mut net, root) = chain(2);
    let seq = net.nodes[0].subscription(&root).unwrap().own_seq;
    let batch = Batch {
        from: net.id(1),
        to: net.id(0),
        parts: vec![Part::SeqRequest {
            doc: root,
            center: net.id(0),
            seq: seq + 5,
        }],
    };
    let (now, from) = (net.now, net.id(1));
    net.nodes[0].handle_batch(now, from, batch);
    net.run_for(5_000);
    assert_eq!(net.nodes[0].subscription(&root).unwrap().own_seq, seq + 5);
    assert_eq!(net.nodes[1].subscription(&root).unwrap().route.seq, seq + 5);
}

#[test]
fn restart_keeps_state_and_resyncs() {
    let (mut net, root) = chain(3);
    let before = net.post(
        0,
        DocumentBuilder::new("before restart")
            .parent(root)
            .text("b"),
    );
    net.run_for(10_000);
    assert!(net.holds(1, &before));
    let store = net.nodes[1].store().clone();
    let identity = net.nodes[1].identity().clone();
    let card = net.card(1);
    let now = net.now;
    let cfg = net.nodes[1].config().clone();
    net.nodes[1] = crate::Node::new(identity, card, cfg, store, 99);
    let (id0, id2) = (net.id(0), net.id(2));
    net.nodes[1].handle_peer_up(now, id0);
    net.nodes[1].handle_peer_up(now, id2);
    let comment = net.post(
        0,
        DocumentBuilder::new("after restart").parent(root).text("c"),
    );
    net.run_for(30_000);
    assert!(net.holds(1, &comment));
    assert!(net.holds(2, &comment));
    // Comments held only because their parent is subscribed survive the restart.
    assert!(net.holds(1, &before));
    assert!(
        net.nodes[1]
            .subscription(&before)
            .is_some_and(|s| !s.links.is_empty())
    );
    assert_eq!(net.route(2, &root), Some((net.id(0), 2)));
}

#[test]
fn import_makes_first_contact_with_the_exporter() {
    let mut net = Net::new(2, config());
    let root = net.post(0, DocumentBuilder::new("forum").text("w"));
    let document = net.nodes[0].document(&root).unwrap();
    let export = Export::new(net.nodes[0].identity(), net.card(0), document);
    let bytes = export.to_bytes(net.nodes[0].identity());
    let export = Export::from_bytes(&bytes, &Default::default()).unwrap();
    net.command(1, Command::Import { export });
    net.run_for(10_000);
    assert!(links(&net, 0, &root).contains(&net.id(1)));
    assert_eq!(net.route(1, &root), Some((net.id(0), 1)));
}

#[test]
fn commands_are_validated() {
    let mut net = Net::new(2, config());
    let foreign = build(&net, 1, DocumentBuilder::new("not mine").text("x"));
    let err = net.nodes[0]
        .handle_command(
            net.now,
            Command::Post {
                document: foreign,
                subscribe: true,
            },
        )
        .unwrap_err();
    assert!(matches!(err, CommandError::NotAuthor(_)));
    let orphan = build(
        &net,
        0,
        DocumentBuilder::new("orphan")
            .parent(DocId([1; 32]))
            .text("x"),
    );
    let err = net.nodes[0]
        .handle_command(
            net.now,
            Command::Post {
                document: orphan,
                subscribe: true,
            },
        )
        .unwrap_err();
    assert_eq!(err, CommandError::MissingReference(DocId([1; 32])));
    let err = net.nodes[0]
        .handle_command(
            net.now,
            Command::Subscribe {
                doc: DocId([2; 32]),
                thread: false,
            },
        )
        .unwrap_err();
    assert_eq!(err, CommandError::UnknownDocument(DocId([2; 32])));
    let card = net.card(0);
    let err = net.nodes[0]
        .handle_command(
            net.now,
            Command::Join {
                doc: DocId([2; 32]),
                peer: card,
            },
        )
        .unwrap_err();
    assert_eq!(err, CommandError::SelfPeer);
    assert_eq!(net.nodes[0].store().n_documents(), 0);
}

#[test]
fn a_followed_thread_brings_every_depth_along_one_tree() {
    let (mut net, root) = chain(4);
    net.command(
        3,
        Command::Subscribe {
            doc: root,
            thread: true,
        },
    );
    net.run_for(5_000);
    // The relays between the follower and the center are in the thread set, the others not.
    assert!(net.nodes[1].subscription(&root).unwrap().derived.thread);
    assert!(net.nodes[3].subscription(&root).unwrap().derived.thread);
    let comment = net.post(0, DocumentBuilder::new("c").parent(root).text("c"));
    net.run_for(10_000);
    let reply = net.post(0, DocumentBuilder::new("r").parent(comment).text("r"));
    net.run_for(10_000);
    let deeper = net.post(0, DocumentBuilder::new("d").parent(reply).text("d"));
    net.run_for(10_000);
    for doc in [comment, reply, deeper] {
        assert!(net.holds(3, &doc));
    }
    // The comment directly below the forum is one of its threads, which its follower follows;
    // nobody subscribed to the comments below it: they travel along that thread's tree.
    assert!(net.nodes[3].subscription(&comment).unwrap().derived.thread);
    for doc in [reply, deeper] {
        let sub = net.nodes[3].subscription(&doc).unwrap();
        assert!(!sub.flags.subscribed && !sub.derived.subscribed);
    }
    assert!(net.nodes[3].thread_status(&root).complete());
    assert_eq!(net.nodes[3].thread_status(&root).below, 3);
    assert_eq!(net.nodes[3].thread_of(&deeper), comment);
    // Unfollowing lets the relays and the follower drop what only the thread wanted.
    net.command(3, Command::Unsubscribe { doc: root });
    net.run_for(200_000);
    assert!(!net.holds(3, &deeper));
    assert!(!net.nodes[1].subscription(&root).unwrap().derived.thread);
}

#[test]
fn the_follower_of_a_forum_holds_threads_whose_writers_do_not_follow_the_forum() {
    // Node 0 starts a forum and follows all of it, as its creator does; node 1 joins through 0,
    // node 2 through 1. Node 2 starts a thread and follows it, as posting does, and answers
    // itself there twice. Node 2 is not in the forum's thread set (node 0 is its center and its
    // only follower), so only the thread's own tree can bring these documents to node 0.
    let (mut net, root) = chain(3);
    net.command(
        0,
        Command::Subscribe {
            doc: root,
            thread: true,
        },
    );
    net.run_for(5_000);
    let topic = net.post(2, DocumentBuilder::new("beans").parent(root).text("b"));
    net.command(
        2,
        Command::Subscribe {
            doc: topic,
            thread: true,
        },
    );
    net.run_for(10_000);
    let own = net.post(2, DocumentBuilder::new("re").parent(topic).text("poles"));
    net.run_for(10_000);
    let answer = net.post(2, DocumentBuilder::new("re").parent(own).text("long ones"));
    net.run_for(10_000);
    for doc in [topic, own, answer] {
        assert!(net.holds(0, &doc), "the forum's follower lacks {doc}");
    }
    // Its topics are followed as threads; the comments below them get no overlay of their own.
    assert!(net.nodes[0].subscription(&topic).unwrap().derived.thread);
    for doc in [own, answer] {
        let sub = net.nodes[0].subscription(&doc).unwrap();
        assert!(!sub.flags.subscribed && !sub.derived.subscribed, "{doc}");
    }
    assert!(net.nodes[0].thread_status(&root).complete());
    // Unfollowing the forum lets its threads go again.
    net.command(0, Command::Unsubscribe { doc: root });
    net.run_for(200_000);
    assert!(
        !net.nodes[0]
            .subscription(&topic)
            .is_some_and(|s| s.derived.thread)
    );
}

/// Node 0 starts a forum and posts a comment; nodes 1 and 2 join through 0, node 3 through 1,
/// and all three follow the forum as a thread. Node 3 answers the comment, so node 3 is the
/// center of its reply's overlay. Returns the network, the root, the comment and the reply.
fn star_with_a_far_author() -> (Net, DocId, DocId, DocId) {
    let mut cfg = config();
    cfg.target_peers_per_document = 1;
    let mut net = Net::new(4, cfg);
    let root = net.post(0, DocumentBuilder::new("forum").text("welcome"));
    for (i, via) in [(1, 0), (2, 0), (3, 1)] {
        net.join(i, root, via);
        net.run_for(2_000);
        net.command(
            i,
            Command::Subscribe {
                doc: root,
                thread: true,
            },
        );
        net.run_for(2_000);
    }
    let comment = net.post(0, DocumentBuilder::new("c").parent(root).text("c"));
    net.run_for(10_000);
    let reply = net.post(3, DocumentBuilder::new("r").parent(comment).text("r"));
    net.run_for(10_000);
    for i in 0..4 {
        assert!(net.holds(i, &reply), "node {i} lacks the reply");
    }
    (net, root, comment, reply)
}

#[test]
fn a_new_thread_edge_to_a_holder_carries_no_body_and_joins_split_overlays() {
    let (mut net, root, _, reply) = star_with_a_far_author();
    // Node 3 loses its only neighbour: after the interest grace it links to the forum's center.
    net.cut(1, 3);
    let bodies = |net: &Net| net.nodes.iter().map(|n| n.stats().bodies_sent).sum::<u64>();
    let before = bodies(&net);
    net.run_for(600_000);
    assert_eq!(net.route(3, &root), Some((net.id(0), 1)));
    // The reply's overlay was split ({3} apart from {0, 1, 2}); the new thread edge joins it
    // with an offer, an update that carries no body, which node 3 acknowledges.
    let linked = |a: usize, b: usize| {
        net.nodes[a]
            .subscription(&reply)
            .is_some_and(|s| s.links.contains_key(&net.id(b)))
    };
    assert!(
        linked(0, 3) && linked(3, 0),
        "the reply's overlay stays split"
    );
    // The one body is the comment's, a child of the root pushed along S(root) to its new
    // subscriber with its body, as comments are (docs/protocol.md §6.1); the reply is offered.
    assert_eq!(
        bodies(&net) - before,
        1,
        "a body the neighbour holds was sent again"
    );
    for i in 0..3 {
        assert_eq!(
            net.route(i, &reply),
            Some((net.id(3), net.route(i, &reply).unwrap().1))
        );
    }
}

#[test]
fn a_new_thread_edge_sends_the_bodies_the_neighbour_lacks() {
    let (mut net, root, comment, _) = star_with_a_far_author();
    net.cut(1, 3);
    // Posted while node 3 is cut off: the one document it lacks.
    let missed = net.post(0, DocumentBuilder::new("m").parent(comment).text("m"));
    net.run_for(10_000);
    let before = net.nodes[0].stats().bodies_sent;
    net.run_for(600_000);
    assert_eq!(net.route(3, &root), Some((net.id(0), 1)));
    assert!(net.holds(3, &missed));
    assert_eq!(
        net.nodes[0].stats().bodies_sent - before,
        1,
        "the center sends the missed body and no other"
    );
    let status = net.nodes[3].thread_status(&root);
    assert!(status.complete());
    assert_eq!(status.below, 3);
}

#[test]
fn unsubscribing_a_join_whose_body_never_came_gives_it_up() {
    // Node 1 joins a document through node 0, which does not hold it: node 1 goes on wanting
    // it and asks again, until its user gives the join up.
    let mut net = Net::new(2, Config::default());
    let doc = DocId([9; 32]);
    net.join(1, doc, 0);
    net.run_for(30_000);
    let sub = net.nodes[1].subscription(&doc).expect("still joining");
    assert!(sub.flags.subscribed && !sub.has_body());
    assert!(net.batches_during(300_000) > 0, "a join keeps asking");
    net.command(1, Command::Unsubscribe { doc });
    net.run_for(10_000);
    assert!(
        net.nodes[1].subscription(&doc).is_none(),
        "the join is given up"
    );
    assert_eq!(net.batches_during(600_000), 0, "and nothing more is asked");
}
