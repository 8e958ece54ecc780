//! A document: its page (where it sits in its thread, its author, body, attachments, toggles and
//! replies, what links attach to it, and the protocol details folded away), its thread as a
//! collapsible tree, its network picture, and downloads.

use super::moderation::{CommentTools, Moderating};
use super::{Nav, parse_doc};
use crate::auth::User;
use crate::error::{WebError, WebResult};
use crate::render::{body_html, format_date, short};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use cliqueclique_daemon::api::{Ancestor, DocumentView, FlagsChange, Network, ThreadEntry};
use cliqueclique_doc::{DocId, NodeId};
use family::{Attached, Family, Hangs, family};
use serde::Deserialize;

mod family;
pub mod paging;

/// Another document, as a link on a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// Its id.
    pub id: String,
    /// Its subject, or a short id while its body is missing.
    pub subject: String,
    /// Its author, as HTML ([`crate::identity::author_html`]).
    pub author: String,
}

/// An attachment, as a download link.
#[derive(Clone, Debug)]
pub struct AttachmentLink {
    /// Its number among the attachments.
    pub index: usize,
    /// Its file name.
    pub filename: String,
    /// Its type.
    pub content_type: String,
    /// Its size in bytes.
    pub size: usize,
    /// A forwarded document (an export file) that can be taken.
    pub forwarded: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "document.html")]
/// The template of this page.
pub struct DocumentPage {
    nav: Nav,
    view: DocumentView,
    id: String,
    subject: String,
    author: String,
    date: String,
    body: String,
    attachments: Vec<AttachmentLink>,
    parent: Option<Related>,
    comments: Vec<Related>,
    attached: Vec<Attached>,
    attached_to: Vec<Related>,
    links: Vec<Related>,
    /// The whole thread it is in, scrolled to it: `/t/TOPIC#c-ID`, or `/t/ID` for a topic or a
    /// forum's root.
    in_thread: String,
    link_info: Option<String>,
    directories: Vec<super::directory::Choice>,
    /// Its author retracted it: "retracted" stands in place of the body.
    retracted: bool,
    /// Its author edited it: the page shows the newest version.
    edited: bool,
    /// Every version (id, date, subject), the original first, when it was edited.
    versions: Vec<(String, String, String)>,
    /// This node wrote it and may edit or retract it.
    can_revise: bool,
    /// What this document itself revises, when it is an edit or a retraction: a sentence.
    revision_info: Option<String>,
    /// Why it is collapsed, as HTML: muted author, or hidden by a moderator (who).
    hidden_note: String,
    /// The address of the feed below it, announced in the page's head.
    feed: Option<String>,
    /// The Ban or Unban button beside it, for its forum's owner and moderators.
    ban: Option<super::moderation::BanButton>,
}

/// A forum's Share box: the invite to paste, and what keeps others from using it.
pub struct Share {
    /// `cliqueclique:ROOT?via=…`.
    invite: String,
    /// The invite carries at least one address.
    usable: bool,
    /// Why others cannot join through this installation, and the fix.
    warning: Option<String>,
}

impl Share {
    /// The Share box of `doc` through this installation's advertised addresses.
    fn of(state: &WebState, doc: DocId) -> Share {
        let view = cliqueclique_daemon::invite::view(doc, &state.api.advertised);
        Share {
            usable: !view.addresses.is_empty(),
            invite: view.invite,
            // The warning, said as a sentence of its own.
            warning: view.warning.map(|w| {
                let mut chars = w.chars();
                chars
                    .next()
                    .map(|first| first.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            }),
        }
    }
}

/// Whether `back` is a path on this site: it starts with one `/`, and no backslash or control
/// character lets a browser read it as another site (`/\evil.example` is `//evil.example`).
pub(crate) fn local_path(back: &str) -> bool {
    let mut chars = back.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && !back.chars().any(|c| c == '\\' || c.is_control())
}

/// Where a form goes back to: `back` when it is a path on this site ([`local_path`]), else
/// `default`.
pub(crate) fn back_or(back: String, default: impl FnOnce() -> String) -> String {
    if local_path(&back) { back } else { default() }
}

/// `GET /d/{id}`: the document page. Viewing changes nothing; its script marks it read.
pub async fn document(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
) -> WebResult<DocumentPage> {
    let doc = parse_doc(&id)?;
    let node = user.node();
    let opened = state.api.handle.open_document(node, doc).await?;
    let view = opened.view;
    let Family {
        parent,
        comments,
        attached,
        attached_to,
        links,
    } = family(&view, &opened.related, &opened.attached_under);
    let directories = super::directory::held_directories(&state, node).await?;
    let ban = super::moderation::BanButton::of(&state, &user, &view).await?;
    let original = view.document.clone();
    // An edited document shows its newest version in its place.
    let contents = view.newest.clone().or_else(|| original.clone());
    let revision_info = original
        .as_ref()
        .and_then(|c| c.revision)
        .map(|revision| match revision {
            cliqueclique_daemon::api::Revision::Retracts(target) => {
                format!("A retraction by its author of {}.", short(&target))
            }
            cliqueclique_daemon::api::Revision::Supersedes(target) => {
                format!("A version of {}: its author edited it.", short(&target))
            }
        });
    let can_revise = view.flags.own
        && !view.retracted
        && original
            .as_ref()
            .is_some_and(|c| c.link.is_none() && c.revision.is_none());
    let versions = view
        .versions
        .iter()
        .map(|v| (v.id.to_string(), format_date(v.date), v.subject.clone()))
        .collect();
    let link_info = contents.as_ref().and_then(|c| {
        c.link.as_ref().map(|direction| {
            format!(
                "A link document ({}): it attaches {} under {}.",
                direction.as_str(),
                c.child.map(|d| short(&d)).unwrap_or_default(),
                c.parent.map(|d| short(&d)).unwrap_or_default()
            )
        })
    });
    let attachments = contents
        .as_ref()
        .map(|c| {
            c.parts
                .iter()
                .filter(|p| p.part_type == "attachment")
                .enumerate()
                .map(|(index, p)| AttachmentLink {
                    index,
                    filename: p
                        .filename
                        .clone()
                        .unwrap_or_else(|| format!("attachment-{index}")),
                    content_type: p.content_type.clone(),
                    size: p.size,
                    forwarded: p.content_type.starts_with(super::compose::FORWARD_TYPE),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(DocumentPage {
        nav: Nav::of(&user, &state),
        id: doc.to_string(),
        subject: match &contents {
            _ if view.retracted => "(retracted)".to_owned(),
            Some(c) => c.subject.clone(),
            None => "(the body has not arrived yet)".to_owned(),
        },
        author: contents
            .as_ref()
            .map(|c| crate::identity::author_html(&c.author_info))
            .unwrap_or_default(),
        date: contents
            .as_ref()
            .map(|c| format_date(c.date))
            .unwrap_or_default(),
        body: contents
            .as_ref()
            .filter(|c| c.link.is_none())
            .map(|c| body_html(&c.content_type, c.body.as_deref()))
            .unwrap_or_default(),
        attachments,
        parent,
        comments,
        attached,
        attached_to,
        links,
        // A topic is the thread its replies are read in, as after posting one.
        in_thread: match view.ancestors.get(1) {
            Some(topic) => format!("/t/{}#c-{doc}", topic.id),
            None => format!("/t/{doc}"),
        },
        link_info,
        directories,
        retracted: view.retracted,
        edited: view.superseded_by.is_some(),
        versions,
        can_revise,
        revision_info,
        hidden_note: hidden_note(view.hidden_by.as_ref()),
        feed: super::feed::address(&state, &user, &doc).await?,
        ban,
        view,
    })
}

/// Why a document is collapsed, as HTML: hidden by a moderator (shown as every author is), or
/// its author muted.
fn hidden_note(by: Option<&cliqueclique_daemon::api::AuthorView>) -> String {
    match by {
        Some(moderator) => format!(
            "Hidden by moderator {}",
            crate::identity::author_html(moderator)
        ),
        None => "Muted author".to_owned(),
    }
}

/// The toggle form: one flag and its new value.
#[derive(Deserialize)]
pub struct FlagForm {
    csrf: String,
    flag: String,
    value: String,
    /// Where to go back to (a path on this site).
    #[serde(default)]
    back: String,
}

/// `POST /d/{id}/flags`: sets read, bookmarked, subscribed or thread (follow the whole thread),
/// or fetches the whole thread once (`fetch`). A script asking for JSON gets the
/// new flags; a plain form goes back to the page.
pub async fn flags(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<FlagForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let doc = parse_doc(&id)?;
    let on = match form.value.as_str() {
        "true" | "on" => true,
        "false" | "off" => false,
        other => return Err(WebError::BadRequest(format!("bad value {other:?}"))),
    };
    let mut change = FlagsChange::default();
    match form.flag.as_str() {
        "read" => change.read = Some(on),
        "bookmarked" => change.bookmarked = Some(on),
        "subscribed" => change.subscribed = Some(on),
        // Following the whole thread below it; off ends the subscription.
        "thread" => {
            change.subscribed = Some(on);
            change.thread = Some(on);
        }
        // Fetching the whole thread once, without following it.
        "fetch" => change.fetch = Some(on),
        other => return Err(WebError::BadRequest(format!("no flag {other:?}"))),
    }
    let node = user.node();
    let view = state.api.handle.change_flags(node, doc, change).await?;
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if wants_json {
        return Ok(Json(view.flags).into_response());
    }
    let back = back_or(form.back, || format!("/d/{doc}"));
    Ok(Redirect::to(&back).into_response())
}

/// `GET /d/{id}/attachments/{index}`: a download, never shown inline.
pub async fn attachment(
    State(state): State<WebState>,
    user: User,
    Path((id, index)): Path<(String, usize)>,
) -> WebResult<Response> {
    let doc = parse_doc(&id)?;
    let node = user.node();
    let file = state.api.handle.attachment(node, doc, index).await?;
    Ok(cliqueclique_daemon::routes::attachment_response(&file))
}

/// `GET /d/{id}/export`: the export file, for someone to import.
pub async fn export(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let doc = parse_doc(&id)?;
    let node = user.node();
    let bytes = state.api.handle.export(node, doc).await?;
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}.cliqueclique\"",
        short(&doc)
    ))
    .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// One comment of the flattened thread tree.
#[derive(Clone, Debug)]
pub struct Row {
    /// The document.
    pub id: String,
    /// Its subject.
    pub subject: String,
    /// Its author, as HTML ([`crate::identity::author_html`]).
    pub author: String,
    /// Its author is muted here, or a moderator hid it: shown collapsed.
    pub hidden: bool,
    /// Why it is collapsed, as HTML.
    pub hidden_note: String,
    /// A moderator of its forum hid it.
    pub hidden_by_moderator: bool,
    /// Its author's key (unknown while its body is missing).
    pub author_id: Option<NodeId>,
    /// The Hide and Ban forms beside it, for its forum's owner and moderators.
    pub tools: Option<CommentTools>,
    /// Its date.
    pub date: String,
    /// Its rendered body.
    pub body: String,
    /// Not marked read.
    pub unread: bool,
    /// The first unread comment in reading order: "new since your last visit" stands above it.
    pub first_new: bool,
    /// The newest comment of the thread.
    pub newest: bool,
    /// Attached by a link document.
    pub linked: bool,
    /// Its author retracted it: "retracted" stands in place of subject and body.
    pub retracted: bool,
    /// Its author edited it: subject and body are the newest version's.
    pub edited: bool,
    /// It has comments below (a nested list opens after it).
    pub opens: bool,
    /// How many nested lists close after it.
    pub closes: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "thread.html")]
/// The template of this page.
pub struct ThreadPage {
    nav: Nav,
    root: Row,
    rows: Vec<Row>,
    id: String,
    /// The user follows the whole thread here.
    following: bool,
    /// "complete: …" or how many documents have not arrived yet.
    completeness: String,
    /// Nothing is known to be missing.
    complete: bool,
    comments: usize,
    unread: usize,
    /// The address of the feed below it, announced in the page's head.
    feed: Option<String>,
    /// The way back up: the documents above it, the forum's root first.
    ancestors: Vec<Ancestor>,
    /// The Share box, on a forum's root.
    share: Option<Share>,
    /// The Moderation section, on a forum's root.
    moderation: Option<super::moderation::ModerationBox>,
    /// The tree collapsed to subject lines.
    subjects: bool,
    /// The page shown, from 1, of `n_pages`.
    page: usize,
    n_pages: usize,
    /// Where the first unread comment is: `#c-ID`, or `?page=N#c-ID` on another page.
    next_unread: Option<String>,
}

impl ThreadPage {
    /// This thread's address with the view kept and `page`.
    fn page_href(&self, page: usize) -> String {
        thread_href(&self.id, page, self.subjects)
    }
}

/// The address of the thread view of `id` at `page`, collapsed to subject lines or not.
fn thread_href(id: &str, page: usize, subjects: bool) -> String {
    let view = if subjects { "&view=subjects" } else { "" };
    format!("/t/{id}?page={page}{view}")
}

#[derive(Template)]
#[template(path = "tree.html")]
struct Tree<'a> {
    rows: &'a [Row],
    /// Collapsed to subject lines.
    subjects: bool,
}

/// Flattens a thread (without its root) into rows, depth first, oldest first at each level.
pub fn flatten(root: &ThreadEntry) -> Vec<Row> {
    fn walk(entry: &ThreadEntry, rows: &mut Vec<Row>, newest: Option<DocId>) {
        for child in &entry.children {
            rows.push(row(child, newest));
            if child.children.is_empty() {
                continue;
            }
            if let Some(last) = rows.last_mut() {
                last.opens = true;
            }
            walk(child, rows, newest);
            if let Some(last) = rows.last_mut() {
                last.closes += 1;
            }
        }
    }
    fn newest(entry: &ThreadEntry, best: &mut Option<(u64, DocId)>) {
        for child in &entry.children {
            if best.is_none_or(|(date, _)| child.date >= date) {
                *best = Some((child.date, child.id));
            }
            newest(child, best);
        }
    }
    let mut best = None;
    newest(root, &mut best);
    let mut rows = Vec::new();
    walk(root, &mut rows, best.map(|(_, id)| id));
    if let Some(first) = rows.iter_mut().find(|r| r.unread) {
        first.first_new = true;
    }
    rows
}

fn row(entry: &ThreadEntry, newest: Option<DocId>) -> Row {
    Row {
        id: entry.id.to_string(),
        subject: if entry.retracted {
            "(retracted)".to_owned()
        } else if entry.subject.is_empty() {
            short(&entry.id)
        } else {
            entry.subject.clone()
        },
        author: crate::identity::author_or_name(entry.author_info.as_ref(), &entry.author_name),
        hidden: entry.hidden,
        hidden_note: hidden_note(entry.hidden_by.as_ref()),
        hidden_by_moderator: entry.hidden_by.is_some(),
        author_id: entry.author_info.as_ref().map(|a| a.id),
        tools: None,
        date: format_date(entry.date),
        body: entry
            .content_type
            .as_deref()
            .map(|t| body_html(t, entry.body.as_deref()))
            .unwrap_or_default(),
        unread: !entry.read,
        first_new: false,
        newest: newest == Some(entry.id),
        linked: entry.linked,
        retracted: entry.retracted,
        edited: entry.superseded_by.is_some(),
        opens: false,
        closes: 0,
    }
}

/// `?fragment=tree` answers only the comment tree, for the live-update script.
#[derive(Deserialize)]
pub struct ThreadQuery {
    fragment: Option<String>,
    /// `subjects`: the tree collapsed to subject lines.
    view: Option<String>,
    /// The page of a long thread, from 1.
    page: Option<usize>,
}

/// `GET /t/{id}`: the thread as a collapsible tree; the script refreshes it as comments arrive.
pub async fn thread(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
    Query(query): Query<ThreadQuery>,
) -> WebResult<Response> {
    let doc = parse_doc(&id)?;
    let node = user.node();
    let (entry, view) = state.api.handle.thread_and_view(node, doc).await?;
    let all = flatten(&entry);
    let pages = paging::pages(&all, paging::PAGE_ROWS);
    let page = query.page.unwrap_or(1).clamp(1, pages.len()) - 1;
    let mut rows = all[pages[page].clone()].to_vec();
    let subjects = query.view.as_deref() == Some("subjects");
    // The owner and the moderators have Hide and Ban forms beside each comment; a forum whose
    // root has not arrived has no moderation to read.
    let forum = view.ancestors.first().map_or(doc, |a| a.id);
    if let Ok(moderating) = Moderating::of(&state, &user, forum).await {
        let back = thread_href(&id, page + 1, subjects);
        for row in &mut rows {
            row.tools = moderating.comment_tools(row, &user.csrf, &back);
        }
    }
    if query.fragment.as_deref() == Some("tree") {
        let html = Tree {
            rows: &rows,
            subjects,
        }
        .render()
        .map_err(|e| WebError::Internal(e.to_string()))?;
        // The completeness line travels beside the fragment, for the script to update it.
        let mut response = Html(html).into_response();
        if let Some(status) = &view.thread
            && let Ok(value) = header::HeaderValue::from_str(&completeness(status))
        {
            response
                .headers_mut()
                .insert("x-thread-completeness", value);
        }
        return Ok(response);
    }
    let unread = all.iter().filter(|r| r.unread).count();
    let moderation = if is_root(&view) {
        Some(super::moderation::ModerationBox::of(&state, &user, doc).await?)
    } else {
        None
    };
    // The first unread comment, on whichever page it is.
    let next_unread = all.iter().position(|r| r.unread).map(|i| {
        let on = paging::page_of(&pages, i);
        let id = &all[i].id;
        if on == page {
            format!("#c-{id}")
        } else {
            format!("?page={}#c-{id}", on + 1)
        }
    });
    Ok(ThreadPage {
        nav: Nav::of(&user, &state),
        root: row(&entry, None),
        comments: all.len(),
        unread,
        rows,
        id: doc.to_string(),
        following: view.flags.subscribed && view.flags.thread,
        completeness: view.thread.as_ref().map_or(String::new(), completeness),
        complete: view.thread.is_none_or(|t| t.complete),
        feed: super::feed::address(&state, &user, &doc).await?,
        share: is_root(&view).then(|| Share::of(&state, doc)),
        moderation,
        ancestors: view.ancestors,
        subjects,
        page: page + 1,
        n_pages: pages.len(),
        next_unread,
    }
    .into_response())
}

/// Whether `view` is a forum's root: held, with no parent.
fn is_root(view: &DocumentView) -> bool {
    view.document
        .as_ref()
        .is_some_and(|d| d.parent.is_none() && d.link.is_none())
}

/// "complete: 3 documents below", or how many have not arrived yet.
fn completeness(status: &cliqueclique_daemon::api::ThreadStatusView) -> String {
    let plural = |n: u32| if n == 1 { "" } else { "s" };
    let below = format!("{} document{} below", status.below, plural(status.below));
    if status.complete {
        format!("complete: {below}")
    } else {
        format!("{below}, {} not here yet, fetching", status.missing)
    }
}

/// A form that only carries its CSRF token.
#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

impl CsrfForm {
    /// The token.
    pub fn token(&self) -> &str {
        &self.csrf
    }
}

/// `POST /t/{id}/read`: marks the whole thread read.
pub async fn mark_thread_read(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let doc = parse_doc(&id)?;
    let node = user.node();
    state.api.handle.mark_thread_read(node, doc).await?;
    Ok(Redirect::to(&format!("/t/{doc}")).into_response())
}

/// Renders a thread page without the server, for the benchmark.
pub fn render_thread(entry: &ThreadEntry) -> Result<String, askama::Error> {
    let rows = flatten(entry);
    ThreadPage {
        nav: Nav::default(),
        root: row(entry, None),
        comments: rows.len(),
        unread: rows.iter().filter(|r| r.unread).count(),
        rows,
        id: entry.id.to_string(),
        following: false,
        completeness: String::new(),
        complete: true,
        feed: None,
        ancestors: Vec::new(),
        share: None,
        moderation: None,
        subjects: false,
        page: 1,
        n_pages: 1,
        next_unread: None,
    }
    .render()
}

#[derive(Template, WebTemplate)]
#[template(path = "network.html")]
/// The template of this page.
pub struct NetworkPage {
    nav: Nav,
    id: String,
    subject: String,
    svg: String,
    network: Network,
    holders: usize,
    subscribed: usize,
}

async fn load_network(state: &WebState, user: &User, doc: DocId) -> WebResult<Network> {
    let node = user.node();
    let installation = !state.settings.public;
    Ok(state.api.handle.network(node, doc, installation).await?)
}

/// `GET /d/{id}/network`: the overlay picture and its figures; the script refreshes it live.
pub async fn network_page(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
) -> WebResult<NetworkPage> {
    let doc = parse_doc(&id)?;
    let network = load_network(&state, &user, doc).await?;
    let node = user.node();
    let subject = state
        .api
        .handle
        .show(node, doc)
        .await?
        .document
        .map(|c| c.subject)
        .unwrap_or_default();
    Ok(NetworkPage {
        nav: Nav::of(&user, &state),
        id: doc.to_string(),
        subject,
        svg: crate::svg::network_svg(&network),
        holders: network.nodes.iter().filter(|n| n.has_body).count(),
        subscribed: network.nodes.iter().filter(|n| n.subscribed).count(),
        network,
    })
}

/// `GET /d/{id}/network.svg`: the picture alone.
pub async fn network_svg(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let doc = parse_doc(&id)?;
    let network = load_network(&state, &user, doc).await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml")],
        crate::svg::network_svg(&network),
    )
        .into_response())
}
