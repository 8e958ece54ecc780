//! Installations with the web UI, chromedriver, and browser helpers.

use cliqueclique_daemon::Daemon;
use cliqueclique_web::Settings;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The deadline of every wait (CI machines are slow).
pub const DEADLINE: Duration = Duration::from_secs(60);

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// An installation with the web UI.
pub struct Site {
    pub daemon: Option<Daemon>,
    pub url: String,
    pub address: String,
    _dir: tempfile::TempDir,
}

impl Site {
    pub async fn start(name: &str, settings: Settings) -> Site {
        let dir = tempfile::Builder::new()
            .prefix(&format!("cc-web-{name}-"))
            .tempdir()
            .unwrap();
        let mut config = cliqueclique_daemon::testing::config(dir.path());
        config.public = settings.public;
        config.net.backoff_initial = Duration::from_millis(100);
        let daemon = Daemon::start_with(config, move |state| {
            Ok(cliqueclique_web::router(state, settings))
        })
        .await
        .unwrap();
        let url = format!("http://{}", daemon.api_addr());
        let address = daemon.state().listening[0].clone();
        Site {
            daemon: Some(daemon),
            url,
            address,
            _dir: dir,
        }
    }

    pub fn daemon(&self) -> &Daemon {
        self.daemon.as_ref().unwrap()
    }

    pub async fn stop(mut self) {
        if let Some(d) = self.daemon.take() {
            d.stop().await.unwrap();
        }
    }
}

/// A chromedriver process, killed when dropped.
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver, or `None` (after a loud message) when it is missing outside CI.
pub async fn driver() -> Option<Driver> {
    if !std::path::Path::new(CHROMEDRIVER).exists() {
        let required = std::env::var_os("CI").is_some()
            || std::env::var("CLIQUECLIQUE_BROWSER_TESTS").as_deref() == Ok("required");
        assert!(
            !required,
            "{CHROMEDRIVER} is missing: run scripts/install-test-deps (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "\n!!! SKIPPING THE BROWSER TESTS: {CHROMEDRIVER} is missing. Run scripts/install-test-deps to install \
             chromium and chromium-driver. !!!\n"
        );
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(started.elapsed() < DEADLINE, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Some(Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    })
}

/// A new headless browser window.
pub async fn browser(driver: &Driver) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1200,900"],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

/// Waits until `check` holds, polling.
pub async fn until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < DEADLINE, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Types into a field.
pub async fn fill(client: &Client, css: &str, text: &str) {
    let field = client.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Clicks an element.
pub async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Waits for an element, then returns its text.
pub async fn text_when(client: &Client, what: &str, css: &str) -> String {
    until(what, || async {
        client.find(Locator::Css(css)).await.is_ok()
    })
    .await;
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// The current value of the field `css`.
pub async fn value(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// The page's text.
pub async fn text(client: &Client) -> String {
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap_or_default()
}

/// The path of the current page.
pub async fn path(client: &Client) -> String {
    client.current_url().await.unwrap().path().to_owned()
}

/// Sets up the owner account through the setup page.
pub async fn set_up(client: &Client, site: &Site, name: &str) {
    client.goto(&site.url).await.unwrap();
    assert_eq!(path(client).await, "/setup");
    fill(client, "#username", name).await;
    fill(client, "#password", "correct horse battery").await;
    click(client, "#submit").await;
    until("the home page", || async { path(client).await == "/" }).await;
}

/// Posts through the compose page; returns the new document's id.
pub async fn compose(
    client: &Client,
    site: &Site,
    parent: Option<&str>,
    subject: &str,
    body: &str,
    format: &str,
) -> String {
    let url = match parent {
        Some(p) => format!("{}/compose?parent={p}", site.url),
        None => format!("{}/compose", site.url),
    };
    client.goto(&url).await.unwrap();
    fill(client, "#subject", subject).await;
    fill(client, "#body", body).await;
    let select = client.find(Locator::Css("#content_type")).await.unwrap();
    select.select_by_value(format).await.unwrap();
    click(client, "#send").await;
    until("the thread page", || async {
        path(client).await.starts_with("/t/")
    })
    .await;
    // A reply is shown in its whole thread, scrolled to it; a topic or a forum on its own page.
    let url = client.current_url().await.unwrap();
    match url.fragment() {
        Some(fragment) => fragment.trim_start_matches("c-").to_owned(),
        None => url.path().trim_start_matches("/t/").to_owned(),
    }
}

/// Opens `url` again and again until an element matches `css` (a document arriving from
/// another installation).
pub async fn until_shown(client: &Client, what: &str, url: &str, css: &str) {
    until(what, || async {
        client.goto(url).await.unwrap();
        client.find(Locator::Css(css)).await.is_ok()
    })
    .await;
}

/// Writes a screenshot to `target/screenshots/NAME.png`.
pub async fn screenshot(client: &Client, name: &str) {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Ann's forum "Gardening" at her local-mode installation, and bob at his, joined to it through
/// ann's: the set-up the two-installation stories share. Returns both sites, ann's and bob's
/// browsers, and the forum's root id.
pub async fn ann_and_bob_in_a_forum(driver: &Driver) -> ([Site; 2], Client, Client, String) {
    let sites = [
        Site::start("ann", Settings::local()).await,
        Site::start("bob", Settings::local()).await,
    ];
    let ann = browser(driver).await;
    let bob = browser(driver).await;
    let plain = "text/plain; charset=utf-8";
    set_up(&ann, &sites[0], "ann").await;
    let root = compose(&ann, &sites[0], None, "Gardening", "About gardens.", plain).await;
    set_up(&bob, &sites[1], "bob").await;
    join_through(&bob, &sites[1], &sites[0], &root).await;
    (sites, ann, bob, root)
}

/// Ann's topic "Tomatoes" (the question of `bodies`) in the forum `root`, and bob's reply
/// "Re: Tomatoes" (the answer) once the topic reached him, back at ann's: the thread the
/// two-installation stories read.
/// `sites` and the browsers are ann's and bob's, as [`ann_and_bob_in_a_forum`] returns them;
/// returns the topic's and the reply's ids.
pub async fn topic_and_reply(
    sites: &[Site; 2],
    ann: &Client,
    bob: &Client,
    root: &str,
    (question, answer): (&str, &str),
) -> (String, String) {
    let [ann_site, bob_site] = sites;
    let plain = "text/plain; charset=utf-8";
    let topic = compose(ann, ann_site, Some(root), "Tomatoes", question, plain).await;
    let forum = format!("{}/t/{root}", bob_site.url);
    until_shown(bob, "the topic at bob's", &forum, &format!("#c-{topic}")).await;
    let reply = compose(bob, bob_site, Some(&topic), "Re: Tomatoes", answer, plain).await;
    until("bob's reply at ann's", || async {
        holds(ann_site, "ann", &reply).await
    })
    .await;
    (topic, reply)
}

/// Cleo at a third local-mode installation, joined to `root` through `via`: a follower for the
/// stories that need one beside ann and bob. Returns her site and her browser.
pub async fn cleo_joins_through(driver: &Driver, via: &Site, root: &str) -> (Site, Client) {
    let site = Site::start("cleo", Settings::local()).await;
    let cleo = browser(driver).await;
    set_up(&cleo, &site, "cleo").await;
    join_through(&cleo, &site, via, root).await;
    (site, cleo)
}

/// Joins `root` on `site` with an invite through `via`'s address, from the Join page, and waits
/// for its page.
pub async fn join_through(client: &Client, site: &Site, via: &Site, root: &str) {
    client.goto(&format!("{}/join", site.url)).await.unwrap();
    let invite = format!("cliqueclique:{root}?via={}", via.address);
    fill(client, "#invite", &invite).await;
    click(client, "#join").await;
    let thread = format!("/t/{root}");
    until("the join to finish", || async {
        path(client).await == thread
    })
    .await;
}

/// Whether the node `name` of `site` holds the body of `doc`, asked through its daemon's handle
/// (what the API answers).
pub async fn holds(site: &Site, name: &str, doc: &str) -> bool {
    let handle = site.daemon().handle();
    let node = handle.resolve(name).await.unwrap();
    let doc = doc.parse().unwrap();
    handle
        .show(node, doc)
        .await
        .is_ok_and(|view| view.document.is_some())
}

/// Whether the node `at` (a site and a node's name) still lacks `doc` three seconds after
/// `control`, posted after `doc`, arrived at the node `control_at`: how the stories tell a
/// declined document from one that has not arrived yet.
pub async fn declined(
    at: (&Site, &str),
    doc: &str,
    control_at: (&Site, &str),
    control: &str,
) -> bool {
    let (site, name) = control_at;
    until(&format!("{control} at {name}'s"), || async {
        holds(site, name, control).await
    })
    .await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    !holds(at.0, at.1, doc).await
}

/// Scrolls the element `css` to the top of the window (before a screenshot of it).
pub async fn scroll_to(client: &Client, css: &str) {
    client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'start'});",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap();
}
