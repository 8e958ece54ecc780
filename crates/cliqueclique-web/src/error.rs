//! [`WebError`]: what a page reports when it fails, as an HTML page with a fitting status.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use cliqueclique_daemon::ApiError;
use cliqueclique_daemon::handle::{RegisterError, TableError};

/// A failed page request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebError {
    /// The daemon refused or failed (its status is kept).
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Bad input from the form.
    #[error("{0}")]
    BadRequest(String),
    /// Not logged in: go to the login page (or the setup page on a fresh installation).
    #[error("please log in")]
    LoginRequired,
    /// No owner account yet: go to the setup page.
    #[error("set up the owner account first")]
    SetupRequired,
    /// Logged in, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// A state-changing request without the right CSRF token.
    #[error("the form expired or came from another site; reload the page and try again")]
    Csrf,
    /// Too many failed logins, or registrations from one address.
    #[error("too many attempts; wait {0} seconds and try again")]
    RateLimited(u64),
    /// The database or a worker failed.
    #[error("{0}")]
    Internal(String),
}

impl WebError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Api(e) => e.status(),
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::LoginRequired => StatusCode::UNAUTHORIZED,
            WebError::SetupRequired => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<TableError> for WebError {
    fn from(e: TableError) -> WebError {
        match e {
            TableError::Api(e) => WebError::Api(e),
            TableError::Store(e) => e.into(),
        }
    }
}

impl From<RegisterError> for WebError {
    fn from(e: RegisterError) -> WebError {
        match e {
            RegisterError::OwnerExists | RegisterError::InviteUnknown => {
                WebError::Forbidden(e.to_string())
            }
            RegisterError::NameTaken(_) => WebError::BadRequest(e.to_string()),
            RegisterError::Account(e) => WebError::Internal(e.to_string()),
            RegisterError::Store(e) => e.into(),
            RegisterError::Api(e) => WebError::Api(e),
        }
    }
}

impl From<cliqueclique_store::StoreError> for WebError {
    fn from(e: cliqueclique_store::StoreError) -> WebError {
        WebError::Internal(format!("the database failed: {e}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    reason: &'a str,
    message: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::LoginRequired => return Redirect::to("/login").into_response(),
            WebError::SetupRequired => return Redirect::to("/setup").into_response(),
            _ => {}
        }
        let status = self.status();
        if status.is_server_error() {
            tracing::warn!(error = %self, "page failed");
        }
        let page = ErrorPage {
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("Error"),
            message: self.to_string(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, self.to_string()).into_response(),
        }
    }
}

/// A page result.
pub type WebResult<T> = Result<T, WebError>;
