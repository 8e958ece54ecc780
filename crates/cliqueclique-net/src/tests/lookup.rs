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
