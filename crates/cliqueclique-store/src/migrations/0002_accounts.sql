-- Schema 2: web accounts, their login sessions and registration invites (docs/storage.md).

-- A person who logs in to the web UI; each account acts as exactly one local node.
CREATE TABLE accounts (
    account_id     INTEGER NOT NULL PRIMARY KEY,
    username       TEXT    NOT NULL UNIQUE,
    -- An argon2 PHC string.
    password_hash  TEXT    NOT NULL,
    node_id        BLOB    NOT NULL UNIQUE REFERENCES nodes (node_id) ON DELETE CASCADE,
    is_owner       INTEGER NOT NULL CHECK (is_owner IN (0, 1)),
    -- The blake3 hash of the account's API token, if it made one.
    api_token_hash BLOB    UNIQUE CHECK (api_token_hash IS NULL OR length(api_token_hash) = 32),
    created_at     INTEGER NOT NULL
) STRICT;

-- A logged-in browser: the cookie holds a random token, the table only its blake3 hash.
CREATE TABLE web_sessions (
    token_hash BLOB    NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),
    account_id INTEGER NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    -- The token every state-changing request of this session must carry.
    csrf_token TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX web_sessions_by_account ON web_sessions (account_id);

-- One-time registration codes (registration "invite"), kept as blake3 hashes.
CREATE TABLE invites (
    code_hash  BLOB    NOT NULL PRIMARY KEY CHECK (length(code_hash) = 32),
    created_by INTEGER NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    used_by    INTEGER REFERENCES accounts (account_id) ON DELETE SET NULL
) STRICT;
