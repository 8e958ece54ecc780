//! A forum's moderation through its pages: the owner names and removes moderators, sets the
//! proof of work and bans from the Moderation section and the Ban button; the owner and the
//! moderators hide and ban from the forms beside each comment of the thread view; a follower who
//! does not own the forum is refused those and may ignore its moderation instead; every change is
//! a POST with the CSRF token, and the compose form announces the forum's proof of work.

use super::harness::{Browser, Harness};
use crate::Settings;
use axum::http::StatusCode;
use cliqueclique_doc::NodeId;

/// A node id nobody here holds a key of.
fn stranger() -> String {
    NodeId([7; 32]).to_string()
}

/// Carries `doc` from one installation to another in an export file, through their pages.
async fn carry(from: (&mut Browser, &Harness), to: (&mut Browser, &Harness), doc: &str) {
    let export = from.0.get(from.1, &format!("/d/{doc}/export")).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    let csrf = to.0.csrf(to.1).await;
    let file = ("file", "x.cliqueclique", "application/octet-stream");
    let imported =
        to.0.multipart_with(
            to.1,
            "/import",
            &[("csrf", &csrf)],
            &[(file.0, file.1, file.2, &export.bytes)],
        )
        .await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_moderates_from_the_forum_page_with_post_forms() {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let csrf = ann.csrf(&h).await;
    let root = ann.post(&h, "Forum", "where people read", None).await;
    let page = ann.get(&h, &format!("/t/{root}")).await;
    for id in [
        "moderation",
        "add-moderator-form",
        "work-form",
        "no-moderators",
    ] {
        assert!(page.body.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(
        !page.body.contains("id=\"toggle-ignore\""),
        "the owner has no opt-out"
    );
    let action = format!("/t/{root}/moderation");
    let stranger = stranger();

    // Nothing changes without the token, nor by a GET.
    let bad = ann
        .form(
            &h,
            &action,
            &[
                ("csrf", "x"),
                ("action", "add-moderator"),
                ("node", &stranger),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
    let bad = ann
        .form(
            &h,
            &action,
            &[("csrf", "x"), ("action", "work"), ("bits", "12")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
    let get = ann
        .get(&h, &format!("{action}?action=work&bits=12&csrf={csrf}"))
        .await;
    assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED);
    let page = ann.get(&h, &format!("/t/{root}")).await;
    assert!(page.body.contains("id=\"no-moderators\""), "{}", page.body);
    assert!(page.body.contains("requires no proof of work"));

    // Name a moderator, set the work, ban, and undo each.
    let named = ann
        .form(
            &h,
            &action,
            &[
                ("csrf", &csrf),
                ("action", "add-moderator"),
                ("node", &stranger),
            ],
        )
        .await;
    assert_eq!(named.status, StatusCode::SEE_OTHER, "{}", named.body);
    assert_eq!(named.location(), format!("/t/{root}#moderation"));
    let work = ann
        .form(
            &h,
            &action,
            &[("csrf", &csrf), ("action", "work"), ("bits", "12")],
        )
        .await;
    assert_eq!(work.status, StatusCode::SEE_OTHER, "{}", work.body);
    let page = ann.get(&h, &format!("/t/{root}")).await;
    assert!(
        page.body
            .contains(&format!("id=\"remove-moderator-{stranger}\"")),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("proof of work of 12 bits"),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"12\""));
    let api = ann
        .get(&h, &format!("/api/nodes/ann/forums/{root}/moderation"))
        .await;
    let view: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(view["work_bits"], 12, "{view}");
    assert_eq!(view["moderators"][0]["id"], stranger.as_str(), "{view}");
    // The owner and the moderators need no work: the owner's reply form announces none.
    let compose = ann.get(&h, &format!("/compose?parent={root}")).await;
    assert!(!compose.body.contains("id=\"work-notice\""));

    let too_much = ann
        .form(
            &h,
            &action,
            &[("csrf", &csrf), ("action", "work"), ("bits", "40")],
        )
        .await;
    assert_eq!(
        too_much.status,
        StatusCode::BAD_REQUEST,
        "{}",
        too_much.body
    );
    let banned = ann
        .form(
            &h,
            &action,
            &[("csrf", &csrf), ("action", "ban"), ("node", &stranger)],
        )
        .await;
    assert_eq!(banned.status, StatusCode::SEE_OTHER, "{}", banned.body);
    let page = ann.get(&h, &format!("/t/{root}")).await;
    assert!(
        page.body.contains(&format!("id=\"unban-{stranger}\"")),
        "{}",
        page.body
    );
    for (what, fields) in [
        ("unban", [("action", "unban"), ("node", stranger.as_str())]),
        (
            "remove",
            [("action", "remove-moderator"), ("node", stranger.as_str())],
        ),
        ("lift the work", [("action", "work"), ("bits", "0")]),
    ] {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        let done = ann.form(&h, &action, &all).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{what}: {}", done.body);
    }
    let page = ann.get(&h, &format!("/t/{root}")).await;
    assert!(page.body.contains("id=\"no-moderators\""), "{}", page.body);
    assert!(page.body.contains("id=\"no-banned\""));
    assert!(page.body.contains("requires no proof of work"));
    // The owner cannot be banned or named moderator; nor is a Ban button beside her own post.
    let owner = view["owner"]["id"].as_str().unwrap().to_owned();
    let refused = ann
        .form(
            &h,
            &action,
            &[("csrf", &csrf), ("action", "ban"), ("node", &owner)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    let post = ann.post(&h, "Hello", "a post", Some(&root)).await;
    let page = ann.get(&h, &format!("/d/{post}")).await;
    assert!(page.body.contains("id=\"toggle-hide\""));
    assert!(!page.body.contains("id=\"toggle-ban\""), "{}", page.body);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_may_not_moderate_but_ignores_and_sees_the_work() {
    let ann_site = Harness::start(Settings::local()).await;
    let bob_site = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&ann_site, "ann").await;
    let ann_csrf = ann.csrf(&ann_site).await;
    let root = ann
        .post(&ann_site, "Forum", "where people read", None)
        .await;
    let set = ann
        .form(
            &ann_site,
            &format!("/t/{root}/moderation"),
            &[("csrf", &ann_csrf), ("action", "work"), ("bits", "16")],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    // Bob takes the forum and the owner's decision from export files.
    let shown = ann
        .get(&ann_site, &format!("/api/nodes/ann/documents/{root}"))
        .await;
    let shown: serde_json::Value = serde_json::from_str(&shown.body).unwrap();
    let decision = shown["children"][0].as_str().unwrap().to_owned();
    let mut bob = Browser::default();
    bob.setup(&bob_site, "bob").await;
    let csrf = bob.csrf(&bob_site).await;
    for doc in [&root, &decision] {
        carry((&mut ann, &ann_site), (&mut bob, &bob_site), doc).await;
    }

    let page = bob.get(&bob_site, &format!("/t/{root}")).await;
    assert!(page.body.contains("id=\"moderation\""), "{}", page.body);
    assert!(page.body.contains("id=\"moderation-applied\""));
    assert!(page.body.contains("id=\"toggle-ignore\""));
    assert!(
        page.body.contains("proof of work of 16 bits"),
        "{}",
        page.body
    );
    for form in ["add-moderator-form", "work-form", "no-banned"] {
        assert!(!page.body.contains(&format!("id=\"{form}\"")), "{form}");
    }
    // The reply form says what posting costs here, beside the Post button.
    let compose = bob.get(&bob_site, &format!("/compose?parent={root}")).await;
    assert!(
        compose.body.contains("id=\"work-notice\""),
        "{}",
        compose.body
    );
    assert!(compose.body.contains("data-bits=\"16\""));
    assert!(compose.body.contains("about 3 seconds on average"));
    assert!(compose.body.contains("id=\"work-progress\""));

    // The daemon refuses what only the owner or a moderator decides.
    let action = format!("/t/{root}/moderation");
    let stranger = stranger();
    for fields in [
        [("action", "add-moderator"), ("node", stranger.as_str())],
        [("action", "ban"), ("node", stranger.as_str())],
        [("action", "work"), ("bits", "0")],
    ] {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        let refused = bob.form(&bob_site, &action, &all).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    }

    // Ignoring the moderation: without the token nothing changes; with it, no work is announced.
    let bad = bob
        .form(&bob_site, &action, &[("csrf", "x"), ("action", "ignore")])
        .await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
    let ignored = bob
        .form(&bob_site, &action, &[("csrf", &csrf), ("action", "ignore")])
        .await;
    assert_eq!(ignored.status, StatusCode::SEE_OTHER, "{}", ignored.body);
    let page = bob.get(&bob_site, &format!("/t/{root}")).await;
    assert!(
        page.body.contains("id=\"moderation-ignored\""),
        "{}",
        page.body
    );
    let compose = bob.get(&bob_site, &format!("/compose?parent={root}")).await;
    assert!(!compose.body.contains("id=\"work-notice\""));
    let reply = bob
        .post(&bob_site, "Hello", "bob was here", Some(&root))
        .await;
    let applied = bob
        .form(&bob_site, &action, &[("csrf", &csrf), ("action", "apply")])
        .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER);
    let page = bob.get(&bob_site, &format!("/t/{root}")).await;
    assert!(page.body.contains("id=\"moderation-applied\""));

    // The owner, holding bob's post, bans him with the button beside it, and unbans him.
    let lifted = ann
        .form(
            &ann_site,
            &action,
            &[("csrf", &ann_csrf), ("action", "work"), ("bits", "0")],
        )
        .await;
    assert_eq!(lifted.status, StatusCode::SEE_OTHER);
    carry((&mut bob, &bob_site), (&mut ann, &ann_site), &reply).await;
    let page = ann.get(&ann_site, &format!("/d/{reply}")).await;
    assert!(page.body.contains(">Ban author<"), "{}", page.body);
    let bob_id = page
        .body
        .split("name=\"node\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let ban = [
        ("csrf", ann_csrf.as_str()),
        ("action", "ban"),
        ("node", bob_id.as_str()),
        ("back", &format!("/d/{reply}")),
    ];
    let banned = ann.form(&ann_site, &action, &ban).await;
    assert_eq!(banned.status, StatusCode::SEE_OTHER, "{}", banned.body);
    assert_eq!(banned.location(), format!("/d/{reply}"));
    let page = ann.get(&ann_site, &format!("/d/{reply}")).await;
    assert!(page.body.contains(">Unban author<"), "{}", page.body);
    let forum = ann.get(&ann_site, &format!("/t/{root}")).await;
    assert!(forum.body.contains(&format!("id=\"unban-{bob_id}\"")));
    let unban = [ban[0], ("action", "unban"), ban[2], ban[3]];
    let unbanned = ann.form(&ann_site, &action, &unban).await;
    assert_eq!(unbanned.status, StatusCode::SEE_OTHER);
    let page = ann.get(&ann_site, &format!("/d/{reply}")).await;
    assert!(page.body.contains(">Ban author<"), "{}", page.body);
    ann_site.stop().await;
    bob_site.stop().await;
}

/// An installation for each of `names`, with its owner account set up by that name.
async fn installations<const N: usize>(names: [&str; N]) -> [(Harness, Browser); N] {
    let mut all = Vec::new();
    for name in names {
        let site = Harness::start(Settings::local()).await;
        let mut browser = Browser::default();
        browser.setup(&site, name).await;
        all.push((site, browser));
    }
    all.try_into().unwrap_or_else(|_| unreachable!())
}

/// The text of the button `id` on `page`, if it has one.
fn button(page: &str, id: &str) -> Option<String> {
    let rest = &page[page.find(&format!("<button id=\"{id}\""))?..];
    let text = &rest[rest.find('>')? + 1..];
    Some(text[..text.find('<')?].to_owned())
}

/// The texts of the Hide and Ban buttons beside the comment `doc` on the thread view `page`
/// (empty where there is none).
fn forms(page: &str, doc: &str) -> [String; 2] {
    ["hide", "ban"].map(|form| button(page, &format!("{form}-{doc}")).unwrap_or_default())
}

/// The value of the hidden field `name` in the form around the button `id` on `page`.
fn field(page: &str, id: &str, name: &str) -> String {
    let form = &page[..page.find(&format!("<button id=\"{id}\"")).unwrap()];
    let form = &form[form.rfind("<form").unwrap()..];
    let rest = &form[form.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15..];
    rest[..rest.find('"').unwrap()].replace("&#38;", "&")
}

/// Carries every document under `root` at `from` to `to` (the forum's moderation decisions
/// among them).
async fn carry_children(
    from: (&mut Browser, &Harness, &str),
    to: (&mut Browser, &Harness),
    root: &str,
) {
    let shown = from
        .0
        .get(from.1, &format!("/api/nodes/{}/documents/{root}", from.2))
        .await;
    let shown: serde_json::Value = serde_json::from_str(&shown.body).unwrap();
    for child in shown["children"].as_array().unwrap() {
        let child = child.as_str().unwrap();
        carry((&mut *from.0, from.1), (&mut *to.0, to.1), child).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_thread_view_has_hide_and_ban_beside_comments_for_moderators_only() {
    let [
        (ann_site, mut ann),
        (bob_site, mut bob),
        (cleo_site, mut cleo),
    ] = installations(["ann", "bob", "cleo"]).await;
    let ann_csrf = ann.csrf(&ann_site).await;
    let root = ann
        .post(&ann_site, "Forum", "where people read", None)
        .await;
    let mine = ann.post(&ann_site, "Rules", "be kind", Some(&root)).await;
    carry((&mut ann, &ann_site), (&mut bob, &bob_site), &root).await;
    carry((&mut ann, &ann_site), (&mut cleo, &cleo_site), &root).await;
    let spam = bob
        .post(&bob_site, "Pills", "cheap pills", Some(&root))
        .await;
    carry((&mut bob, &bob_site), (&mut ann, &ann_site), &spam).await;

    // The owner: Hide beside every comment, Ban beside the others' only.
    let thread = format!("/t/{root}");
    let page = ann.get(&ann_site, &thread).await;
    assert_eq!(forms(&page.body, &spam), ["Hide", "Ban author"]);
    assert_eq!(
        forms(&page.body, &mine),
        ["Hide", ""],
        "no Ban beside her own post"
    );
    let back = format!("/t/{root}?page=1#c-{spam}");
    assert_eq!(field(&page.body, &format!("ban-{spam}"), "back"), back);
    assert_eq!(field(&page.body, &format!("hide-{spam}"), "back"), back);
    // The live-update fragment carries them too.
    let fragment = ann.get(&ann_site, &format!("{thread}?fragment=tree")).await;
    assert!(
        button(&fragment.body, &format!("ban-{spam}")).is_some(),
        "{}",
        fragment.body
    );
    // A follower who moderates nothing has none.
    let page = bob.get(&bob_site, &thread).await;
    assert!(
        page.body.contains(&format!("id=\"c-{spam}\"")),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("hide-form") && !page.body.contains("ban-form"),
        "{}",
        page.body
    );

    // Without the token, nothing changes.
    let bob_id = field(
        &ann.get(&ann_site, &thread).await.body,
        &format!("ban-{spam}"),
        "node",
    );
    let action = format!("/t/{root}/moderation");
    let hide = format!("/d/{spam}/hide");
    for (path, fields) in [
        (&action, vec![("action", "ban"), ("node", bob_id.as_str())]),
        (&hide, vec![("hide", "true")]),
    ] {
        let mut all = vec![("csrf", "x"), ("back", back.as_str())];
        all.extend(fields);
        let refused = ann.form(&ann_site, path, &all).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            refused.body
        );
    }
    let page = ann.get(&ann_site, &thread).await;
    assert_eq!(forms(&page.body, &spam), ["Hide", "Ban author"]);

    // With it, each goes back to the comment in the thread, which shows the decision.
    for (path, fields) in [
        (&action, vec![("action", "ban"), ("node", bob_id.as_str())]),
        (&hide, vec![("hide", "true")]),
    ] {
        let mut all = vec![("csrf", ann_csrf.as_str()), ("back", back.as_str())];
        all.extend(fields);
        let done = ann.form(&ann_site, path, &all).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{path}: {}", done.body);
        assert_eq!(done.location(), back);
    }
    let page = ann.get(&ann_site, &thread).await;
    assert_eq!(forms(&page.body, &spam), ["Unhide", "Unban author"]);
    assert!(
        page.body.contains(&format!("id=\"unban-{bob_id}\"")),
        "the Moderation section lists the ban"
    );
    // The subjects-only view of a page keeps its view.
    let page = ann.get(&ann_site, &format!("{thread}?view=subjects")).await;
    assert_eq!(
        field(&page.body, &format!("ban-{spam}"), "back"),
        format!("/t/{root}?page=1&view=subjects#c-{spam}")
    );

    // A moderator: ann unbans bob and names him; with the decisions, bob has the forms beside
    // cleo's post and Hide beside ann's, and no Ban beside the owner's or his own.
    for fields in [
        [("action", "unban"), ("node", bob_id.as_str())],
        [("action", "add-moderator"), ("node", bob_id.as_str())],
    ] {
        let mut all = vec![("csrf", ann_csrf.as_str())];
        all.extend(fields);
        let done = ann.form(&ann_site, &action, &all).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    }
    carry_children((&mut ann, &ann_site, "ann"), (&mut bob, &bob_site), &root).await;
    let hello = cleo
        .post(&cleo_site, "Hello", "cleo here", Some(&root))
        .await;
    carry((&mut cleo, &cleo_site), (&mut bob, &bob_site), &hello).await;
    let page = bob.get(&bob_site, &thread).await;
    assert_eq!(forms(&page.body, &hello), ["Hide", "Ban author"]);
    assert_eq!(forms(&page.body, &mine), ["Hide", ""]);
    assert_eq!(forms(&page.body, &spam), ["Unhide", ""]);
    let bob_csrf = bob.csrf(&bob_site).await;
    let cleo_id = field(&page.body, &format!("ban-{hello}"), "node");
    let back = format!("/t/{root}?page=1#c-{hello}");
    let ban = [
        ("csrf", bob_csrf.as_str()),
        ("action", "ban"),
        ("node", &cleo_id),
        ("back", &back),
    ];
    let done = bob.form(&bob_site, &action, &ban).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), back);
    let page = bob.get(&bob_site, &thread).await;
    assert_eq!(forms(&page.body, &hello), ["Hide", "Unban author"]);
    // Cleo moderates nothing: no forms beside anyone's post.
    let page = cleo.get(&cleo_site, &thread).await;
    assert!(
        !page.body.contains("hide-form") && !page.body.contains("ban-form"),
        "{}",
        page.body
    );
    for site in [ann_site, bob_site, cleo_site] {
        site.stop().await;
    }
}

/// The list `id` on `page`.
fn list<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("#{id} in {page}"));
    let rest = &page[at..];
    &rest[..rest.find("</ul>").unwrap()]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_owners_and_banned_authors_show_by_petname_and_are_named_by_it() {
    let [(ann_site, mut ann), (bob_site, mut bob)] = installations(["ann", "bob"]).await;
    let csrf = ann.csrf(&ann_site).await;
    let root = ann
        .post(&ann_site, "Forum", "where people read", None)
        .await;
    let [robert, twin, other_twin] = [7, 8, 9].map(|n| NodeId([n; 32]));
    for (key, petname) in [(robert, "Robert"), (twin, "twin"), (other_twin, "Twin")] {
        let fields = [
            ("csrf", csrf.as_str()),
            ("action", "petname"),
            ("petname", petname),
        ];
        let named = ann
            .form(&ann_site, &format!("/people/{key}"), &fields)
            .await;
        assert_eq!(named.status, StatusCode::SEE_OTHER, "{}", named.body);
    }
    let action = format!("/t/{root}/moderation");

    // Named by petname, whatever its case; an unknown or shared petname is refused, clearly.
    let decide = |what, node| [("csrf", csrf.as_str()), ("action", what), ("node", node)];
    let named = ann
        .form(&ann_site, &action, &decide("add-moderator", " robert "))
        .await;
    assert_eq!(named.status, StatusCode::SEE_OTHER, "{}", named.body);
    for (node, error) in [
        ("twin", "2 keys have the petname “twin” here"),
        ("nobody", "no key here has the petname “nobody”"),
    ] {
        let refused = ann.form(&ann_site, &action, &decide("ban", node)).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert!(refused.body.contains(error), "{error}: {}", refused.body);
    }
    assert!(
        ann.get(&ann_site, &format!("/t/{root}"))
            .await
            .body
            .contains("id=\"no-banned\""),
        "nothing was banned"
    );
    let fingerprint = twin.fingerprint();
    let banned = ann
        .form(&ann_site, &action, &decide("ban", &fingerprint))
        .await;
    assert_eq!(banned.status, StatusCode::SEE_OTHER, "{}", banned.body);

    // Both lists show the petname, with the fingerprint and the identicon beside it.
    let page = ann.get(&ann_site, &format!("/t/{root}")).await;
    for (id, key, petname) in [("moderators", robert, "Robert"), ("banned", twin, "twin")] {
        let shown = list(&page.body, id);
        assert!(
            shown.contains(&format!(">{petname}</strong>")),
            "{id}: {shown}"
        );
        assert!(shown.contains(&key.fingerprint()), "{id}: {shown}");
        assert!(shown.contains("class=\"identicon\""), "{id}: {shown}");
    }

    // A follower sees the owner by his own petname for her, beside the name she claims.
    carry((&mut ann, &ann_site), (&mut bob, &bob_site), &root).await;
    let api = ann
        .get(
            &ann_site,
            &format!("/api/nodes/ann/forums/{root}/moderation"),
        )
        .await;
    let view: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    let owner = view["owner"]["id"].as_str().unwrap().to_owned();
    let bob_csrf = bob.csrf(&bob_site).await;
    let fields = [
        ("csrf", bob_csrf.as_str()),
        ("action", "petname"),
        ("petname", "Annie"),
    ];
    let named = bob
        .form(&bob_site, &format!("/people/{owner}"), &fields)
        .await;
    assert_eq!(named.status, StatusCode::SEE_OTHER, "{}", named.body);
    let page = bob.get(&bob_site, &format!("/t/{root}")).await;
    let shown = &page.body[page.body.find("<p>Owner: ").unwrap()..];
    let shown = &shown[..shown.find("</p>").unwrap()];
    assert!(shown.contains(">Annie</strong>"), "{shown}");
    assert!(shown.contains("(claims “ann”)"), "{shown}");
    ann_site.stop().await;
    bob_site.stop().await;
}
