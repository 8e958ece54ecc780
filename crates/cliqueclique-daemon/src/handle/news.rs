//! What the NNTP reader server reads from the node thread: a node's followed forums as newsgroups,
//! their articles numbered once in arrival order (kept in the store's `nntp_*` tables), overviews
//! and single documents. The protocol and the article format live in `cliqueclique-nntp`; this
//! side knows forums, documents and what a node's user may see.

use super::{Handle, NodeRef};
use crate::actor::Actor;
use crate::actor::moderation::ForumModeration;
use crate::error::ApiError;
use cliqueclique_dir::schema::Entry;
use cliqueclique_doc::{DocId, Document, NodeId};
use cliqueclique_store::{ArticleInfo, ArticleRow, NewsGroup, PeerMarks, StoreError};
use std::collections::{BTreeMap, BTreeSet};

/// How the NNTP server measures articles.
#[derive(Clone, Copy, Debug)]
pub struct NewsRules {
    /// The lines of a document's body as an article shows it.
    pub lines: fn(&Document) -> u64,
}

/// How many characters of the root id name an unpublished forum.
pub const ID_PREFIX_CHARS: usize = 12;

/// The longest group name.
pub const MAX_GROUP_NAME: usize = 64;

/// The group name of a forum: from its published directory name if that gives a valid one,
/// else (`published` is `None`) from its root id: `cc.` and its first [`ID_PREFIX_CHARS`]
/// characters. A published name is lower-cased, and characters a group name cannot have become `-`.
pub fn group_name(published: Option<&str>, root: &DocId) -> Option<String> {
    match published {
        Some(name) => {
            let mut out = String::new();
            for c in name.chars().flat_map(char::to_lowercase) {
                let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '_' | '-') {
                    c
                } else {
                    '-'
                };
                if !(c == '-' && out.ends_with('-')) {
                    out.push(c);
                }
            }
            let out: String = out
                .trim_matches(['-', '.'])
                .chars()
                .take(MAX_GROUP_NAME)
                .collect();
            valid_group_name(&out).then_some(out)
        }
        None => Some(format!("cc.{}", &root.to_string()[..ID_PREFIX_CHARS])),
    }
}

/// Whether `name` can be a group name here: 1 to [`MAX_GROUP_NAME`] characters of lower-case
/// letters, digits and `.+_-`, not starting or ending with a dot and without two dots in a row.
/// (RFC 3977 allows more; these are the names every newsreader handles.)
pub fn valid_group_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_GROUP_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._+-".contains(&b))
        && !name.starts_with('.')
        && !name.ends_with('.')
        && !name.contains("..")
}

/// The most parents followed up a thread for `References:`.
const MAX_REFERENCES: usize = 64;

/// A newsgroup with its article numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupState {
    /// The group.
    pub group: NewsGroup,
    /// The lowest number of an article served (`high + 1` when there is none).
    pub low: u64,
    /// The highest number given.
    pub high: u64,
    /// How many articles are served.
    pub count: u64,
}

/// An article as the NNTP server shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewsArticle {
    /// The numbered row with the overview fields.
    pub row: ArticleRow,
    /// The name to show for the author: the user's petname for the key, else the claimed name.
    pub author_display: String,
    /// The parent chain, the root first and the parent last.
    pub references: Vec<DocId>,
}

/// An article with its document.
#[derive(Clone, Debug)]
pub struct NewsDocument {
    /// The article.
    pub article: NewsArticle,
    /// The group's name.
    pub group: String,
    /// The document, as stored.
    pub document: Document,
}

/// What a node's user is not shown: muted and blocked authors, documents their authors
/// retracted, and documents hidden by the moderation of a forum the user applies.
struct NewsFilter {
    marks: BTreeMap<NodeId, PeerMarks>,
    retracted: BTreeSet<DocId>,
    hidden: BTreeSet<DocId>,
}

/// Whether the node's user is shown a numbered document as an article: it is one (not a link,
/// directory, edit, retraction or moderation document), its author is not muted or blocked, its
/// author did not retract it, and no moderator the user follows hid it. This is the one filter
/// every listing and fetch goes through.
fn served(row: &ArticleRow, filter: &NewsFilter) -> bool {
    let muted = filter
        .marks
        .get(&row.info.author)
        .is_some_and(|m| m.muted || m.blocked);
    row.info.served
        && !muted
        && !filter.retracted.contains(&row.info.doc)
        && !filter.hidden.contains(&row.info.doc)
}

impl Actor {
    /// The filter of what `node`'s user is served, over the articles `rows` of the forums `roots`.
    fn news_filter(
        &self,
        node: NodeId,
        roots: impl IntoIterator<Item = DocId>,
        rows: &[ArticleRow],
    ) -> NewsFilter {
        let core = &self.nodes[&node].node;
        let retracted = rows
            .iter()
            .filter(|r| core.retraction(&r.info.doc, &r.info.author).is_some())
            .map(|r| r.info.doc)
            .collect();
        let mut hidden = BTreeSet::new();
        for root in roots {
            let moderation = ForumModeration::read(core, root);
            if !moderation.ignored {
                hidden.extend(moderation.hidden.keys().copied());
            }
        }
        NewsFilter {
            marks: core.store().peer_marks(),
            retracted,
            hidden,
        }
    }

    /// The forums `node` follows (subscribed documents without a parent) and the directory name
    /// each is published under, if the node holds one.
    fn followed_forums(&self, node: NodeId) -> Vec<(DocId, Option<String>)> {
        let core = &self.nodes[&node].node;
        let mut forums: BTreeMap<DocId, Option<String>> = core
            .subscriptions()
            .filter(|s| s.flags.subscribed && s.meta.is_some_and(|m| m.parent.is_none()))
            .map(|s| (s.doc, None))
            .collect();
        for sub in core.subscriptions() {
            let Some(target) = sub.meta.and_then(|m| m.link_child) else {
                continue;
            };
            if !forums.get(&target).is_some_and(Option::is_none) {
                continue;
            }
            if let Some(Entry::Name { name, target, .. }) =
                core.document(&sub.doc).as_ref().and_then(Entry::of)
            {
                forums.insert(target, Some(name.as_str().to_owned()));
            }
        }
        // Directory roots are followed like forums but are not discussions.
        forums
            .into_iter()
            .filter(|(root, _)| {
                !matches!(
                    core.document(root).as_ref().and_then(Entry::of),
                    Some(Entry::Root { .. })
                )
            })
            .collect()
    }

    /// Names any forum without a group and numbers the documents that arrived since the last call.
    fn sync_news(&mut self, node: NodeId, rules: NewsRules) -> Result<Vec<GroupState>, ApiError> {
        let now = self.now().as_millis() / 1000;
        let forums = self.followed_forums(node);
        let db = self.database();
        let known: BTreeMap<DocId, NewsGroup> = db
            .news_groups(&node)
            .map_err(store_failed)?
            .into_iter()
            .map(|g| (g.root, g))
            .collect();
        for (root, published) in &forums {
            let group = known.get(root);
            if group.is_some_and(|g| g.renamed) {
                continue;
            }
            let wanted = group_name(published.as_deref(), root).or_else(|| group_name(None, root));
            if let Some(name) = wanted
                && group.is_none_or(|g| g.name != name)
                && db.set_news_group(&node, root, &name, false, now).is_err()
                && group.is_none()
                && let Some(fallback) = group_name(None, root)
            {
                // The published name is another group's: the id's name is unique.
                db.set_news_group(&node, root, &fallback, false, now)
                    .map_err(store_failed)?;
            }
        }
        for (root, _) in &forums {
            self.number_new(node, *root, now, rules)?;
        }
        let db = self.database();
        let mut states = Vec::new();
        for group in db.news_groups(&node).map_err(store_failed)? {
            if !forums.iter().any(|(root, _)| *root == group.root) {
                continue;
            }
            let rows = db
                .articles_in_range(&node, &group.root, 1, u64::MAX)
                .map_err(store_failed)?;
            let filter = self.news_filter(node, [group.root], &rows);
            let high = rows.last().map_or(0, |r| r.number);
            let shown: Vec<u64> = rows
                .iter()
                .filter(|r| served(r, &filter))
                .map(|r| r.number)
                .collect();
            states.push(GroupState {
                group,
                low: shown.first().copied().unwrap_or(high + 1),
                high,
                count: shown.len() as u64,
            });
        }
        Ok(states)
    }

    /// Numbers the held documents below `root` that have no number yet.
    fn number_new(
        &mut self,
        node: NodeId,
        root: DocId,
        now: u64,
        rules: NewsRules,
    ) -> Result<(), ApiError> {
        let numbered: BTreeSet<DocId> = self
            .database()
            .numbered_documents(&node, &root)
            .map_err(store_failed)?
            .into_iter()
            .map(|(doc, _)| doc)
            .collect();
        let core = &self.nodes[&node].node;
        let mut new = Vec::new();
        let mut seen = BTreeSet::new();
        let mut stack = vec![root];
        while let Some(doc) = stack.pop() {
            if !seen.insert(doc) {
                continue;
            }
            let Some(sub) = core.subscription(&doc) else {
                continue;
            };
            if !sub.has_body() {
                continue;
            }
            // A link document's attached document belongs where it was posted, not here.
            if sub.meta.is_some_and(|m| m.link_child.is_none()) {
                stack.extend(core.children(&doc).copied());
            }
            if numbered.contains(&doc) {
                continue;
            }
            let Some(document) = core.document(&doc) else {
                continue;
            };
            new.push(ArticleInfo {
                doc,
                parent: document.semantic_parent(),
                served: document.link().is_none()
                    && Entry::of(&document).is_none()
                    && document.revision().is_none()
                    && document.moderation().is_none(),
                author: document.author(),
                author_name: document.author_name().to_owned(),
                subject: document.subject().to_owned(),
                date: document.date(),
                bytes: document.len() as u64,
                lines: (rules.lines)(&document),
            });
        }
        self.database()
            .number_articles(&node, &root, new, now)
            .map_err(store_failed)
    }

    /// The served articles of group `root` numbered `low..=high`.
    fn news_range(
        &self,
        node: NodeId,
        root: DocId,
        low: u64,
        high: u64,
    ) -> Result<Vec<NewsArticle>, ApiError> {
        let all = self
            .database()
            .articles_in_range(&node, &root, 1, u64::MAX)
            .map_err(store_failed)?;
        let filter = self.news_filter(node, [root], &all);
        let parents: BTreeMap<DocId, Option<DocId>> =
            all.iter().map(|r| (r.info.doc, r.info.parent)).collect();
        Ok(all
            .into_iter()
            .filter(|r| (low..=high).contains(&r.number) && served(r, &filter))
            .map(|row| news_article(row, &filter.marks, &parents))
            .collect())
    }

    /// Article `number` of group `root`, or the first copy of `doc` in any group, with its document.
    fn news_document(&self, node: NodeId, at: ArticleAt) -> Result<Option<NewsDocument>, ApiError> {
        let db = self.database();
        let row = match at {
            ArticleAt::Number(root, number) => db
                .articles_in_range(&node, &root, number, number)
                .map_err(store_failed)?
                .into_iter()
                .next(),
            ArticleAt::Id(doc) => db
                .article_by_doc(&node, &doc)
                .map_err(store_failed)?
                .into_iter()
                .next(),
        };
        let Some(row) = row else {
            return Ok(None);
        };
        let filter = self.news_filter(node, [row.root], std::slice::from_ref(&row));
        if !served(&row, &filter) {
            return Ok(None);
        }
        let Some(document) = self.nodes[&node].node.document(&row.info.doc) else {
            return Ok(None);
        };
        let group = db
            .news_groups(&node)
            .map_err(store_failed)?
            .into_iter()
            .find(|g| g.root == row.root)
            .map(|g| g.name)
            .unwrap_or_default();
        // The chain as a map of each ancestor to the next one up, as `news_article` reads it.
        let chain = db
            .ancestors(&node, &row.root, &row.info.doc, MAX_REFERENCES)
            .map_err(store_failed)?;
        let mut parents: BTreeMap<DocId, Option<DocId>> = BTreeMap::new();
        parents.insert(row.info.doc, row.info.parent);
        for pair in chain.windows(2) {
            parents.insert(pair[0], Some(pair[1]));
        }
        Ok(Some(NewsDocument {
            article: news_article(row, &filter.marks, &parents),
            group,
            document,
        }))
    }
}

/// A failed read or write of the NNTP tables.
fn store_failed(error: StoreError) -> ApiError {
    ApiError::Internal(error.to_string())
}

/// Where an article is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArticleAt {
    /// By group (its forum's root) and number.
    Number(DocId, u64),
    /// By document id.
    Id(DocId),
}

fn news_article(
    row: ArticleRow,
    marks: &BTreeMap<NodeId, PeerMarks>,
    parents: &BTreeMap<DocId, Option<DocId>>,
) -> NewsArticle {
    let mut references = Vec::new();
    let mut cur = row.info.parent;
    while let Some(parent) = cur {
        if references.len() >= MAX_REFERENCES || references.contains(&parent) {
            break;
        }
        references.push(parent);
        cur = parents.get(&parent).copied().flatten();
    }
    references.reverse();
    let author_display = marks
        .get(&row.info.author)
        .and_then(|m| m.petname.clone())
        .unwrap_or_else(|| row.info.author_name.clone());
    NewsArticle {
        row,
        author_display,
        references,
    }
}

impl Handle {
    /// `node`'s newsgroups, after naming new forums and numbering the documents that arrived.
    pub async fn news_groups(
        &self,
        node: NodeId,
        rules: NewsRules,
    ) -> Result<Vec<GroupState>, ApiError> {
        self.on(node, move |a, node| a.sync_news(node, rules)).await
    }

    /// Renames `node`'s group of forum `root` to `name`, a name the user chose, which then stays
    /// whatever the forum is published as.
    pub async fn rename_news_group(
        &self,
        node: impl Into<NodeRef>,
        root: DocId,
        name: String,
    ) -> Result<(), ApiError> {
        self.on(node, move |a, node| {
            if !valid_group_name(&name) {
                return Err(ApiError::BadRequest(format!(
                    "bad group name {name:?}: use 1 to {MAX_GROUP_NAME} lower-case letters, digits and .+_- \
                     (not starting or ending with a dot, no two dots in a row)"
                )));
            }
            if !a.followed_forums(node).iter().any(|(r, _)| *r == root) {
                return Err(ApiError::NotFound(format!(
                    "this node follows no forum {root}"
                )));
            }
            let now = a.now().as_millis() / 1000;
            a.database()
                .set_news_group(&node, &root, &name, true, now)
                .map_err(|_| ApiError::Conflict(format!("the group name {name:?} is taken")))
        })
        .await
    }

    /// The served articles of `node`'s group of `root` numbered `low..=high`, in order.
    pub async fn news_overview(
        &self,
        node: NodeId,
        root: DocId,
        low: u64,
        high: u64,
    ) -> Result<Vec<NewsArticle>, ApiError> {
        self.on(node, move |a, node| a.news_range(node, root, low, high))
            .await
    }

    /// One served article with its document, if `node` has it.
    pub async fn news_document(
        &self,
        node: NodeId,
        at: ArticleAt,
    ) -> Result<Option<NewsDocument>, ApiError> {
        self.on(node, move |a, node| a.news_document(node, at))
            .await
    }

    /// The served articles `node` numbered at or after `since` (unix seconds), with their groups' names.
    pub async fn news_since(
        &self,
        node: NodeId,
        since: u64,
    ) -> Result<Vec<(String, DocId)>, ApiError> {
        self.on(node, move |a, node| {
            let db = a.database();
            let names: BTreeMap<DocId, String> = db
                .news_groups(&node)
                .map_err(store_failed)?
                .into_iter()
                .map(|g| (g.root, g.name))
                .collect();
            let rows = db.articles_since(&node, since).map_err(store_failed)?;
            let filter = a.news_filter(node, names.keys().copied(), &rows);
            Ok(rows
                .into_iter()
                .filter(|r| served(r, &filter))
                .filter_map(|r| Some((names.get(&r.root)?.clone(), r.info.doc)))
                .collect())
        })
        .await
    }
}
