//! Extractors for the API's path parameters and JSON bodies, with errors in the API's format.

use crate::error::ApiError;
use crate::handle::NodeRef;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use cliqueclique_doc::DocId;
use serde::de::DeserializeOwned;

/// The `{node}` of a route: the local node it names, resolved by the call that acts on it.
pub(crate) struct NodeParam(pub NodeRef);

/// The `{id}` of a route: a document id.
pub(crate) struct DocParam(pub DocId);

/// The `{root}` of a route: a directory's root document.
pub(crate) struct RootParam(pub DocId);

/// A JSON request body.
pub(crate) struct ApiJson<T>(pub T);

/// The value of path parameter `name`.
async fn param<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
    name: &str,
) -> Result<String, Response> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(IntoResponse::into_response)?;
    params
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .ok_or_else(|| ApiError::Internal(format!("the route has no {{{name}}}")).into_response())
}

/// The document id in path parameter `name`.
async fn doc_param<S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
    name: &str,
) -> Result<DocId, Response> {
    let text = param(parts, state, name).await?;
    parse_doc(&text).map_err(IntoResponse::into_response)
}

/// Parses a document id from a path.
pub(crate) fn parse_doc(text: &str) -> Result<DocId, ApiError> {
    text.parse()
        .map_err(|e| ApiError::BadRequest(format!("bad document id {text:?}: {e}")))
}

/// Parses a JSON body.
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("bad JSON body: {e}")))
}

impl<S: Send + Sync> FromRequestParts<S> for NodeParam {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<NodeParam, Response> {
        Ok(NodeParam(NodeRef::Named(
            param(parts, state, "node").await?,
        )))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for DocParam {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<DocParam, Response> {
        doc_param(parts, state, "id").await.map(DocParam)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RootParam {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<RootParam, Response> {
        doc_param(parts, state, "root").await.map(RootParam)
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<ApiJson<T>, Response> {
        let body = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        parse(&body)
            .map(ApiJson)
            .map_err(IntoResponse::into_response)
    }
}
