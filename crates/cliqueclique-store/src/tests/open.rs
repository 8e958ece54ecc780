//! Opening: new files are created at the current schema; newer, damaged and foreign files are
//! refused and left byte for byte as they were.

use super::{document, identity};
use crate::migrations::APPLICATION_ID;
use crate::{DATABASE_FILE, Database, OpenError, SCHEMA_VERSION};
use cliqueclique_proto::Store;
use rusqlite::Connection;
use std::fs;
use std::path::Path;

fn pragma(path: &Path, name: &str) -> i64 {
    let conn = Connection::open(path).unwrap();
    conn.pragma_query_value(None, name, |row| row.get(0))
        .unwrap()
}

/// A cliqueclique database with some content, closed cleanly.
fn populated(path: &Path) {
    let db = Database::open(path).unwrap();
    let node = db.create_node("alice", &identity(1), 0).unwrap();
    let mut store = db.store(node.id).unwrap();
    for i in 0..20 {
        store.put_document(&document(&identity(2), &format!("document {i}")));
    }
}

#[test]
fn a_new_path_is_created_at_the_current_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("dir").join(DATABASE_FILE);
    let db = Database::open(&path).unwrap();
    assert_eq!(db.path(), Some(path.as_path()));
    drop(db);
    assert_eq!(pragma(&path, "user_version"), i64::from(SCHEMA_VERSION));
    assert_eq!(pragma(&path, "application_id"), APPLICATION_ID);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the file holds secret keys");
    }
    // Reopening an existing database of the current version works.
    Database::open(&path).unwrap();
}

#[test]
fn an_empty_file_is_initialised() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    fs::write(&path, b"").unwrap();
    Database::open(&path).unwrap();
    assert_eq!(pragma(&path, "user_version"), i64::from(SCHEMA_VERSION));
}

#[test]
fn the_connection_is_configured() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    let db = Database::open(&path).unwrap();
    let shared = db.lock();
    let get = |name: &str| -> String {
        shared
            .conn
            .pragma_query_value(None, name, |row| row.get::<_, rusqlite::types::Value>(0))
            .map(|value| format!("{value:?}"))
            .unwrap()
    };
    assert_eq!(get("journal_mode"), "Text(\"wal\")");
    assert_eq!(get("synchronous"), "Integer(2)", "FULL");
    assert_eq!(get("foreign_keys"), "Integer(1)");
    assert_eq!(get("busy_timeout"), "Integer(5000)");
}

#[test]
fn a_newer_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    populated(&path);
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 7).unwrap();
    }
    let before = fs::read(&path).unwrap();
    let error = Database::open(&path).unwrap_err();
    assert!(
        matches!(
            error,
            OpenError::NewerVersion {
                found: 7,
                supported,
                ..
            } if supported == SCHEMA_VERSION
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains(&format!("schema 7, this build supports {SCHEMA_VERSION}")),
        "{message}"
    );
    assert!(message.contains("upgrade cliqueclique"), "{message}");
    assert_eq!(
        fs::read(&path).unwrap(),
        before,
        "the file is byte-identical"
    );
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, [DATABASE_FILE], "no side files are left behind");
}

#[test]
fn a_newer_schema_still_in_the_wal_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    populated(&path);
    // Another connection commits a newer schema into the WAL and keeps it there.
    let newer = Connection::open(&path).unwrap();
    newer.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    newer
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    assert_eq!(
        fs::read(&path).unwrap()[60..64],
        SCHEMA_VERSION.to_be_bytes(),
        "the file's header is stale"
    );
    let error = Database::open(&path).unwrap_err();
    assert!(
        matches!(error, OpenError::NewerVersion { found, .. } if found == SCHEMA_VERSION + 1),
        "{error:?}"
    );
}

#[test]
fn a_garbage_file_is_corrupt_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    let garbage: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
    fs::write(&path, &garbage).unwrap();
    let error = Database::open(&path).unwrap_err();
    assert!(matches!(error, OpenError::Corrupt { .. }), "{error:?}");
    assert!(error.to_string().contains("left untouched"), "{error}");
    assert_eq!(fs::read(&path).unwrap(), garbage);

    // Shorter than a header, too.
    fs::write(&path, b"hello").unwrap();
    let error = Database::open(&path).unwrap_err();
    assert!(matches!(error, OpenError::Corrupt { .. }), "{error:?}");
    assert_eq!(fs::read(&path).unwrap(), b"hello");
}

#[test]
fn a_damaged_database_is_corrupt_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DATABASE_FILE);
    populated(&path);
    let page_size = pragma(&path, "page_size") as usize;
    let mut bytes = fs::read(&path).unwrap();
    assert!(bytes.len() >= 3 * page_size);
    // Page 2 is the first table's root page: make its page type invalid.
    for byte in &mut bytes[page_size..page_size + 64] {
        *byte = 0xee;
    }
    fs::write(&path, &bytes).unwrap();
    let error = Database::open(&path).unwrap_err();
    assert!(matches!(error, OpenError::Corrupt { .. }), "{error:?}");
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_foreign_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE mail (id INTEGER PRIMARY KEY)")
            .unwrap();
    }
    let before = fs::read(&path).unwrap();
    let error = Database::open(&path).unwrap_err();
    assert!(matches!(error, OpenError::Foreign { .. }), "{error:?}");
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_directory_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let error = Database::open(dir.path()).unwrap_err();
    assert!(matches!(error, OpenError::Io { .. }), "{error:?}");
}
