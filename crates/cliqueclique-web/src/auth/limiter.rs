//! Rate-limited login: after a few failures for one username or from one address, further
//! attempts are refused for a while, so passwords cannot be guessed at speed.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Failures allowed per window for one username.
pub const MAX_PER_NAME: u32 = 5;
/// Failures allowed per window from one address.
pub const MAX_PER_ADDRESS: u32 = 20;
/// The window, in seconds.
pub const WINDOW_SECS: u64 = 300;
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
        let over = |key: String, max: u32| {
            failures
                .get(&key)
                .filter(|(start, n)| now < start + WINDOW_SECS && *n >= max)
                .map(|(start, _)| start + WINDOW_SECS - now)
        };
        let by_name = over(name_key(username), MAX_PER_NAME);
        let by_address = address.and_then(|a| over(address_key(a), MAX_PER_ADDRESS));
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
            let entry = failures.entry(key).or_insert((now, 0));
            if now >= entry.0 + WINDOW_SECS {
                *entry = (now, 0);
            }
            entry.1 += 1;
        }
        if failures.len() > MAX_KEYS {
            failures.retain(|_, (start, _)| now < *start + WINDOW_SECS);
        }
    }

    /// Forgets a username's failures after a successful login.
    pub fn succeeded(&self, username: &str) {
        self.lock().remove(&name_key(username));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, (u64, u32)>> {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
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
}
