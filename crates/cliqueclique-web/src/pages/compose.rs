//! Writing: a new forum (a root document), a reply, attaching existing documents to each other
//! with link documents (both directions), and importing an export file.

use super::reply::{ParentContext, preview};
use super::{Nav, parse_doc};
use crate::auth::User;
use crate::error::{WebError, WebResult};
use crate::state::WebState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use cliqueclique_daemon::api::{NewAttachment, NewPost};
use data_encoding::BASE64;
use serde::Deserialize;

/// The content types offered by the compose form.
const CONTENT_TYPES: [(&str, &str); 3] = [
    ("text/plain; charset=utf-8", "Plain text"),
    ("text/markdown; charset=utf-8", "Markdown"),
    ("text/html; charset=utf-8", "HTML (sanitised when shown)"),
];

#[derive(Template, WebTemplate)]
#[template(path = "compose.html")]
/// The template of this page.
pub struct ComposePage {
    nav: Nav,
    parent: Option<(String, String)>,
    /// The text being answered, above the editor.
    context: Option<ParentContext>,
    /// The reply rendered as readers will see it, after Preview.
    preview: Option<String>,
    subject: String,
    body: String,
    content_type: String,
    content_types: [(&'static str, &'static str); 3],
    directories: Vec<super::directory::Choice>,
    dir_root: String,
    dir_name: String,
    error: Option<String>,
    /// The proof of work the forum requires of this user's post, announced beside Post.
    work: Option<super::work::WorkNotice>,
}

#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
/// The template of this page.
pub struct ImportPage {
    nav: Nav,
}

/// `?parent=ID` makes the form a reply; `&quote=1` starts it with the parent quoted.
#[derive(Deserialize)]
pub struct ComposeQuery {
    parent: Option<String>,
    #[serde(default)]
    quote: Option<String>,
}

/// `GET /compose`.
pub async fn compose_page(
    State(state): State<WebState>,
    user: User,
    Query(query): Query<ComposeQuery>,
) -> WebResult<ComposePage> {
    let parent = match query.parent.filter(|p| !p.is_empty()) {
        Some(text) => Some(parse_doc(&text)?),
        None => None,
    };
    let mut page = form_page(&state, &user, parent).await?;
    if query.quote.is_some_and(|q| q == "1")
        && let Some(context) = &page.context
    {
        page.body = context.quote.clone();
    }
    Ok(page)
}

/// The empty compose form, a reply to `parent` if given.
async fn form_page(
    state: &WebState,
    user: &User,
    parent: Option<cliqueclique_doc::DocId>,
) -> WebResult<ComposePage> {
    let node = user.node();
    let (parent, context, work) = match parent {
        Some(doc) => {
            let view = state.api.handle.show(node, doc).await?;
            let context = ParentContext::of(&view);
            // The forum's root: the first of the documents above, or the parent itself.
            let root = view.ancestors.first().map_or(doc, |a| a.id);
            let work = super::work::for_reply(state, node, root).await;
            let subject = view
                .newest
                .or(view.document)
                .map(|c| c.subject)
                .unwrap_or_default();
            (Some((doc.to_string(), subject)), context, work)
        }
        None => (None, None, None),
    };
    let subject = match &parent {
        Some((_, s)) if s.starts_with("Re: ") => s.clone(),
        Some((_, s)) => format!("Re: {s}"),
        None => String::new(),
    };
    let directories = super::directory::held_directories(state, node).await?;
    Ok(ComposePage {
        nav: Nav::of(user, state),
        parent,
        context,
        preview: None,
        subject,
        body: String::new(),
        content_type: String::new(),
        content_types: CONTENT_TYPES,
        directories,
        dir_root: String::new(),
        dir_name: String::new(),
        error: None,
        work,
    })
}

/// The fields of a multipart form, read whole.
#[derive(Default)]
struct Fields {
    text: std::collections::BTreeMap<String, String>,
    files: Vec<(String, String, Vec<u8>)>,
}

async fn read_multipart(mut multipart: Multipart) -> WebResult<Fields> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        WebError::BadRequest(format!("the form could not be read: {e}"))
    };
    let mut fields = Fields::default();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_owned();
        let filename = field.file_name().map(str::to_owned);
        let content_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_owned();
        let bytes = field.bytes().await.map_err(bad)?;
        match filename {
            Some(filename) if !filename.is_empty() || !bytes.is_empty() => {
                if !bytes.is_empty() {
                    fields.files.push((filename, content_type, bytes.to_vec()));
                }
            }
            Some(_) => {}
            None => {
                fields
                    .text
                    .insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    Ok(fields)
}

/// `POST /compose`: posts a new document (multipart form, with optional attachments).
pub async fn compose(
    State(state): State<WebState>,
    user: User,
    multipart: Multipart,
) -> WebResult<Response> {
    let fields = read_multipart(multipart).await?;
    let get = |name: &str| fields.text.get(name).cloned().unwrap_or_default();
    user.check_csrf(&get("csrf"))?;
    if fields.text.contains_key("preview") {
        let mut page = refilled(&state, &user, &fields).await?;
        page.preview = Some(preview(&get("content_type"), &get("body")));
        if !fields.files.is_empty() {
            page.error = Some("choose the attached files again before posting".into());
        }
        return Ok(page.into_response());
    }
    let id = match post_form(&state, &user, &fields).await {
        Ok(posted) => posted,
        Err(e) => return refill(&state, &user, &fields, e).await,
    };
    if let Some(root) = directory_of(&fields)? {
        let name = match get("dir_name").trim() {
            "" => get("subject").trim().to_owned(),
            name => name.to_owned(),
        };
        super::directory::publish(&state, user.node(), root, name.clone(), id)
            .await
            .map_err(|e| {
                WebError::BadRequest(format!(
                    "the document was posted ({id}), but publishing it under {name:?} failed: {e}; \
                     publish it again from its page"
                ))
            })?;
    }
    Ok(Redirect::to(&whole_thread_at(&state, &user, id).await?).into_response())
}

/// Where a new document is shown: a reply in its whole thread (the topic below the forum's
/// root), scrolled to it; a new topic or forum on its own page.
async fn whole_thread_at(
    state: &WebState,
    user: &User,
    id: cliqueclique_doc::DocId,
) -> WebResult<String> {
    let view = state.api.handle.show(user.node(), id).await?;
    Ok(match view.ancestors.get(1) {
        Some(topic) => format!("/t/{}#c-{id}", topic.id),
        None => format!("/t/{id}"),
    })
}

/// The directory the compose form publishes in, if any.
fn directory_of(fields: &Fields) -> WebResult<Option<cliqueclique_doc::DocId>> {
    match fields.text.get("dir_root").map_or("", |t| t.trim()) {
        "" => Ok(None),
        text => parse_doc(text).map(Some),
    }
}

/// The compose form again with what was typed and why it was refused; attached files are not
/// kept (a browser cannot refill a file input).
async fn refill(
    state: &WebState,
    user: &User,
    fields: &Fields,
    error: WebError,
) -> WebResult<Response> {
    let Ok(mut page) = refilled(state, user, fields).await else {
        return Err(error);
    };
    let mut message = error.to_string();
    if !fields.files.is_empty() {
        message.push_str(" (choose the attached files again)");
    }
    page.error = Some(message);
    Ok((error.status(), page).into_response())
}

/// The compose form again with what was typed.
async fn refilled(state: &WebState, user: &User, fields: &Fields) -> WebResult<ComposePage> {
    let get = |name: &str| fields.text.get(name).cloned().unwrap_or_default();
    let parent = parse_doc(&get("parent")).ok();
    let mut page = form_page(state, user, parent).await?;
    page.subject = get("subject");
    page.body = get("body");
    page.content_type = get("content_type");
    page.dir_root = get("dir_root");
    page.dir_name = get("dir_name");
    Ok(page)
}

/// Checks the compose form and posts its document: its id.
async fn post_form(
    state: &WebState,
    user: &User,
    fields: &Fields,
) -> WebResult<cliqueclique_doc::DocId> {
    let get = |name: &str| fields.text.get(name).cloned().unwrap_or_default();
    let subject = get("subject").trim().to_owned();
    if subject.is_empty() {
        return Err(WebError::BadRequest("a subject is needed".into()));
    }
    let parent = match get("parent").trim() {
        "" => None,
        text => Some(parse_doc(text)?),
    };
    let content_type = get("content_type");
    if !CONTENT_TYPES.iter().any(|(t, _)| *t == content_type) {
        return Err(WebError::BadRequest(format!(
            "bad content type {content_type:?}"
        )));
    }
    let post = NewPost {
        subject,
        body: Some(get("body").replace("\r\n", "\n")),
        content_type: Some(content_type),
        parent,
        attachments: fields
            .files
            .iter()
            .map(|(filename, content_type, data)| NewAttachment {
                filename: filename.clone(),
                content_type: Some(content_type.clone()),
                data: BASE64.encode(data),
            })
            .collect(),
        ..NewPost::default()
    };
    directory_of(fields)?;
    Ok(state.api.handle.post(user.node(), post).await?)
}

/// The link form on a document page.
#[derive(Deserialize)]
pub struct LinkForm {
    csrf: String,
    /// The other document's id.
    other: String,
    /// `child`: attach the other document under this one; `parent`: this one under the other.
    role: String,
    /// Show the parent under the child instead (the link travels with the child).
    #[serde(default)]
    reversed: Option<String>,
}

/// `POST /d/{id}/link`: posts a link document between this document and another held one.
pub async fn link(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<LinkForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let this = parse_doc(&id)?;
    let other = parse_doc(&form.other)?;
    let (parent, child) = match form.role.as_str() {
        "child" => (this, other),
        "parent" => (other, this),
        role => return Err(WebError::BadRequest(format!("bad role {role:?}"))),
    };
    let post = NewPost {
        subject: "link".into(),
        parent: Some(parent),
        link_child: Some(child),
        reversed: form.reversed.is_some(),
        ..NewPost::default()
    };
    let node = user.node();
    state.api.handle.post(node, post).await?;
    Ok(Redirect::to(&format!("/d/{this}")).into_response())
}

/// The MIME type of a forwarded document: an export file attached to a comment.
pub const FORWARD_TYPE: &str = "application/x-cliqueclique-export";

/// The forward form on a document page.
#[derive(Deserialize)]
pub struct ForwardForm {
    csrf: String,
    /// The document whose readers receive this one.
    to: String,
}

/// `POST /d/{id}/forward`: posts a comment under another document carrying this one's export, so
/// that its readers can take the document, with the forwarder as their peer for it.
pub async fn forward(
    State(state): State<WebState>,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<ForwardForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let doc = parse_doc(&id)?;
    let to = parse_doc(&form.to)?;
    let node = user.node();
    let (subject, export) = state.api.handle.export_with_subject(node, doc).await?;
    let post = NewPost {
        subject: format!("Fwd: {subject}"),
        body: Some(format!("Forwarded: {subject}")),
        parent: Some(to),
        attachments: vec![NewAttachment {
            filename: format!("{doc}.cliqueclique"),
            content_type: Some(FORWARD_TYPE.to_owned()),
            data: BASE64.encode(&export),
        }],
        ..NewPost::default()
    };
    let posted = state.api.handle.post(node, post).await?;
    Ok(Redirect::to(&format!("/t/{to}#c-{posted}")).into_response())
}

/// `POST /d/{id}/attachments/{index}/import`: takes a forwarded document (imports the attached
/// export: the document, a subscription, and the forwarder as a peer).
pub async fn take_forwarded(
    State(state): State<WebState>,
    user: User,
    Path((id, index)): Path<(String, usize)>,
    Form(form): Form<super::document::CsrfForm>,
) -> WebResult<Response> {
    user.check_csrf(form.token())?;
    let doc = parse_doc(&id)?;
    let node = user.node();
    let taken = state.api.handle.import_attachment(node, doc, index).await?;
    Ok(Redirect::to(&format!("/d/{taken}")).into_response())
}

/// `GET /import`.
pub async fn import_page(State(state): State<WebState>, user: User) -> ImportPage {
    ImportPage {
        nav: Nav::of(&user, &state),
    }
}

/// `POST /import`: stores the uploaded export, subscribes and links to the exporter.
pub async fn import(
    State(state): State<WebState>,
    user: User,
    multipart: Multipart,
) -> WebResult<Response> {
    let fields = read_multipart(multipart).await?;
    user.check_csrf(fields.text.get("csrf").map_or("", String::as_str))?;
    let Some((_, _, bytes)) = fields.files.into_iter().next() else {
        return Err(WebError::BadRequest("choose an export file".into()));
    };
    let node = user.node();
    let imported = state.api.handle.import(node, bytes).await?;
    Ok(Redirect::to(&format!("/d/{}", imported.doc)).into_response())
}
