-- Schema 1: the initial schema. docs/storage.md describes every table and column.

-- Marks the file as a cliqueclique database ("cclq").
PRAGMA application_id = 1667460209;

-- The local nodes of this installation, one per user account.
CREATE TABLE nodes (
    node_id    BLOB    NOT NULL PRIMARY KEY CHECK (length(node_id) = 32),
    name       TEXT    NOT NULL,
    secret_key BLOB    NOT NULL CHECK (length(secret_key) = 32),
    created_at INTEGER NOT NULL
) STRICT;

-- Installation-wide settings, such as the transport's static key.
CREATE TABLE settings (
    key   TEXT NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

-- Document bodies, shared by every local node that holds them.
CREATE TABLE documents (
    id    BLOB NOT NULL PRIMARY KEY CHECK (length(id) = 32),
    bytes BLOB NOT NULL
) STRICT;

-- Which local node holds which document body.
CREATE TABLE holdings (
    node BLOB NOT NULL REFERENCES nodes (node_id) ON DELETE CASCADE,
    doc  BLOB NOT NULL REFERENCES documents (id),
    PRIMARY KEY (node, doc)
) STRICT, WITHOUT ROWID;

CREATE INDEX holdings_by_doc ON holdings (doc);

-- A body goes when its last holder lets go of it.
CREATE TRIGGER holdings_release AFTER DELETE ON holdings
BEGIN
    DELETE FROM documents
    WHERE id = OLD.doc
      AND NOT EXISTS (SELECT 1 FROM holdings WHERE doc = OLD.doc);
END;

-- Each local node's subscription records (the postcard encoding of the core's Subscription).
CREATE TABLE subscriptions (
    node   BLOB NOT NULL REFERENCES nodes (node_id) ON DELETE CASCADE,
    doc    BLOB NOT NULL CHECK (length(doc) = 32),
    record BLOB NOT NULL,
    PRIMARY KEY (node, doc)
) STRICT;

-- User flags kept after a document was garbage-collected.
CREATE TABLE remembered_flags (
    node       BLOB    NOT NULL REFERENCES nodes (node_id) ON DELETE CASCADE,
    doc        BLOB    NOT NULL CHECK (length(doc) = 32),
    read       INTEGER NOT NULL CHECK (read IN (0, 1)),
    bookmarked INTEGER NOT NULL CHECK (bookmarked IN (0, 1)),
    subscribed INTEGER NOT NULL CHECK (subscribed IN (0, 1)),
    thread     INTEGER NOT NULL CHECK (thread IN (0, 1)),
    own        INTEGER NOT NULL CHECK (own IN (0, 1)),
    joining    INTEGER NOT NULL CHECK (joining IN (0, 1)),
    PRIMARY KEY (node, doc)
) STRICT, WITHOUT ROWID;

-- The newest verified contact card each local node knows of each peer.
CREATE TABLE cards (
    node      BLOB NOT NULL REFERENCES nodes (node_id) ON DELETE CASCADE,
    peer      BLOB NOT NULL CHECK (length(peer) = 32),
    issued_at BLOB NOT NULL CHECK (length(issued_at) = 8),
    card      BLOB NOT NULL,
    PRIMARY KEY (node, peer)
) STRICT;
