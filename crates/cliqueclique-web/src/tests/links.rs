//! A document page's link lists, one test per direction: a document a link attaches is listed
//! once, as attached, with where it hangs itself; and the page of the attached document lists
//! where the link shows it, never the page itself.

use super::harness::{Answer, Browser, Harness};
use crate::Settings;
use axum::http::StatusCode;

/// The ids listed under the page's list `id` (empty if the page has no such list).
fn listed(page: &Answer, id: &str) -> Vec<String> {
    let Some(start) = page.body.find(&format!("id=\"{id}\"")) else {
        return Vec::new();
    };
    let list = &page.body[start..];
    let list = &list[..list.find("</ul>").unwrap_or(list.len())];
    list.split("<li data-doc=\"")
        .skip(1)
        .filter_map(|item| item.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// `doc` is listed once on `page`: as attached, not as a comment too.
fn attached_once(page: &Answer, doc: &str) {
    assert_eq!(listed(page, "attached"), [doc], "{}", page.body);
    assert!(
        !listed(page, "comments").iter().any(|c| c == doc),
        "an attached document is not a comment too: {}",
        page.body
    );
}

/// Posts a link from the page of `this` to `other`: `this` is the link's structural parent.
async fn link(ann: &mut Browser, h: &Harness, this: &str, other: &str, reversed: bool) {
    let csrf = ann.csrf(h).await;
    let mut fields = vec![("csrf", csrf.as_str()), ("other", other), ("role", "child")];
    if reversed {
        fields.push(("reversed", "1"));
    }
    let answer = ann.form(h, &format!("/d/{this}/link"), &fields).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
}

/// Two forums, Gardens (with the comment Tomatoes) and Recipes, by ann.
async fn forums() -> (Harness, Browser, [String; 3]) {
    let h = Harness::start(Settings::local()).await;
    let mut ann = Browser::default();
    ann.setup(&h, "ann").await;
    let gardens = ann.post(&h, "Gardens", "About gardens.", None).await;
    let tomatoes = ann
        .post(&h, "Tomatoes", "When to plant?", Some(&gardens))
        .await;
    let recipes = ann.post(&h, "Recipes", "About cooking.", None).await;
    (h, ann, [gardens, tomatoes, recipes])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_natural_link_lists_its_target_once_and_the_target_shows_where_it_is_attached() {
    let (h, mut ann, [gardens, tomatoes, recipes]) = forums().await;
    link(&mut ann, &h, &recipes, &tomatoes, false).await;

    let page = ann.get(&h, &format!("/d/{recipes}")).await;
    attached_once(&page, &tomatoes);
    let item = &page.body[page
        .body
        .find(&format!("<li data-doc=\"{tomatoes}\""))
        .unwrap()..];
    let item = &item[..item.find("</li>").unwrap()];
    assert!(
        item.contains("hangs under") && item.contains(&format!("/d/{gardens}")),
        "{item}"
    );
    assert!(listed(&page, "attached-to").is_empty());

    let target = ann.get(&h, &format!("/d/{tomatoes}")).await;
    assert_eq!(listed(&target, "attached-to"), [recipes], "{}", target.body);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reversed_link_lists_its_parent_once_under_its_child_and_never_the_page_itself() {
    let (h, mut ann, [_, tomatoes, recipes]) = forums().await;
    // A reversed link from Tomatoes to Recipes shows Tomatoes under Recipes.
    link(&mut ann, &h, &tomatoes, &recipes, true).await;

    let page = ann.get(&h, &format!("/d/{recipes}")).await;
    attached_once(&page, &tomatoes);
    assert!(
        !listed(&page, "attached-to").contains(&recipes),
        "the page's own document is not shown under itself: {}",
        page.body
    );

    let shown = ann.get(&h, &format!("/d/{tomatoes}")).await;
    assert_eq!(listed(&shown, "attached-to"), [recipes], "{}", shown.body);
    assert!(!listed(&shown, "attached-to").contains(&tomatoes));
    assert!(listed(&shown, "attached").is_empty(), "{}", shown.body);
    h.stop().await;
}
