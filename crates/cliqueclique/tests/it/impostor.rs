//! The impostor story across installations: mallory names her node "ann" and answers in ann's
//! forum. Everyone can tell the two apart (different fingerprints, a name-collision warning in
//! the API and the CLI), and once bob blocks mallory, bob neither stores nor relays what she
//! posts next, while ann's posts still reach him.

use crate::support::{Installation, eventually, join};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_impostor_is_told_apart_and_a_block_stops_her_posts() {
    let mut all = Vec::new();
    for (dir, node) in [("ann", "ann"), ("bob", "bob"), ("mallory", "ann")] {
        let installation = Installation::start(dir).await;
        installation.create_node(node);
        all.push(installation);
    }
    let [ann, bob, mallory] = &all[..] else {
        unreachable!()
    };
    let root = ann
        .post("ann", "Gardening", "Anything about gardens.", None)
        .await;
    join(bob, "bob", ann, root);
    join(mallory, "ann", bob, root);
    let fake = mallory
        .post(
            "ann",
            "Password check",
            "send your password to me",
            Some(root),
        )
        .await;
    eventually("bob gets the impostor's post", || async {
        bob.holds("bob", fake).await
    })
    .await;

    // The two "ann"s: the same claimed name, different fingerprints, and a warning on both.
    let real = bob.show("bob", root).await.unwrap().document.unwrap();
    let forged = bob.show("bob", fake).await.unwrap().document.unwrap();
    assert_eq!(real.author_info.name, forged.author_info.name);
    assert_ne!(real.author_info.fingerprint, forged.author_info.fingerprint);
    assert_ne!(real.author, forged.author);
    eventually("both carry the collision warning", || async {
        let real = bob.show("bob", root).await.unwrap().document.unwrap();
        let forged = bob.show("bob", fake).await.unwrap().document.unwrap();
        real.author_info.name_collision && forged.author_info.name_collision
    })
    .await;
    let printed = bob.cli_ok(&["--node", "bob", "thread", &root.to_string()]);
    assert!(
        printed.contains(&real.author_info.fingerprint)
            && printed.contains(&forged.author_info.fingerprint),
        "the CLI shows both fingerprints:\n{printed}"
    );

    // Bob blocks mallory: her documents go, and her next post is neither stored nor relayed.
    let mallory_id = forged.author.to_string();
    bob.cli_ok(&["--node", "bob", "block", &mallory_id]);
    eventually("bob lets the impostor's post go", || async {
        !bob.holds("bob", fake).await
    })
    .await;
    let second = mallory
        .post("ann", "Again", "really, send it", Some(root))
        .await;
    let honest = ann
        .post("ann", "Tomatoes", "When do I plant them?", Some(root))
        .await;
    eventually("ann's post still reaches bob", || async {
        bob.holds("bob", honest).await
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        !bob.holds("bob", second).await,
        "bob stored a blocked author's post"
    );
    let people = bob.cli_ok(&["--node", "bob", "people", &mallory_id]);
    assert!(people.contains("blocked"), "{people}");
}
