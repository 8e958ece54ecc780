//! Accessibility and phones: every page of a forum in use, checked with axe-core (labels,
//! headings, landmarks, contrast, focus order) at a desktop and a phone width, and at the phone's
//! 390 px none scrolls sideways.

use crate::support::*;
use fantoccini::Client;

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
    // Ann opens the thread at bob's reply, which reads it, before the pages are checked.
    let thread = format!("{}/t/{topic}", ann_site.url);
    until_shown(
        &ann,
        "bob's reply at ann's",
        &thread,
        &format!("#c-{reply}"),
    )
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
    let mut problems = Vec::new();
    for (width, height, label) in [(1200, 900, "desktop"), (390, 844, "phone")] {
        ann.set_window_size(width, height).await.unwrap();
        for page in &pages {
            let url = format!("{}{page}", ann_site.url);
            until(&format!("{url} to load"), || async {
                ann.goto(&url).await.unwrap();
                ann.title().await.unwrap().ends_with("· cliqueclique")
            })
            .await;
            for v in violations(&ann, &axe).await {
                problems.push(format!("{label} {page}: {v}"));
            }
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
