//! The home page: my forums and bookmarks with unread counts, sorted by recent activity, and the
//! joins in progress.

use super::Nav;
use crate::auth::User;
use crate::error::WebResult;
use crate::render::format_date;
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use cliqueclique_daemon::api::{Overview, ThreadSummary};

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
/// The template of this page.
pub struct HomePage {
    nav: Nav,
    overview: Overview,
}

impl HomePage {
    fn author(&self, thread: &ThreadSummary) -> String {
        crate::identity::author_or_name(thread.author_info.as_ref(), &thread.author_name)
    }

    fn when(&self, thread: &ThreadSummary) -> String {
        if thread.last_activity == 0 {
            String::new()
        } else {
            format_date(thread.last_activity)
        }
    }
}

/// `GET /`.
pub async fn home(State(state): State<WebState>, user: User) -> WebResult<HomePage> {
    let node = user.node();
    let overview = state.api.handle.overview(node).await?;
    Ok(HomePage {
        nav: Nav::of(&user, &state),
        overview,
    })
}
