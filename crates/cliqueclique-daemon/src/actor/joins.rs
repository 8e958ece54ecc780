//! The joins this daemon started: through which address, since when, and why the last wait for
//! the body ended without it. A node told to join a document goes on asking its peers for it
//! after the wait of the join call is over; the overview lists every such document with this
//! record, and a join can be cancelled, so that nothing goes on being fetched unseen.

use super::Actor;
use crate::api::Joining;
use crate::error::ApiError;
use cliqueclique_doc::{DocId, NodeId};
use cliqueclique_proto::Command;
use std::collections::BTreeMap;

/// One join started here.
#[derive(Clone, Debug)]
struct JoinRecord {
    address: String,
    since: u64,
    last_error: Option<String>,
}

/// The joins started here, by local node and document.
#[derive(Debug, Default)]
pub(crate) struct JoinRecords(BTreeMap<(NodeId, DocId), JoinRecord>);

impl Actor {
    /// Whether local node `id` is fetching `doc`: told to join it, and its body not arrived.
    fn is_joining(&self, id: NodeId, doc: &DocId) -> bool {
        self.nodes
            .get(&id)
            .and_then(|l| l.node.subscription(doc))
            .is_some_and(|s| s.flags.joining && !s.has_body())
    }

    /// Records that `id` is joining `doc` through `address`. A join already under way keeps its
    /// start and forgets its last error: it is being tried again.
    pub(crate) fn record_join(&mut self, id: NodeId, doc: DocId, address: String) {
        let since = self.now().as_millis() / 1000;
        let joins: Vec<(NodeId, DocId)> = self.joins.0.keys().copied().collect();
        for (node, other) in joins {
            if (node, other) != (id, doc) && !self.is_joining(node, &other) {
                self.joins.0.remove(&(node, other));
            }
        }
        let record = self.joins.0.entry((id, doc)).or_insert(JoinRecord {
            address: String::new(),
            since,
            last_error: None,
        });
        record.address = address;
        record.last_error = None;
    }

    /// Records why the wait for `doc`'s body ended without it, while `id` goes on fetching it.
    pub(crate) fn record_join_error(&mut self, id: NodeId, doc: DocId, error: String) {
        if let Some(record) = self.joins.0.get_mut(&(id, doc)) {
            record.last_error = Some(error);
        }
    }

    /// The documents `id` is fetching, with how each join started here went.
    pub(crate) fn joining(&self, id: NodeId) -> Vec<Joining> {
        let Some(local) = self.nodes.get(&id) else {
            return Vec::new();
        };
        local
            .node
            .subscriptions()
            .filter(|s| s.flags.joining && !s.has_body())
            .map(|s| {
                let record = self.joins.0.get(&(id, s.doc));
                Joining {
                    doc: s.doc,
                    address: record.map(|r| r.address.clone()),
                    since: record.map(|r| r.since),
                    last_error: record.and_then(|r| r.last_error.clone()),
                }
            })
            .collect()
    }

    /// Cancels `id`'s join of `doc`: the node stops fetching it and lets its links to it go.
    pub(crate) fn cancel_join(&mut self, id: NodeId, doc: DocId) -> Result<(), ApiError> {
        if !self.is_joining(id, &doc) {
            self.joins.0.remove(&(id, doc));
            return Err(ApiError::NotFound(format!(
                "no join of document {doc} is in progress"
            )));
        }
        self.command(id, Command::Unsubscribe { doc })?;
        self.joins.0.remove(&(id, doc));
        Ok(())
    }
}
