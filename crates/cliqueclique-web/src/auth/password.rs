//! Password hashing with argon2 (default parameters), off the async threads.

use crate::error::WebError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

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
pub async fn hash(password: String) -> Result<String, WebError> {
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
pub async fn verify(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), stored.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}
