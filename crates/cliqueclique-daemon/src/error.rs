//! [`ApiError`]: what an API call reports when it fails, with its HTTP status.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A failed API call. The message names the problem; it is sent as `{ "error": "…" }`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// Malformed input: a bad id, address, name or document (400).
    #[error("{0}")]
    BadRequest(String),
    /// The caller is not allowed to call the API this way (401).
    #[error("{0}")]
    Unauthorized(String),
    /// The caller may not do this to this object, such as revising another author's document (403).
    #[error("{0}")]
    Forbidden(String),
    /// No such local node or document (404).
    #[error("{0}")]
    NotFound(String),
    /// The request contradicts the current state, such as a duplicate node name (409).
    #[error("{0}")]
    Conflict(String),
    /// Another installation could not be reached or refused (502).
    #[error("{0}")]
    Unreachable(String),
    /// Waiting for another installation took too long (504).
    #[error("{0}")]
    Timeout(String),
    /// The daemon is shutting down or failed internally (500 / 503).
    #[error("{0}")]
    Internal(String),
    /// The daemon is stopping (503).
    #[error("the daemon is shutting down")]
    Stopped,
}

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unreachable(_) => StatusCode::BAD_GATEWAY,
            ApiError::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Stopped => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The same kind of error with another message (the daemon stopping stays as it is).
    pub fn with_message(self, message: String) -> ApiError {
        match self {
            ApiError::BadRequest(_) => ApiError::BadRequest(message),
            ApiError::Unauthorized(_) => ApiError::Unauthorized(message),
            ApiError::Forbidden(_) => ApiError::Forbidden(message),
            ApiError::NotFound(_) => ApiError::NotFound(message),
            ApiError::Conflict(_) => ApiError::Conflict(message),
            ApiError::Unreachable(_) => ApiError::Unreachable(message),
            ApiError::Timeout(_) => ApiError::Timeout(message),
            ApiError::Internal(_) => ApiError::Internal(message),
            ApiError::Stopped => ApiError::Stopped,
        }
    }
}

impl From<crate::api::PostRefused> for ApiError {
    fn from(refused: crate::api::PostRefused) -> ApiError {
        ApiError::BadRequest(refused.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::warn!(error = %self, "API call failed");
        }
        let body = serde_json::json!({ "error": self.to_string() });
        (status, Json(body)).into_response()
    }
}
