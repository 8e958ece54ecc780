//! The Noise handshake and the encrypted, fragmented message framing, over in-memory pipes.

use bytes::Bytes;
use tokio::io::AsyncWriteExt;

use super::static_key;
use crate::session::{FRAGMENT_BYTES, MAX_NOISE_MESSAGE, handshake, wire_max};
use crate::{HandshakeError, Role, Session, SessionError, SessionMessage};

const MAX: usize = 1024 * 1024;

/// Two ends of a handshake over a pipe, with keys 1 (initiator) and 2 (responder) and their message limits.
async fn pair(max_a: usize, max_b: usize) -> (Session, Session) {
    let (a, b) = tokio::io::duplex(64 * 1024);
    let (ka, kb) = (static_key(1), static_key(2));
    let (a, b) = tokio::join!(
        handshake(Box::new(a), Role::Initiator, &ka, max_a),
        handshake(Box::new(b), Role::Responder, &kb, max_b),
    );
    (a.expect("initiator"), b.expect("responder"))
}

#[tokio::test]
async fn handshake_authenticates_both_static_keys() {
    let (a, b) = pair(MAX, MAX).await;
    assert_eq!(a.remote, static_key(2).public());
    assert_eq!(b.remote, static_key(1).public());
    assert_eq!(a.handshake_hash, b.handshake_hash);
    let (c, _) = pair(MAX, MAX).await;
    assert_ne!(
        a.handshake_hash, c.handshake_hash,
        "every session has its own hash (fresh ephemeral keys)"
    );
}

#[tokio::test]
async fn messages_of_every_size_arrive_intact() {
    let (mut a, mut b) = pair(MAX, MAX).await;
    let sizes = [
        0,
        1,
        FRAGMENT_BYTES - 8,
        FRAGMENT_BYTES,
        FRAGMENT_BYTES + 1,
        2 * FRAGMENT_BYTES,
        200 * 1024,
        MAX - 16,
    ];
    for size in sizes {
        let body = Bytes::from((0..size).map(|i| (i * 7 % 256) as u8).collect::<Vec<u8>>());
        let message = SessionMessage::Batch(body);
        let encoded = message.encode();
        let send = async {
            if encoded.len() <= MAX {
                a.sender.send(&message).await.expect("send");
            }
        };
        let receive = async {
            if encoded.len() <= MAX {
                assert_eq!(b.receiver.recv().await.expect("receive"), message);
            }
        };
        tokio::join!(send, receive);
        // And the other way.
        let reply = SessionMessage::Pong;
        b.sender.send(&reply).await.expect("send");
        assert_eq!(a.receiver.recv().await.expect("receive"), reply);
    }
}

#[tokio::test]
async fn the_maximum_is_enforced_on_both_sides() {
    let big = SessionMessage::Batch(Bytes::from(vec![0; 2000]));
    let (mut a, _b) = pair(1000, 1000).await;
    assert!(matches!(
        a.sender.send(&big).await,
        Err(SessionError::TooLarge { .. })
    ));
    // A sender with a larger limit gets it out, but the receiver refuses the frame by its length.
    let (mut c, mut d) = pair(1 << 20, 1000).await;
    c.sender
        .send(&big)
        .await
        .expect("the sender's own limit allows it");
    assert!(matches!(
        d.receiver.recv().await,
        Err(SessionError::Frame(crate::FrameError::TooLarge { .. }))
    ));
    assert_eq!(wire_max(1000), 1000 + 17);
    assert_eq!(wire_max(0), 17);
    assert_eq!(wire_max(FRAGMENT_BYTES + 1), FRAGMENT_BYTES + 1 + 2 * 17);
}

#[tokio::test]
async fn tampered_ciphertext_fails_to_decrypt() {
    let (mut a, mut b) = pair(MAX, MAX).await;
    // A frame of random bytes where a Noise message is expected.
    a.sender.send_raw_frame(&[0x55; 40]).await.expect("write");
    assert!(matches!(
        b.receiver.recv().await,
        Err(SessionError::Decrypt)
    ));
}

#[tokio::test]
async fn a_frame_cut_at_a_fragment_boundary_is_refused() {
    let (mut a, mut b) = pair(MAX, MAX).await;
    let message = vec![3; FRAGMENT_BYTES + 10];
    let frame = a.sender.seal(&message).expect("seal");
    let body = &frame[crate::frame::HEADER_BYTES..];
    assert_eq!(body.len(), message.len() + 2 * 17);
    // Only the first Noise message: it decrypts, but its flag says "more follows".
    assert!(matches!(
        b.receiver.open(&body[..MAX_NOISE_MESSAGE]),
        Err(SessionError::Fragments)
    ));
}

#[tokio::test]
async fn reassembly_checks_every_fragment_flag() {
    let (mut a, mut b) = pair(MAX, MAX).await;
    let frame = a.sender.seal(&[5; 100]).expect("seal");
    assert_eq!(
        b.receiver
            .open(&frame[crate::frame::HEADER_BYTES..])
            .expect("whole frame"),
        vec![5; 100]
    );
    // The next message arrives twice: the replay fails, because the nonce moved on.
    let frame = a.sender.seal(&[6; 100]).expect("seal");
    let body = &frame[crate::frame::HEADER_BYTES..];
    assert!(b.receiver.open(body).is_ok());
    assert!(matches!(b.receiver.open(body), Err(SessionError::Decrypt)));
    // Too short to hold even an authentication tag.
    assert!(matches!(
        b.receiver.open(&[1; 10]),
        Err(SessionError::Fragments)
    ));
}

#[tokio::test]
async fn garbage_handshakes_fail_cleanly() {
    // Too short to be an ephemeral key.
    let (mut a, b) = tokio::io::duplex(1024);
    a.write_all(&[0, 0, 0, 5, 1, 2, 3, 4, 5])
        .await
        .expect("write");
    let result = handshake(Box::new(b), Role::Responder, &static_key(2), MAX).await;
    assert!(
        matches!(result, Err(HandshakeError::Noise(_))),
        "{result:?}"
    );
    // A length beyond any Noise message.
    let (mut a, b) = tokio::io::duplex(1024);
    a.write_all(&(MAX_NOISE_MESSAGE as u32 + 1).to_be_bytes())
        .await
        .expect("write");
    let result = handshake(Box::new(b), Role::Responder, &static_key(2), MAX).await;
    assert!(
        matches!(
            result,
            Err(HandshakeError::Frame(crate::FrameError::TooLarge { .. }))
        ),
        "{result:?}"
    );
    // The stream ends after the first message.
    let (a, b) = tokio::io::duplex(1024);
    let initiator = async {
        let mut builder = snow::Builder::new(crate::session::NOISE_PARAMS.parse().expect("params"))
            .local_private_key(static_key(1).secret_bytes())
            .expect("key")
            .prologue(crate::session::PROLOGUE)
            .expect("prologue")
            .build_initiator()
            .expect("initiator");
        let mut buf = [0; 200];
        let len = builder.write_message(&[], &mut buf).expect("first message");
        let mut a = a;
        crate::frame::write_frame(&mut a, &buf[..len], MAX_NOISE_MESSAGE)
            .await
            .expect("write");
        drop(a);
    };
    let key = static_key(2);
    let (_, result) = tokio::join!(
        initiator,
        handshake(Box::new(b), Role::Responder, &key, MAX)
    );
    assert!(
        matches!(result, Err(HandshakeError::Frame(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_different_prologue_fails_the_handshake() {
    let (a, b) = tokio::io::duplex(64 * 1024);
    let other_version = async move {
        let mut state = snow::Builder::new(crate::session::NOISE_PARAMS.parse().expect("params"))
            .local_private_key(static_key(1).secret_bytes())
            .expect("key")
            .prologue(b"cliqueclique-net/0")
            .expect("prologue")
            .build_initiator()
            .expect("initiator");
        let (read, mut write) = tokio::io::split(a);
        let mut reader = crate::frame::FrameReader::new(read, MAX_NOISE_MESSAGE);
        let mut buf = vec![0; MAX_NOISE_MESSAGE];
        let len = state.write_message(&[], &mut buf).expect("m1");
        crate::frame::write_frame(&mut write, &buf[..len], MAX_NOISE_MESSAGE)
            .await
            .expect("write");
        let m2 = reader.read_frame().await.expect("m2");
        // The responder's static key is encrypted under a key mixed with the prologue hash: it fails here.
        assert!(state.read_message(&m2, &mut buf).is_err());
    };
    let key = static_key(2);
    let (_, result) = tokio::join!(
        other_version,
        tokio::time::timeout(
            std::time::Duration::from_secs(2),
            handshake(Box::new(b), Role::Responder, &key, MAX)
        )
    );
    assert!(
        !matches!(result, Ok(Ok(_))),
        "the handshake must not succeed"
    );
}
