//! Export files: round trip, tampering, and cards that do not belong to the signer.

use crate::{ContactCard, Export, ExportError, Limits, LinkDirection};

#[test]
fn round_trip() {
    let identity = super::identity(1);
    let card = ContactCard::new(&identity, "Ann", vec!["a.b32.i2p".into()], 5);
    let document = super::sample_document(&identity);
    let export = Export::new(&identity, card.clone(), document.clone());
    let bytes = export.to_bytes(&identity);
    assert!(bytes.starts_with(b"cliqueclique-export-v1\n"));
    let imported = Export::from_bytes(&bytes, &Limits::default()).unwrap();
    assert_eq!(imported, export);
    assert_eq!(imported.exporter, card);
    assert_eq!(imported.document.id(), document.id());
    assert_eq!(imported.document.bytes(), document.bytes());
}

#[test]
fn forwarding_someone_elses_document() {
    let (author, forwarder) = (super::identity(2), super::identity(3));
    let document = super::sample_link(&author, LinkDirection::Natural);
    let card = ContactCard::new(&forwarder, "Bob", vec![], 0);
    let bytes = Export::new(&forwarder, card, document.clone()).to_bytes(&forwarder);
    let imported = Export::from_bytes(&bytes, &Limits::default()).unwrap();
    assert_eq!(imported.exporter.node_id(), forwarder.node_id());
    assert_eq!(imported.document.author(), author.node_id());
}

#[test]
fn every_single_byte_change_is_rejected() {
    let identity = super::identity(4);
    let card = ContactCard::new(&identity, "Ann", vec!["x".into()], 0);
    let document = super::sample_link(&identity, LinkDirection::Reversed);
    let bytes = Export::new(&identity, card, document).to_bytes(&identity);
    for index in 0..bytes.len() {
        let mut changed = bytes.clone();
        changed[index] ^= 0x04;
        assert!(
            Export::from_bytes(&changed, &Limits::default()).is_err(),
            "byte {index}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        Export::from_bytes(&longer, &Limits::default()).unwrap_err(),
        ExportError::Malformed("trailing bytes".into())
    );
    assert!(Export::from_bytes(&bytes[..bytes.len() - 1], &Limits::default()).is_err());
}

#[test]
fn a_card_that_is_not_the_signers_is_rejected() {
    let (signer, other) = (super::identity(5), super::identity(6));
    let document = super::sample_document(&signer);
    // The fields are public, so a caller can pair any card with any signer; the import notices.
    let export = Export {
        exporter: ContactCard::new(&other, "Other", vec![], 0),
        document,
    };
    let bytes = export.to_bytes(&signer);
    assert_eq!(
        Export::from_bytes(&bytes, &Limits::default()).unwrap_err(),
        ExportError::BadSignature
    );
}

#[test]
#[should_panic(expected = "exporter's own")]
fn new_refuses_a_foreign_card() {
    let (signer, other) = (super::identity(7), super::identity(8));
    let card = ContactCard::new(&other, "Other", vec![], 0);
    Export::new(&signer, card, super::sample_document(&signer));
}

#[test]
fn a_bad_card_or_document_is_reported_as_such() {
    let identity = super::identity(9);
    let mut card = ContactCard::new(&identity, "Ann", vec![], 0);
    card.name = "Eve".into();
    let export = Export {
        exporter: card,
        document: super::sample_document(&identity),
    };
    assert_eq!(
        Export::from_bytes(&export.to_bytes(&identity), &Limits::default()).unwrap_err(),
        ExportError::Card(crate::CardError::BadSignature)
    );

    let card = ContactCard::new(&identity, "Ann", vec![], 0);
    let document = super::sample_document(&identity);
    let bytes = Export::new(&identity, card, document.clone()).to_bytes(&identity);
    let tight = Limits {
        max_parts: 1,
        ..Limits::default()
    };
    assert!(matches!(
        Export::from_bytes(&bytes, &tight).unwrap_err(),
        ExportError::Document(crate::DocumentError::TooManyParts { .. })
    ));
    let small = Limits {
        max_document_bytes: 100,
        ..Limits::default()
    };
    assert!(matches!(
        Export::from_bytes(&bytes, &small).unwrap_err(),
        ExportError::Document(crate::DocumentError::TooLarge { .. })
    ));
    // Over the document limit plus room for a card: rejected before decoding.
    let mut huge = b"cliqueclique-export-v1\n".to_vec();
    huge.resize(200 + 100_000, 0);
    assert!(matches!(
        Export::from_bytes(&huge, &small).unwrap_err(),
        ExportError::TooLarge { .. }
    ));
}

#[test]
fn not_an_export() {
    for bytes in [
        &b""[..],
        b"hello",
        b"cliqueclique-export-v1\n",
        b"cliqueclique-export-v2\n\0",
    ] {
        assert!(matches!(
            Export::from_bytes(bytes, &Limits::default()),
            Err(ExportError::Malformed(_))
        ));
    }
}
