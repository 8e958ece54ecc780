//! A forum's moderation on its pages: the Moderation section of a forum's page, the Ban button
//! beside an author's post on its page, the Hide and Ban forms beside each comment of the thread
//! view, and `POST /t/{root}/moderation`, which every Moderation and Ban form sends.
//!
//! The owner (the root's author) names and removes moderators and sets the forum's proof of work;
//! the owner and the moderators ban and unban authors; every other follower may ignore the
//! forum's moderation, or apply it again. Each form is a POST with the session's CSRF token and
//! makes the same daemon call as the CLI and the API; the daemon refuses what the node may not do.

use super::document::{Row, back_or};
use super::parse_doc;
use super::work::WorkNotice;
use crate::auth::User;
use crate::error::{WebError, WebResult};
use crate::identity::author_html;
use crate::state::WebState;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use cliqueclique_daemon::ApiError;
use cliqueclique_daemon::api::{DocumentView, Moderation, ModerationView, NodeId};
use cliqueclique_doc::DocId;
use cliqueclique_doc::document::work::MAX_WORK_BITS;
use serde::Deserialize;
use std::collections::BTreeSet;

/// A node in a list of the Moderation section.
#[derive(Clone, Debug)]
pub struct Listed {
    /// Its id.
    pub id: String,
    /// It, as HTML ([`author_html`]).
    pub author: String,
    /// Who decided it, as HTML (for a ban).
    pub by: String,
}

/// The Moderation section of a forum's page, as this node sees it.
#[derive(Clone, Debug)]
pub struct ModerationBox {
    /// This node owns the forum: it names moderators and sets the proof of work.
    pub owner: bool,
    /// This node owns or moderates the forum: it bans and unbans.
    pub moderates: bool,
    /// The owner, as HTML.
    pub owner_html: String,
    /// The moderators.
    pub moderators: Vec<Listed>,
    /// The banned nodes, each with who banned it.
    pub banned: Vec<Listed>,
    /// The forum's proof of work: leading zero bits (0: none).
    pub work_bits: u8,
    /// The expected time of one post's work, in words, when the forum requires work.
    pub work_estimate: Option<String>,
    /// The highest difficulty the owner may set.
    pub max_bits: u8,
    /// This node ignores the forum's moderation.
    pub ignored: bool,
}

impl ModerationBox {
    /// The section of the forum whose root is `root`, for `user`.
    pub async fn of(state: &WebState, user: &User, root: DocId) -> WebResult<ModerationBox> {
        let node = user.node();
        let view = state.api.handle.moderation(node, root).await?;
        let mut banned = Vec::new();
        for b in &view.banned {
            let author = match state.api.handle.person(node, b.id.clone()).await {
                Ok(person) => author_html(&person),
                Err(_) => format!("<code class=\"id\">{}</code>", crate::render::escape(&b.id)),
            };
            banned.push(Listed {
                id: b.id.clone(),
                author,
                by: author_html(&b.by),
            });
        }
        Ok(ModerationBox {
            owner: owns(&view, &node),
            moderates: moderates(&view, &node),
            owner_html: view.owner.as_ref().map(author_html).unwrap_or_default(),
            moderators: view
                .moderators
                .iter()
                .map(|m| Listed {
                    id: m.id.to_string(),
                    author: author_html(m),
                    by: String::new(),
                })
                .collect(),
            banned,
            work_bits: view.work_bits,
            work_estimate: WorkNotice::of(view.work_bits).map(|w| w.estimate),
            max_bits: MAX_WORK_BITS,
            ignored: view.ignored,
        })
    }
}

/// Whether `node` owns the forum.
fn owns(view: &ModerationView, node: &NodeId) -> bool {
    view.owner.as_ref().is_some_and(|o| o.id == *node)
}

/// Whether `node` owns or moderates the forum.
fn moderates(view: &ModerationView, node: &NodeId) -> bool {
    owns(view, node) || view.moderators.iter().any(|m| m.id == *node)
}

/// What the user may decide in one forum, read once for a page.
#[derive(Clone, Debug)]
pub struct Moderating {
    /// The forum's root.
    root: DocId,
    /// The user's node.
    me: NodeId,
    /// The owner, when the root is held.
    owner: Option<NodeId>,
    /// The user owns or moderates the forum.
    moderates: bool,
    /// The nodes banned from the forum now.
    banned: BTreeSet<String>,
}

impl Moderating {
    /// What `user` may decide in the forum whose root is `root`.
    pub async fn of(state: &WebState, user: &User, root: DocId) -> WebResult<Moderating> {
        let me = user.node();
        let view = state.api.handle.moderation(me, root).await?;
        Ok(Moderating {
            root,
            me,
            owner: view.owner.as_ref().map(|o| o.id),
            moderates: moderates(&view, &me),
            banned: view.banned.into_iter().map(|b| b.id).collect(),
        })
    }

    /// The Ban or Unban button beside a post by `author`: for the forum's owner and moderators,
    /// when the author is neither the user nor the owner.
    pub fn ban(&self, author: NodeId) -> Option<BanButton> {
        if !self.moderates || author == self.me || self.owner == Some(author) {
            return None;
        }
        let author = author.to_string();
        Some(BanButton {
            root: self.root.to_string(),
            banned: self.banned.contains(&author),
            author,
        })
    }

    /// The forms beside a comment of the thread view, for the forum's owner and moderators:
    /// Hide (or Unhide) and Ban author (or Unban author). `back` is the thread view's address,
    /// the comment's anchor is added to it.
    pub fn comment_tools(&self, row: &Row, csrf: &str, back: &str) -> Option<CommentTools> {
        // A document a link attaches may belong to another forum.
        if !self.moderates || row.linked {
            return None;
        }
        Some(CommentTools {
            csrf: csrf.to_owned(),
            back: format!("{back}#c-{}", row.id),
            hide: (!row.retracted).then_some(row.hidden_by_moderator),
            ban: row.author_id.and_then(|author| self.ban(author)),
        })
    }
}

/// The Ban or Unban button beside a post, for the forum's owner and moderators.
#[derive(Clone, Debug)]
pub struct BanButton {
    /// The forum's root.
    pub root: String,
    /// The post's author.
    pub author: String,
    /// The author is banned from the forum now: the button unbans.
    pub banned: bool,
}

impl BanButton {
    /// The button beside the document `view` shows, when `user` may ban its author: it owns or
    /// moderates the document's forum, and the author is neither the user nor the owner.
    pub async fn of(
        state: &WebState,
        user: &User,
        view: &DocumentView,
    ) -> WebResult<Option<BanButton>> {
        let (Some(root), Some(document)) = (view.ancestors.first(), &view.document) else {
            return Ok(None);
        };
        if !view.may_hide {
            return Ok(None);
        }
        let moderating = Moderating::of(state, user, root.id).await?;
        Ok(moderating.ban(document.author_info.id))
    }
}

/// The forms beside a comment of the thread view, for the forum's owner and moderators.
#[derive(Clone, Debug)]
pub struct CommentTools {
    /// The session's CSRF token.
    pub csrf: String,
    /// Where the forms go back to: the thread view at the comment.
    pub back: String,
    /// The Hide form, unless the comment is retracted: whether a moderator hid it (it unhides).
    pub hide: Option<bool>,
    /// The Ban author form.
    pub ban: Option<BanButton>,
}

/// Every form of the Moderation section and the Ban button.
#[derive(Deserialize)]
pub struct DecisionForm {
    csrf: String,
    /// `add-moderator`, `remove-moderator`, `ban`, `unban` (with `node`), `work` (with `bits`),
    /// `ignore` or `apply`.
    action: String,
    /// The node decided on: the user's petname for it, an id, a unique prefix of one this node
    /// knows, or a fingerprint ([`resolve`]).
    #[serde(default)]
    node: String,
    /// With `work`: the difficulty, 0 to lift it.
    #[serde(default)]
    bits: String,
    /// Where to go back to (a path on this site).
    #[serde(default)]
    back: String,
}

/// The node `text` names for the user's node `node`: the one key the user gave that petname, an
/// id, a unique id prefix or a fingerprint ([`cliqueclique_daemon::Handle::person`]); one it
/// names not, or several, is the user's mistake.
async fn resolve(state: &WebState, node: NodeId, text: &str) -> WebResult<NodeId> {
    match state.api.handle.person(node, text.to_owned()).await {
        Ok(peer) => Ok(peer.id),
        Err(ApiError::BadRequest(e) | ApiError::NotFound(e)) => Err(WebError::BadRequest(e)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /t/{root}/moderation`: signs the decision in the forum, or ignores or applies its
/// moderation for this node, then shows the page that sent it again.
pub async fn decide(
    State(state): State<WebState>,
    user: User,
    Path(root): Path<String>,
    Form(form): Form<DecisionForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let root = parse_doc(&root)?;
    let node = user.node();
    let handle = &state.api.handle;
    let state = &state;
    let on_node = |make: fn(NodeId) -> Moderation| async move {
        Ok::<_, WebError>(make(resolve(state, node, &form.node).await?))
    };
    let decision = match form.action.as_str() {
        "ignore" | "apply" => {
            handle
                .ignore_moderation(node, root, form.action == "ignore")
                .await?;
            None
        }
        "work" => {
            let bits = form.bits.trim().parse::<u8>().map_err(|_| {
                WebError::BadRequest(format!(
                    "the proof of work is a number of bits from 0 to {MAX_WORK_BITS}"
                ))
            })?;
            Some(Moderation::Work(bits))
        }
        "add-moderator" => Some(on_node(Moderation::AddModerator).await?),
        "remove-moderator" => Some(on_node(Moderation::RemoveModerator).await?),
        "ban" => Some(on_node(Moderation::Ban).await?),
        "unban" => Some(on_node(Moderation::Unban).await?),
        other => return Err(WebError::BadRequest(format!("no action {other:?}"))),
    };
    if let Some(decision) = decision {
        handle.moderate(node, root, decision).await?;
    }
    let back = back_or(form.back, || format!("/t/{root}#moderation"));
    Ok(Redirect::to(&back).into_response())
}
