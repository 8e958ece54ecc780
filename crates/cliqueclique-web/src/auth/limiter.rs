//! Limits on the anonymous forms that cost the server, made to slow a guesser without locking out the
//! owner of a password.
//!
//! - **Per name, a growing delay.** After a few failed logins for one name, every further attempt for it
//!   is held (the server waits before it checks the password) until a delay after the last failure has
//!   passed; the delay doubles with each failure, up to a cap. A guesser then gets a few tries a minute
//!   per name, while the owner's right password is never refused, only answered later. A success forgets
//!   the failures, and so does time without one.
//! - **Per address, a token bucket** of failed logins: an address may fail a burst of times, then once
//!   per refill period; beyond that its attempts are refused (429) until the bucket has a token again.
//!   IPv6 addresses count by their /64, which one client usually holds whole.
//! - **Registrations per address**, a token bucket too, since each one hashes a password and creates a
//!   node, so a script cannot fill a public installation with accounts.
//!
//! Behind a reverse proxy every connection comes from the proxy: the client's address comes from
//! `X-Forwarded-For` when the proxy is trusted ([`super::client_address`]), so that one client's failures
//! do not slow the whole site.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The limits' values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginLimits {
    /// Failed logins for one name that cost no delay.
    pub free_failures: u32,
    /// The delay after the first failure beyond the free ones; it doubles with each further one.
    pub first_delay: Duration,
    /// The cap on the delay, and so the longest the owner's right password waits.
    pub max_delay: Duration,
    /// How long a name's failures are remembered after the last one.
    pub name_memory: Duration,
    /// Failed logins one address may make in a burst.
    pub address_burst: u32,
    /// One more failed login for an address per this period.
    pub address_refill: Duration,
    /// Registrations one address may make in a burst.
    pub registration_burst: u32,
    /// One more registration for an address per this period.
    pub registration_refill: Duration,
}

impl Default for LoginLimits {
    fn default() -> LoginLimits {
        LoginLimits {
            free_failures: 3,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            name_memory: Duration::from_secs(3600),
            address_burst: 20,
            address_refill: Duration::from_secs(30),
            registration_burst: 10,
            registration_refill: Duration::from_secs(360),
        }
    }
}

/// The most names and addresses remembered; beyond that, the ones whose limits have run out are dropped.
const MAX_KEYS: usize = 10_000;

/// The failed logins of one name.
#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    last: Duration,
}

#[derive(Debug, Default)]
struct Tables {
    names: BTreeMap<String, Failures>,
    /// Token buckets as the time at which each would be full again (the generic cell rate algorithm).
    buckets: BTreeMap<String, Duration>,
}

/// Failed logins per name and per address, and registrations per address. Times are since the Unix epoch.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    limits: LoginLimits,
    tables: Mutex<Tables>,
}

impl LoginLimiter {
    /// A limiter with these limits.
    pub fn new(limits: LoginLimits) -> LoginLimiter {
        LoginLimiter {
            limits,
            tables: Mutex::default(),
        }
    }

    /// Before a login: `Err(wait)` if the address has used up its failures (the attempt is refused);
    /// otherwise `Ok(hold)`, how long to wait before checking the password, from the name's failures.
    pub fn check(
        &self,
        username: &str,
        address: Option<IpAddr>,
        now: Duration,
    ) -> Result<Duration, Duration> {
        let tables = self.lock();
        if let Some(address) = address {
            let tat = tables.buckets.get(&address_key(address)).copied();
            bucket(
                tat,
                now,
                self.limits.address_refill,
                self.limits.address_burst,
            )?;
        }
        let hold = tables
            .names
            .get(&name_key(username))
            .filter(|f| now < f.last + self.limits.name_memory)
            .map_or(Duration::ZERO, |f| {
                (f.last + self.delay(f.count)).saturating_sub(now)
            });
        Ok(hold)
    }

    /// Counts a failed login.
    pub fn failed(&self, username: &str, address: Option<IpAddr>, now: Duration) {
        let mut tables = self.lock();
        let memory = self.limits.name_memory;
        let failures = tables.names.entry(name_key(username)).or_insert(Failures {
            count: 0,
            last: now,
        });
        if now >= failures.last + memory {
            failures.count = 0;
        }
        failures.count = failures.count.saturating_add(1);
        failures.last = now;
        if let Some(address) = address {
            let key = address_key(address);
            let tat = tables.buckets.get(&key).copied();
            // Counted even beyond the burst, which `check` refuses before it comes to that.
            let full_at = tat.unwrap_or(now).max(now) + self.limits.address_refill;
            tables.buckets.insert(key, full_at);
        }
        self.prune(&mut tables, now);
    }

    /// Forgets a name's failures after a successful login.
    pub fn succeeded(&self, username: &str) {
        self.lock().names.remove(&name_key(username));
    }

    /// Counts a registration attempt from `address`; `Err(wait)`, and not counted, if the address has used
    /// up its attempts. Without an address (no socket information) nothing is limited.
    pub fn register(&self, address: Option<IpAddr>, now: Duration) -> Result<(), Duration> {
        let Some(address) = address else {
            return Ok(());
        };
        let mut tables = self.lock();
        let key = format!("r:{}", cliqueclique_net::origin_network(address));
        let tat = tables.buckets.get(&key).copied();
        let (refill, burst) = (
            self.limits.registration_refill,
            self.limits.registration_burst,
        );
        let new = bucket(tat, now, refill, burst)?;
        tables.buckets.insert(key, new);
        self.prune(&mut tables, now);
        Ok(())
    }

    /// The hold after `count` failures of one name.
    fn delay(&self, count: u32) -> Duration {
        let Some(beyond) = count.checked_sub(self.limits.free_failures) else {
            return Duration::ZERO;
        };
        if beyond == 0 {
            return Duration::ZERO;
        }
        let doublings = (beyond - 1).min(30);
        self.limits
            .first_delay
            .saturating_mul(1 << doublings)
            .min(self.limits.max_delay)
    }

    /// Drops what no longer limits anything, once too much is remembered.
    fn prune(&self, tables: &mut Tables, now: Duration) {
        if tables.names.len() + tables.buckets.len() <= MAX_KEYS {
            return;
        }
        let memory = self.limits.name_memory;
        tables.names.retain(|_, f| now < f.last + memory);
        tables.buckets.retain(|_, full_at| now < *full_at);
    }

    fn lock(&self) -> MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A token bucket of `burst` tokens, one more per `refill`, kept as `tat`, the time it is full again:
/// taking a token at `now` gives the new `tat`, or `Err(wait)` until a token is there.
fn bucket(
    tat: Option<Duration>,
    now: Duration,
    refill: Duration,
    burst: u32,
) -> Result<Duration, Duration> {
    let taken = tat.unwrap_or(now).max(now) + refill;
    let limit = now + refill.saturating_mul(burst.max(1));
    if taken <= limit {
        Ok(taken)
    } else {
        Err(taken - limit)
    }
}

fn name_key(username: &str) -> String {
    format!("n:{}", username.to_lowercase())
}

fn address_key(address: IpAddr) -> String {
    format!("a:{}", cliqueclique_net::origin_network(address))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn v6_the_right_password_is_delayed_never_refused() {
        let limiter = LoginLimiter::default();
        let limits = LoginLimits::default();
        for _ in 0..limits.free_failures {
            assert_eq!(limiter.check("ann", None, secs(100)), Ok(Duration::ZERO));
            limiter.failed("ann", None, secs(100));
        }
        // Each further failure doubles the hold, up to the cap; an attempt is never refused.
        let mut holds = Vec::new();
        for _ in 0..10 {
            let hold = limiter
                .check("ann", None, secs(100))
                .expect("never refused");
            holds.push(hold.as_secs());
            limiter.failed("ann", None, secs(100));
        }
        assert_eq!(holds, [0, 1, 2, 4, 8, 16, 30, 30, 30, 30]);
        assert_eq!(limiter.check("ann", None, secs(110)), Ok(secs(20)));
        assert_eq!(limiter.check("ann", None, secs(130)), Ok(Duration::ZERO));
        assert_eq!(limiter.check("bob", None, secs(100)), Ok(Duration::ZERO));
        // Forgotten after a success, or after a while without failures.
        limiter.succeeded("Ann");
        assert_eq!(limiter.check("ann", None, secs(101)), Ok(Duration::ZERO));
        for _ in 0..10 {
            limiter.failed("carl", None, secs(100));
        }
        let later = secs(100) + limits.name_memory;
        assert_eq!(limiter.check("carl", None, later), Ok(Duration::ZERO));
    }

    #[test]
    fn v6_an_address_is_slowed_by_a_token_bucket_not_locked_out() {
        let limiter = LoginLimiter::default();
        let limits = LoginLimits::default();
        let address: IpAddr = [192, 0, 2, 1].into();
        for i in 0..limits.address_burst {
            assert!(limiter.check("x", Some(address), secs(10)).is_ok());
            limiter.failed(&format!("user{i}"), Some(address), secs(10));
        }
        assert_eq!(
            limiter.check("fresh", Some(address), secs(10)),
            Err(limits.address_refill)
        );
        let other: IpAddr = [192, 0, 2, 2].into();
        assert!(limiter.check("fresh", Some(other), secs(10)).is_ok());
        // One more token per refill period.
        let later = secs(10) + limits.address_refill;
        assert!(limiter.check("fresh", Some(address), later).is_ok());
        limiter.failed("fresh", Some(address), later);
        assert!(limiter.check("fresh", Some(address), later).is_err());
        // An IPv6 client counts by its /64.
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2::ffff".parse().unwrap();
        for _ in 0..limits.address_burst {
            limiter.failed("x", Some(a), secs(10));
        }
        assert!(limiter.check("x", Some(b), secs(10)).is_err());
    }

    #[test]
    fn an_address_registers_a_few_accounts_an_hour() {
        let limiter = LoginLimiter::default();
        let limits = LoginLimits::default();
        let address: Option<IpAddr> = "192.0.2.7".parse().ok();
        for _ in 0..limits.registration_burst {
            assert!(limiter.register(address, secs(100)).is_ok());
        }
        assert_eq!(
            limiter.register(address, secs(160)),
            Err(limits.registration_refill - secs(60))
        );
        let other: Option<IpAddr> = "192.0.2.8".parse().ok();
        assert!(
            limiter.register(other, secs(160)).is_ok(),
            "others are free"
        );
        assert!(
            limiter
                .register(address, secs(100) + limits.registration_refill)
                .is_ok()
        );
        // Logins from the same address are counted apart.
        assert!(limiter.check("ann", address, secs(160)).is_ok());
    }
}
