//! Who is asking: passwords, login sessions with their CSRF tokens, the login limiter, and the
//! guard in front of every request.

pub mod guard;
pub mod limiter;
pub mod password;
pub mod session;

pub use session::{AnonCsrf, User};

/// A fresh random token: 256 bits, as 52 base32 characters.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    data_encoding::BASE32_NOPAD.encode(&bytes).to_lowercase()
}

/// The hash under which a token is stored.
pub fn token_hash(token: &str) -> [u8; 32] {
    *blake3::hash(token.as_bytes()).as_bytes()
}

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
