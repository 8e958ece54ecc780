//! Forum bans under loss and duplication: in small forums whose subscribers follow the thread,
//! every other node bans one poster from the forum; its next comment is stored by no other node,
//! while the forum keeps every invariant (`docs/protocol.md` §8.4).

use super::assert_ok;
use cliqueclique_doc::DocumentBuilder;
use cliqueclique_proto::{Command, Store};
use std::collections::BTreeSet;

fn ban_one(seed: u64) {
    let mut runner = super::followed_small_forum("ban", seed, 6);
    let (root, thread) = (runner.root().unwrap(), runner.thread().unwrap());
    let spammer = runner.posters()[0];
    let net = runner.network_mut();
    let banned = BTreeSet::from([net.sim_node(spammer).id()]);
    let others: Vec<usize> = net.alive().filter(|&i| i != spammer).collect();
    for &i in &others {
        net.command(
            i,
            Command::SetForumBans {
                forum: root,
                nodes: banned.clone(),
            },
        )
        .unwrap();
    }
    // Posted past the ledger: no node owes it.
    let spam = DocumentBuilder::new("spam")
        .parent(thread)
        .text("buy now")
        .date(net.now().as_millis() / 1000)
        .build(net.sim_node(spammer).identity());
    let id = spam.id();
    net.command(
        spammer,
        Command::Post {
            document: spam,
            subscribe: true,
        },
    )
    .unwrap();
    assert!(
        runner.settle("the spam"),
        "seed {seed}: {:?}",
        runner.violations()
    );
    let net = runner.network();
    for &i in &others {
        assert!(
            net.node(i).unwrap().store().document(&id).is_none(),
            "seed {seed}: node {i} stored a banned author's comment"
        );
    }
    runner.idle();
    assert_ok(&runner.report());
}

#[test]
fn ban_seeds_0_to_49() {
    for seed in 0..50 {
        ban_one(seed);
    }
}
