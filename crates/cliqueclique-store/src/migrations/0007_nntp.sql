-- Schema step "nntp": what the NNTP reader server and the feeds keep (docs/storage.md, docs/nntp.md).
-- Each local node sees its followed forums as newsgroups; articles are numbered per node and forum
-- in the order they arrived, once, so a number never changes or comes back for another article.

-- A forum as a newsgroup of one local node: its name (the user may rename it locally) and when
-- the node first served it (for NEWGROUPS).
CREATE TABLE nntp_groups (
    node       BLOB    NOT NULL REFERENCES nodes (node_id) ON DELETE CASCADE,
    root       BLOB    NOT NULL CHECK (length(root) = 32),
    name       TEXT    NOT NULL,
    -- The user chose the name (else it follows the forum's published name).
    renamed    INTEGER NOT NULL DEFAULT 0 CHECK (renamed IN (0, 1)),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (node, root),
    UNIQUE (node, name)
) STRICT;

-- The numbered documents of each group, with the overview fields read from the document once.
-- `served` is 0 for documents that are not articles (link and directory documents), which keep
-- their number so that numbering stays stable.
CREATE TABLE nntp_articles (
    node        BLOB    NOT NULL,
    root        BLOB    NOT NULL,
    number      INTEGER NOT NULL CHECK (number > 0),
    doc         BLOB    NOT NULL CHECK (length(doc) = 32),
    parent      BLOB    CHECK (parent IS NULL OR length(parent) = 32),
    served      INTEGER NOT NULL CHECK (served IN (0, 1)),
    author      BLOB    NOT NULL CHECK (length(author) = 32),
    author_name TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    date        INTEGER NOT NULL,
    bytes       INTEGER NOT NULL,
    lines       INTEGER NOT NULL,
    arrived_at  INTEGER NOT NULL,
    PRIMARY KEY (node, root, number),
    UNIQUE (node, root, doc),
    FOREIGN KEY (node, root) REFERENCES nntp_groups (node, root) ON DELETE CASCADE
) STRICT;

CREATE INDEX nntp_articles_by_doc ON nntp_articles (node, doc);

-- Each web account's feed token: the secret in its feed addresses, which feed readers carry
-- instead of a login. Kept in clear because pages show it in their feed links; it grants no more
-- than reading the account's feeds, which a copy of this database holds anyway.
CREATE TABLE feed_tokens (
    account_id INTEGER NOT NULL PRIMARY KEY REFERENCES accounts (account_id) ON DELETE CASCADE,
    token      TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;
