//! What a document page lists around the document: its parent, its comments, and the documents
//! link documents attach to it or attach it under.

use super::Related;
use crate::render::short;
use cliqueclique_daemon::api::{DocumentView, LinkDirection};
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
            subject: other.map_or_else(|| short(&id), |c| c.subject.clone()),
            author: other
                .map(|c| crate::identity::author_html(&c.author_info))
                .unwrap_or_default(),
        }
    };
    let mut family = Family {
        parent: view.document.as_ref().and_then(|c| c.parent).map(related),
        ..Family::default()
    };
    for child in &view.children {
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
}
