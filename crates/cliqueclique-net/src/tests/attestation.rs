//! Attestations verify only for the session and the installation they were made for.

use super::{identity, static_key};
use crate::Attestation;

#[test]
fn an_attestation_is_bound_to_one_session_and_one_installation() {
    let node = identity(1);
    let installation = static_key(1).public();
    let hash = [7; 32];
    let attestation = Attestation::sign(&node, &hash, &installation);
    assert_eq!(attestation.node_id(), node.node_id());
    assert!(attestation.verify(&hash, &installation));
    assert!(
        !attestation.verify(&[8; 32], &installation),
        "replayed into another session"
    );
    assert!(
        !attestation.verify(&hash, &static_key(2).public()),
        "claimed by another installation"
    );
    let mut forged = attestation.clone();
    forged.key = identity(2).public_key();
    assert!(!forged.verify(&hash, &installation), "someone else's key");
    let mut tampered = attestation;
    tampered.signature.0[0] ^= 1;
    assert!(!tampered.verify(&hash, &installation));
}

#[test]
fn static_keys_derive_their_public_half() {
    let key = static_key(9);
    assert_eq!(
        key.public(),
        crate::StaticKey::from_secret_bytes([9; 32]).public()
    );
    assert_ne!(key.public(), static_key(10).public());
    assert_ne!(key.public().0, [9; 32]);
    assert!(
        !format!("{key:?}").contains("0909"),
        "the secret stays out of logs"
    );
}
