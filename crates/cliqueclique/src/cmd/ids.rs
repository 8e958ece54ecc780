//! Naming documents and local nodes on the command line: a full id, or the first characters of one
//! (a unique prefix), as a newsreader user types them. Document prefixes are resolved by the
//! daemon against what the acting node knows (`GET /api/nodes/{node}/resolve/{prefix}`); node
//! prefixes against the daemon's list of local nodes. A prefix that matches several is an
//! [`Ambiguous`] error listing them.

use super::{Ctx, shown_subject};
use anyhow::{Context, bail};
use cliqueclique_daemon::api::{DocId, NodeInfo, Resolved};
use serde::Serialize;
use std::fmt;

/// How many characters of a document id the text output prints where a full id is too wide
/// (thread trees): 60 bits, unique among the documents of any node in practice, and accepted as a
/// prefix by every command.
pub const PRINTED_ID_CHARS: usize = 12;

/// The first [`PRINTED_ID_CHARS`] characters of `id`.
pub fn printed(id: &DocId) -> String {
    let mut text = id.to_string();
    text.truncate(PRINTED_ID_CHARS);
    text
}

/// One of the things an ambiguous prefix matches.
#[derive(Clone, Debug, Serialize)]
pub struct Candidate {
    /// Its full id.
    pub id: String,
    /// What it is, for people: a subject and author, or a node's name.
    pub label: String,
}

/// A prefix that matches several documents or nodes.
#[derive(Clone, Debug, Serialize)]
pub struct Ambiguous {
    /// "document" or "node".
    pub what: &'static str,
    /// The prefix typed.
    pub prefix: String,
    /// How many match.
    pub total: usize,
    /// The first of them.
    pub candidates: Vec<Candidate>,
}

impl fmt::Display for Ambiguous {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the id prefix {:?} matches {} {}s; give more characters of one of these:",
            self.prefix, self.total, self.what
        )?;
        for candidate in &self.candidates {
            write!(f, "\n  {}  {}", candidate.id, candidate.label)?;
        }
        if self.total > self.candidates.len() {
            write!(f, "\n  … and {} more", self.total - self.candidates.len())?;
        }
        Ok(())
    }
}

impl std::error::Error for Ambiguous {}

/// Whether `text` could be the beginning of an id (lower-case base32, at most 52 characters).
fn is_prefix(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 52
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
}

impl Ctx {
    /// The document `text` names for local node `node`: a full id as it is (it may name a document
    /// the node does not hold yet, as `join` needs), or the one document the node knows whose id
    /// starts with it.
    pub async fn doc(&self, node: &str, text: &str) -> anyhow::Result<DocId> {
        let text = text.trim().to_ascii_lowercase();
        if let Ok(id) = text.parse::<DocId>() {
            return Ok(id);
        }
        if !is_prefix(&text) {
            bail!(
                "bad document id {text:?}: ids are 52 characters of a-z and 2-7 (or their first few)"
            );
        }
        let resolved: Resolved = self
            .client
            .get(&format!("/api/nodes/{node}/resolve/{text}"))
            .await?;
        match resolved.matches.as_slice() {
            [only] if resolved.total == 1 => Ok(only.id),
            [] => bail!(
                "no document known here has an id starting with {text:?} (a document not held yet needs its full id)"
            ),
            matches => Err(Ambiguous {
                what: "document",
                prefix: text,
                total: resolved.total,
                candidates: matches
                    .iter()
                    .map(|m| Candidate {
                        id: m.id.to_string(),
                        label: format!("{} ({})", shown_subject(&m.subject), m.author_name),
                    })
                    .collect(),
            }
            .into()),
        }
    }
}

/// The local node `wanted` names among `nodes`: by name, by full id, or by a unique id prefix.
pub fn find_node<'a>(nodes: &'a [NodeInfo], wanted: &str) -> anyhow::Result<&'a NodeInfo> {
    if let Some(node) = nodes
        .iter()
        .find(|n| n.name == wanted || n.id.to_string() == wanted)
    {
        return Ok(node);
    }
    let prefix = wanted.to_ascii_lowercase();
    let matching: Vec<&NodeInfo> = if is_prefix(&prefix) {
        nodes
            .iter()
            .filter(|n| n.id.to_string().starts_with(&prefix))
            .collect()
    } else {
        Vec::new()
    };
    match matching.as_slice() {
        [only] => Ok(only),
        [] => None.with_context(|| {
            let names: Vec<&str> = nodes.iter().map(|n| n.name.as_str()).collect();
            format!(
                "no local node {wanted:?}; the nodes are: {}",
                if names.is_empty() {
                    "none yet (create one with `cliqueclique node create NAME`)".to_owned()
                } else {
                    names.join(", ")
                }
            )
        }),
        several => Err(Ambiguous {
            what: "node",
            prefix,
            total: several.len(),
            candidates: several
                .iter()
                .map(|n| Candidate {
                    id: n.id.to_string(),
                    label: n.name.clone(),
                })
                .collect(),
        }
        .into()),
    }
}
