//! Notifications across installations: ann is told of bob's reply to her thread and of his post
//! that mentions `@ann` elsewhere, not of her own posts, of a name inside a longer word or of a
//! muted author; reading them clears the count.

use crate::support::{Installation, eventually, join};
use cliqueclique_daemon::api::{FlagsChange, NotificationKind, Notifications};

async fn notifications(at: &Installation) -> Notifications {
    at.client
        .get("/api/nodes/ann/notifications")
        .await
        .expect("notifications")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_and_mentions_reach_the_author() {
    let ann = Installation::start("ann").await;
    let bob = Installation::start("bob").await;
    ann.create_node("ann");
    bob.create_node("bob");
    let root = ann.start_forum("Gardening", "About gardens.");
    join(&bob, "bob", &ann, root);
    let topic = ann
        .post("ann", "Tomatoes", "When to plant?", Some(root))
        .await;
    eventually("the topic at bob's", || async {
        bob.holds("bob", topic).await
    })
    .await;

    // A new thread in ann's forum is no reply to her; bob's answer to her topic is, and his
    // answer to himself that names @Ann is a mention.
    let own = bob
        .post("bob", "Beans", "Beans need poles.", Some(root))
        .await;
    let reply = bob
        .post("bob", "Re: Tomatoes", "After the frost.", Some(topic))
        .await;
    let mention = bob
        .post(
            "bob",
            "Re: Tomatoes",
            "Or what do you think, @Ann?",
            Some(reply),
        )
        .await;
    // A mention deep in bob's own thread reaches ann too: as the forum's creator she follows
    // every thread of it.
    let beans = bob
        .post("bob", "Re: Beans", "Poles or not, @ann?", Some(own))
        .await;
    let _longer = bob
        .post(
            "bob",
            "Re: Beans",
            "Ask @annabel, or mail ann@example.org.",
            Some(own),
        )
        .await;
    ann.post("ann", "Re: Tomatoes", "Talking to myself.", Some(topic))
        .await;
    eventually("bob's posts at ann's", || async {
        notifications(&ann).await.total == 3
    })
    .await;

    let found = notifications(&ann).await;
    assert_eq!(found.name, "ann");
    assert_eq!(found.unread, 3);
    let kinds: Vec<_> = found.items.iter().map(|n| (n.doc, n.kind)).collect();
    assert!(
        kinds.contains(&(reply, NotificationKind::Reply)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(mention, NotificationKind::Mention)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(beans, NotificationKind::Mention)),
        "{kinds:?}"
    );
    let shown = found.items.iter().find(|n| n.doc == mention).unwrap();
    assert_eq!(shown.thread, topic, "shown in its whole thread");
    assert_eq!(shown.author_info.name, "bob");

    // Reading one clears it from the count; muting bob removes his.
    let read = FlagsChange {
        read: Some(true),
        ..FlagsChange::default()
    };
    let _: serde_json::Value = ann
        .client
        .post(&format!("/api/nodes/ann/documents/{reply}/flags"), &read)
        .await
        .expect("marked read");
    assert_eq!(notifications(&ann).await.unread, 2);
    let bob_id = bob.status().await.nodes[0].id.to_string();
    ann.cli_ok(&["mute", &bob_id]);
    let after = notifications(&ann).await;
    assert_eq!((after.total, after.unread), (0, 0), "{after:?}");
}
