-- Schema step "retractions": the retractions each local node learnt of, kept after the retracted
-- document's body and the retraction document itself are gone, so that a retracted document is
-- never accepted again. One row per target and signer: only the target's author's counts.
-- docs/storage.md describes it.

CREATE TABLE retractions (
    node   BLOB NOT NULL REFERENCES nodes (node_id) ON DELETE CASCADE,
    target BLOB NOT NULL CHECK (length(target) = 32),
    by_doc BLOB NOT NULL CHECK (length(by_doc) = 32),
    author BLOB NOT NULL CHECK (length(author) = 32),
    parent BLOB CHECK (parent IS NULL OR length(parent) = 32),
    PRIMARY KEY (node, target, author)
) STRICT;
