//! The notifications page: replies to my documents and mentions of my name, newest first, each
//! leading to its place in the whole thread. The header's count follows live (`static/reading.js`).

use super::Nav;
use crate::auth::User;
use crate::error::WebResult;
use crate::identity::author_html;
use crate::render::format_date;
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use cliqueclique_daemon::actor::MAX_NOTIFICATIONS;
use cliqueclique_daemon::api::{Notification, NotificationKind};

#[derive(Template, WebTemplate)]
#[template(path = "notifications.html")]
/// The template of this page.
pub struct NotificationsPage {
    nav: Nav,
    /// The name mentions are looked for as.
    name: String,
    unread: usize,
    total: usize,
    items: Vec<Item>,
}

/// One line of the page.
pub struct Item {
    /// Where it is shown: its thread, scrolled to it.
    href: String,
    /// "replied to you" or "mentioned you".
    what: &'static str,
    subject: String,
    /// The author, as HTML.
    author: String,
    date: String,
    unread: bool,
}

impl Item {
    fn of(n: &Notification) -> Item {
        Item {
            href: if n.thread == n.doc {
                format!("/t/{}", n.doc)
            } else {
                format!("/t/{}#c-{}", n.thread, n.doc)
            },
            what: match n.kind {
                NotificationKind::Reply => "replied to you",
                NotificationKind::Mention => "mentioned you",
            },
            subject: if n.subject.is_empty() {
                "(no subject)".to_owned()
            } else {
                n.subject.clone()
            },
            author: author_html(&n.author_info),
            date: format_date(n.date),
            unread: !n.read,
        }
    }
}

/// `GET /notifications` (marks nothing read).
pub async fn page(State(state): State<WebState>, user: User) -> WebResult<NotificationsPage> {
    let found = state
        .api
        .handle
        .notifications(user.node(), MAX_NOTIFICATIONS)
        .await?;
    Ok(NotificationsPage {
        nav: Nav::of(&user, &state),
        name: found.name,
        unread: found.unread,
        total: found.total,
        items: found.items.iter().map(Item::of).collect(),
    })
}

/// `POST /notifications/read`: marks every listed notification read.
pub async fn mark_all_read(
    State(state): State<WebState>,
    user: User,
    Form(form): Form<super::document::CsrfForm>,
) -> WebResult<Response> {
    user.check_csrf(form.token())?;
    let node = user.node();
    let found = state
        .api
        .handle
        .notifications(node, MAX_NOTIFICATIONS)
        .await?;
    let unread = found
        .items
        .iter()
        .filter(|n| !n.read)
        .map(|n| n.doc)
        .collect();
    state.api.handle.mark_read(node, unread).await?;
    Ok(Redirect::to("/notifications").into_response())
}
