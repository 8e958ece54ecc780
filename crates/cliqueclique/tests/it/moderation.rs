//! Forum moderation across installations: ann owns a forum and names bob moderator with the
//! CLI; bob hides carol's spam and ann bans carol by her petname for her; every follower, and dave who joins later,
//! shows the spam hidden by bob, and nobody stores what carol posts after the ban.

use crate::support::{Installation, eventually, join};
use cliqueclique_daemon::api::NodeId;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hides_and_bans_reach_every_follower_and_a_late_joiner() {
    let all = Installation::start_each(&["ann", "bob", "carol", "dave"]).await;
    let [ann, bob, carol, dave] = &all[..] else {
        unreachable!()
    };
    let root = ann
        .post("ann", "Gardening", "Anything about gardens.", None)
        .await;
    join(bob, "bob", ann, root);
    join(carol, "carol", bob, root);
    let spam = carol
        .post("carol", "Cheap pills", "buy now", Some(root))
        .await;
    for (who, name) in [(ann, "ann"), (bob, "bob")] {
        eventually("the spam travels", || async { who.holds(name, spam).await }).await;
    }
    let forum = root.to_string();
    let bob_view = ann.show("ann", spam).await.unwrap();
    let carol_id = bob_view.document.unwrap().author;
    let bob_id = bob.status().await.nodes[0].id;

    // Only the owner names moderators; ann names bob by his fingerprint.
    let refused = bob.cli(&["moderator", "add", &forum, &bob_id.to_string()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("owner"));
    eventually("ann knows bob", || async {
        ann.cli(&["people", &bob_id.fingerprint()]).status.success()
    })
    .await;
    ann.cli_ok(&["moderator", "add", &forum, &bob_id.fingerprint()]);
    eventually("bob becomes moderator", || async {
        bob.cli_ok(&["moderation", &forum]).contains("moderator:")
    })
    .await;

    // Bob hides the spam: every follower collapses it, saying by whom.
    bob.cli_ok(&["hide", &spam.to_string()[..10]]);
    for (who, name) in [(ann, "ann"), (bob, "bob"), (carol, "carol")] {
        eventually("the hide reaches every follower", || async {
            who.show(name, spam)
                .await
                .is_some_and(|v| v.hidden && v.hidden_by.is_some_and(|m| m.id == bob_id))
        })
        .await;
    }
    let shown = ann.cli_ok(&["show", &spam.to_string()]);
    assert!(shown.contains("hidden:   by moderator"), "{shown}");

    // Ann bans carol by her petname for her; one no key has, or two share, is refused.
    ann.cli_ok(&["petname", &carol_id.to_string(), "Spammer"]);
    ann.cli_ok(&["petname", &bob_id.to_string(), "Twin"]);
    ann.cli_ok(&["petname", &NodeId([9; 32]).to_string(), "twin"]);
    for (who, error) in [
        ("nobody here", "no key here has the petname “nobody here”"),
        ("twin", "2 keys have the petname “twin” here"),
    ] {
        let refused = ann.cli(&["ban", &forum, who]);
        assert!(!refused.status.success());
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(said.contains(error), "{said}");
    }
    let said = String::from_utf8_lossy(&ann.cli(&["unban", &forum, "twin"]).stderr).into_owned();
    assert!(said.contains(&bob_id.fingerprint()), "{said}");
    // Her next post is declined where the ban applies, so it stops at bob.
    let banned = ann.cli_ok(&["ban", &forum, "spammer"]);
    assert!(banned.contains(&carol_id.to_string()), "{banned}");
    eventually("bob applies the ban", || async {
        bob.cli_ok(&["moderation", &forum]).contains("banned:")
    })
    .await;
    let more = carol
        .post("carol", "More pills", "buy more", Some(root))
        .await;

    // Dave joins afterwards through bob: the decisions reach him with the forum.
    join(dave, "dave", bob, root);
    eventually("dave shows the spam hidden by bob", || async {
        dave.show("dave", spam)
            .await
            .is_some_and(|v| v.hidden_by.is_some_and(|m| m.id == bob_id))
    })
    .await;
    let printed = dave.cli_ok(&["moderation", &forum]);
    assert!(
        printed.contains("banned:") && printed.contains(&carol_id.to_string()),
        "{printed}"
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    for (who, name) in [(ann, "ann"), (bob, "bob"), (dave, "dave")] {
        assert!(
            !who.holds(name, more).await,
            "{name} stored a banned author's post"
        );
    }
    assert!(carol.holds("carol", more).await);
}
