-- Schema step "peer marks": what the user of each local node says about other nodes.
-- docs/storage.md describes it. A petname is the user's own name for a key (trusted, unlike the
-- name a contact card claims); a muted node's documents are collapsed on the pages; a blocked
-- node's documents are declined by the protocol core and its links dropped.

CREATE TABLE peer_marks (
    node    BLOB NOT NULL REFERENCES nodes (node_id) ON DELETE CASCADE,
    peer    BLOB NOT NULL CHECK (length(peer) = 32),
    petname TEXT,
    muted   INTEGER NOT NULL DEFAULT 0 CHECK (muted IN (0, 1)),
    blocked INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1)),
    PRIMARY KEY (node, peer)
) STRICT;
