//! A join in progress, as the overview lists it (`GET /api/nodes/{node}/overview`).

use cliqueclique_doc::DocId;
use serde::{Deserialize, Serialize};

/// A document being fetched: the node was told to join it and its body has not arrived. The
/// node goes on asking its peers for it until the body arrives or the join is cancelled
/// (`DELETE /api/nodes/{node}/documents/{id}/join`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Joining {
    /// The document.
    pub doc: DocId,
    /// The address the join went through, when this daemon started it since it last started.
    pub address: Option<String>,
    /// When the join started, unix seconds (with `address`).
    pub since: Option<u64>,
    /// Why the last wait for the body ended without it, if one did.
    pub last_error: Option<String>,
}
