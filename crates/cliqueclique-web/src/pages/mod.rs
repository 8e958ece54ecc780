//! The pages, one module per family. Handlers are thin: they check who asks (the [`User`]
//! extractor) and the CSRF token, call the daemon through its [`Handle`], and render a template.
//!
//! [`Handle`]: cliqueclique_daemon::Handle

pub mod account;
pub mod compose;
pub mod directory;
pub mod document;
pub mod feed;
pub mod home;
pub mod join;
pub mod moderation;
pub mod node;
pub mod notifications;
pub mod people;
pub mod reading;
pub mod reply;
pub mod revise;
pub mod search;
pub mod work;

use crate::auth::User;
use crate::state::WebState;
use askama::Template;
use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use cliqueclique_daemon::ApiError;
use cliqueclique_doc::DocId;

/// What the frame of every page shows: who is logged in, the token for the logout form.
#[derive(Clone, Debug, Default)]
pub struct Nav {
    /// The logged-in account's name.
    pub username: Option<String>,
    /// Its node id (for the live-update script).
    pub node: String,
    /// The session's CSRF token (empty before login).
    pub csrf: String,
    /// A public website.
    pub public: bool,
}

impl Nav {
    /// The frame for a logged-in user.
    pub fn of(user: &User, state: &WebState) -> Nav {
        Nav {
            username: Some(user.account.username.clone()),
            node: user.node().to_string(),
            csrf: user.csrf.clone(),
            public: state.settings.public,
        }
    }

    /// The frame before login.
    pub fn anonymous(state: &WebState) -> Nav {
        Nav {
            public: state.settings.public,
            ..Nav::default()
        }
    }
}

/// Every page route.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/", get(home::home))
        .route("/setup", get(account::setup_page).post(account::setup))
        .route("/login", get(account::login_page).post(account::login))
        .route("/logout", post(account::logout))
        .route(
            "/register",
            get(account::register_page).post(account::register),
        )
        .route("/account", get(account::account_page))
        .route("/account/password", post(account::change_password))
        .route("/account/registration", post(account::set_registration))
        .route("/account/invites", post(account::create_invite))
        .route("/account/token", post(account::create_token))
        .route(
            "/account/feeds",
            get(feed::feeds_page).post(feed::set_feed_token),
        )
        .route("/feed/{file}", get(feed::feed))
        .route("/compose/preview", post(reply::preview_fragment))
        .route("/read", post(reading::shown))
        .route("/notifications", get(notifications::page))
        .route("/notifications/read", post(notifications::mark_all_read))
        .route("/join", get(join::join_page).post(join::join))
        .route("/join/{doc}", get(join::progress))
        .route("/join/{doc}/cancel", post(join::cancel))
        .route("/import", get(compose::import_page).post(compose::import))
        .route(
            "/compose",
            get(compose::compose_page).post(compose::compose),
        )
        .route("/d/{id}", get(document::document))
        .route("/d/{id}/flags", post(document::flags))
        .route("/d/{id}/edit", get(revise::edit_page).post(revise::edit))
        .route("/d/{id}/retract", post(revise::retract))
        .route("/d/{id}/hide", post(revise::hide))
        .route("/d/{id}/link", post(compose::link))
        .route("/d/{id}/attachments/{index}", get(document::attachment))
        .route(
            "/d/{id}/attachments/{index}/import",
            post(compose::take_forwarded),
        )
        .route("/d/{id}/forward", post(compose::forward))
        .route("/d/{id}/export", get(document::export))
        .route("/d/{id}/network", get(document::network_page))
        .route("/d/{id}/network.svg", get(document::network_svg))
        .route("/t/{id}", get(document::thread))
        .route("/t/{id}/read", post(document::mark_thread_read))
        .route("/t/{root}/moderation", post(moderation::decide))
        .route("/d/{id}/publish", post(directory::publish_document))
        .route(
            "/directories",
            get(directory::directories_page).post(directory::create),
        )
        .route("/dir/{root}", get(directory::browse))
        .route("/search", get(search::search))
        .route("/people/{id}", post(people::mark))
        .route("/node", get(node::node_page))
}

#[derive(Template)]
#[template(path = "not_found.html")]
struct NotFoundPage {
    nav: Nav,
    path: String,
}

/// What an unknown path answers: under `/api/` the API's JSON error, elsewhere a page in the
/// site's layout; both with status 404.
pub async fn not_found(state: WebState, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::NotFound("no such API endpoint".into()).into_response();
    }
    let nav = match crate::auth::session::session_of(&state, &headers).await {
        Ok(Some(user)) => Nav::of(&user, &state),
        _ => Nav::anonymous(&state),
    };
    let page = NotFoundPage {
        nav,
        path: path.to_owned(),
    };
    match page.render() {
        Ok(html) => (StatusCode::NOT_FOUND, Html(html)).into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// A document id from the path or a form.
pub fn parse_doc(text: &str) -> Result<DocId, crate::error::WebError> {
    text.trim()
        .parse()
        .map_err(|e| crate::error::WebError::BadRequest(format!("bad document id {text:?}: {e}")))
}
