//! What a document page lists around the document: its parent, its comments, and the documents
//! link documents attach to it or attach it under.

use super::Related;
use crate::render::short;
use cliqueclique_daemon::api::{DocumentView, LinkDirection, Revision};
use cliqueclique_doc::DocId;
use std::collections::BTreeMap;

/// The documents around one document, sorted for its page.
#[derive(Clone, Debug, Default)]
pub struct Family {
    /// The structural parent.
    pub parent: Option<Related>,
    /// Children that are not link documents.
    pub comments: Vec<Related>,
    /// Documents attached here by a natural link under this document.
    pub attached: Vec<Related>,
    /// Documents this one is shown under, by a reversed link under this document.
    pub attached_to: Vec<Related>,
    /// The link documents among the children.
    pub links: Vec<Related>,
}

/// Sorts `view`'s parent and children, given the views of those documents (and of the link
/// documents' children) that the node knows.
pub fn family(view: &DocumentView, known: &BTreeMap<DocId, DocumentView>) -> Family {
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
        ..Family::default()
    };
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
                // A natural link under this document attaches its child here; a reversed one
                // shows this document under its child.
                match (c.link, c.child) {
                    (Some(LinkDirection::Reversed), Some(other)) => {
                        family.attached_to.push(related(other));
                    }
                    (_, Some(other)) => family.attached.push(related(other)),
                    _ => {}
                }
            }
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
    use cliqueclique_daemon::api::{Contents, Flags};
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

    #[test]
    fn children_are_sorted_into_comments_links_and_attachments() {
        let (page, comment, natural, reversed, missing) = (id(1), id(2), id(3), id(4), id(5));
        let (under, over) = (id(6), id(7));
        let mut known = BTreeMap::new();
        known.insert(comment, view(comment, Some(contents("hi", None)), vec![]));
        let natural_link = contents("n", Some((LinkDirection::Natural, under)));
        known.insert(natural, view(natural, Some(natural_link), vec![]));
        let reversed_link = contents("r", Some((LinkDirection::Reversed, over)));
        known.insert(reversed, view(reversed, Some(reversed_link), vec![]));
        known.insert(under, view(under, Some(contents("under", None)), vec![]));
        let children = vec![comment, natural, reversed, missing];
        let family = family(&view(page, None, children), &known);

        let ids = |list: &[Related]| list.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert!(family.parent.is_none());
        assert_eq!(
            ids(&family.comments),
            [comment.to_string(), missing.to_string()]
        );
        assert_eq!(
            ids(&family.links),
            [natural.to_string(), reversed.to_string()]
        );
        assert_eq!(ids(&family.attached), [under.to_string()]);
        assert_eq!(ids(&family.attached_to), [over.to_string()]);
        assert_eq!(family.comments[0].subject, "hi");
        assert_eq!(
            family.comments[1].subject,
            short(&missing),
            "a missing body shows its id"
        );
        let author = &family.attached[0].author;
        assert!(author.contains(">ann<") && author.contains(&NodeId([9; 32]).fingerprint()));
        assert!(author.contains("class=\"identicon\""));
        assert_eq!(
            family.attached_to[0].author, "",
            "an unknown document has no author"
        );
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
        let family = family(&view(page, None, vec![edited, edit, retraction]), &known);

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
