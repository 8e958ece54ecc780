//! Moderation in the browser, between installations: ann, a forum's owner, hides a post from its
//! page and bob's page collapses it, "hidden by moderator" ann; ann bans bob with the button
//! beside his post and a third follower declines his posts until she unbans him from the forum's
//! Moderation section; ann bans bob from the thread view, beside his reply, and her node then
//! declines his posts; ann names bob moderator there, and bob then has Hide buttons.

use crate::support::*;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hidden_post_collapses_at_another_installation() {
    let Some(driver) = driver().await else {
        return;
    };
    let (sites, ann, bob, root) = ann_and_bob_in_a_forum(&driver).await;
    let [ann_site, bob_site] = &sites;
    let plain = "text/plain; charset=utf-8";
    let spam = compose(
        &bob,
        bob_site,
        Some(&root),
        "Cheap pills",
        "Buy now, cheap pills.",
        plain,
    )
    .await;
    bob.goto(&format!("{}/d/{spam}", bob_site.url))
        .await
        .unwrap();
    assert!(
        bob.find(Locator::Css("#toggle-hide")).await.is_err(),
        "bob may hide nothing here"
    );

    until("the spam at ann's", || async {
        ann.goto(&format!("{}/d/{spam}", ann_site.url))
            .await
            .unwrap();
        ann.find(Locator::Css("#toggle-hide")).await.is_ok()
    })
    .await;
    click(&ann, "#toggle-hide").await;
    text_when(&ann, "ann's page collapses it", "#hidden-body").await;

    let collapsed = format!("#c-{spam} > details.hidden-doc:not([open])");
    until("the spam collapsed at bob's", || async {
        bob.goto(&format!("{}/t/{root}", bob_site.url))
            .await
            .unwrap();
        bob.find(Locator::Css(&collapsed)).await.is_ok()
    })
    .await;
    let note = bob
        .find(Locator::Css(&format!("#c-{spam} .muted-note")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        note.contains("Hidden by moderator") && note.contains("ann"),
        "{note}"
    );
    screenshot(&bob, "moderation-hidden").await;
    // Viewable on request.
    click(&bob, &format!("#c-{spam} > details > summary")).await;
    let open = format!("#c-{spam} > details[open]");
    until("the hidden post opens", || async {
        bob.find(Locator::Css(&open)).await.is_ok()
    })
    .await;
    assert!(text(&bob).await.contains("Buy now, cheap pills."));

    for client in [ann, bob] {
        client.close().await.unwrap();
    }
    for site in sites {
        site.stop().await;
    }
}

/// The moderation of `root` as the node `name` of `site` applies it (the API's view).
async fn moderation_at(
    site: &Site,
    name: &str,
    root: &str,
) -> cliqueclique_daemon::api::ModerationView {
    let handle = site.daemon().handle();
    let node = handle.resolve(name).await.unwrap();
    handle
        .moderation(node, root.parse().unwrap())
        .await
        .unwrap()
}

/// Clicks the button `css` and waits until it says `text`. The thread view's live updates may
/// replace the button between finding it and reading it, so a stale read is read again.
async fn click_until(client: &fantoccini::Client, css: &str, text: &str) {
    click(client, css).await;
    until(&format!("{css} to say {text}"), || async {
        match client.find(Locator::Css(css)).await {
            Ok(button) => button.text().await.is_ok_and(|t| t == text),
            Err(_) => false,
        }
    })
    .await;
}

/// Ann bans bob with the button beside his post; cleo, who follows the forum through bob, then
/// declines what bob posts, and takes it again once ann unbans him from the forum's page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ban_from_the_page_stops_an_author_at_another_follower() {
    let Some(driver) = driver().await else {
        return;
    };
    let (sites, ann, bob, root) = ann_and_bob_in_a_forum(&driver).await;
    let [ann_site, bob_site] = &sites;
    let (cleo_site, cleo) = cleo_joins_through(&driver, bob_site, &root).await;
    let plain = "text/plain; charset=utf-8";
    let first = compose(&bob, bob_site, Some(&root), "Pills", "cheap pills", plain).await;

    until_shown(
        &ann,
        "bob's post at ann's, with the Ban button",
        &format!("{}/d/{first}", ann_site.url),
        "#toggle-ban",
    )
    .await;
    assert_eq!(
        text_when(&ann, "the button", "#toggle-ban").await,
        "Ban author"
    );
    click_until(&ann, "#toggle-ban", "Unban author").await;
    until("cleo applies the ban", || async {
        !moderation_at(&cleo_site, "cleo", &root)
            .await
            .banned
            .is_empty()
    })
    .await;
    ann.goto(&format!("{}/t/{root}", ann_site.url))
        .await
        .unwrap();
    let banned = text_when(&ann, "the banned list", "#banned").await;
    assert!(banned.contains("bob"), "{banned}");
    scroll_to(&ann, "#moderation").await;
    screenshot(&ann, "moderation-banned").await;

    // Bob's next post stops at cleo's; ann's, through bob, still arrives.
    let spam = compose(&bob, bob_site, Some(&root), "More pills", "buy now", plain).await;
    let honest = compose(
        &ann,
        ann_site,
        Some(&root),
        "Tomatoes",
        "plant in May",
        plain,
    )
    .await;
    let cleo_node = (&cleo_site, "cleo");
    assert!(
        declined(cleo_node, &spam, cleo_node, &honest).await,
        "cleo stored a banned author's post"
    );
    cleo.goto(&format!("{}/t/{root}", cleo_site.url))
        .await
        .unwrap();
    assert!(!text(&cleo).await.contains("buy now"));

    // Unbanned from the forum's page: bob's posts travel again.
    ann.goto(&format!("{}/t/{root}", ann_site.url))
        .await
        .unwrap();
    click(&ann, "#banned button").await;
    text_when(&ann, "the empty banned list", "#no-banned").await;
    until("cleo lifts the ban", || async {
        moderation_at(&cleo_site, "cleo", &root)
            .await
            .banned
            .is_empty()
    })
    .await;
    let welcome = compose(&bob, bob_site, Some(&root), "Sorry", "no more pills", plain).await;
    until_shown(
        &cleo,
        "bob's post after the unban at cleo's",
        &format!("{}/t/{root}", cleo_site.url),
        &format!("#c-{welcome}"),
    )
    .await;

    for client in [ann, bob, cleo] {
        client.close().await.unwrap();
    }
    for site in sites {
        site.stop().await;
    }
    cleo_site.stop().await;
}

/// Ann reads bob's reply in the thread, bans him with the button beside it and is back at his
/// reply; bob's page, a follower's, has no such buttons. The ban applies: it reaches bob, and
/// ann's node declines his next reply while her own posts still reach him.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_bans_an_author_from_the_thread_view() {
    let Some(driver) = driver().await else {
        return;
    };
    let (sites, ann, bob, root) = ann_and_bob_in_a_forum(&driver).await;
    let [ann_site, bob_site] = &sites;
    let bodies = ("When to plant?", "Buy cheap pills.");
    let (topic, reply) = topic_and_reply(&sites, &ann, &bob, &root, bodies).await;
    let button = format!("#ban-{reply}");
    ann.goto(&format!("{}/t/{topic}", ann_site.url))
        .await
        .unwrap();
    assert_eq!(text_when(&ann, "the button", &button).await, "Ban author");
    assert!(
        ann.find(Locator::Css(&format!("#hide-{reply}")))
            .await
            .is_ok(),
        "ann hides from the thread view too"
    );
    assert!(
        ann.find(Locator::Css(&format!("#ban-{topic}")))
            .await
            .is_err(),
        "no Ban button beside ann's own topic"
    );
    bob.goto(&format!("{}/t/{topic}", bob_site.url))
        .await
        .unwrap();
    text_when(&bob, "bob's thread", &format!("#c-{reply}")).await;
    for css in [".ban-form", ".hide-form"] {
        assert!(
            bob.find(Locator::Css(css)).await.is_err(),
            "bob moderates nothing: {css}"
        );
    }

    for (width, height, label) in [(1200, 900, "desktop"), (390, 844, "phone")] {
        ann.set_window_size(width, height).await.unwrap();
        scroll_to(&ann, &format!("#c-{reply}")).await;
        screenshot(&ann, &format!("moderation-thread-{label}")).await;
    }
    click_until(&ann, &button, "Unban author").await;
    let url = ann.current_url().await.unwrap();
    assert_eq!(url.path(), format!("/t/{topic}"));
    assert_eq!(url.fragment(), Some(format!("c-{reply}").as_str()));
    screenshot(&ann, "moderation-thread-banned").await;
    ann.set_window_size(1200, 900).await.unwrap();

    // The ban reaches bob; ann's node declines his next reply, and her own still travel.
    until("bob's node holds the ban", || async {
        !moderation_at(bob_site, "bob", &root)
            .await
            .banned
            .is_empty()
    })
    .await;
    let plain = "text/plain; charset=utf-8";
    let spam = compose(&bob, bob_site, Some(&topic), "Pills", "More pills.", plain).await;
    let honest = compose(&ann, ann_site, Some(&topic), "May", "In May.", plain).await;
    assert!(
        declined((ann_site, "ann"), &spam, (bob_site, "bob"), &honest).await,
        "ann stored a banned author's reply"
    );

    for client in [ann, bob] {
        client.close().await.unwrap();
    }
    for site in sites {
        site.stop().await;
    }
}

/// Ann names bob moderator from the forum's page by his fingerprint; bob then has Hide buttons
/// and hides a post, which ann's page shows hidden by him. Removing him takes them away.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_names_a_moderator_from_the_forum_page() {
    let Some(driver) = driver().await else {
        return;
    };
    let (sites, ann, bob, root) = ann_and_bob_in_a_forum(&driver).await;
    let [ann_site, bob_site] = &sites;
    let plain = "text/plain; charset=utf-8";
    let hello = compose(&bob, bob_site, Some(&root), "Hello", "bob here", plain).await;
    let topic = compose(
        &ann,
        ann_site,
        Some(&root),
        "Off topic",
        "about cars",
        plain,
    )
    .await;
    until_shown(
        &bob,
        "ann's topic at bob's",
        &format!("{}/d/{topic}", bob_site.url),
        "#doc-id",
    )
    .await;
    assert!(
        bob.find(Locator::Css("#toggle-hide")).await.is_err(),
        "bob moderates nothing yet"
    );
    let follower = format!("{}/t/{root}", bob_site.url);
    bob.goto(&follower).await.unwrap();
    assert!(bob.find(Locator::Css("#toggle-ignore")).await.is_ok());
    assert!(bob.find(Locator::Css("#add-moderator-form")).await.is_err());
    scroll_to(&bob, "#moderation").await;
    screenshot(&bob, "moderation-follower").await;

    // Ann reads bob's fingerprint beside his post and names him.
    let fingerprint = format!("#c-{hello} .fingerprint");
    until_shown(
        &ann,
        "bob's post at ann's",
        &format!("{}/t/{root}", ann_site.url),
        &fingerprint,
    )
    .await;
    let fingerprint = text_when(&ann, "bob's fingerprint", &fingerprint).await;
    fill(&ann, "#moderator-node", &fingerprint).await;
    click(&ann, "#add-moderator").await;
    let moderators = text_when(&ann, "the moderators", "#moderators").await;
    assert!(moderators.contains(&fingerprint), "{moderators}");
    scroll_to(&ann, "#moderation").await;
    screenshot(&ann, "moderation-owner").await;

    until_shown(
        &bob,
        "the Hide button at bob's",
        &format!("{}/d/{topic}", bob_site.url),
        "#toggle-hide",
    )
    .await;
    click(&bob, "#toggle-hide").await;
    until_shown(
        &ann,
        "the post hidden by bob at ann's",
        &format!("{}/d/{topic}", ann_site.url),
        "#hidden-body",
    )
    .await;
    let note = text_when(&ann, "who hid it", "#hidden-body summary").await;
    assert!(note.contains("bob"), "{note}");

    // Removed, bob has no Hide button any more, and his hide lapses.
    ann.goto(&format!("{}/t/{root}", ann_site.url))
        .await
        .unwrap();
    click(&ann, "#moderators button").await;
    text_when(&ann, "no moderators", "#no-moderators").await;
    until("the Hide button gone at bob's", || async {
        bob.goto(&format!("{}/d/{topic}", bob_site.url))
            .await
            .unwrap();
        bob.find(Locator::Css("#doc-id")).await.is_ok()
            && bob.find(Locator::Css("#toggle-hide")).await.is_err()
    })
    .await;
    ann.goto(&format!("{}/d/{topic}", ann_site.url))
        .await
        .unwrap();
    assert!(ann.find(Locator::Css("#hidden-body")).await.is_err());

    for client in [ann, bob] {
        client.close().await.unwrap();
    }
    for site in sites {
        site.stop().await;
    }
}
