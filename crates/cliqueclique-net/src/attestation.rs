//! A node's proof that it is hosted by the installation at the other end of one particular session.
//!
//! An [`Attestation`] is the node's Ed25519 public key and its signature over
//! `DOMAIN || handshake hash || installation static public key`:
//!
//! - the domain tag keeps the signature from meaning anything in another context (documents, cards);
//! - the Noise handshake hash is unique to one session, so an attestation copied from one session
//!   and replayed into another does not verify there;
//! - the installation's Noise static key names the installation that holds the node's secret key.
//!
//! A receiver verifies with the handshake hash of its session and the static key Noise authenticated for
//! the remote, so a valid attestation proves: "whoever holds this node's secret key vouches, for this
//! session only, that the remote installation speaks for it".

use cliqueclique_doc::{Identity, NodeId, PublicKey, Signature};
use serde::{Deserialize, Serialize};

use crate::key::InstallationKey;

/// The first bytes of every attested message, so the signature cannot be reused elsewhere.
const DOMAIN: &[u8] = b"cliqueclique-net-attestation-v1\0";

/// A node's signed statement that the sending installation hosts it, bound to one session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attestation {
    /// The node's public key; its hash is the node id.
    pub key: PublicKey,
    /// The node's signature over the domain tag, the handshake hash and the installation key.
    pub signature: Signature,
}

impl Attestation {
    /// Signs an attestation for `identity`, hosted by `installation`, in the session with `handshake_hash`.
    pub fn sign(
        identity: &Identity,
        handshake_hash: &[u8; 32],
        installation: &InstallationKey,
    ) -> Attestation {
        Attestation {
            key: identity.public_key(),
            signature: identity.sign(&signed_message(handshake_hash, installation)),
        }
    }

    /// The attested node.
    pub fn node_id(&self) -> NodeId {
        self.key.node_id()
    }

    /// Whether the signature holds for the session with `handshake_hash`, whose remote installation is `installation`.
    pub fn verify(&self, handshake_hash: &[u8; 32], installation: &InstallationKey) -> bool {
        self.key.verify(
            &signed_message(handshake_hash, installation),
            &self.signature,
        )
    }
}

/// The signed bytes: fixed-length fields, so the concatenation is unambiguous.
fn signed_message(handshake_hash: &[u8; 32], installation: &InstallationKey) -> Vec<u8> {
    let mut message = Vec::with_capacity(DOMAIN.len() + 64);
    message.extend_from_slice(DOMAIN);
    message.extend_from_slice(handshake_hash);
    message.extend_from_slice(installation.as_bytes());
    message
}
