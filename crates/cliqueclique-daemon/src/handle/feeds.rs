//! Readers without a web login: the web accounts' feed tokens (the secret in an account's feed
//! addresses, which feed readers carry instead of a login, `feed_tokens`), and the node a local
//! installation's feeds and newsreaders read as.

use super::Handle;
use crate::error::ApiError;
use cliqueclique_doc::NodeId;

fn failed(error: cliqueclique_store::StoreError) -> ApiError {
    ApiError::Internal(error.to_string())
}

impl Handle {
    /// The node that readers without a login (feeds and newsreaders of a local installation)
    /// read as: the owner account's node, else the first local node, else none.
    pub async fn default_node(&self) -> Result<Option<NodeId>, ApiError> {
        self.try_call(|a| {
            let nodes: Vec<NodeId> = a.node_infos().iter().map(|n| n.id).collect();
            for node in &nodes {
                if a.database()
                    .account_of_node(node)
                    .map_err(failed)?
                    .is_some_and(|account| account.is_owner)
                {
                    return Ok(Some(*node));
                }
            }
            Ok(nodes.first().copied())
        })
        .await
    }

    /// The feed token of `account`, if it made one.
    pub async fn feed_token(&self, account: i64) -> Result<Option<String>, ApiError> {
        self.try_call(move |a| a.database().feed_token(account).map_err(failed))
            .await
    }

    /// Sets (or with `None` revokes) the feed token of `account`.
    pub async fn set_feed_token(
        &self,
        account: i64,
        token: Option<String>,
        now: u64,
    ) -> Result<(), ApiError> {
        self.try_call(move |a| {
            a.database()
                .set_feed_token(account, token.as_deref(), now)
                .map_err(failed)
        })
        .await
    }

    /// The node of the account whose feed token is `token`.
    pub async fn node_of_feed_token(&self, token: String) -> Result<Option<NodeId>, ApiError> {
        self.try_call(move |a| {
            a.database()
                .account_by_feed_token(&token)
                .map(|found| found.map(|(_, node)| node))
                .map_err(failed)
        })
        .await
    }
}
