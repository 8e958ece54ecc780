//! The daemon's settings: plain serde data, read by the binary from flags and an optional TOML file.

use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// The settings of one installation. Every field has a default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the database (`cliqueclique.sqlite3`) and `api.addr` live.
    pub data_dir: PathBuf,
    /// Transport listeners, as addresses such as `tcp://127.0.0.1:0` (port 0 picks a free port).
    pub listen: Vec<String>,
    /// The addresses written into the local nodes' contact cards. Empty: the bound listen addresses
    /// (which is wrong for a listener on `0.0.0.0`: set this then).
    pub advertise: Vec<String>,
    /// The HTTP server (JSON API and web UI). Port 0 picks a free port. Only loopback addresses are
    /// accepted unless `public` is set.
    pub api: SocketAddr,
    /// A public website: the HTTP server may bind any address, and the web UI then requires an
    /// account (or the owner's token) for every API call.
    pub public: bool,
    /// Whether TCP peers on this machine or a private network may be dialed. Unset: yes, except on a public
    /// website, which should not connect wherever a user's join or a peer's contact card points it.
    pub dial_private: Option<bool>,
    /// How long a join waits for the looked-up installation and then for the document.
    #[serde(with = "millis")]
    pub join_timeout: Duration,
    /// The first wait before saying hello again to a peer whose session is down; it doubles.
    #[serde(with = "millis")]
    pub reconnect_initial: Duration,
    /// The cap on that wait.
    #[serde(with = "millis")]
    pub reconnect_max: Duration,
    /// The capacity of each of the node thread's two input channels (API calls first, then network
    /// events).
    pub input_capacity: usize,
    /// The capacity of the broadcast of core events to API listeners.
    pub event_capacity: usize,
    /// Protocol settings of every local node.
    pub proto: cliqueclique_proto::Config,
    /// Transport settings.
    pub net: cliqueclique_net::Config,
    /// I2P: off, a running router's SAM bridge, or the embedded router; and whether to use I2P only.
    pub i2p: cliqueclique_net::I2pConfig,
    /// Limits of the HTTP server, and the reverse proxies it trusts.
    pub http: HttpConfig,
}

/// The HTTP server's bounds, so that idle or slow clients cannot hold its sockets, and the reverse
/// proxies whose `X-Forwarded-For` header tells the client's address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// The most connections open at once; further clients wait in the listen backlog until one closes.
    pub max_connections: usize,
    /// The most of them from one client address, except from the `trusted_proxies`.
    pub max_connections_per_address: usize,
    /// The time a client has to send a request's headers; it also closes a keep-alive connection that
    /// stays idle this long.
    #[serde(with = "millis")]
    pub header_read_timeout: Duration,
    /// The time a client has to send a request's body, once its headers are in.
    #[serde(with = "millis")]
    pub body_timeout: Duration,
    /// Reverse proxies in front of the server (such as `127.0.0.1` for one on the same machine): only
    /// for a connection from one of them is the client's address taken from `X-Forwarded-For`.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for HttpConfig {
    fn default() -> HttpConfig {
        HttpConfig {
            max_connections: 256,
            max_connections_per_address: 64,
            header_read_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            trusted_proxies: Vec::new(),
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            data_dir: PathBuf::from("cliqueclique"),
            listen: vec!["tcp://0.0.0.0:7117".to_owned()],
            advertise: Vec::new(),
            api: SocketAddr::from((Ipv4Addr::LOCALHOST, 8080)),
            public: false,
            dial_private: None,
            join_timeout: Duration::from_secs(30),
            reconnect_initial: Duration::from_secs(1),
            reconnect_max: Duration::from_secs(60),
            input_capacity: 1024,
            event_capacity: 1024,
            proto: cliqueclique_proto::Config::default(),
            net: cliqueclique_net::Config::default(),
            i2p: cliqueclique_net::I2pConfig::default(),
            http: HttpConfig::default(),
        }
    }
}

impl Config {
    /// Whether TCP peers on this machine or a private network may be dialed (`dial_private`, by default
    /// everywhere but on a public website).
    pub fn dials_private(&self) -> bool {
        self.dial_private.unwrap_or(!self.public)
    }
}

/// Serde for durations as integer milliseconds, like the protocol and transport settings.
mod millis {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_millis)
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn settings_round_trip_and_default_when_absent() {
        let config = Config::default();
        let text = serde_json::to_string(&config).unwrap();
        assert_eq!(serde_json::from_str::<Config>(&text).unwrap(), config);
        let partial: Config = serde_json::from_str(r#"{"join_timeout": 5000}"#).unwrap();
        assert_eq!(partial.join_timeout.as_millis(), 5000);
        assert_eq!(partial.api, config.api);
        assert!(serde_json::from_str::<Config>(r#"{"no_such_key": 1}"#).is_err());
    }
}
