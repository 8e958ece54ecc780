//! Accounts: owner setup on a fresh installation, login with rate limiting, logout, registration
//! (public mode: open, by invite or closed), password change, invites and API tokens.

use super::Nav;
use crate::auth::session::{self, SESSION_COOKIE, set_cookie};
use crate::auth::{AnonCsrf, User, client_address, password, random_token, token_hash};
use crate::error::{WebError, WebResult};
use crate::state::{REGISTRATION_SETTING, Registration, WebState, now_secs};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, Form, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cliqueclique_store::Account;
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The longest username.
const MAX_USERNAME: usize = 32;

#[derive(Template, WebTemplate)]
#[template(path = "setup.html")]
/// The template of this page.
pub struct SetupPage {
    nav: Nav,
    csrf: String,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
/// The template of this page.
pub struct LoginPage {
    nav: Nav,
    csrf: String,
    error: Option<String>,
    can_register: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "register.html")]
/// The template of this page.
pub struct RegisterPage {
    nav: Nav,
    csrf: String,
    error: Option<String>,
    invite_only: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
/// The template of this page.
pub struct AccountPage {
    nav: Nav,
    account: Account,
    registration: &'static str,
    registration_fixed: bool,
    new_invite: Option<String>,
    new_token: Option<String>,
}

/// The login form, the setup form and the registration form.
#[derive(Deserialize)]
pub struct Credentials {
    csrf: String,
    username: String,
    password: String,
    #[serde(default)]
    invite: String,
}

/// A form that only carries its CSRF token.
#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

/// Adds a `Set-Cookie` header when there is one.
fn with_cookie(response: impl IntoResponse, cookie: Option<HeaderValue>) -> Response {
    let mut response = response.into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The address the request came from, when the server was started with connection information:
/// the connection's, or behind a trusted reverse proxy the one it forwarded.
fn request_client(
    state: &WebState,
    extensions: &Extensions,
    headers: &HeaderMap,
) -> Option<IpAddr> {
    let peer = extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    Some(client_address(
        peer,
        headers,
        &state.api.config.http.trusted_proxies,
    ))
}

/// Now, since the Unix epoch, for the limiter.
fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// Whole seconds to wait, rounded up, for the message.
fn wait_secs(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

async fn count_accounts(state: &WebState) -> WebResult<u64> {
    Ok(state.api.handle.count_accounts().await?)
}

/// The registration mode: the command line's, else the stored setting, else invite-only.
pub async fn registration(state: &WebState) -> WebResult<Registration> {
    if let Some(fixed) = state.settings.registration {
        return Ok(fixed);
    }
    let stored = state.api.handle.setting(REGISTRATION_SETTING).await?;
    Ok(stored
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.parse().ok())
        .unwrap_or_default())
}

fn check_username(name: &str) -> WebResult<()> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() || name.len() > MAX_USERNAME || !name.chars().all(allowed) {
        return Err(WebError::BadRequest(format!(
            "choose a name of 1 to {MAX_USERNAME} letters, digits, '-', '_' or '.'"
        )));
    }
    Ok(())
}

/// `GET /setup`: the owner account form, on a fresh installation only.
pub async fn setup_page(State(state): State<WebState>, csrf: AnonCsrf) -> WebResult<Response> {
    if count_accounts(&state).await? > 0 {
        return Ok(Redirect::to("/login").into_response());
    }
    let page = SetupPage {
        nav: Nav::anonymous(&state),
        csrf: csrf.token.clone(),
        error: None,
    };
    Ok(with_cookie(page, csrf.set))
}

/// `POST /setup`: creates the owner account (acting as the installation's first node, made now
/// if there is none) and logs in.
pub async fn setup(
    State(state): State<WebState>,
    csrf: AnonCsrf,
    Form(form): Form<Credentials>,
) -> WebResult<Response> {
    csrf.check(&form.csrf)?;
    let username = form.username.trim().to_owned();
    let retry = |error: WebError| {
        let status = error.status();
        let page = SetupPage {
            nav: Nav::anonymous(&state),
            csrf: csrf.token.clone(),
            error: Some(error.to_string()),
        };
        (status, page).into_response()
    };
    if let Err(e) = check_username(&username).and_then(|()| password::check_new(&form.password)) {
        return Ok(retry(e));
    }
    let created = create_owner(&state.api, &state.hashing, &username, form.password).await;
    let account = match created {
        Ok(account) => account,
        Err(e) => return Ok(retry(e)),
    };
    let cookie = session::start(&state, account.id).await?;
    Ok(with_cookie(Redirect::to("/"), Some(cookie)))
}

/// Creates the owner account of a fresh installation, acting as its first node (made now, named
/// `username`, if there is none). Refused once any account exists. Its argon2 hash takes a turn
/// of `hashing`.
pub async fn create_owner(
    api: &cliqueclique_daemon::AppState,
    hashing: &password::Hashing,
    username: &str,
    password: String,
) -> WebResult<Account> {
    let hash = password::hash(hashing, password).await?;
    let now = now_secs();
    let username = username.to_owned();
    Ok(api.handle.create_owner(username, hash, now).await?)
}

/// `GET /login`.
pub async fn login_page(State(state): State<WebState>, csrf: AnonCsrf) -> WebResult<Response> {
    if count_accounts(&state).await? == 0 {
        return Ok(Redirect::to("/setup").into_response());
    }
    let page = LoginPage {
        nav: Nav::anonymous(&state),
        csrf: csrf.token.clone(),
        error: None,
        can_register: can_register(&state).await?,
    };
    Ok(with_cookie(page, csrf.set))
}

async fn can_register(state: &WebState) -> WebResult<bool> {
    Ok(state.settings.public && registration(state).await? != Registration::Closed)
}

/// `POST /login`: checks the password (rate-limited per name and address) and starts a session.
pub async fn login(
    State(state): State<WebState>,
    csrf: AnonCsrf,
    extensions: Extensions,
    headers: HeaderMap,
    Form(form): Form<Credentials>,
) -> WebResult<Response> {
    csrf.check(&form.csrf)?;
    let address = request_client(&state, &extensions, &headers);
    let username = form.username.trim().to_owned();
    let fail = |error: WebError, can_register: bool| {
        let page = LoginPage {
            nav: Nav::anonymous(&state),
            csrf: csrf.token.clone(),
            error: Some(error.to_string()),
            can_register,
        };
        (error.status(), page).into_response()
    };
    let can_register = can_register(&state).await?;
    match state.limiter.check(&username, address, since_epoch()) {
        Err(wait) => return Ok(fail(WebError::RateLimited(wait_secs(wait)), can_register)),
        // A name that failed lately is slowed down, never refused: the right password still works.
        Ok(hold) => tokio::time::sleep(hold).await,
    }
    let name = username.clone();
    let found = state.api.handle.account_by_name(name).await?;
    let verified = match found {
        Some((account, stored)) => password::verify(&state.hashing, form.password, stored)
            .await
            .then_some(account),
        None => {
            // Spend the same time as a real check, so names cannot be probed by timing.
            let _ = password::hash(&state.hashing, form.password).await;
            None
        }
    };
    let Some(account) = verified else {
        state.limiter.failed(&username, address, since_epoch());
        let error = WebError::Forbidden("wrong name or password".into());
        let mut response = fail(error, can_register);
        *response.status_mut() = StatusCode::UNAUTHORIZED;
        return Ok(response);
    };
    state.limiter.succeeded(&username);
    let cookie = session::start(&state, account.id).await?;
    Ok(with_cookie(Redirect::to("/"), Some(cookie)))
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<WebState>,
    user: User,
    Form(form): Form<CsrfOnly>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let hash = user.token_hash;
    state.api.handle.delete_session(hash).await?;
    Ok(with_cookie(
        Redirect::to("/login"),
        Some(set_cookie(SESSION_COOKIE, "", 0, state.settings.public)),
    ))
}

/// `GET /register` (public mode).
pub async fn register_page(State(state): State<WebState>, csrf: AnonCsrf) -> WebResult<Response> {
    let mode = registration_allowed(&state).await?;
    let page = RegisterPage {
        nav: Nav::anonymous(&state),
        csrf: csrf.token.clone(),
        error: None,
        invite_only: mode == Registration::Invite,
    };
    Ok(with_cookie(page, csrf.set))
}

async fn registration_allowed(state: &WebState) -> WebResult<Registration> {
    if !state.settings.public {
        return Err(WebError::Forbidden(
            "a local node has one account, its owner's".into(),
        ));
    }
    if count_accounts(state).await? == 0 {
        return Err(WebError::SetupRequired);
    }
    match registration(state).await? {
        Registration::Closed => Err(WebError::Forbidden("registration is closed".into())),
        mode => Ok(mode),
    }
}

/// `POST /register`: a new account with a new node of the same name.
pub async fn register(
    State(state): State<WebState>,
    csrf: AnonCsrf,
    extensions: Extensions,
    headers: HeaderMap,
    Form(form): Form<Credentials>,
) -> WebResult<Response> {
    csrf.check(&form.csrf)?;
    let mode = registration_allowed(&state).await?;
    let username = form.username.trim().to_owned();
    let retry = |error: WebError| {
        let page = RegisterPage {
            nav: Nav::anonymous(&state),
            csrf: csrf.token.clone(),
            error: Some(error.to_string()),
            invite_only: mode == Registration::Invite,
        };
        (error.status(), page).into_response()
    };
    if let Err(e) = check_username(&username).and_then(|()| password::check_new(&form.password)) {
        return Ok(retry(e));
    }
    let now = now_secs();
    let address = request_client(&state, &extensions, &headers);
    if let Err(wait) = state.limiter.register(address, since_epoch()) {
        return Ok(retry(WebError::RateLimited(wait_secs(wait))));
    }
    let invite = (mode == Registration::Invite).then(|| token_hash(form.invite.trim()));
    let hash = password::hash(&state.hashing, form.password).await?;
    let created = state
        .api
        .handle
        .register(username, hash, invite, now)
        .await?
        .map_err(WebError::from);
    let account = match created {
        Ok(account) => account,
        Err(e) => return Ok(retry(e)),
    };
    let cookie = session::start(&state, account.id).await?;
    Ok(with_cookie(Redirect::to("/"), Some(cookie)))
}

async fn account_view(
    state: &WebState,
    user: &User,
    new_invite: Option<String>,
    new_token: Option<String>,
) -> WebResult<Response> {
    Ok(AccountPage {
        nav: Nav::of(user, state),
        account: user.account.clone(),
        registration: registration(state).await?.as_str(),
        registration_fixed: state.settings.registration.is_some(),
        new_invite,
        new_token,
    }
    .into_response())
}

/// `GET /account`.
pub async fn account_page(State(state): State<WebState>, user: User) -> WebResult<Response> {
    account_view(&state, &user, None, None).await
}

/// The password change form.
#[derive(Deserialize)]
pub struct PasswordChange {
    csrf: String,
    current: String,
    new: String,
}

/// `POST /account/password`: ends every session of the account and starts a new one here.
pub async fn change_password(
    State(state): State<WebState>,
    user: User,
    Form(form): Form<PasswordChange>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    password::check_new(&form.new)?;
    let id = user.account.id;
    let stored = state
        .api
        .handle
        .account(id)
        .await?
        .map(|(_, hash)| hash)
        .ok_or(WebError::LoginRequired)?;
    if !password::verify(&state.hashing, form.current, stored).await {
        return Err(WebError::Forbidden("the current password is wrong".into()));
    }
    let hash = password::hash(&state.hashing, form.new).await?;
    state.api.handle.set_password(id, hash).await?;
    let cookie = session::start(&state, id).await?;
    Ok(with_cookie(Redirect::to("/account"), Some(cookie)))
}

/// The registration mode form.
#[derive(Deserialize)]
pub struct RegistrationForm {
    csrf: String,
    mode: String,
}

fn owner_only(user: &User) -> WebResult<()> {
    if user.account.is_owner {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "only the owner manages registration".into(),
        ))
    }
}

/// `POST /account/registration` (owner).
pub async fn set_registration(
    State(state): State<WebState>,
    user: User,
    Form(form): Form<RegistrationForm>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    owner_only(&user)?;
    let mode: Registration = form.mode.parse().map_err(WebError::BadRequest)?;
    state
        .api
        .handle
        .set_setting(REGISTRATION_SETTING, mode.as_str().as_bytes().to_vec())
        .await?;
    Ok(Redirect::to("/account").into_response())
}

/// `POST /account/invites` (owner): a one-time registration code, shown once.
pub async fn create_invite(
    State(state): State<WebState>,
    user: User,
    Form(form): Form<CsrfOnly>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    owner_only(&user)?;
    let code = random_token();
    let hash = token_hash(&code);
    let (id, now) = (user.account.id, now_secs());
    state.api.handle.create_invite(hash, id, now).await?;
    account_view(&state, &user, Some(code), None).await
}

/// `POST /account/token`: a new API token for scripts (replacing the old one), shown once.
pub async fn create_token(
    State(state): State<WebState>,
    user: User,
    Form(form): Form<CsrfOnly>,
) -> WebResult<Response> {
    user.check_csrf(&form.csrf)?;
    let token = random_token();
    let hash = token_hash(&token);
    let id = user.account.id;
    state.api.handle.set_api_token(id, hash).await?;
    account_view(&state, &user, None, Some(token)).await
}
