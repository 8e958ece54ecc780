//! What a document page lists around the document: its parent, its comments, the documents link
//! documents attach to it (each with where it hangs itself), and the documents it is attached
//! under. A document a link attaches is listed as attached only, never as a comment too.

use super::Related;
use crate::render::short;
use cliqueclique_daemon::api::{DocumentView, Revision};
use cliqueclique_doc::DocId;
use std::collections::{BTreeMap, BTreeSet};

/// Where an attached document hangs itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hangs {
    /// Under this document (its own parent).
    Under(Related),
    /// Nowhere: it is a forum's root.
    Root,
    /// Not known here: its body has not arrived.
    Unknown,
}

/// A document a link document attaches here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attached {
    /// The document.
    pub doc: Related,
    /// Where it hangs itself.
    pub hangs: Hangs,
}

/// The documents around one document, sorted for its page.
#[derive(Clone, Debug, Default)]
pub struct Family {
    /// The structural parent.
    pub parent: Option<Related>,
    /// Children that are neither link documents nor documents a link attaches here.
    pub comments: Vec<Related>,
    /// Documents attached here by a link document under this one (natural or reversed).
    pub attached: Vec<Attached>,
    /// Documents a link document shows this one under, besides its own parent.
    pub attached_to: Vec<Related>,
    /// The link documents among the children.
    pub links: Vec<Related>,
}

/// Sorts `view`'s parent and children, given the views of the documents around it that the node
/// knows and the documents it is attached under (`attached_under`).
pub fn family(
    view: &DocumentView,
    known: &BTreeMap<DocId, DocumentView>,
    attached_under: &[DocId],
) -> Family {
    let contents = |id: &DocId| known.get(id).and_then(|v| v.document.as_ref());
    let related = |id: DocId| {
        let other = contents(&id);
        Related {
            id: id.to_string(),
            subject: match (known.get(&id), other) {
                (Some(v), _) if v.retracted => "(retracted)".to_owned(),
                (Some(v), _) if v.newest.is_some() => v
                    .newest
                    .as_ref()
                    .map(|c| c.subject.clone())
                    .unwrap_or_default(),
                (_, Some(c)) => c.subject.clone(),
                (_, None) => short(&id),
            },
            author: other
                .map(|c| crate::identity::author_html(&c.author_info))
                .unwrap_or_default(),
        }
    };
    let mut family = Family {
        parent: view.document.as_ref().and_then(|c| c.parent).map(related),
        attached_to: attached_under
            .iter()
            .filter(|d| **d != view.id)
            .map(|d| related(*d))
            .collect(),
        ..Family::default()
    };
    // The documents link documents attach here: listed once, as attached.
    let attached: BTreeSet<DocId> = view
        .children
        .iter()
        .filter_map(|child| contents(child)?.attaches())
        .filter(|d| *d != view.id)
        .collect();
    let mut retracted = Vec::new();
    for child in &view.children {
        // Edits, retractions and moderation decisions are no comments: an edit shows in its
        // original's place, and a retraction of a document that is gone stands in for it.
        if contents(child).is_some_and(|c| c.moderation.is_some()) {
            continue;
        }
        match contents(child).and_then(|c| c.revision) {
            Some(Revision::Retracts(target)) if !view.children.contains(&target) => {
                retracted.push(target);
                continue;
            }
            Some(_) => continue,
            None => {}
        }
        match contents(child) {
            Some(c) if c.link.is_some() => {
                family.links.push(related(*child));
                let other = c.attaches().filter(|d| {
                    *d != view.id && !family.attached.iter().any(|a| a.doc.id == d.to_string())
                });
                if let Some(other) = other {
                    let hangs = match contents(&other) {
                        None => Hangs::Unknown,
                        Some(o) => o
                            .shown_under()
                            .map_or(Hangs::Root, |p| Hangs::Under(related(p))),
                    };
                    family.attached.push(Attached {
                        doc: related(other),
                        hangs,
                    });
                }
            }
            _ if attached.contains(child) => {}
            _ => family.comments.push(related(*child)),
        }
    }
    family
        .comments
        .extend(retracted.into_iter().map(|id| Related {
            id: id.to_string(),
            subject: "(retracted)".to_owned(),
            author: String::new(),
        }));
    family
}

#[cfg(test)]
mod tests {
    use super::*;
    use cliqueclique_daemon::api::{Contents, Flags, LinkDirection};
    use cliqueclique_doc::NodeId;

    fn id(n: u8) -> DocId {
        DocId([n; 32])
    }

    fn view(doc: DocId, contents: Option<Contents>, children: Vec<DocId>) -> DocumentView {
        DocumentView {
            id: doc,
            flags: Flags::default(),
            state: None,
            document: contents,
            children,
            thread: None,
            hidden: false,
            hidden_by: None,
            may_hide: false,
            retracted: false,
            superseded_by: None,
            newest: None,
            versions: Vec::new(),
            ancestors: Vec::new(),
        }
    }

    fn contents(subject: &str, link: Option<(LinkDirection, DocId)>) -> Contents {
        Contents {
            subject: subject.to_owned(),
            author: NodeId([9; 32]),
            author_name: "ann".to_owned(),
            author_info: cliqueclique_daemon::api::AuthorView {
                id: NodeId([9; 32]),
                name: "ann".to_owned(),
                fingerprint: NodeId([9; 32]).fingerprint(),
                petname: None,
                muted: false,
                blocked: false,
                name_collision: false,
            },
            date: 0,
            parent: None,
            child: link.map(|(_, child)| child),
            link: link.map(|(direction, _)| direction),
            content_type: "text/plain".to_owned(),
            body: None,
            body_base64: None,
            parts: Vec::new(),
            size: 0,
            revision: None,
            moderation: None,
        }
    }

    /// A link document from `parent` to `child`.
    fn link(direction: LinkDirection, parent: DocId, child: DocId) -> Contents {
        let mut c = contents("link", Some((direction, child)));
        c.parent = Some(parent);
        c
    }

    /// A comment under `parent`, or a forum's root.
    fn post(subject: &str, parent: Option<DocId>) -> Contents {
        let mut c = contents(subject, None);
        c.parent = parent;
        c
    }

    fn ids(list: &[Related]) -> Vec<String> {
        list.iter().map(|r| r.id.clone()).collect()
    }

    fn attached_ids(family: &Family) -> Vec<String> {
        family.attached.iter().map(|a| a.doc.id.clone()).collect()
    }

    #[test]
    fn children_are_sorted_into_comments_links_and_attachments() {
        let (page, comment, natural, missing, under) = (id(1), id(2), id(3), id(5), id(6));
        let mut known = BTreeMap::new();
        known.insert(comment, view(comment, Some(post("hi", Some(page))), vec![]));
        let natural_link = link(LinkDirection::Natural, page, under);
        known.insert(natural, view(natural, Some(natural_link), vec![]));
        known.insert(under, view(under, Some(post("under", None)), vec![]));
        let children = vec![comment, natural, missing];
        let family = family(&view(page, None, children), &known, &[]);

        assert!(family.parent.is_none());
        assert_eq!(
            ids(&family.comments),
            [comment.to_string(), missing.to_string()]
        );
        assert_eq!(ids(&family.links), [natural.to_string()]);
        assert_eq!(attached_ids(&family), [under.to_string()]);
        assert!(family.attached_to.is_empty());
        assert_eq!(family.comments[0].subject, "hi");
        assert_eq!(
            family.comments[1].subject,
            short(&missing),
            "a missing body shows its id"
        );
        let author = &family.attached[0].doc.author;
        assert!(author.contains(">ann<") && author.contains(&NodeId([9; 32]).fingerprint()));
        assert!(author.contains("class=\"identicon\""));
    }

    #[test]
    fn a_natural_link_lists_its_target_once_with_where_it_hangs() {
        // Under `page` hangs a natural link to `target`, which is a comment under `elsewhere`;
        // the node carries `target` as a child of `page` too.
        let (page, natural, target, elsewhere) = (id(1), id(2), id(3), id(4));
        let mut known = BTreeMap::new();
        let natural_link = link(LinkDirection::Natural, page, target);
        known.insert(natural, view(natural, Some(natural_link), vec![]));
        known.insert(
            target,
            view(target, Some(post("target", Some(elsewhere))), vec![]),
        );
        known.insert(
            elsewhere,
            view(elsewhere, Some(post("elsewhere", None)), vec![]),
        );
        let family = family(&view(page, None, vec![natural, target]), &known, &[]);

        assert!(family.comments.is_empty(), "{:?}", family.comments);
        assert_eq!(attached_ids(&family), [target.to_string()]);
        match &family.attached[0].hangs {
            Hangs::Under(p) => assert_eq!(
                (p.id.clone(), p.subject.as_str()),
                (elsewhere.to_string(), "elsewhere")
            ),
            other => panic!("{other:?}"),
        }
        assert!(family.attached_to.is_empty());
    }

    #[test]
    fn a_natural_link_shows_its_target_under_the_link_parent() {
        // The target's own page: it hangs under `elsewhere`, and the link shows it under `page`.
        let (page, target, elsewhere) = (id(1), id(3), id(4));
        let mut known = BTreeMap::new();
        known.insert(page, view(page, Some(post("page", None)), vec![]));
        known.insert(
            elsewhere,
            view(elsewhere, Some(post("elsewhere", None)), vec![]),
        );
        let target_view = view(target, Some(post("target", Some(elsewhere))), vec![]);
        let family = family(&target_view, &known, &[page]);

        assert_eq!(family.parent.map(|p| p.id), Some(elsewhere.to_string()));
        assert_eq!(ids(&family.attached_to), [page.to_string()]);
        assert_eq!(family.attached_to[0].subject, "page");
        assert!(family.attached.is_empty() && family.comments.is_empty());
    }

    #[test]
    fn a_reversed_link_attaches_its_parent_under_its_child_listed_once() {
        // A reversed link from `parent` to `page` shows `parent` under `page`: on `page` the node
        // carries the link and `parent` (a forum's root) as children.
        let (page, reversed, parent) = (id(1), id(2), id(3));
        let mut known = BTreeMap::new();
        let reversed_link = link(LinkDirection::Reversed, parent, page);
        known.insert(reversed, view(reversed, Some(reversed_link), vec![]));
        known.insert(parent, view(parent, Some(post("parent", None)), vec![]));
        let page_view = view(page, Some(post("page", None)), vec![reversed, parent]);
        let family = family(&page_view, &known, &[]);

        assert!(family.comments.is_empty(), "{:?}", family.comments);
        assert_eq!(ids(&family.links), [reversed.to_string()]);
        assert_eq!(attached_ids(&family), [parent.to_string()]);
        assert_eq!(family.attached[0].hangs, Hangs::Root);
        assert!(
            family.attached_to.is_empty(),
            "the page's own document is not shown under itself"
        );
    }

    #[test]
    fn a_reversed_link_shows_its_parent_under_its_child_never_under_itself() {
        // The reversed link's parent's own page: it is shown under `child`, and never under itself.
        let (page, child) = (id(1), id(3));
        let mut known = BTreeMap::new();
        known.insert(child, view(child, Some(post("child", None)), vec![]));
        let page_view = view(page, Some(post("page", None)), vec![]);
        let family = family(&page_view, &known, &[child, page]);

        assert_eq!(ids(&family.attached_to), [child.to_string()]);
        assert!(family.attached.is_empty() && family.comments.is_empty());
    }

    #[test]
    fn an_attached_document_not_held_says_so() {
        let (page, natural, target) = (id(1), id(2), id(3));
        let mut known = BTreeMap::new();
        let natural_link = link(LinkDirection::Natural, page, target);
        known.insert(natural, view(natural, Some(natural_link), vec![]));
        let family = family(&view(page, None, vec![natural, target]), &known, &[]);
        assert_eq!(attached_ids(&family), [target.to_string()]);
        assert_eq!(family.attached[0].hangs, Hangs::Unknown);
        assert!(family.comments.is_empty());
    }

    #[test]
    fn edits_and_retractions_are_no_comments() {
        let (page, edited, edit, gone, retraction) = (id(1), id(2), id(3), id(4), id(5));
        let mut known = BTreeMap::new();
        let mut edited_view = view(edited, Some(contents("old", None)), vec![]);
        edited_view.superseded_by = Some(edit);
        edited_view.newest = Some(contents("new", None));
        known.insert(edited, edited_view);
        let mut edit_contents = contents("new", None);
        edit_contents.revision = Some(Revision::Supersedes(edited));
        known.insert(edit, view(edit, Some(edit_contents), vec![]));
        let mut retraction_contents = contents("", None);
        retraction_contents.revision = Some(Revision::Retracts(gone));
        known.insert(
            retraction,
            view(retraction, Some(retraction_contents), vec![]),
        );
        let family = family(
            &view(page, None, vec![edited, edit, retraction]),
            &known,
            &[],
        );

        let shown: Vec<(String, String)> = family
            .comments
            .iter()
            .map(|r| (r.id.clone(), r.subject.clone()))
            .collect();
        assert_eq!(
            shown,
            [
                (edited.to_string(), "new".to_owned()),
                (gone.to_string(), "(retracted)".to_owned())
            ]
        );
    }
}
