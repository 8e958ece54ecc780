//! Schema migrations, keyed on SQLite's `PRAGMA user_version`.
//!
//! [`MIGRATIONS`] is an ordered list of SQL steps; step `i` (counting from zero) turns a
//! database of schema `i` into one of schema `i + 1`, so a new, empty file has version 0 and
//! [`SCHEMA_VERSION`] is the length of the list.
//! Each step runs in its own immediate transaction that also sets `user_version`, so a crash or a
//! failing step leaves the file at the last completed version, and a second process opening the
//! file at the same time finds the step already done.
//! Steps are never edited once released: a change to the schema is a new step at the end.

use rusqlite::{Connection, TransactionBehavior};

/// The schema steps, in order: step 1 is the initial schema, step 2 adds the web accounts,
/// step 3 the search index, step 4 the peer marks (petnames, mutes and blocks), step 5 the
/// retractions, step 6 the per-forum preferences.
///
/// Files are named after the step they are meant to be; the position in this list is what counts.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_accounts.sql"),
    SEARCH_STEP_SQL,
    include_str!("migrations/0004_peer_marks.sql"),
    include_str!("migrations/0005_retractions.sql"),
    include_str!("migrations/0006_forum_prefs.sql"),
];

/// The step that creates the search index (its place in [`MIGRATIONS`] is looked up, so that
/// steps merged before it do not need this file to change).
const SEARCH_STEP_SQL: &str = include_str!("migrations/0003_search.sql");

/// The newest schema version this build knows (and creates).
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The `PRAGMA application_id` that marks a cliqueclique database ("cclq").
pub const APPLICATION_ID: i64 = 0x6363_6c71;

/// The schema version of an open database, as stored (a foreign file may hold a negative one).
pub(crate) fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Applies every step the database lacks. On failure, returns the version the failing step
/// leads to; that step was rolled back.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), (u32, rusqlite::Error)> {
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let version = index as u32 + 1;
        if apply(conn, version, sql).map_err(|source| (version, source))? {
            tracing::info!(version, "schema step applied");
        }
    }
    // The search index's rows are extracted by the program, not by SQL: index the bodies
    // that have none (those stored before the search step, or by an interrupted backfill).
    let search_version = MIGRATIONS
        .iter()
        .position(|sql| *sql == SEARCH_STEP_SQL)
        .map_or(SCHEMA_VERSION, |index| index as u32 + 1);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|source| (search_version, source))?;
    crate::search::backfill(&tx).map_err(|source| (search_version, source))?;
    tx.commit().map_err(|source| (search_version, source))?;
    Ok(())
}

/// Applies one step unless the database already has it; returns whether it was applied.
fn apply(conn: &mut Connection, version: u32, sql: &str) -> rusqlite::Result<bool> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if user_version(&tx)? >= i64::from(version) {
        return Ok(false);
    }
    tx.execute_batch(sql)?;
    tx.pragma_update(None, "user_version", version)?;
    tx.commit()?;
    Ok(true)
}
