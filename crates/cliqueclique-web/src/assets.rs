//! The stylesheet and the script, compiled into the binary and served as files (the
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

/// `/static/style.css` and `/static/app.js`.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/static/style.css", get(style))
        .route("/static/app.js", get(script))
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

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SCRIPT,
    )
}
