//! Address parsing: canonical forms round-trip, everything else is a typed error.

use crate::{AddressError, PeerAddress};

const I2P_NAME: &str = "udhdrtrcetjm5sxzskjyr5ztpeszydbh4dpl3pl4utgqqw2v4jna";

#[test]
fn canonical_addresses_round_trip() {
    for text in [
        "tcp://127.0.0.1:4000",
        "tcp://example.org:1",
        "tcp://my-host_1.lan:65535",
        "tcp://[::1]:9000",
        "tcp://[2001:db8::7]:80",
        &format!("i2p://{I2P_NAME}.b32.i2p"),
    ] {
        let address: PeerAddress = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(address.to_string(), text);
        assert_eq!(address.to_string().parse::<PeerAddress>(), Ok(address));
    }
}

#[test]
fn parsing_normalises() {
    let address: PeerAddress = "TCP://Example.ORG:80".parse().expect("valid");
    assert_eq!(address.to_string(), "tcp://example.org:80");
    let bare: PeerAddress = format!("{}.B32.I2P", I2P_NAME.to_uppercase())
        .parse()
        .expect("valid");
    assert_eq!(
        bare,
        PeerAddress::I2p {
            name: I2P_NAME.to_owned()
        }
    );
    assert_eq!(bare.to_string(), format!("i2p://{I2P_NAME}.b32.i2p"));
    let socket: std::net::SocketAddr = "[::1]:7".parse().expect("valid");
    assert_eq!(PeerAddress::from(socket).to_string(), "tcp://[::1]:7");
    assert_eq!(bare.scheme(), "i2p");
}

#[test]
fn serde_uses_the_text_form() {
    let address: PeerAddress = "tcp://10.0.0.1:5".parse().expect("valid");
    let json = serde_json_like(&address);
    assert_eq!(json, "tcp://10.0.0.1:5");
}

/// The postcard encoding of an address is its text (postcard strings are a length and the bytes).
fn serde_json_like(address: &PeerAddress) -> String {
    let bytes = postcard::to_stdvec(address).expect("encode");
    let back: PeerAddress = postcard::from_bytes(&bytes).expect("decode");
    assert_eq!(&back, address);
    String::from_utf8(bytes[1..].to_vec()).expect("utf-8")
}

/// Whether an error is the expected one.
type Expected = fn(&AddressError) -> bool;

#[test]
fn garbage_is_rejected_with_a_reason() {
    let long = format!("tcp://{}:1", "a".repeat(300));
    let cases: Vec<(&str, Expected)> = vec![
        ("", |e| matches!(e, AddressError::Empty)),
        (&long, |e| matches!(e, AddressError::TooLong { .. })),
        ("127.0.0.1:80", |e| matches!(e, AddressError::MissingScheme)),
        ("http://x:1", |e| {
            matches!(e, AddressError::UnknownScheme(_))
        }),
        ("tcp://host", |e| matches!(e, AddressError::MissingPort)),
        ("tcp://host:0", |e| matches!(e, AddressError::BadPort(_))),
        ("tcp://host:65536", |e| {
            matches!(e, AddressError::BadPort(_))
        }),
        ("tcp://host:-1", |e| matches!(e, AddressError::BadPort(_))),
        ("tcp://host:", |e| matches!(e, AddressError::BadPort(_))),
        ("tcp://:80", |e| matches!(e, AddressError::BadHost(_))),
        ("tcp://bad host:80", |e| {
            matches!(e, AddressError::BadHost(_))
        }),
        ("tcp://-x.org:80", |e| matches!(e, AddressError::BadHost(_))),
        ("tcp://a..b:80", |e| matches!(e, AddressError::BadHost(_))),
        ("tcp://::1:80", |e| matches!(e, AddressError::BadHost(_))),
        ("tcp://[::1:80", |e| matches!(e, AddressError::BadHost(_))),
        ("tcp://[nope]:80", |e| matches!(e, AddressError::BadHost(_))),
        ("tcp://[::1]80", |e| matches!(e, AddressError::MissingPort)),
        ("tcp://h:80/path", |e| {
            matches!(e, AddressError::Unexpected(_))
        }),
        ("tcp://user@h:80", |e| {
            matches!(e, AddressError::Unexpected(_))
        }),
        ("i2p://short.b32.i2p", |e| {
            matches!(e, AddressError::BadI2pName(_))
        }),
        ("i2p://example.i2p", |e| {
            matches!(e, AddressError::BadI2pName(_))
        }),
        (
            "i2p://0000000000000000000000000000000000000000000000000000.b32.i2p",
            |e| matches!(e, AddressError::BadI2pName(_)),
        ),
        ("tcp://héllo:80", |e| matches!(e, AddressError::BadHost(_))),
    ];
    for (text, expected) in cases {
        match text.parse::<PeerAddress>() {
            Ok(address) => panic!("{text:?} parsed as {address}"),
            Err(error) => assert!(expected(&error), "{text:?}: unexpected error {error:?}"),
        }
    }
}

#[tokio::test]
async fn the_tcp_transport_leaves_i2p_addresses_to_the_i2p_transport() {
    use crate::{DialError, TcpTransport, Transport};
    let address: PeerAddress = format!("{I2P_NAME}.b32.i2p").parse().expect("valid");
    match TcpTransport::new().dial(&address).await {
        Err(DialError::Unsupported { address: a }) => assert_eq!(a, address),
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("dialed an i2p address over tcp"),
    }
}

#[test]
fn only_globally_routable_addresses_are_public() {
    use crate::is_global;
    for (ip, global) in [
        ("8.8.8.8", true),
        ("185.199.108.153", true),
        ("2606:4700::1111", true),
        ("127.0.0.1", false),
        ("0.0.0.0", false),
        ("10.1.2.3", false),
        ("172.16.0.1", false),
        ("192.168.1.1", false),
        ("169.254.169.254", false),
        ("100.64.0.1", false),
        ("198.18.0.1", false),
        ("224.0.0.1", false),
        ("255.255.255.255", false),
        ("::1", false),
        ("::", false),
        ("fe80::1", false),
        ("fd12:3456::1", false),
        ("::ffff:127.0.0.1", false),
        ("::ffff:8.8.8.8", true),
        // V8: IPv6 forms that carry a private IPv4 address, and deprecated or special ranges.
        ("::127.0.0.1", false),
        ("::10.0.0.1", false),
        ("64:ff9b::127.0.0.1", false),
        ("64:ff9b::10.0.0.1", false),
        ("64:ff9b::8.8.8.8", true),
        ("64:ff9b:1::1", false),
        ("2002:7f00:1::1", false),
        ("2002:c0a8:101::1", false),
        ("2002:808:808::1", true),
        ("fec0::1", false),
        ("feff::1", false),
        ("2001::1", false),
        ("2001:db8::1", false),
        ("3fff::1", false),
        ("100::1", false),
        ("2a00:1450::1", true),
    ] {
        let parsed: std::net::IpAddr = ip.parse().expect("an ip");
        assert_eq!(is_global(parsed), global, "{ip}");
    }
}

#[tokio::test]
async fn a_public_only_transport_refuses_this_machine_and_private_networks() {
    use crate::{DialError, TcpTransport, Transport};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    for text in [
        format!("tcp://127.0.0.1:{port}"),
        format!("tcp://localhost:{port}"),
    ] {
        let address: PeerAddress = text.parse().expect("valid");
        match TcpTransport::public_only().dial(&address).await {
            Err(error @ DialError::NotPublic { .. }) => {
                assert!(
                    error.to_string().contains("not a public address"),
                    "{error}"
                )
            }
            Err(other) => panic!("{text}: unexpected error {other}"),
            Ok(_) => panic!("{text}: dialed a loopback address"),
        }
    }
    // The same address is dialed by an ordinary transport.
    let address: PeerAddress = format!("tcp://127.0.0.1:{port}").parse().expect("valid");
    assert!(TcpTransport::new().dial(&address).await.is_ok());
}
