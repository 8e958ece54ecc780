//! Token buckets that limit how fast one peer can make this installation read and decrypt.
//!
//! Each session has a bucket of frames and a bucket of bytes. After a frame is read, its cost is taken from
//! both; when either runs into debt, the session's reader sleeps until the debt is repaid before it reads
//! again. A flooding peer thus meets TCP back-pressure: it cannot make the installation buffer more than one
//! frame per session, nor spend more CPU than the configured rate.

use std::time::Duration;

use tokio::time::Instant;

/// A token bucket that may go into debt; a `rate` of 0 disables it.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket refilled at `rate` tokens per second, holding at most `burst`.
    pub(crate) fn new(rate: u64, burst: u64, now: Instant) -> TokenBucket {
        let burst = burst.max(1) as f64;
        TokenBucket {
            rate: rate as f64,
            burst,
            tokens: burst,
            last: now,
        }
    }

    /// Takes `cost` tokens and returns how long to wait before the balance is back to zero.
    pub(crate) fn take(&mut self, cost: u64, now: Instant) -> Duration {
        if self.rate <= 0.0 {
            return Duration::ZERO;
        }
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst) - cost as f64;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.rate)
        }
    }
}

/// The inbound limits of one session.
#[derive(Debug)]
pub(crate) struct InboundLimit {
    frames: TokenBucket,
    bytes: TokenBucket,
}

impl InboundLimit {
    /// Limits from the manager's configuration.
    pub(crate) fn new(config: &crate::Config, now: Instant) -> InboundLimit {
        InboundLimit {
            frames: TokenBucket::new(
                config.inbound_frames_per_sec,
                config.inbound_frame_burst,
                now,
            ),
            bytes: TokenBucket::new(config.inbound_bytes_per_sec, config.inbound_byte_burst, now),
        }
    }

    /// Charges one frame of `len` bytes; returns how long to pause reading.
    pub(crate) fn charge(&mut self, len: usize, now: Instant) -> Duration {
        let frames = self.frames.take(1, now);
        let bytes = self.bytes.take(len as u64, now);
        frames.max(bytes)
    }
}
