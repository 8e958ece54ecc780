//! Messages larger than one Noise message travel fragmented and arrive intact; over-large ones are refused.

use super::{Installation, batch, bounded, fast_config};
use crate::{Config, Event, SendError};

#[tokio::test]
async fn a_200_kib_batch_arrives_intact_both_ways() {
    bounded(async {
        let mut a = Installation::start(40, 1, fast_config()).await;
        let mut b = Installation::start(41, 1, fast_config()).await;
        a.learn(&b).await;
        let (x, y) = (a.node_ids()[0], b.node_ids()[0]);
        let there = batch(x, y, 200 * 1024);
        let back = batch(y, x, 200 * 1024 + 1);
        a.manager.send(&there).await.expect("queued");
        let Event::Received { batch: got, .. } = b
            .expect("the large batch", |e| matches!(e, Event::Received { .. }))
            .await
        else {
            unreachable!()
        };
        assert_eq!(got, there);
        b.manager.send(&back).await.expect("queued");
        let Event::Received { batch: got, .. } = a
            .expect("the large reply", |e| matches!(e, Event::Received { .. }))
            .await
        else {
            unreachable!()
        };
        assert_eq!(got, back);
    })
    .await;
}

#[tokio::test]
async fn batches_over_the_maximum_are_refused_by_the_sender() {
    bounded(async {
        let config = Config {
            max_message_bytes: 100 * 1024,
            ..fast_config()
        };
        let a = Installation::start(42, 1, config).await;
        let result = a
            .manager
            .send(&batch(
                a.node_ids()[0],
                super::identity(1).node_id(),
                100 * 1024,
            ))
            .await;
        assert!(matches!(result, Err(SendError::TooLarge { max, .. }) if max == 100 * 1024));
    })
    .await;
}
