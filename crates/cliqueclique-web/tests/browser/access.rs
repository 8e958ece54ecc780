//! Accessibility and phones: every page of a forum in use, checked with axe-core (labels,
//! headings, landmarks, contrast, focus order) at a desktop and a phone width, and at the phone's
//! 390 px none scrolls sideways; the header's count and the thread's divider are checked while
//! something is unread.

use crate::support::*;
use fantoccini::{Client, Locator};

/// Where `scripts/install-test-deps` puts axe-core.
fn axe_source() -> String {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache")
        });
    let path = cache.join("cliqueclique-test-deps/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/install-test-deps", path.display()))
}

/// The violations axe-core finds on the open page: rule, impact and the elements.
async fn violations(client: &Client, axe: &str) -> Vec<String> {
    client.execute(axe, vec![]).await.unwrap();
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(function (r) {
               done(r.violations.map(function (v) {
                 return v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(function (n) {
                   return n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.split('\\n').slice(1, 2).join('') : '');
                 }).join(' | ');
               }));
             }, function (e) { done(['axe failed: ' + e]); });",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(found).unwrap()
}

/// How far the open page is wider than the window, in pixels.
async fn overflow(client: &Client) -> i64 {
    let wider = client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    wider.as_i64().unwrap()
}

/// Opens `page` of `site` once its title shows, and adds what axe-core finds on it to
/// `problems`, labelled with `label`.
async fn check(
    client: &Client,
    axe: &str,
    site: &Site,
    page: &str,
    label: &str,
    problems: &mut Vec<String>,
) {
    let url = format!("{}{page}", site.url);
    until(&format!("{url} to load"), || async {
        client.goto(&url).await.unwrap();
        client.title().await.unwrap().ends_with("· cliqueclique")
    })
    .await;
    for v in violations(client, axe).await {
        problems.push(format!("{label} {page}: {v}"));
    }
}

/// Whether the header's notification count shows on the open page.
async fn count_shown(client: &Client) -> bool {
    client
        .execute(
            "const b = document.getElementById('n-notifications'); return !!b && !b.hidden;",
            vec![],
        )
        .await
        .unwrap()
        == serde_json::json!(true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_axe_and_fits_a_phone() {
    let Some(driver) = driver().await else {
        return;
    };
    let axe = axe_source();
    let (sites, ann, bob, root) = ann_and_bob_in_a_forum(&driver).await;
    let [ann_site, _] = &sites;
    let bodies = ("When to plant?", "After the frost.");
    let (topic, reply) = topic_and_reply(&sites, &ann, &bob, &root, bodies).await;
    let mut problems = Vec::new();

    // With bob's reply unread: the header counts it and the thread marks it new.
    for (width, height, label) in [(390, 844, "phone unread"), (1200, 900, "desktop unread")] {
        ann.set_window_size(width, height).await.unwrap();
        for page in ["", "/notifications"] {
            let url = format!("{}{page}", ann_site.url);
            until(&format!("the notification count on {url}"), || async {
                ann.goto(&url).await.unwrap();
                count_shown(&ann).await
            })
            .await;
            for v in violations(&ann, &axe).await {
                problems.push(format!("{label} {page}: {v}"));
            }
        }
    }
    // The thread shows what is new once: its first visit reads bob's reply.
    let thread = format!("/t/{topic}");
    until_shown(
        &ann,
        "the new divider",
        &format!("{}{thread}", ann_site.url),
        "#new-divider",
    )
    .await;
    for v in violations(&ann, &axe).await {
        problems.push(format!("desktop unread {thread}: {v}"));
    }
    until("bob's reply read at ann's", || async {
        ann.goto(&format!("{}{thread}", ann_site.url))
            .await
            .unwrap();
        ann.find(Locator::Css(&format!("#c-{reply}"))).await.is_ok()
            && ann.find(Locator::Css("#new-divider")).await.is_err()
    })
    .await;

    let pages = [
        String::new(),
        format!("/t/{root}"),
        format!("/t/{root}?view=subjects"),
        format!("/t/{topic}"),
        format!("/d/{topic}"),
        format!("/d/{reply}"),
        format!("/d/{topic}/network"),
        format!("/compose?parent={reply}"),
        "/compose".to_owned(),
        "/import".to_owned(),
        "/directories".to_owned(),
        "/join".to_owned(),
        "/notifications".to_owned(),
        "/search?q=frost".to_owned(),
        "/node".to_owned(),
        "/account".to_owned(),
    ];
    for (width, height, label) in [(1200, 900, "desktop"), (390, 844, "phone")] {
        ann.set_window_size(width, height).await.unwrap();
        for page in &pages {
            check(&ann, &axe, ann_site, page, label, &mut problems).await;
            if width == 390 {
                let wider = overflow(&ann).await;
                if wider > 0 {
                    problems.push(format!("phone {page}: {wider} px wider than the screen"));
                }
            }
        }
        if width == 390 {
            ann.goto(&format!("{}/t/{topic}", ann_site.url))
                .await
                .unwrap();
            screenshot(&ann, "phone-thread").await;
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    for site in sites {
        site.stop().await;
    }
}
