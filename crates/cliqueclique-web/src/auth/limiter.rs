//! Rate limits on the anonymous forms that cost the server: after a few failed logins for one username or
//! from one address, further attempts are refused for a while, so passwords cannot be guessed at speed; and
//! one address may try to register only a few accounts an hour, since each one hashes a password and creates
//! a node, so a script cannot fill a public installation with accounts.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Failures allowed per window for one username.
pub const MAX_PER_NAME: u32 = 5;
/// Failures allowed per window from one address.
pub const MAX_PER_ADDRESS: u32 = 20;
/// The window, in seconds.
pub const WINDOW_SECS: u64 = 300;
/// Registration attempts (past the form's own checks) allowed per [`REGISTRATION_WINDOW_SECS`] from one address.
pub const MAX_REGISTRATIONS_PER_ADDRESS: u32 = 10;
/// The registration window, in seconds.
pub const REGISTRATION_WINDOW_SECS: u64 = 3600;
/// The most keys remembered; the oldest windows are dropped first.
const MAX_KEYS: usize = 10_000;

/// Failed logins per key, in fixed windows.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<BTreeMap<String, (u64, u32)>>,
}

impl LoginLimiter {
    /// `Err(seconds to wait)` if this username or address has failed too often lately.
    pub fn check(&self, username: &str, address: Option<IpAddr>, now: u64) -> Result<(), u64> {
        let failures = self.lock();
        let by_name = over(
            &failures,
            name_key(username),
            MAX_PER_NAME,
            WINDOW_SECS,
            now,
        );
        let by_address = address
            .and_then(|a| over(&failures, address_key(a), MAX_PER_ADDRESS, WINDOW_SECS, now));
        match by_name.max(by_address) {
            Some(wait) => Err(wait.max(1)),
            None => Ok(()),
        }
    }

    /// Counts a failed login.
    pub fn failed(&self, username: &str, address: Option<IpAddr>, now: u64) {
        let mut failures = self.lock();
        let keys = std::iter::once(name_key(username)).chain(address.map(address_key));
        for key in keys {
            count(&mut failures, key, WINDOW_SECS, now);
        }
    }

    /// Forgets a username's failures after a successful login.
    pub fn succeeded(&self, username: &str) {
        self.lock().remove(&name_key(username));
    }

    /// Counts a registration attempt from `address`; `Err(seconds to wait)`, and not counted, if the address
    /// has used up its attempts. Without an address (no socket information) nothing is limited.
    pub fn register(&self, address: Option<IpAddr>, now: u64) -> Result<(), u64> {
        let Some(address) = address else {
            return Ok(());
        };
        let mut attempts = self.lock();
        let key = format!("r:{address}");
        let limit = MAX_REGISTRATIONS_PER_ADDRESS;
        if let Some(wait) = over(&attempts, key.clone(), limit, REGISTRATION_WINDOW_SECS, now) {
            return Err(wait.max(1));
        }
        count(&mut attempts, key, REGISTRATION_WINDOW_SECS, now);
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, (u64, u32)>> {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `Some(seconds to wait)` if `key` has reached `max` in its current window of `window` seconds.
fn over(
    counts: &BTreeMap<String, (u64, u32)>,
    key: String,
    max: u32,
    window: u64,
    now: u64,
) -> Option<u64> {
    counts
        .get(&key)
        .filter(|(start, n)| now < start + window && *n >= max)
        .map(|(start, _)| start + window - now)
}

/// Counts one event for `key` in a window of `window` seconds (a new window once the old one is over).
fn count(counts: &mut BTreeMap<String, (u64, u32)>, key: String, window: u64, now: u64) {
    let entry = counts.entry(key).or_insert((now, 0));
    if now >= entry.0 + window {
        *entry = (now, 0);
    }
    entry.1 += 1;
    if counts.len() > MAX_KEYS {
        // The longest window bounds what is still needed.
        counts.retain(|_, (start, _)| now < *start + WINDOW_SECS.max(REGISTRATION_WINDOW_SECS));
    }
}

fn name_key(username: &str) -> String {
    format!("n:{}", username.to_lowercase())
}

fn address_key(address: IpAddr) -> String {
    format!("a:{address}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_username_is_locked_after_its_failures_until_the_window_ends() {
        let limiter = LoginLimiter::default();
        for _ in 0..MAX_PER_NAME {
            assert!(limiter.check("ann", None, 100).is_ok());
            limiter.failed("ann", None, 100);
        }
        assert_eq!(limiter.check("ann", None, 101), Err(WINDOW_SECS - 1));
        assert!(limiter.check("bob", None, 101).is_ok(), "others are free");
        assert!(limiter.check("ann", None, 100 + WINDOW_SECS).is_ok());
        limiter.failed("ann", None, 100 + WINDOW_SECS);
        assert!(
            limiter.check("ann", None, 101 + WINDOW_SECS).is_ok(),
            "a new window"
        );
    }

    #[test]
    fn an_address_is_locked_across_usernames() {
        let limiter = LoginLimiter::default();
        let address: IpAddr = [192, 0, 2, 1].into();
        for i in 0..MAX_PER_ADDRESS {
            limiter.failed(&format!("user{i}"), Some(address), 10);
        }
        assert!(limiter.check("fresh", Some(address), 11).is_err());
        assert!(limiter.check("fresh", None, 11).is_ok());
        limiter.succeeded("user1");
        assert!(
            limiter.check("fresh", Some(address), 11).is_err(),
            "success clears the name only"
        );
    }

    #[test]
    fn an_address_registers_a_few_accounts_an_hour() {
        let limiter = LoginLimiter::default();
        let address: Option<IpAddr> = "192.0.2.7".parse().ok();
        for _ in 0..MAX_REGISTRATIONS_PER_ADDRESS {
            assert!(limiter.register(address, 100).is_ok());
        }
        assert_eq!(
            limiter.register(address, 160),
            Err(REGISTRATION_WINDOW_SECS - 60)
        );
        let other: Option<IpAddr> = "192.0.2.8".parse().ok();
        assert!(limiter.register(other, 160).is_ok(), "others are free");
        assert!(
            limiter
                .register(address, 100 + REGISTRATION_WINDOW_SECS)
                .is_ok()
        );
        // Logins from the same address are counted apart.
        assert!(limiter.check("ann", address, 160).is_ok());
    }
}
