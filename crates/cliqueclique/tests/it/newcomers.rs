//! The limit on authors never seen in a forum, across installations: bob stores at most one
//! document per window from authors new to ann's forum, so of carol's and dave's first posts,
//! made at once, one waits for the next window and arrives then.

use crate::support::{Installation, eventually, join};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_posts_of_new_authors_beyond_the_budget_wait_for_the_next_window() {
    let ann = Installation::start("ann").await;
    ann.create_node("ann");
    let bob = Installation::start_with("bob", "newcomer_budget = 1\nnewcomer_window = 4000").await;
    bob.create_node("bob");
    let others = Installation::start_each(&["carol", "dave"]).await;
    let [carol, dave] = &others[..] else {
        unreachable!()
    };
    let root = ann.start_forum("Gardening", "Anything about gardens.");
    join(&bob, "bob", &ann, root);
    join(carol, "carol", &ann, root);
    join(dave, "dave", &ann, root);

    let posts = [
        carol.post("carol", "Hello", "from carol", Some(root)).await,
        dave.post("dave", "Hello", "from dave", Some(root)).await,
    ];
    let held = || async {
        let mut n = 0;
        for id in posts {
            n += usize::from(bob.holds("bob", id).await);
        }
        n
    };
    eventually("a newcomer's post reaches bob", || async {
        held().await >= 1
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        held().await,
        1,
        "bob stored two newcomers' posts in one window"
    );
    eventually("the other arrives in a later window", || async {
        held().await == 2
    })
    .await;
}
