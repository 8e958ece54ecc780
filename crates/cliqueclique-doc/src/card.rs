//! A node's self-signed contact card: "the holder of this key says it is reachable at these addresses".
//!
//! Cards travel inside [`Export`](crate::Export) files and peer messages, so that a node can be contacted
//! by someone who has never met it.
//! The signature proves only that the key holder wrote the card, not that the addresses are honest,
//! and [`ContactCard::issued_at`] lets a receiver prefer the newest card of a key.
//! Everything signed is bounded, so a card is always small.

use serde::{Deserialize, Serialize};

use crate::error::CardError;
use crate::id::NodeId;
use crate::identity::{Identity, PublicKey, Signature};

/// The largest display name in a card, in bytes.
pub const MAX_NAME_BYTES: usize = 200;
/// The largest number of addresses in a card.
pub const MAX_ADDRESSES: usize = 8;
/// The largest single address in a card, in bytes.
pub const MAX_ADDRESS_BYTES: usize = 256;

/// The first field of the signed encoding, so a card signature cannot be mistaken for any other signature.
const SIGNING_DOMAIN: &str = "cliqueclique-card-v1";

/// A node's self-signed list of addresses.
///
/// A deserialized card is unchecked: call [`ContactCard::verify`] before trusting it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactCard {
    /// The node's public key; its hash is the node id.
    pub key: PublicKey,
    /// A display name, at most [`MAX_NAME_BYTES`]. Anyone can claim any name.
    pub name: String,
    /// Transport addresses (such as I2P destinations), at most [`MAX_ADDRESSES`] of at most [`MAX_ADDRESS_BYTES`] each.
    pub addresses: Vec<String>,
    /// When the card was issued, in unix seconds, as the node claims.
    pub issued_at: u64,
    /// The key's signature over the other fields.
    pub signature: Signature,
}

impl ContactCard {
    /// Writes and signs a card for `identity`.
    ///
    /// Nothing is truncated: a card over the bounds is still made, and fails [`ContactCard::verify`] with [`CardError::TooLarge`].
    pub fn new(
        identity: &Identity,
        name: impl Into<String>,
        addresses: Vec<String>,
        issued_at: u64,
    ) -> ContactCard {
        let key = identity.public_key();
        let name = name.into();
        let signature = identity.sign(&signed_bytes(&key, &name, &addresses, issued_at));
        ContactCard {
            key,
            name,
            addresses,
            issued_at,
            signature,
        }
    }

    /// The node id of the card's key.
    pub fn node_id(&self) -> NodeId {
        self.key.node_id()
    }

    /// Checks the bounds, then the signature.
    pub fn verify(&self) -> Result<(), CardError> {
        if self.name.len() > MAX_NAME_BYTES
            || self.addresses.len() > MAX_ADDRESSES
            || self
                .addresses
                .iter()
                .any(|address| address.len() > MAX_ADDRESS_BYTES)
        {
            return Err(CardError::TooLarge);
        }
        let message = signed_bytes(&self.key, &self.name, &self.addresses, self.issued_at);
        if self.key.verify(&message, &self.signature) {
            Ok(())
        } else {
            Err(CardError::BadSignature)
        }
    }
}

/// The signed message: the postcard encoding of the domain tag and every field but the signature.
fn signed_bytes(key: &PublicKey, name: &str, addresses: &[String], issued_at: u64) -> Vec<u8> {
    postcard::to_allocvec(&(SIGNING_DOMAIN, key, name, addresses, issued_at))
        .expect("postcard encoding of strings and fixed arrays into a Vec cannot fail")
}
