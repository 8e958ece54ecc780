//! The cliqueclique web UI: server-rendered pages for people, merged into the daemon's HTTP server.
//!
//! `cliqueclique serve` builds its HTTP server with [`router`]: the daemon's JSON API (unchanged)
//! plus the pages of this crate, one security layer over both, and static files. Pages are askama
//! templates (`templates/`), compiled into the binary; a small plain script (`static/app.js`, no
//! build step) adds live updates through the API's server-sent events and in-place toggles. Every
//! page works without it.
//!
//! # Modes
//!
//! - **Local** (default): the server binds a loopback address. The first visit sets up the owner
//!   account, which acts as the installation's first node. The JSON API stays open to local
//!   programs (the CLI), as before, but refuses cross-site and DNS-rebinding requests.
//! - **Public** (`--public`): a website. Registration is open, by invite or closed (a setting the
//!   owner changes on the account page); each account gets its own node and sees only it. The JSON
//!   API then requires a login session, an account's API token or the owner token
//!   (`DATA_DIR/owner.token`, for the local CLI).
//!
//! # Security
//!
//! Sessions are random 256-bit tokens in `HttpOnly; SameSite=Strict` cookies (`Secure` in public
//! mode), stored as hashes
//! with an expiry ([`cliqueclique_store::accounts`]); passwords are argon2 hashes; every
//! state-changing request carries a CSRF token; logins are rate-limited. Every answer carries a
//! Content-Security-Policy that forbids inline script, `X-Frame-Options: DENY` and `nosniff`.
//! Document bodies are escaped (text), rendered and sanitised (markdown) or sanitised (HTML) by
//! ammonia ([`render`]): no script from a document ever runs.
//!
//! # Layout
//!
//! - [`state`]: what handlers share; [`error`]: the error page.
//! - [`auth`]: passwords, sessions and CSRF, the login limiter, the guard over the API.
//! - [`pages`]: one module per page family; [`render`]: document bodies and dates; [`svg`]: the
//!   network picture and identicons; [`identity`]: how authors are shown; [`assets`]: the stylesheet and the script;
//!   [`atom`]: Atom feeds as text (served by [`pages::feed`]).

#![warn(missing_docs)]

pub mod assets;
pub mod atom;
pub mod auth;
pub mod error;
pub mod identity;
pub mod pages;
pub mod render;
pub mod state;
pub mod svg;

#[cfg(test)]
mod tests;

pub use state::{Registration, Settings, WebState};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use cliqueclique_daemon::AppState;

/// The whole HTTP server: the JSON API, the pages and the static files, behind the guard.
pub fn router(api: AppState, settings: Settings) -> Router {
    let state = WebState::new(api.clone(), settings);
    let body_limit = api.config.proto.limits.max_document_bytes * 2 + 64 * 1024;
    let api_routes = cliqueclique_daemon::router(api);
    Router::new()
        .merge(pages::routes())
        .merge(assets::routes())
        .with_state(state.clone())
        .layer(DefaultBodyLimit::max(body_limit))
        .merge(api_routes)
        .fallback({
            let state = state.clone();
            move |uri, headers| pages::not_found(state, uri, headers)
        })
        .layer(axum::middleware::from_fn_with_state(
            state,
            auth::guard::guard,
        ))
}
