//! The guard in front of every request (pages, static files and the JSON API).
//!
//! - **Host check** (local mode): the `Host` must be a loopback name, so a web page cannot reach
//!   the local node through DNS rebinding.
//! - **Cross-site check**: a state-changing request (not GET or HEAD) sent by a browser from
//!   another site (`Sec-Fetch-Site`, or an `Origin` other than this host) is refused. This also
//!   protects the JSON API, which trusts local programs and parses any body as JSON.
//! - **API access in public mode**: a call needs the owner token (`Authorization: Bearer`, full
//!   access), an account's API token, or a login session (with `X-CSRF-Token` when it changes
//!   something). An account reaches only `/api/nodes/{its node}/…`, its own events and its own
//!   entry in `/api/nodes`.
//! - **Headers** on every answer: a Content-Security-Policy without inline script,
//!   `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff` and `Referrer-Policy`.

use super::session::{CSRF_HEADER, session_of};
use super::{same_secret, token_hash};
use crate::state::WebState;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cliqueclique_daemon::AccessChecked;
use cliqueclique_store::Account;

/// The Content-Security-Policy of every answer.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Runs the checks, then the request, then adds the security headers.
pub async fn guard(State(state): State<WebState>, mut request: Request, next: Next) -> Response {
    let mut response = match check(&state, &mut request).await {
        Ok(()) => {
            // The API of a public website answers only requests this guard has let through.
            request.extensions_mut().insert(AccessChecked);
            next.run(request).await
        }
        Err(refusal) => refusal,
    };
    let headers = response.headers_mut();
    // A response that set a stricter policy of its own (an attachment's sandbox) keeps it.
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

async fn check(state: &WebState, request: &mut Request) -> Result<(), Response> {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if !state.settings.public && !loopback_host(&host) {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "this local node answers only to a loopback host name (127.0.0.1 or localhost)",
        ));
    }
    let safe = matches!(*request.method(), Method::GET | Method::HEAD);
    if !safe && cross_site(request.headers(), &host) {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "cross-site requests are refused",
        ));
    }
    if state.settings.public && request.uri().path().starts_with("/api/") {
        return api_access(state, request, safe).await;
    }
    Ok(())
}

/// Whether a `Host` header names this machine's loopback interface.
fn loopback_host(host: &str) -> bool {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    // A literal loopback address only: a name such as `127.attacker.example` begins like one
    // but is resolved by the attacker's DNS, which can rebind it to 127.0.0.1.
    matches!(name, "localhost" | "[::1]")
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Whether a browser sent this request from another site.
fn cross_site(headers: &HeaderMap, host: &str) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if matches!(fetch_site, Some("cross-site" | "same-site")) {
        return true;
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => false,
        Some(origin) => origin != format!("http://{host}") && origin != format!("https://{host}"),
    }
}

/// Public mode: who calls the API, and may they call this?
async fn api_access(state: &WebState, request: &mut Request, safe: bool) -> Result<(), Response> {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    if let (Some(token), Some(owner)) = (&bearer, &state.settings.owner_token)
        && same_secret(token, owner)
    {
        return Ok(());
    }
    let account = match bearer {
        Some(token) => {
            let hash = token_hash(&token);
            state
                .api
                .handle
                .account_by_api_token(hash)
                .await
                .ok()
                .flatten()
        }
        None => match session_of(state, request.headers()).await {
            Ok(Some(user)) => {
                if !safe {
                    let sent = request
                        .headers()
                        .get(CSRF_HEADER)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    if !same_secret(sent, &user.csrf) {
                        return Err(refuse(
                            StatusCode::FORBIDDEN,
                            "missing or wrong X-CSRF-Token",
                        ));
                    }
                }
                Some(user.account)
            }
            _ => None,
        },
    };
    let Some(account) = account else {
        return Err(refuse(
            StatusCode::UNAUTHORIZED,
            "this website's API needs a login session or an API token (Authorization: Bearer)",
        ));
    };
    authorize(state, request, &account).await
}

/// What an account may call: its own node's endpoints, its events, its entry in the node list.
async fn authorize(
    state: &WebState,
    request: &mut Request,
    account: &Account,
) -> Result<(), Response> {
    let forbidden = || {
        refuse(
            StatusCode::FORBIDDEN,
            "an account acts only as its own node",
        )
    };
    let path = request.uri().path().to_owned();
    let own = account.node;
    if path == "/api/nodes" && request.method() == Method::GET {
        let infos = state
            .api
            .handle
            .node_infos()
            .await
            .map_err(IntoResponse::into_response)?;
        let mine: Vec<_> = infos.into_iter().filter(|n| n.id == own).collect();
        return Err(Json(mine).into_response());
    }
    if path == "/api/events" {
        let uri: Uri = format!("/api/events?node={own}")
            .parse()
            .map_err(|_| forbidden())?;
        *request.uri_mut() = uri;
        return Ok(());
    }
    let Some(rest) = path.strip_prefix("/api/nodes/") else {
        return Err(forbidden());
    };
    let named = rest.split('/').next().unwrap_or("").to_owned();
    let node = state.api.handle.resolve(named).await;
    if node.ok() != Some(own) {
        return Err(forbidden());
    }
    let query = axum::extract::Query::<std::collections::BTreeMap<String, String>>::try_from_uri(
        request.uri(),
    )
    .map_err(|_| refuse(StatusCode::BAD_REQUEST, "bad query string"))?;
    if query.0.get("scope").is_some_and(|s| s != "node") {
        return Err(forbidden());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::loopback_host;

    #[test]
    fn v1_only_literal_loopback_hosts_pass_the_rebinding_check() {
        for good in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "127.1.2.3:80",
            "localhost:8080",
            "[::1]:8080",
        ] {
            assert!(loopback_host(good), "{good}");
        }
        for bad in [
            "127.attacker.example:8080",
            "127.0.0.1.attacker.example",
            "127.evil",
            "attacker.example",
            "localhost.attacker.example",
            "0x7f.0.0.1",
        ] {
            assert!(!loopback_host(bad), "{bad}");
        }
    }
}
