-- Schema step "search": a full-text index (SQLite FTS5) over the document bodies, for local search.
-- docs/storage.md describes it. Its rowid is the rowid of the document in `documents`.
-- Subject, body text and author are extracted from the MIME document by the program, which SQL
-- cannot do: the program indexes each body it inserts, and after migrating indexes every body
-- that has no row yet (the backfill of bodies stored before this step; see src/search.rs).

CREATE VIRTUAL TABLE search USING fts5 (
    subject,
    body,
    author,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The index follows the bodies: a body deleted (when its last holder lets go) leaves the index.
CREATE TRIGGER documents_unindex AFTER DELETE ON documents
BEGIN
    DELETE FROM search WHERE rowid = OLD.rowid;
END;
