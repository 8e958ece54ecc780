//! Password hashing with argon2 (default parameters), off the async threads.
//!
//! Each hash or check holds about 19 MiB for its duration, so they run at most
//! [`HASHING_PERMITS`] at a time ([`Hashing`]); further logins wait their turn, which costs a
//! waiting request a few bytes instead of another 19 MiB (a burst of 200 parallel logins
//! otherwise took the process to gigabytes).

use crate::error::WebError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// How many argon2 computations run at once.
pub const HASHING_PERMITS: usize = 2;

/// The turns for argon2 computations, shared by every login, registration and password change.
#[derive(Clone, Debug)]
pub struct Hashing(Arc<Semaphore>);

impl Default for Hashing {
    fn default() -> Hashing {
        Hashing(Arc::new(Semaphore::new(HASHING_PERMITS)))
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 8;

/// The longest password accepted (argon2 takes any length; this bounds the work).
pub const MAX_PASSWORD: usize = 1024;

/// Checks a new password's length.
pub fn check_new(password: &str) -> Result<(), WebError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(WebError::BadRequest(format!(
            "the password is too short: use at least {MIN_PASSWORD} characters"
        )));
    }
    if password.len() > MAX_PASSWORD {
        return Err(WebError::BadRequest("the password is too long".into()));
    }
    Ok(())
}

/// The argon2 PHC string of a password (with a fresh salt).
pub async fn hash(turns: &Hashing, password: String) -> Result<String, WebError> {
    let _turn = turns
        .0
        .acquire()
        .await
        .map_err(|e| WebError::Internal(format!("hashing the password failed: {e}")))?;
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| WebError::Internal(format!("hashing the password failed: {e}")))
    })
    .await
    .map_err(|e| WebError::Internal(format!("hashing the password failed: {e}")))?
}

/// Whether `password` matches a stored PHC string.
pub async fn verify(turns: &Hashing, password: String, stored: String) -> bool {
    let Ok(_turn) = turns.0.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), stored.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}
