//! End-to-end tests in a real headless Chromium (Debian's `chromium` and `chromium-driver`,
//! installed by `scripts/install-test-deps`), driven with fantoccini over chromedriver.
//!
//! Each test starts real installations in this process (SQLite in temporary directories, TCP and
//! Noise between them) with the web UI on loopback ports, and a browser per person.
//! Screenshots of the main pages go to `target/screenshots/`.
//!
//! Without `/usr/bin/chromedriver` the tests fail when `CI` or `CLIQUECLIQUE_BROWSER_TESTS=required`
//! is set (the project's test script sets it), and are skipped with a loud message otherwise.

mod access;
mod blocking;
mod directory;
mod impostor;
mod joins;
mod keyboard;
mod local;
mod moderation;
mod public;
mod reading;
mod replying;
mod retract;
mod support;
mod threads;
mod work;
