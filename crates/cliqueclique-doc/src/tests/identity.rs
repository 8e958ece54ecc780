//! Keys, signatures and identities.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::{Identity, KeyError, NodeId, PublicKey, Signature};

#[test]
fn generate_accepts_seeded_and_thread_rngs() {
    let seeded = Identity::generate(&mut ChaCha8Rng::seed_from_u64(1));
    let again = Identity::generate(&mut ChaCha8Rng::seed_from_u64(1));
    assert_eq!(seeded.public_key(), again.public_key());
    let random = Identity::generate(&mut rand::rng());
    assert_ne!(seeded.public_key(), random.public_key());
}

#[test]
fn secret_bytes_round_trip() {
    let identity = super::identity(2);
    let restored = Identity::from_secret_bytes(identity.secret_bytes());
    assert_eq!(restored.public_key(), identity.public_key());
    assert_eq!(restored.sign(b"m"), identity.sign(b"m"));
}

#[test]
fn node_id_is_blake3_of_the_key() {
    let identity = super::identity(3);
    let key = identity.public_key();
    assert_eq!(
        identity.node_id(),
        NodeId(*blake3::hash(&key.to_bytes()).as_bytes())
    );
    assert_eq!(key.node_id(), identity.node_id());
}

#[test]
fn sign_and_verify() {
    let identity = super::identity(4);
    let key = identity.public_key();
    let signature = identity.sign(b"message");
    assert!(key.verify(b"message", &signature));
    assert!(!key.verify(b"messagE", &signature));
    assert!(
        !super::identity(5)
            .public_key()
            .verify(b"message", &signature)
    );
    let mut bent = signature;
    bent.0[10] ^= 1;
    assert!(!key.verify(b"message", &bent));
    assert!(!key.verify(b"message", &Signature([0; 64])));
}

#[test]
fn debug_never_shows_the_secret() {
    let identity = super::identity(6);
    let debug = format!("{identity:?}");
    assert!(debug.contains(&identity.node_id().short()), "{debug}");
    let secret = identity.secret_bytes();
    for text in [
        data_encoding::HEXLOWER.encode(&secret),
        data_encoding::BASE64.encode(&secret),
        format!("{secret:?}"),
    ] {
        assert!(!debug.contains(&text), "{debug}");
    }
}

#[test]
fn public_key_bytes_text_and_serde() {
    let key = super::identity(7).public_key();
    assert_eq!(PublicKey::from_bytes(key.to_bytes()), Ok(key));
    assert_eq!(key.to_string().parse::<PublicKey>(), Ok(key));
    assert_eq!(key.to_string().len(), 52);

    let json = serde_json::to_string(&key).unwrap();
    assert_eq!(json, format!("\"{key}\""));
    assert_eq!(serde_json::from_str::<PublicKey>(&json).unwrap(), key);
    let encoded = postcard::to_allocvec(&key).unwrap();
    assert_eq!(encoded, key.to_bytes());
    assert_eq!(postcard::from_bytes::<PublicKey>(&encoded).unwrap(), key);
}

#[test]
fn weak_and_invalid_keys_are_rejected() {
    // The identity point (small order) is a valid encoding but a weak key.
    let mut identity_point = [0u8; 32];
    identity_point[0] = 1;
    assert_eq!(PublicKey::from_bytes(identity_point), Err(KeyError::Weak));
    assert_eq!(PublicKey::from_bytes([0; 32]), Err(KeyError::Weak));
    // y = 2 is not on the curve.
    let mut off_curve = [0u8; 32];
    off_curve[0] = 2;
    assert_eq!(PublicKey::from_bytes(off_curve), Err(KeyError::Invalid));
    // Serde forms reject them too.
    assert!(postcard::from_bytes::<PublicKey>(&identity_point).is_err());
    assert!("bad".parse::<PublicKey>().is_err());
}

#[test]
fn signature_serde_forms() {
    let signature = super::identity(8).sign(b"m");
    let json = serde_json::to_string(&signature).unwrap();
    assert_eq!(json.len(), 88 + 2, "{json}");
    assert_eq!(serde_json::from_str::<Signature>(&json).unwrap(), signature);
    assert!(serde_json::from_str::<Signature>("\"AAAA\"").is_err());
    let encoded = postcard::to_allocvec(&signature).unwrap();
    assert_eq!(encoded, signature.0);
    assert_eq!(
        postcard::from_bytes::<Signature>(&encoded).unwrap(),
        signature
    );
}
