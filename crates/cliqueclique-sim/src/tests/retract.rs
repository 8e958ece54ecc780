//! Retraction under loss, duplication and reordering: in small forums whose subscribers follow
//! the thread, a comment's author retracts it after the comments settled. After quiet no running
//! node stores its body or keeps state for it, every node that held it knows the retraction, and
//! every other invariant holds (`docs/protocol.md` §8.3).

use super::assert_ok;
use cliqueclique_doc::DocumentBuilder;
use cliqueclique_proto::Store;

fn retract_one(seed: u64) {
    let mut runner = super::followed_small_forum("retraction", seed, 8);
    let net = runner.network();
    let target = net
        .ledger()
        .comments()
        .find(|c| net.sim_node(c.author).is_alive())
        .map(|c| (c.id, c.author, c.parent))
        .expect("a comment");
    let (doc, author, parent) = target;
    let holders: Vec<usize> = net
        .alive()
        .filter(|&i| net.node(i).unwrap().document(&doc).is_some())
        .collect();
    assert!(holders.len() > 1, "seed {seed}: the comment travelled");
    let retraction = DocumentBuilder::new("")
        .parent(parent.expect("a comment has a parent"))
        .retracts(doc)
        .date(net.now().as_millis() / 1000)
        .build(net.sim_node(author).identity());
    let net = runner.network_mut();
    net.ledger_mut().forget(&doc);
    net.post(
        author,
        retraction,
        crate::ledger::DocKind::Comment,
        "retraction".into(),
    )
    .unwrap();
    assert!(
        runner.settle("the retraction"),
        "seed {seed}: {:?}",
        runner.violations()
    );
    let net = runner.network();
    let author_id = net.sim_node(author).id();
    for i in net.alive() {
        let node = net.node(i).unwrap();
        assert!(
            node.store().document(&doc).is_none(),
            "seed {seed}: node {i} still stores the retracted body"
        );
        assert!(
            node.subscription(&doc).is_none(),
            "seed {seed}: node {i} keeps state for the retracted document"
        );
    }
    for i in holders {
        assert!(
            net.node(i).unwrap().retraction(&doc, &author_id).is_some(),
            "seed {seed}: holder {i} never learnt of the retraction"
        );
    }
    runner.idle();
    assert_ok(&runner.report());
}

#[test]
fn retraction_seeds_0_to_49() {
    for seed in 0..50 {
        retract_one(seed);
    }
}
