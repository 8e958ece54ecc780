//! Who is asking: passwords, login sessions with their CSRF tokens, the login limiter, the client's
//! address behind a reverse proxy, and the guard in front of every request.

pub mod guard;
pub mod limiter;
pub mod password;
pub mod session;

pub use session::{AnonCsrf, User};

use axum::http::HeaderMap;
use std::net::IpAddr;

/// The client's address, for the limits: the connection's `peer`, unless that is a `trusted` reverse
/// proxy; then the last address in `X-Forwarded-For` that is not itself a trusted proxy (each proxy
/// appends the address it was connected from, so that is the first one a trusted proxy saw; what comes
/// before it may be made up by the client). A missing or unreadable entry stops the walk at the last
/// trusted proxy.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer.to_canonical();
    if !trusted.contains(&client) {
        return client;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .collect();
    for entry in forwarded.into_iter().rev() {
        let Ok(ip) = entry.trim().parse::<IpAddr>() else {
            return client;
        };
        client = ip.to_canonical();
        if !trusted.contains(&client) {
            return client;
        }
    }
    client
}

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

#[cfg(test)]
mod tests {
    use super::client_address;
    use axum::http::{HeaderMap, HeaderValue};
    use std::net::IpAddr;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn v6_the_client_address_comes_from_a_trusted_proxy_only() {
        let proxy = ip("127.0.0.1");
        let trusted = [proxy, ip("10.0.0.2")];
        // Not through a trusted proxy: the header is anyone's to write.
        let headers = forwarded(&["198.51.100.7"]);
        assert_eq!(
            client_address(ip("203.0.113.9"), &headers, &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(ip("203.0.113.9"), &headers, &[]),
            ip("203.0.113.9")
        );
        // Through the proxy: the last address not a trusted proxy, whatever the client put before it.
        assert_eq!(
            client_address(proxy, &headers, &trusted),
            ip("198.51.100.7")
        );
        let chain = forwarded(&["1.2.3.4, 198.51.100.7", "10.0.0.2"]);
        assert_eq!(client_address(proxy, &chain, &trusted), ip("198.51.100.7"));
        // Nothing usable: the proxy itself.
        assert_eq!(client_address(proxy, &HeaderMap::new(), &trusted), proxy);
        assert_eq!(
            client_address(proxy, &forwarded(&["unknown"]), &trusted),
            proxy
        );
        assert_eq!(
            client_address(
                ip("::ffff:127.0.0.1"),
                &forwarded(&["2001:db8::1"]),
                &trusted
            ),
            ip("2001:db8::1")
        );
    }
}
