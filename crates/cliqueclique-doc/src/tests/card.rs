//! Contact cards: signing, verification, bounds and serde.

use crate::card::{MAX_ADDRESS_BYTES, MAX_ADDRESSES, MAX_NAME_BYTES};
use crate::{CardError, ContactCard};

fn sample_card(seed: u64) -> ContactCard {
    ContactCard::new(
        &super::identity(seed),
        "Ann's node",
        vec!["abcd.b32.i2p".into(), "tcp:127.0.0.1:4000".into()],
        1_700_000_000,
    )
}

#[test]
fn a_new_card_verifies() {
    let card = sample_card(1);
    assert_eq!(card.verify(), Ok(()));
    assert_eq!(card.node_id(), super::identity(1).node_id());
    assert_eq!(card.key, super::identity(1).public_key());
}

#[test]
fn tampering_any_field_breaks_the_signature() {
    let card = sample_card(2);
    let mut tampered = Vec::new();
    let mut name = card.clone();
    name.name.push('!');
    tampered.push(name);
    let mut address = card.clone();
    address.addresses[1] = "tcp:127.0.0.1:4001".into();
    tampered.push(address);
    let mut dropped = card.clone();
    dropped.addresses.pop();
    tampered.push(dropped);
    let mut reordered = card.clone();
    reordered.addresses.reverse();
    tampered.push(reordered);
    let mut issued_at = card.clone();
    issued_at.issued_at += 1;
    tampered.push(issued_at);
    let mut key = card.clone();
    key.key = super::identity(3).public_key();
    tampered.push(key);
    let mut signature = card.clone();
    signature.signature.0[0] ^= 1;
    tampered.push(signature);
    for card in tampered {
        assert_eq!(card.verify(), Err(CardError::BadSignature), "{card:?}");
    }
}

#[test]
fn the_signature_separates_fields() {
    // Moving a character from the name into an address must not keep the signature valid.
    let identity = super::identity(4);
    let card = ContactCard::new(&identity, "ab", vec!["c".into()], 0);
    let mut shifted = card.clone();
    shifted.name = "a".into();
    shifted.addresses = vec!["bc".into()];
    assert_eq!(shifted.verify(), Err(CardError::BadSignature));
}

#[test]
fn bounds() {
    let identity = super::identity(5);
    let at_limit = ContactCard::new(
        &identity,
        "n".repeat(MAX_NAME_BYTES),
        vec!["a".repeat(MAX_ADDRESS_BYTES); MAX_ADDRESSES],
        0,
    );
    assert_eq!(at_limit.verify(), Ok(()));
    let long_name = ContactCard::new(&identity, "n".repeat(MAX_NAME_BYTES + 1), vec![], 0);
    assert_eq!(long_name.verify(), Err(CardError::TooLarge));
    let many = ContactCard::new(&identity, "n", vec!["a".into(); MAX_ADDRESSES + 1], 0);
    assert_eq!(many.verify(), Err(CardError::TooLarge));
    let long_address = ContactCard::new(&identity, "n", vec!["a".repeat(MAX_ADDRESS_BYTES + 1)], 0);
    assert_eq!(long_address.verify(), Err(CardError::TooLarge));
}

#[test]
fn serde_round_trips_keep_the_signature_valid() {
    let card = sample_card(6);
    let encoded = postcard::to_allocvec(&card).unwrap();
    let decoded: ContactCard = postcard::from_bytes(&encoded).unwrap();
    assert_eq!(decoded, card);
    assert_eq!(decoded.verify(), Ok(()));

    let json = serde_json::to_string(&card).unwrap();
    assert!(json.contains(&card.key.to_string()), "{json}");
    let decoded: ContactCard = serde_json::from_str(&json).unwrap();
    assert_eq!(decoded, card);
    assert_eq!(decoded.verify(), Ok(()));
}
