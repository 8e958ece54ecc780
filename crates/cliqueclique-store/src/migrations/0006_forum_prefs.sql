-- Schema step "forum preferences": what the user of each local node chose for one forum.
-- docs/storage.md describes it. `ignore_moderation`: the forum's moderation (hidden documents,
-- banned authors) is not applied for this node.

CREATE TABLE forum_prefs (
    node              BLOB NOT NULL REFERENCES nodes (node_id) ON DELETE CASCADE,
    root              BLOB NOT NULL CHECK (length(root) = 32),
    ignore_moderation INTEGER NOT NULL DEFAULT 0 CHECK (ignore_moderation IN (0, 1)),
    PRIMARY KEY (node, root)
) STRICT;
