//! Lookups travel to an installation by address and their replies come back with the request number.

use cliqueclique_doc::{ContactCard, DocId};

use super::{Installation, bounded, fast_config};
use crate::{Event, SendError, SessionId};

#[tokio::test]
async fn a_lookup_by_address_is_answered() {
    bounded(async {
        let mut a = Installation::start(50, 1, fast_config()).await;
        let mut b = Installation::start(51, 1, fast_config()).await;
        let doc = DocId::of(b"a document held by b");
        a.manager
            .lookup(b.address.clone(), 7, doc)
            .await
            .expect("queued");
        let Event::Lookup {
            session,
            request,
            doc: asked,
        } = b
            .expect("the lookup", |e| matches!(e, Event::Lookup { .. }))
            .await
        else {
            unreachable!()
        };
        assert_eq!((request, asked), (7, doc));
        let card = ContactCard::new(&b.nodes[0], "b", vec![b.address.to_string()], 1);
        b.manager
            .reply_lookup(session, request, vec![card.clone()])
            .await
            .expect("queued");
        let Event::LookupReply { request, cards, .. } = a
            .expect("the reply", |e| matches!(e, Event::LookupReply { .. }))
            .await
        else {
            unreachable!()
        };
        assert_eq!(request, 7);
        assert_eq!(cards, vec![card]);
        assert_eq!(
            b.manager.reply_lookup(SessionId(999), 1, Vec::new()).await,
            Err(SendError::NoSession(SessionId(999)))
        );
        // The session made for the lookup serves the nodes too: no second session.
        assert_eq!(a.status().await.sessions.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn v4_a_lookup_reply_counts_only_from_the_installation_asked() {
    bounded(async {
        let mut victim = Installation::start(52, 1, fast_config()).await;
        let mut asked_once = Installation::start(53, 1, fast_config()).await;
        let mut honest = Installation::start(54, 1, fast_config()).await;
        let doc = DocId::of(b"a document held by the honest installation");

        // The victim once asked an installation, which keeps the session.
        victim
            .manager
            .lookup(asked_once.address.clone(), 11, doc)
            .await
            .expect("queued");
        let Event::Lookup { session, .. } = asked_once
            .expect("the first lookup", |e| matches!(e, Event::Lookup { .. }))
            .await
        else {
            unreachable!()
        };
        asked_once
            .manager
            .reply_lookup(session, 11, Vec::new())
            .await
            .expect("queued");
        victim
            .expect("the first reply", |e| {
                matches!(e, Event::LookupReply { request: 11, .. })
            })
            .await;

        // A later lookup goes elsewhere; the installation asked before answers it first, and again.
        victim
            .manager
            .lookup(honest.address.clone(), 12, doc)
            .await
            .expect("queued");
        let forged = ContactCard::new(
            &asked_once.nodes[0],
            "steered",
            vec![asked_once.address.to_string()],
            1,
        );
        for request in [12, 11] {
            asked_once
                .manager
                .reply_lookup(session, request, vec![forged.clone()])
                .await
                .expect("queued");
        }
        // Give the forged replies a head start over the honest one.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;

        let Event::Lookup {
            session: honest_session,
            request,
            ..
        } = honest
            .expect("the second lookup", |e| matches!(e, Event::Lookup { .. }))
            .await
        else {
            unreachable!()
        };
        let card = ContactCard::new(
            &honest.nodes[0],
            "honest",
            vec![honest.address.to_string()],
            1,
        );
        honest
            .manager
            .reply_lookup(honest_session, request, vec![card.clone()])
            .await
            .expect("queued");
        let Event::LookupReply { request, cards, .. } = victim
            .expect("the honest reply", |e| {
                matches!(e, Event::LookupReply { .. })
            })
            .await
        else {
            unreachable!()
        };
        assert_eq!((request, cards), (12, vec![card]));
        assert_eq!(victim.status().await.counters.stray_lookup_replies, 2);
    })
    .await;
}

#[tokio::test]
async fn a_forgotten_lookup_is_dialed_no_more_unless_another_waits_there() {
    bounded(async {
        let a = Installation::start(55, 1, fast_config()).await;
        // A port nobody listens on: every dial is refused.
        let closed = tokio::net::TcpListener::bind(super::localhost())
            .await
            .expect("bind");
        let address = crate::PeerAddress::tcp(closed.local_addr().expect("address"));
        drop(closed);
        let doc = DocId::of(b"a document nobody holds");
        for request in [21, 22] {
            a.manager
                .lookup(address.clone(), request, doc)
                .await
                .expect("queued");
        }
        let dialing =
            |status: crate::Status| status.dialing.into_iter().find(|d| d.address == address);
        while dialing(a.status().await).is_none_or(|d| d.failures == 0) {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }

        // Another lookup still waits there: the address is still dialed.
        a.manager.forget_lookup(21).await.expect("running");
        assert!(dialing(a.status().await).is_some());
        // The last one forgotten, nothing is dialed there any more.
        a.manager.forget_lookup(22).await.expect("running");
        let status = a.status().await;
        assert!(dialing(status.clone()).is_none(), "{status:#?}");
    })
    .await;
}
