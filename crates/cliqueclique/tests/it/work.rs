//! Proof of work across installations: ann owns a forum and requires work of every post with the
//! CLI; carol's reply, posted through the CLI, carries the work and reaches bob and ann. When
//! carol ignores the forum's moderation her posts carry no work, and bob, her only neighbour in
//! the forum, declines them, so they reach nobody.

use crate::support::{Installation, eventually, join};
use cliqueclique_doc::DocId;
use cliqueclique_doc::document::work;
use std::time::Duration;

const BITS: u8 = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_without_the_forums_work_are_refused_by_followers() {
    let all = Installation::start_each(&["ann", "bob", "carol"]).await;
    let [ann, bob, carol] = &all[..] else {
        unreachable!()
    };
    let root = ann.start_forum("Gardening", "Anything about gardens.");
    let forum = root.to_string();
    join(bob, "bob", ann, root);
    join(carol, "carol", bob, root);

    // Only the owner sets the work; every follower learns it.
    let refused = bob.cli(&["moderator", "work", &forum, "8"]);
    assert!(!refused.status.success());
    let set = ann.cli_ok(&["moderator", "work", &forum, &BITS.to_string()]);
    assert!(set.contains(&format!("work {BITS} bits")), "{set}");
    for who in [bob, carol] {
        eventually("the work requirement reaches every follower", || async {
            who.cli_ok(&["moderation", &forum])
                .contains(&format!("work:       {BITS} bits"))
        })
        .await;
    }

    // A reply through the CLI carries the work, and travels.
    let reply: DocId = carol
        .cli_ok_with_input(&["reply", &forum, "-s", "Roses"], Some("prune in March"))
        .trim()
        .parse()
        .expect("an id");
    assert!(work::meets(&reply, BITS), "the reply carries no work");
    for (who, name) in [(ann, "ann"), (bob, "bob")] {
        eventually("the reply with work travels", || async {
            who.holds(name, reply).await
        })
        .await;
    }

    // Ignoring the moderation, carol does no work: her post is refused. One post in 2^BITS
    // meets the work by chance; such a one is not what is tested.
    carol.cli_ok(&["moderation", &forum, "--ignore"]);
    let mut cheap = Vec::new();
    for n in 0..3 {
        let id = carol
            .post("carol", &format!("Cheap {n}"), "no work done", Some(root))
            .await;
        if !work::meets(&id, BITS) {
            cheap.push(id);
        }
    }
    assert!(!cheap.is_empty());
    // A post with work after them shows that the link still carries posts.
    carol.cli_ok(&["moderation", &forum, "--apply"]);
    let later = carol
        .post("carol", "Tulips", "plant in autumn", Some(root))
        .await;
    assert!(work::meets(&later, BITS));
    eventually("the later post with work travels", || async {
        bob.holds("bob", later).await
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    for id in cheap {
        assert!(carol.holds("carol", id).await);
        for (who, name) in [(ann, "ann"), (bob, "bob")] {
            assert!(
                !who.holds(name, id).await,
                "{name} stored a post without the forum's work"
            );
        }
    }
}
