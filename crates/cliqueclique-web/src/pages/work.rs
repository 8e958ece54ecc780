//! The proof of work a forum's owner requires, as the pages tell it: whether a post by this user
//! in a forum must carry it, and how long computing it takes.
//!
//! Posting computes the work by itself (`Handle::post`, off the node thread) and answers only
//! when the post is done, which takes seconds to minutes at high difficulties. The daemon does not
//! report its progress, so the compose form says beforehand that the forum requires work and
//! about how long it takes; the page script shows that notice with the time spent while the
//! browser waits for the answer.

use crate::state::WebState;
use cliqueclique_daemon::api::{ModerationView, NodeId};
use cliqueclique_doc::DocId;

/// Seconds per signature attempt, from `docs/BENCHMARKS.md` ("Proof of work: the cost of
/// posting": a median of 0.16 s at 12 bits, 2.7 s at 16 and 26 s at 20, where the mean is about
/// 1.4 times the median): 2^bits attempts are expected.
const SECONDS_PER_ATTEMPT: f64 = 40e-6;

/// A forum's proof of work, as the compose form announces it.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkNotice {
    /// Leading zero bits every post's id must have.
    pub bits: u8,
    /// The expected time in seconds (2^bits attempts).
    pub seconds: f64,
    /// The same in words: "about 3 seconds".
    pub estimate: String,
}

impl WorkNotice {
    /// The notice for `bits`, none for 0.
    pub fn of(bits: u8) -> Option<WorkNotice> {
        (bits > 0).then(|| {
            let seconds = expected_seconds(bits);
            WorkNotice {
                bits,
                seconds,
                estimate: in_words(seconds),
            }
        })
    }
}

/// The expected time to compute a proof of work of `bits`, in seconds.
pub fn expected_seconds(bits: u8) -> f64 {
    2f64.powi(i32::from(bits)) * SECONDS_PER_ATTEMPT
}

/// A duration in words, rounded: "under a second", "about 3 seconds", "about 2 minutes".
pub fn in_words(seconds: f64) -> String {
    let plural = |n: f64, unit: &str| {
        let n = n.round().max(1.0);
        format!("about {n} {unit}{}", if n == 1.0 { "" } else { "s" })
    };
    match seconds {
        s if s < 1.0 => "under a second".to_owned(),
        s if s < 90.0 => plural(s, "second"),
        s if s < 90.0 * 60.0 => plural(s / 60.0, "minute"),
        s => plural(s / 3600.0, "hour"),
    }
}

/// The work `node` must do to post in the forum `view` describes: none when the forum requires
/// none, when `node` owns or moderates it (they are exempt), or when it ignores the forum's
/// moderation.
pub fn required_of(view: &ModerationView, node: &NodeId) -> Option<WorkNotice> {
    let exempt = view.owner.as_ref().is_some_and(|o| o.id == *node)
        || view.moderators.iter().any(|m| m.id == *node);
    if view.ignored || exempt {
        return None;
    }
    WorkNotice::of(view.work_bits)
}

/// The work `node` must do to post below `parent`, whose forum's root is `root`; none when the
/// root is not held here (nothing is known of its moderation then).
pub async fn for_reply(state: &WebState, node: NodeId, root: DocId) -> Option<WorkNotice> {
    let view = state.api.handle.moderation(node, root).await.ok()?;
    required_of(&view, &node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_follow_the_measured_costs() {
        assert_eq!(WorkNotice::of(0), None);
        assert_eq!(WorkNotice::of(12).unwrap().estimate, "under a second");
        assert_eq!(WorkNotice::of(16).unwrap().estimate, "about 3 seconds");
        assert_eq!(WorkNotice::of(20).unwrap().estimate, "about 42 seconds");
        assert_eq!(WorkNotice::of(24).unwrap().estimate, "about 11 minutes");
        assert_eq!(WorkNotice::of(32).unwrap().estimate, "about 48 hours");
        assert!((WorkNotice::of(16).unwrap().seconds - 2.62).abs() < 0.01);
    }
}
