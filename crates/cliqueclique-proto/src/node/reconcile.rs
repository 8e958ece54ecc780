//! Catching up after a session comes up: the two nodes reconcile the links they share instead
//! of sending each other every link's state again.
//!
//! Each node sees a link with a neighbour as one item: the document, its own serial and the
//! neighbour's serial it holds. Two nodes agree on a link exactly when each holds the other's
//! newest serial, and then they compute the same item (the two serials ordered by node id). A
//! link on which something waits to be sent (an unacknowledged update, an owed ack) is no item:
//! it is sent as soon as the session is up, and repairs itself. A range of documents (the ids
//! that start with some bits) has a digest: how many items it holds and the sum of their BLAKE3
//! fingerprints.
//!
//! When the session comes up, each node asks about the whole range with a [`Part::Digest`]. The
//! receiver compares it with its own digest of the range and answers:
//! - the same digest: [`Part::Reconciled`] `{ same: true }`, and nothing more is sent;
//! - a different one over few links ([`SMALL_RANGE`]) or a range that cannot be split: it
//!   resynchronises its own links in the range (every state sent again, as after a fresh
//!   link) and answers `{ same: false }`, and the asker does the same with its own;
//! - otherwise the digests of the range's sixteen parts, which the other node answers in turn.
//!
//! So a catch-up costs digests along the paths to the differing links, about
//! 16 · log₁₆(N) parts for each difference, and the resent states of the differing links and of
//! their few neighbours in their small ranges: proportional to the difference, not to N. When
//! both nodes ask about the same range at once, the node with the lower id keeps its question
//! and ignores the other's, so every range is worked on by one side at a time.
//!
//! A question not answered is asked again after `resend_initial`, then twice as long each time
//! up to `resend_max`; after [`MAX_DIGEST_ATTEMPTS`] the node gives up and resynchronises every
//! link with the neighbour, as a session start did before reconciliation. See
//! `docs/protocol.md` §3.1 for why no difference survives.

use super::Node;
use crate::message::{DigestRange, Part};
use crate::store::Store;
use crate::subscription::LinkState;
use crate::time::Time;
use cliqueclique_doc::{DocId, NodeId};

/// A range whose two digests count at most this many links together is resynchronised rather
/// than split further.
pub const SMALL_RANGE: u32 = 8;

/// How often one question is asked before the node resynchronises every link with the neighbour.
pub const MAX_DIGEST_ATTEMPTS: u32 = 8;

/// How many links a node fingerprints for one batch's digests, beyond the links it shares with
/// the sender: an honest batch asks about disjoint ranges, so it never needs more than those.
const DIGEST_SLACK: usize = 1024;

/// A question this node asked and waits to have answered.
#[derive(Clone, Copy, Debug)]
pub(super) struct Question {
    /// When it is asked again.
    due: Time,
    /// The interval before the next resend, in milliseconds.
    backoff_ms: u64,
    /// How often it was asked.
    attempts: u32,
}

impl DigestRange {
    /// Every document.
    pub const ALL: DigestRange = DigestRange { bits: 0, prefix: 0 };

    fn mask(bits: u8) -> u32 {
        if bits == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(bits))
        }
    }

    /// Whether a peer's range is well formed: whole nibbles, at most 32 bits, no stray bits.
    pub fn is_valid(&self) -> bool {
        self.bits <= 32 && self.bits.is_multiple_of(4) && self.prefix & !Self::mask(self.bits) == 0
    }

    /// The lowest and the highest id in the range.
    pub fn bounds(&self) -> (DocId, DocId) {
        let mask = Self::mask(self.bits);
        let mut lo = [0u8; 32];
        let mut hi = [0xffu8; 32];
        lo[..4].copy_from_slice(&(self.prefix & mask).to_be_bytes());
        hi[..4].copy_from_slice(&(self.prefix | !mask).to_be_bytes());
        (DocId(lo), DocId(hi))
    }

    /// The sixteen ranges that split this one, or none if it cannot be split.
    pub fn children(&self) -> Vec<DigestRange> {
        if self.bits >= 32 {
            return Vec::new();
        }
        let shift = 28 - u32::from(self.bits);
        (0..16u32)
            .map(|k| DigestRange {
                bits: self.bits + 4,
                prefix: self.prefix | (k << shift),
            })
            .collect()
    }

    /// The range this one is a part of.
    pub fn parent(&self) -> Option<DigestRange> {
        let bits = self.bits.checked_sub(4)?;
        Some(DigestRange {
            bits,
            prefix: self.prefix & Self::mask(bits),
        })
    }
}

/// The fingerprint of one link as both its ends see it when they agree.
fn link_print(doc: &DocId, low: u64, high: u64) -> u128 {
    let mut hasher = blake3::Hasher::new();
    hasher.update(doc.as_bytes());
    hasher.update(&low.to_le_bytes());
    hasher.update(&high.to_le_bytes());
    let hash = hasher.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&hash.as_bytes()[..16]);
    u128::from_le_bytes(first)
}

impl<S: Store> Node<S> {
    /// The session with `peer` came up: ask about every shared link.
    pub(super) fn start_reconcile(&mut self, now: Time, peer: NodeId) {
        self.forget_questions(&peer);
        self.ask(now, peer, DigestRange::ALL);
    }

    /// The session with `peer` went down: its questions are dropped (a new session asks anew).
    pub(super) fn forget_questions(&mut self, peer: &NodeId) {
        let (lo, hi) = (
            (*peer, DigestRange::ALL),
            (
                *peer,
                DigestRange {
                    bits: u8::MAX,
                    prefix: u32::MAX,
                },
            ),
        );
        let ranges: Vec<_> = self.questions.range(lo..=hi).map(|(k, _)| *k).collect();
        for key in ranges {
            self.questions.remove(&key);
        }
    }

    /// This node's digest of the links it shares with `peer` in `range`, and how many links it
    /// looked at.
    fn digest_of(&self, peer: &NodeId, range: DigestRange) -> (u32, u128, usize) {
        let (lo, hi) = range.bounds();
        let low_first = self.id < *peer;
        let mut count = 0u32;
        let mut sum = 0u128;
        let mut scanned = 0;
        for doc in self
            .peer_docs
            .get(peer)
            .into_iter()
            .flat_map(|d| d.range(lo..=hi))
        {
            scanned += 1;
            let Some(sub) = self.subs.get(doc) else {
                continue;
            };
            let Some(link) = sub
                .links
                .get(peer)
                .filter(|l| l.state == LinkState::Active && l.acked == sub.serial && !l.ack_owed)
            else {
                continue;
            };
            let (low, high) = if low_first {
                (sub.serial, link.peer_serial)
            } else {
                (link.peer_serial, sub.serial)
            };
            count += 1;
            sum = sum.wrapping_add(link_print(doc, low, high));
        }
        (count, sum, scanned)
    }

    /// Sends `peer` our digest of `range` and waits for the answer.
    fn ask(&mut self, now: Time, peer: NodeId, range: DigestRange) {
        let (count, sum, _) = self.digest_of(&peer, range);
        self.queue(
            peer,
            Part::Digest {
                range,
                count,
                fingerprint: sum.to_le_bytes(),
            },
        );
        let attempts = self.questions.get(&(peer, range)).map_or(0, |q| q.attempts) + 1;
        let backoff_ms = self
            .questions
            .get(&(peer, range))
            .map_or(self.config.resend_initial.as_millis() as u64, |q| {
                (q.backoff_ms * 2).min(self.config.resend_max.as_millis() as u64)
            });
        let due = now.after(std::time::Duration::from_millis(backoff_ms));
        self.questions.insert(
            (peer, range),
            Question {
                due,
                backoff_ms,
                attempts,
            },
        );
        self.question_timers.insert((due, peer, range));
    }

    /// A question of `from` about `range`.
    pub(super) fn on_digest(
        &mut self,
        now: Time,
        from: NodeId,
        range: DigestRange,
        count: u32,
        fingerprint: [u8; 16],
    ) {
        if !range.is_valid() {
            return;
        }
        if self.questions.contains_key(&(from, range)) {
            if self.id < from {
                // Both asked at once: ours stands, and the peer answers it.
                return;
            }
            self.questions.remove(&(from, range));
        }
        if let Some(parent) = range.parent() {
            // Digests of a range's parts answer our question about the range.
            self.questions.remove(&(from, parent));
        }
        let shared = self.peer_docs.get(&from).map_or(0, |d| d.len());
        if self.digest_work > 4 * shared + DIGEST_SLACK {
            // More than an honest batch needs: the rest is asked again later.
            return;
        }
        let (mine, sum, scanned) = self.digest_of(&from, range);
        self.digest_work += scanned;
        if mine == count && sum.to_le_bytes() == fingerprint {
            self.queue(from, Part::Reconciled { range, same: true });
            return;
        }
        let children = range.children();
        if mine.saturating_add(count) <= SMALL_RANGE || children.is_empty() {
            self.resync_range(from, range);
            self.queue(from, Part::Reconciled { range, same: false });
            return;
        }
        for child in children {
            self.ask(now, from, child);
        }
    }

    /// The answer of `from` to our question about `range`.
    pub(super) fn on_reconciled(&mut self, from: NodeId, range: DigestRange, same: bool) {
        if self.questions.remove(&(from, range)).is_some() && !same {
            self.resync_range(from, range);
        }
    }

    /// Asks again the questions whose time came; gives up on a neighbour that never answers.
    pub(super) fn retry_questions(&mut self, now: Time) {
        while let Some(&(t, peer, range)) = self.question_timers.first() {
            if t > now {
                break;
            }
            self.question_timers.pop_first();
            let Some(question) = self.questions.get(&(peer, range)) else {
                continue;
            };
            if question.due != t {
                continue;
            }
            if question.attempts >= MAX_DIGEST_ATTEMPTS {
                self.forget_questions(&peer);
                self.resync_range(peer, DigestRange::ALL);
                continue;
            }
            self.ask(now, peer, range);
        }
    }

    /// Sends every state of the links with `peer` in `range` again, as on a fresh link.
    fn resync_range(&mut self, peer: NodeId, range: DigestRange) {
        let (lo, hi) = range.bounds();
        let docs: Vec<DocId> = self
            .peer_docs
            .get(&peer)
            .into_iter()
            .flat_map(|d| d.range(lo..=hi))
            .copied()
            .collect();
        for doc in docs {
            self.resync_session_link(doc, peer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_s_parts_cover_it_exactly() {
        for range in [
            DigestRange::ALL,
            DigestRange {
                bits: 4,
                prefix: 0xa000_0000,
            },
            DigestRange {
                bits: 28,
                prefix: 0x1234_5670,
            },
        ] {
            let (lo, hi) = range.bounds();
            let children = range.children();
            assert_eq!(children.len(), 16);
            assert_eq!(children[0].bounds().0, lo);
            assert_eq!(children[15].bounds().1, hi);
            for pair in children.windows(2) {
                let mut next = pair[0].bounds().1.0;
                // The id right after the first part's last is the second part's first.
                for byte in next.iter_mut().rev() {
                    let (v, carry) = byte.overflowing_add(1);
                    *byte = v;
                    if !carry {
                        break;
                    }
                }
                assert_eq!(DocId(next), pair[1].bounds().0);
            }
            for child in children {
                assert!(child.is_valid());
                assert_eq!(child.parent(), Some(range));
            }
        }
        let last = DigestRange {
            bits: 32,
            prefix: 0xdead_beef,
        };
        assert!(last.children().is_empty());
        assert!(last.is_valid());
    }

    #[test]
    fn malformed_ranges_are_refused() {
        for (bits, prefix) in [(3, 0), (36, 0), (4, 0x0800_0000), (0, 1)] {
            assert!(
                !DigestRange { bits, prefix }.is_valid(),
                "{bits} {prefix:x}"
            );
        }
    }
}
