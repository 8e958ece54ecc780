//! The settings of the I2P transport; embedded in the daemon's configuration file as `[i2p]`.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::millis;

/// Which I2P router the installation uses, if any.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum I2pMode {
    /// No I2P.
    #[default]
    Off,
    /// A router already running on this machine (i2pd, Java I2P), through its SAM v3 bridge.
    Sam,
    /// An I2P router (emissary) inside the daemon, with its SAM bridge on a free loopback port.
    Embedded,
}

/// How the installation reaches I2P.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct I2pConfig {
    /// Off, a running router's SAM bridge, or the embedded router.
    pub mode: I2pMode,
    /// The SAM bridge's `HOST:PORT` in `sam` mode (i2pd and Java I2P use 127.0.0.1:7656).
    pub sam: String,
    /// I2P only: no TCP listener, no TCP dialing, and only the I2P address in the contact cards.
    pub only: bool,
    /// Hops per tunnel (1–7); 3 is I2P's usual trade-off between anonymity and speed.
    pub tunnel_length: u8,
    /// Tunnels per direction.
    pub tunnel_quantity: u8,
    /// The time `SESSION CREATE` may take (the router builds the session's tunnels) before the status calls it
    /// slow; it is abandoned and retried after four times as long.
    #[serde(with = "millis")]
    pub session_timeout: Duration,
    /// The time allowed for opening one I2P stream (looking up the remote destination, then connecting).
    #[serde(with = "millis")]
    pub dial_timeout: Duration,
    /// The least time between two renewals of the dialing session. A renewal follows a failed dial to a
    /// destination that the dialing session had reached before (a restarted peer, whose router can no longer
    /// read the end-to-end session our router keeps with it): a fresh transient destination starts a new one.
    #[serde(with = "millis")]
    pub renew_interval: Duration,
    /// The least time between closing the listening session and creating it again with the same keys, also
    /// across a restart of the daemon (the time of closing is kept next to the key file). i2pd 2.45–2.61
    /// keeps a closed session's destination for 5 s and then deletes it, also from under a session created
    /// meanwhile with the same keys, which is then silently unreachable (PurpleI2P/i2pd#2558).
    #[serde(with = "millis")]
    pub reuse_delay: Duration,
    /// The time allowed for a session's Noise handshake and first `Hello`s over an I2P stream (it replaces
    /// `[net] handshake_timeout` there: five messages cross the tunnels).
    #[serde(with = "millis")]
    pub handshake_timeout: Duration,
    /// The time allowed for any other answer from the bridge.
    #[serde(with = "millis")]
    pub command_timeout: Duration,
    /// The wait before recreating a failed session; it doubles on every failure.
    #[serde(with = "millis")]
    pub backoff_initial: Duration,
    /// The cap on that wait.
    #[serde(with = "millis")]
    pub backoff_max: Duration,
    /// Embedded router: when it knows too few routers, fetch some over HTTPS from I2P's reseed servers.
    /// Without it (offline use, tests) the router joins nothing until routers are known.
    pub reseed: bool,
}

impl Default for I2pConfig {
    fn default() -> I2pConfig {
        I2pConfig {
            mode: I2pMode::Off,
            sam: "127.0.0.1:7656".to_owned(),
            only: false,
            tunnel_length: 3,
            tunnel_quantity: 2,
            session_timeout: Duration::from_secs(180),
            dial_timeout: Duration::from_secs(120),
            renew_interval: Duration::from_secs(120),
            reuse_delay: Duration::from_secs(10),
            handshake_timeout: Duration::from_secs(60),
            command_timeout: Duration::from_secs(30),
            backoff_initial: Duration::from_secs(1),
            backoff_max: Duration::from_secs(60),
            reseed: true,
        }
    }
}
