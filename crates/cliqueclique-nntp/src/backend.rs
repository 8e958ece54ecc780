//! [`Installation`]: the [`Backend`] of a running daemon, over its node thread's [`Handle`], with
//! passwords checked against the web accounts exactly as the login page checks them.

use crate::article::body_lines;
use crate::session::{Backend, BackendError};
use cliqueclique_daemon::api::NewPost;
use cliqueclique_daemon::handle::{ArticleAt, GroupState, NewsArticle, NewsDocument, NewsRules};
use cliqueclique_daemon::{ApiError, Handle};
use cliqueclique_doc::{DocId, NodeId};
use cliqueclique_web::auth::password::{self, Hashing};
use std::time::{SystemTime, UNIX_EPOCH};

/// A running installation, as the NNTP sessions see it.
#[derive(Clone)]
pub struct Installation {
    handle: Handle,
    hashing: Hashing,
}

impl Installation {
    /// The installation behind `handle`.
    pub fn new(handle: Handle) -> Installation {
        Installation {
            handle,
            hashing: Hashing::default(),
        }
    }

    /// The node a local installation's sessions act as: the owner account's, else the first
    /// local node, else none.
    pub async fn local_node(&self) -> Result<Option<NodeId>, BackendError> {
        self.handle.default_node().await.map_err(failed)
    }
}

/// How this server counts lines.
const RULES: NewsRules = NewsRules { lines: body_lines };

fn failed(error: ApiError) -> BackendError {
    BackendError(error.to_string())
}

impl Backend for Installation {
    async fn authenticate(&self, user: &str, pass: &str) -> Result<Option<NodeId>, BackendError> {
        let found = self
            .handle
            .account_by_name(user.to_owned())
            .await
            .map_err(|e| BackendError(e.to_string()))?;
        let Some((account, stored)) = found else {
            return Ok(None);
        };
        let ok = password::verify(&self.hashing, pass.to_owned(), stored).await;
        Ok(ok.then_some(account.node))
    }

    async fn groups(&self, node: NodeId) -> Result<Vec<GroupState>, BackendError> {
        self.handle.news_groups(node, RULES).await.map_err(failed)
    }

    async fn overview(
        &self,
        node: NodeId,
        root: DocId,
        low: u64,
        high: u64,
    ) -> Result<Vec<NewsArticle>, BackendError> {
        self.handle
            .news_overview(node, root, low, high)
            .await
            .map_err(failed)
    }

    async fn document(
        &self,
        node: NodeId,
        at: ArticleAt,
    ) -> Result<Option<NewsDocument>, BackendError> {
        self.handle.news_document(node, at).await.map_err(failed)
    }

    async fn since(&self, node: NodeId, since: u64) -> Result<Vec<(String, DocId)>, BackendError> {
        self.handle.news_since(node, since).await.map_err(failed)
    }

    async fn post(
        &self,
        node: NodeId,
        subject: String,
        body: String,
        parent: DocId,
    ) -> Result<Result<DocId, String>, BackendError> {
        let post = NewPost {
            subject,
            body: Some(body),
            content_type: Some("text/plain; charset=utf-8".to_owned()),
            parent: Some(parent),
            ..NewPost::default()
        };
        match self.handle.post(node, post).await {
            Ok(doc) => Ok(Ok(doc)),
            Err(ApiError::Stopped) => Err(BackendError("the daemon is stopping".into())),
            Err(ApiError::Internal(e)) => Err(BackendError(e)),
            Err(refused) => Ok(Err(refused.to_string())),
        }
    }

    fn now(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}
