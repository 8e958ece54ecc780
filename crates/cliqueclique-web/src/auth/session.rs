//! Login sessions and CSRF tokens.
//!
//! A login sets the cookie `cc_session` to a random 256-bit token (`HttpOnly; SameSite=Strict;
//! Path=/`); the database keeps its blake3 hash, the account, a CSRF token and the expiry. The
//! [`User`] extractor finds the session of a request. Every state-changing form carries the
//! session's CSRF token in a hidden `csrf` field (scripts send it as `X-CSRF-Token`), checked with
//! [`User::check_csrf`]. Before login (setup, login and register forms) the token is a random
//! value in the cookie `cc_pre`, echoed by the form ([`AnonCsrf`], a double-submit check).

use super::{random_token, same_secret, token_hash};
use crate::error::WebError;
use crate::state::{WebState, now_secs};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use cliqueclique_doc::NodeId;
use cliqueclique_store::Account;

/// The session cookie.
pub const SESSION_COOKIE: &str = "cc_session";
/// The pre-login CSRF cookie.
pub const PRE_COOKIE: &str = "cc_pre";
/// The header scripts send the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value for our cookies: HttpOnly, SameSite=Strict, whole site; `Secure` on a
/// public website (which is served over HTTPS, behind a proxy that terminates TLS; browsers also
/// accept secure cookies from `http://127.0.0.1` and `http://localhost`).
pub fn set_cookie(name: &str, value: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static("cc_invalid=1"))
}

/// The logged-in person of a request.
#[derive(Clone, Debug)]
pub struct User {
    /// Their account.
    pub account: Account,
    /// Their session's CSRF token.
    pub csrf: String,
    /// Their session token's hash (for logout).
    pub token_hash: [u8; 32],
}

impl User {
    /// The node they act as.
    pub fn node(&self) -> NodeId {
        self.account.node
    }

    /// Refuses a state-changing request whose token is not this session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if same_secret(token, &self.csrf) {
            Ok(())
        } else {
            Err(WebError::Csrf)
        }
    }

    /// [`User::check_csrf`] with the token from the `X-CSRF-Token` header.
    pub fn check_csrf_header(&self, headers: &HeaderMap) -> Result<(), WebError> {
        let token = headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        self.check_csrf(token)
    }
}

/// The session of a request with a `cc_session` cookie, if it is live.
pub async fn session_of(state: &WebState, headers: &HeaderMap) -> Result<Option<User>, WebError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let hash = token_hash(token);
    let now = now_secs();
    let session = state.api.handle.session(hash, now).await?;
    Ok(session.map(|s| User {
        account: s.account,
        csrf: s.csrf_token,
        token_hash: hash,
    }))
}

impl FromRequestParts<WebState> for User {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<User, WebError> {
        if let Some(user) = parts.extensions.get::<User>() {
            return Ok(user.clone());
        }
        if let Some(user) = session_of(state, &parts.headers).await? {
            return Ok(user);
        }
        let accounts = state.api.handle.count_accounts().await?;
        Err(if accounts == 0 {
            WebError::SetupRequired
        } else {
            WebError::LoginRequired
        })
    }
}

/// Starts a session for `account`; returns the `Set-Cookie` header value.
pub async fn start(state: &WebState, account: i64) -> Result<HeaderValue, WebError> {
    let token = random_token();
    let hash = token_hash(&token);
    let csrf = random_token();
    let now = now_secs();
    let lifetime = state.settings.session_lifetime.as_secs();
    state
        .api
        .handle
        .create_session(hash, account, csrf, now, now + lifetime)
        .await?;
    Ok(set_cookie(
        SESSION_COOKIE,
        &token,
        lifetime,
        state.settings.public,
    ))
}

/// The pre-login CSRF token of a request: the `cc_pre` cookie's value, or a new one to set.
#[derive(Clone, Debug)]
pub struct AnonCsrf {
    /// The token the form must echo.
    pub token: String,
    /// A `Set-Cookie` value when the token is new.
    pub set: Option<HeaderValue>,
}

impl AnonCsrf {
    /// Refuses a pre-login form whose echoed token is not the cookie's.
    pub fn check(&self, echoed: &str) -> Result<(), WebError> {
        if self.set.is_none() && same_secret(echoed, &self.token) {
            Ok(())
        } else {
            Err(WebError::Csrf)
        }
    }
}

impl FromRequestParts<WebState> for AnonCsrf {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<AnonCsrf, Self::Rejection> {
        Ok(match cookie(&parts.headers, PRE_COOKIE) {
            Some(token) if token.len() == 52 => AnonCsrf {
                token: token.to_owned(),
                set: None,
            },
            _ => {
                let token = random_token();
                let set = set_cookie(PRE_COOKIE, &token, 24 * 3600, state.settings.public);
                AnonCsrf {
                    token,
                    set: Some(set),
                }
            }
        })
    }
}
