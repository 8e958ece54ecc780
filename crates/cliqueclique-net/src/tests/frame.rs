//! Length-prefixed frames: partial reads, oversize lengths, truncation and garbage.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tokio::io::{AsyncRead, AsyncWriteExt, ReadBuf};

use crate::FrameError;
use crate::frame::{FrameReader, write_frame};

/// A reader that hands out its bytes `step` at a time, then reports the end of the stream.
struct Trickle {
    data: Vec<u8>,
    at: usize,
    step: usize,
}

impl AsyncRead for Trickle {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = self
            .step
            .min(buf.remaining())
            .min(self.data.len() - self.at);
        let at = self.at;
        buf.put_slice(&self.data[at..at + n]);
        self.at += n;
        Poll::Ready(Ok(()))
    }
}

fn framed(bodies: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for body in bodies {
        out.extend_from_slice(&(body.len() as u32).to_be_bytes());
        out.extend_from_slice(body);
    }
    out
}

#[tokio::test]
async fn frames_survive_one_byte_reads() {
    let data = framed(&[b"hello", b"", &[7; 100_000]]);
    let mut reader = FrameReader::new(
        Trickle {
            data,
            at: 0,
            step: 1,
        },
        1 << 20,
    );
    assert_eq!(reader.read_frame().await.expect("frame"), b"hello");
    assert_eq!(reader.read_frame().await.expect("frame"), b"");
    assert_eq!(reader.read_frame().await.expect("frame"), vec![7; 100_000]);
    assert!(matches!(reader.read_frame().await, Err(FrameError::Closed)));
}

#[tokio::test]
async fn oversize_length_is_rejected_before_the_body() {
    // Only the header is there: if the reader tried to read the body it would see a truncation instead.
    let data = 1001u32.to_be_bytes().to_vec();
    let mut reader = FrameReader::new(
        Trickle {
            data,
            at: 0,
            step: 2,
        },
        1000,
    );
    match reader.read_frame().await {
        Err(FrameError::TooLarge { len, max }) => assert_eq!((len, max), (1001, 1000)),
        other => panic!("expected TooLarge, got {other:?}"),
    }
    let mut huge = FrameReader::new(&[0xff, 0xff, 0xff, 0xff][..], 1 << 20);
    assert!(matches!(
        huge.read_frame().await,
        Err(FrameError::TooLarge { .. })
    ));
}

#[tokio::test]
async fn a_frame_of_exactly_the_maximum_is_accepted() {
    let data = framed(&[&[1; 1000]]);
    let mut reader = FrameReader::new(&data[..], 1000);
    assert_eq!(reader.read_frame().await.expect("frame").len(), 1000);
}

#[tokio::test]
async fn truncation_is_reported() {
    let mut in_header = FrameReader::new(&[0, 0][..], 100);
    assert!(matches!(
        in_header.read_frame().await,
        Err(FrameError::Truncated)
    ));
    let mut in_body = FrameReader::new(&[0, 0, 0, 10, 1, 2, 3][..], 100);
    assert!(matches!(
        in_body.read_frame().await,
        Err(FrameError::Truncated)
    ));
}

#[tokio::test]
async fn writing_refuses_oversize_bodies() {
    let mut out = Vec::new();
    assert!(matches!(
        write_frame(&mut out, &[0; 11], 10).await,
        Err(FrameError::TooLarge { len: 11, max: 10 })
    ));
    assert!(out.is_empty(), "nothing is written for a refused frame");
    write_frame(&mut out, &[9; 10], 10).await.expect("fits");
    assert_eq!(out, framed(&[&[9; 10]]));
}

#[tokio::test]
async fn reading_is_cancel_safe() {
    let (mut writer, reader) = tokio::io::duplex(64);
    let mut reader = FrameReader::new(reader, 1 << 20);
    let body: Vec<u8> = (0..10_000u32).map(|i| i as u8).collect();
    let frame = framed(&[&body]);
    let write = tokio::spawn(async move {
        for chunk in frame.chunks(999) {
            writer.write_all(chunk).await.expect("write");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        writer
    });
    // Time out many reads half-way; the frame must still come out whole.
    let mut timeouts = 0;
    let got = loop {
        match tokio::time::timeout(Duration::from_micros(300), reader.read_frame()).await {
            Ok(frame) => break frame.expect("frame"),
            Err(_) => timeouts += 1,
        }
    };
    assert_eq!(got, body);
    assert!(timeouts > 0, "the test must interrupt at least one read");
    drop(write.await.expect("writer"));
}

#[tokio::test]
async fn random_input_gives_errors_not_panics() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for round in 0..2000 {
        let len = rng.random_range(0..64);
        let mut data: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        if round % 2 == 0 && data.len() >= 4 {
            // Plausible small lengths too, not only huge ones.
            data[0] = 0;
            data[1] = 0;
            data[2] = 0;
        }
        let mut reader = FrameReader::new(&data[..], 32);
        for _ in 0..8 {
            match reader.read_frame().await {
                Ok(frame) => assert!(frame.len() <= 32),
                Err(_) => break,
            }
        }
    }
}
