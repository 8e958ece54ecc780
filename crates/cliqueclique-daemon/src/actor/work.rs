//! Proof of work for this installation's own posts (`docs/moderation.md`): a post in a forum whose
//! owner requires work is signed again and again with a new nonce until its id carries it.
//! That takes about 2^BITS signatures (`docs/BENCHMARKS.md`), so an ordinary post's work is done
//! off the node thread (`Handle::post`), which keeps serving peers meanwhile; progress is logged.

use cliqueclique_doc::document::work::PROGRESS_EVERY;
use cliqueclique_doc::{DocId, Document, DocumentBuilder, Identity};

/// Attempts between two progress lines in the log: about one every few seconds.
const LOG_EVERY: u64 = PROGRESS_EVERY * 64;

/// How a post goes on after the node thread built it.
#[derive(Debug)]
pub enum PostStep {
    /// It was posted under this id.
    Posted(DocId),
    /// Its forum requires work: sign it with [`PendingWork::sign`], then post it with
    /// `Actor::publish_post`.
    Work(Box<PendingWork>),
}

/// A post waiting for its proof of work.
#[derive(Debug)]
pub struct PendingWork {
    /// The post, complete but unsigned.
    pub(super) builder: DocumentBuilder,
    /// Its author.
    pub(super) identity: Identity,
    /// Leading zero bits its id must have.
    pub bits: u8,
    /// Whether the poster follows it.
    pub subscribe: bool,
}

impl PendingWork {
    /// Signs the post with a nonce that gives its id the work: blocks for as long as that takes.
    pub fn sign(self) -> Document {
        let bits = self.bits;
        tracing::info!(bits, "computing the forum's proof of work for a post");
        let document = self
            .builder
            .build_with_work(&self.identity, bits, &mut |attempts| {
                if attempts.is_multiple_of(LOG_EVERY) {
                    tracing::info!(bits, attempts, "still computing the proof of work");
                }
                true
            });
        document.expect("the progress callback never gives up")
    }
}
