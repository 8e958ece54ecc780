//! Invites: everything another person needs to join a forum, in one line they can paste.
//!
//! An invite is a `cliqueclique:` URI carrying the root document's id and the addresses this
//! installation advertises, in the order to try them:
//!
//! ```text
//! cliqueclique:ROOT_ID?via=tcp://198.51.100.7:7117&via=i2p://NAME.b32.i2p
//! ```
//!
//! Peer addresses contain only characters a URI query allows unescaped, so the invite stays
//! readable. Parsing is strict (typed errors, bounded size): an invite comes from someone else.
//! [`reachability`] tells whether the addresses can be reached from another computer at all,
//! so the pages and the CLI can warn before an invite that cannot work is sent.

use crate::api::InviteView;
use cliqueclique_doc::DocId;
use cliqueclique_net::PeerAddress;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// The URI scheme of an invite.
pub const SCHEME: &str = "cliqueclique:";

/// The most addresses an invite carries.
pub const MAX_INVITE_ADDRESSES: usize = 8;

/// The longest invite accepted, in bytes.
pub const MAX_INVITE_BYTES: usize = 4_096;

/// A forum's root and the addresses of an installation that holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    /// The root document.
    pub doc: DocId,
    /// Where to ask for it, first to last.
    pub addresses: Vec<PeerAddress>,
}

/// Why a text is not an invite.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InviteError {
    /// It does not start with `cliqueclique:`.
    #[error("an invite starts with {SCHEME:?}")]
    Scheme,
    /// It is longer than any invite this program writes.
    #[error("the invite is longer than {MAX_INVITE_BYTES} bytes")]
    TooLong,
    /// The document id is malformed.
    #[error("the invite's document id is malformed: {0}")]
    Doc(String),
    /// An address is malformed.
    #[error("the invite's address {address:?} is malformed: {reason}")]
    Address {
        /// The address as written.
        address: String,
        /// Why it does not parse.
        reason: String,
    },
    /// A query field other than `via`.
    #[error("the invite has an unknown field {0:?}")]
    Field(String),
    /// More than [`MAX_INVITE_ADDRESSES`] addresses.
    #[error("the invite carries more than {MAX_INVITE_ADDRESSES} addresses")]
    TooManyAddresses,
    /// No address at all: nobody could be asked for the document.
    #[error(
        "the invite carries no address: ask its sender to start cliqueclique with \
         --advertise tcp://HOST:PORT (or with I2P) and to send a new invite"
    )]
    NoAddress,
}

/// Whether `text` is meant as an invite: it starts with [`SCHEME`] (ignoring case and blanks).
pub fn is_invite(text: &str) -> bool {
    text.trim()
        .get(..SCHEME.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(SCHEME))
}

impl fmt::Display for Invite {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{SCHEME}{}", self.doc)?;
        for (i, address) in self.addresses.iter().enumerate() {
            let separator = if i == 0 { '?' } else { '&' };
            write!(formatter, "{separator}via={address}")?;
        }
        Ok(())
    }
}

impl FromStr for Invite {
    type Err = InviteError;

    fn from_str(text: &str) -> Result<Invite, InviteError> {
        let text = text.trim();
        if text.len() > MAX_INVITE_BYTES {
            return Err(InviteError::TooLong);
        }
        if !is_invite(text) {
            return Err(InviteError::Scheme);
        }
        let rest = &text[SCHEME.len()..];
        let (doc, query) = rest.split_once('?').unwrap_or((rest, ""));
        let doc = doc
            .trim_start_matches("//")
            .parse::<DocId>()
            .map_err(|e| InviteError::Doc(e.to_string()))?;
        let mut addresses = Vec::new();
        for field in query.split('&').filter(|f| !f.is_empty()) {
            let (key, value) = field.split_once('=').unwrap_or((field, ""));
            if key != "via" {
                return Err(InviteError::Field(key.chars().take(40).collect()));
            }
            if value.is_empty() {
                continue;
            }
            if addresses.len() == MAX_INVITE_ADDRESSES {
                return Err(InviteError::TooManyAddresses);
            }
            let address = value
                .parse::<PeerAddress>()
                .map_err(|e| InviteError::Address {
                    address: value.chars().take(80).collect(),
                    reason: e.to_string(),
                })?;
            if !addresses.contains(&address) {
                addresses.push(address);
            }
        }
        if addresses.is_empty() {
            return Err(InviteError::NoAddress);
        }
        Ok(Invite { doc, addresses })
    }
}

/// Who can dial a set of advertised addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reachability {
    /// At least one address can be dialed from another computer.
    Others,
    /// Every address is a loopback address: only programs on this computer can dial them.
    ThisComputerOnly,
    /// No address is advertised.
    Nobody,
}

impl Reachability {
    /// What is wrong and how to fix it, unless others can reach the addresses.
    pub fn warning(self) -> Option<&'static str> {
        match self {
            Reachability::Others => None,
            Reachability::ThisComputerOnly => Some(
                "this installation advertises only loopback addresses, so only programs on this \
                 computer can join through it: restart it with --listen tcp://0.0.0.0:7117 \
                 --advertise tcp://HOST:7117 (HOST being a name or address others can reach), or \
                 with --i2p embedded",
            ),
            Reachability::Nobody => Some(
                "this installation advertises no address, so nobody can join through it: restart \
                 it with --advertise tcp://HOST:7117 (HOST being a name or address others can \
                 reach), or with --i2p embedded",
            ),
        }
    }
}

/// Who can dial `addresses`.
pub fn reachability(addresses: &[PeerAddress]) -> Reachability {
    if addresses.is_empty() {
        return Reachability::Nobody;
    }
    let loopback = |address: &PeerAddress| match address {
        PeerAddress::Tcp { host, .. } => match host.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback(),
            Err(_) => host == "localhost" || host.ends_with(".localhost"),
        },
        _ => false,
    };
    if addresses.iter().all(loopback) {
        Reachability::ThisComputerOnly
    } else {
        Reachability::Others
    }
}

/// The invite to `doc` through the `advertised` addresses, with a warning if others cannot
/// reach them.
pub fn view(doc: DocId, advertised: &[String]) -> InviteView {
    let addresses = parse_addresses(advertised);
    let invite = Invite {
        doc,
        addresses: addresses.clone(),
    };
    InviteView {
        invite: invite.to_string(),
        doc,
        addresses: addresses.iter().map(ToString::to_string).collect(),
        warning: reachability(&addresses).warning().map(str::to_owned),
    }
}

/// The addresses among `advertised` that parse, in order (the daemon checked them at start).
pub fn parse_addresses(advertised: &[String]) -> Vec<PeerAddress> {
    advertised
        .iter()
        .filter_map(|text| text.parse().ok())
        .take(MAX_INVITE_ADDRESSES)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> DocId {
        DocId([7; 32])
    }

    fn tcp(text: &str) -> PeerAddress {
        text.parse().unwrap()
    }

    #[test]
    fn an_invite_reads_back_as_written() {
        let invite = Invite {
            doc: doc(),
            addresses: vec![
                tcp("tcp://198.51.100.7:7117"),
                tcp("tcp://[2001:db8::1]:7117"),
                format!("i2p://{}.b32.i2p", "a".repeat(52)).parse().unwrap(),
            ],
        };
        let text = invite.to_string();
        assert!(
            text.starts_with(&format!("cliqueclique:{}?via=", doc())),
            "{text}"
        );
        assert!(
            text.contains("?via=tcp://198.51.100.7:7117&via=tcp://"),
            "{text}"
        );
        assert_eq!(text.parse::<Invite>().unwrap(), invite);
        // Pasted with blanks around it, or with the scheme in capitals.
        let pasted = format!("  CLIQUECLIQUE:{}  \n", &text[SCHEME.len()..]);
        assert_eq!(pasted.parse::<Invite>().unwrap(), invite);
    }

    #[test]
    fn bad_invites_say_what_is_wrong() {
        let id = doc().to_string();
        let cases = [
            (format!("https://x/{id}"), InviteError::Scheme),
            (
                "cliqueclique:abc?via=tcp://h:1".to_owned(),
                InviteError::Doc(String::new()),
            ),
            (format!("cliqueclique:{id}"), InviteError::NoAddress),
            (format!("cliqueclique:{id}?via="), InviteError::NoAddress),
            (
                format!("cliqueclique:{id}?at=tcp://h:1"),
                InviteError::Field("at".into()),
            ),
            (
                format!("cliqueclique:{id}?via=tcp://h:0"),
                InviteError::Address {
                    address: String::new(),
                    reason: String::new(),
                },
            ),
            (
                format!("cliqueclique:{id}{}", "&via=tcp://h:1".repeat(400)),
                InviteError::TooLong,
            ),
        ];
        for (text, expected) in cases {
            let error = text.parse::<Invite>().unwrap_err();
            assert_eq!(
                std::mem::discriminant(&error),
                std::mem::discriminant(&expected),
                "{text:.60}: {error}"
            );
        }
        let many: String = (1..=9).map(|p| format!("&via=tcp://h:{p}")).collect();
        assert_eq!(
            format!("cliqueclique:{id}?{}", &many[1..]).parse::<Invite>(),
            Err(InviteError::TooManyAddresses)
        );
    }

    #[test]
    fn reachability_warns_about_missing_and_loopback_addresses() {
        assert_eq!(reachability(&[]), Reachability::Nobody);
        let local = [tcp("tcp://127.0.0.1:7117"), tcp("tcp://[::1]:7117")];
        assert_eq!(reachability(&local), Reachability::ThisComputerOnly);
        assert_eq!(
            reachability(&[tcp("tcp://localhost:7117")]),
            Reachability::ThisComputerOnly
        );
        let mixed = [
            tcp("tcp://127.0.0.1:7117"),
            tcp("tcp://forum.example.org:7117"),
        ];
        assert_eq!(reachability(&mixed), Reachability::Others);
        assert!(
            Reachability::Nobody
                .warning()
                .unwrap()
                .contains("--advertise")
        );
        assert!(Reachability::Others.warning().is_none());
    }
}
