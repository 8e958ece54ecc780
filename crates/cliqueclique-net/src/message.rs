//! The session messages: what installations say to each other inside an encrypted session.
//!
//! Each message is postcard-encoded and travels as one frame (fragmented into Noise messages, see
//! [`session`](crate::session)). The enum's variant order is the wire format: append, never reorder.

use bytes::Bytes;
use cliqueclique_doc::{ContactCard, DocId};
use serde::{Deserialize, Serialize};

use crate::attestation::Attestation;

/// One message of a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionMessage {
    /// The nodes the sender hosts, each proved by an attestation bound to this session.
    ///
    /// Sent first by both sides, then again (with only the new nodes) whenever the sender starts hosting more.
    Hello {
        /// One attestation per hosted node.
        attestations: Vec<Attestation>,
    },
    /// An encoded [`cliqueclique_proto::Batch`].
    Batch(Bytes),
    /// "Which of your nodes hold this document?", used to join a document by an installation's address.
    Lookup {
        /// A number chosen by the asker and echoed in the reply.
        request: u64,
        /// The document asked about.
        doc: DocId,
    },
    /// The answer to a [`SessionMessage::Lookup`]: contact cards of the nodes that hold the document.
    LookupReply {
        /// The request being answered.
        request: u64,
        /// Self-signed cards; the receiver verifies them before use.
        cards: Vec<ContactCard>,
    },
    /// A keepalive; answered with [`SessionMessage::Pong`]. One per session, never per document.
    Ping,
    /// The answer to a [`SessionMessage::Ping`].
    Pong,
}

impl SessionMessage {
    /// The postcard encoding.
    pub fn encode(&self) -> Vec<u8> {
        postcard::to_stdvec(self).expect("postcard encoding into a Vec cannot fail")
    }

    /// Decodes one message that must fill `bytes` exactly.
    pub fn decode(bytes: &[u8]) -> Result<SessionMessage, postcard::Error> {
        let (message, rest) = postcard::take_from_bytes(bytes)?;
        if rest.is_empty() {
            Ok(message)
        } else {
            Err(postcard::Error::DeserializeBadEncoding)
        }
    }
}
