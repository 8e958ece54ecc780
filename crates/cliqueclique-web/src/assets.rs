//! The stylesheet and the scripts, compiled into the binary and served as files (the
//! Content-Security-Policy forbids inline script).

use crate::state::WebState;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

/// The stylesheet.
pub const STYLE: &str = include_str!("../static/style.css");
/// The script: live updates and in-place toggles.
pub const SCRIPT: &str = include_str!("../static/app.js");

/// The reading script: marking shown comments read, the reading keys, live unread counts.
pub const READING_SCRIPT: &str = include_str!("../static/reading.js");

/// `/static/style.css`, `/static/app.js` and `/static/reading.js`.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/static/style.css", get(style))
        .route("/static/app.js", get(|| script(SCRIPT)))
        .route("/static/reading.js", get(|| script(READING_SCRIPT)))
}

async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        STYLE,
    )
}

async fn script(text: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        text,
    )
}
