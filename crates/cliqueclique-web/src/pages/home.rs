//! The home page: my forums and bookmarks with unread counts, sorted by recent activity, the
//! joins in progress, and apart from the forums the directories this node holds.

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
    directories: Vec<super::directory::Choice>,
}

impl HomePage {
    fn author(&self, thread: &ThreadSummary) -> String {
        crate::identity::author_or_name(thread.author_info.as_ref(), &thread.author_name)
    }

    /// What stands for the subject: a note while the body has not arrived, or when it is empty.
    fn subject(&self, thread: &ThreadSummary) -> String {
        if thread.author_info.is_none() {
            "(waiting for the body)".to_owned()
        } else if thread.subject.is_empty() {
            "(no subject)".to_owned()
        } else {
            thread.subject.clone()
        }
    }

    /// Unread comments over every forum, for the tab's title.
    fn unread(&self) -> usize {
        self.overview.forums.iter().map(|f| f.unread).sum()
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
    let mut overview = state.api.handle.overview(node).await?;
    let directories = super::directory::held_directories(&state, node).await?;
    overview
        .forums
        .retain(|f| !directories.iter().any(|d| d.id == f.id.to_string()));
    Ok(HomePage {
        nav: Nav::of(&user, &state),
        overview,
        directories,
    })
}
