//! [`Database`]: the one SQLite file of an installation, opened once, shared by every local node.
//!
//! # Opening
//!
//! [`Database::open`] creates the file (and its directory) when absent, with owner-only
//! permissions because it holds the nodes' secret keys.
//! An existing file is first examined, from its header bytes and then through a read-only
//! connection, so that a refusal leaves it byte for byte as it was:
//! a file that does not start with SQLite's header, cannot be read or fails `PRAGMA quick_check`
//! is [`OpenError::Corrupt`]; a SQLite file of another application is [`OpenError::Foreign`];
//! a file whose `user_version` is newer than [`SCHEMA_VERSION`] is [`OpenError::NewerVersion`].
//! A damaged file is never reset: the user decides what to do with it.
//! Only then is the file opened for writing, configured and migrated, and its version checked
//! once more (the header may be stale while a newer schema step sits in the WAL).
//!
//! # Configuration and durability
//!
//! - `journal_mode=WAL`: readers (a CLI inspecting the file) do not block the daemon's writer.
//! - `synchronous=FULL`: every commit is synced to disk before [`Database::commit`] returns.
//!   With `NORMAL`, WAL commits are synced only at checkpoints: a process crash still loses
//!   nothing, but a power cut or kernel crash may lose the last commits, whose acknowledgements
//!   may already have left. The driver sends acks only after the commit precisely so that a
//!   peer can rely on them (it stops resending what we acknowledged), so we pay one `fsync` per
//!   transaction that wrote something; timer ticks and reads write nothing and cost none.
//! - `foreign_keys=ON`, and a busy timeout of five seconds for other connections' locks.
//! - The query planner stability guarantee (`SQLITE_DBCONFIG_ENABLE_QPSG`): a cached statement
//!   keeps its plan whatever values are bound to it. Without it, SQLite prepares some statements
//!   again on every step with new values (reading one body, for example), which cost a tenth of a
//!   thread page; the schema has no statistics and no `LIKE` on a parameter, so no plan here
//!   depends on the values.
//!
//! # Sharing and errors
//!
//! The connection sits in an `Arc<Mutex<..>>` shared by the [`Database`] and every
//! [`SqliteStore`](crate::SqliteStore). One thread drives them all, so the mutex is never
//! contended; it is there so that the bundle is `Send`: the binary can open the database (and
//! report a refusal) before handing it to the node thread. An `Rc` would force opening on that
//! thread. All local nodes' calls go through the same connection and therefore the same
//! transaction, which is what the driver wants: one call, one transaction.
//!
//! The store methods cannot fail, so a SQLite error inside one is logged, counted and kept as the
//! *first error*; [`Database::commit`] then refuses and rolls back, and
//! [`Database::take_error`] hands the error to the driver. Rows that do not decode are skipped,
//! logged and counted in [`Database::n_corrupt_rows`]; they stay in the file for inspection.

use crate::error::{OpenError, StoreError};
use crate::migrations::{self, APPLICATION_ID, SCHEMA_VERSION};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// How long a statement waits for another connection's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How many prepared statements each connection keeps.
const STATEMENT_CACHE: usize = 64;

/// The length of a SQLite database file's header.
const HEADER_LEN: usize = 100;

/// The first 16 bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Where the header keeps `PRAGMA user_version` (a big-endian 32-bit integer).
const USER_VERSION_OFFSET: usize = 60;

/// Where the header keeps `PRAGMA application_id` (a big-endian 32-bit integer).
const APPLICATION_ID_OFFSET: usize = 68;

/// The database of one installation. Cheap to share: stores made from it hold the same connection.
#[derive(Debug)]
pub struct Database {
    shared: Arc<Mutex<Shared>>,
    path: Option<PathBuf>,
}

/// What the database and its stores share.
#[derive(Debug)]
pub(crate) struct Shared {
    /// The installation's single connection.
    pub(crate) conn: Connection,
    /// The first store error not yet taken by the driver.
    first_error: Option<StoreError>,
    /// Store errors since the database was opened.
    n_errors: u64,
    /// Rows skipped because they did not decode, since the database was opened.
    n_corrupt_rows: u64,
}

impl Database {
    /// Opens (or creates) the installation database at `path`, migrating it to [`SCHEMA_VERSION`].
    ///
    /// Refuses newer, corrupt and foreign files without touching them; see the module docs.
    pub fn open(path: &Path) -> Result<Database, OpenError> {
        let io_error = |source| OpenError::Io {
            path: path.to_owned(),
            source,
        };
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(io_error)?;
        }
        match fs::metadata(path) {
            Ok(meta) if !meta.is_file() => {
                return Err(io_error(io::Error::other("not a regular file")));
            }
            Ok(meta) if meta.len() > 0 => examine(path)?,
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                create_private_file(path).map_err(io_error)?;
            }
            Err(error) => return Err(io_error(error)),
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let sqlite_error = |source| OpenError::Sqlite {
            path: path.to_owned(),
            source,
        };
        let mut conn = Connection::open_with_flags(path, flags).map_err(sqlite_error)?;
        configure(&conn, true).map_err(sqlite_error)?;
        migrate(&mut conn, path)?;
        // The header read before may have been stale (a schema step still in the WAL).
        let version = migrations::user_version(&conn).map_err(sqlite_error)?;
        check_version(path, version)?;
        tracing::info!(path = %path.display(), version = SCHEMA_VERSION, "database open");
        Ok(Database::new(conn, Some(path.to_owned())))
    }

    /// A fresh database in memory, for tests and the simulator.
    pub fn open_in_memory() -> Result<Database, OpenError> {
        let path = Path::new(":memory:");
        let sqlite_error = |source| OpenError::Sqlite {
            path: path.to_owned(),
            source,
        };
        let mut conn = Connection::open_in_memory().map_err(sqlite_error)?;
        configure(&conn, false).map_err(sqlite_error)?;
        migrate(&mut conn, path)?;
        Ok(Database::new(conn, None))
    }

    /// The file, or `None` for an in-memory database.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Takes the first store error recorded since the last call, if any.
    ///
    /// Check it after `Node::new` (which reads outside any transaction);
    /// [`Database::commit`] checks it on its own.
    pub fn take_error(&self) -> Option<StoreError> {
        self.lock().first_error.take()
    }

    /// Store errors since the database was opened (each also logged).
    pub fn n_store_errors(&self) -> u64 {
        self.lock().n_errors
    }

    /// Rows skipped because they did not decode, since the database was opened (each also logged).
    pub fn n_corrupt_rows(&self) -> u64 {
        self.lock().n_corrupt_rows
    }

    fn new(conn: Connection, path: Option<PathBuf>) -> Database {
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Database {
            shared: Arc::new(Mutex::new(Shared {
                conn,
                first_error: None,
                n_errors: 0,
                n_corrupt_rows: 0,
            })),
            path,
        }
    }

    /// The shared state, locked.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Shared> {
        lock(&self.shared)
    }

    /// A new handle on the shared state, for a store.
    pub(crate) fn share(&self) -> Arc<Mutex<Shared>> {
        Arc::clone(&self.shared)
    }
}

impl Shared {
    /// Records a failed store operation (already logged by the caller).
    pub(crate) fn record(&mut self, error: StoreError) {
        self.n_errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(error);
        }
    }

    /// Counts a row that did not decode (already logged by the caller).
    pub(crate) fn count_corrupt(&mut self) {
        self.n_corrupt_rows += 1;
    }

    /// Takes the first recorded error, for the transaction functions.
    pub(crate) fn take_error(&mut self) -> Option<StoreError> {
        self.first_error.take()
    }
}

/// Locks the shared state. A panic on the node thread while it was held cannot leave SQLite in
/// a torn state (the transaction is still open and will be rolled back), so poisoning is ignored.
pub(crate) fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Examines an existing, non-empty file without writing to it.
///
/// The refusals that need no SQLite (not a database, another application's, a newer schema) are
/// decided from the 100-byte file header alone, so that not even SQLite's side files appear.
/// The rest goes through a read-only connection, which can neither checkpoint nor roll back
/// anything into the file.
fn examine(path: &Path) -> Result<(), OpenError> {
    let corrupt = |detail: String| OpenError::Corrupt {
        path: path.to_owned(),
        detail,
    };
    let foreign = |detail: String| OpenError::Foreign {
        path: path.to_owned(),
        detail,
    };
    let mut header = [0u8; HEADER_LEN];
    match fs::File::open(path).and_then(|mut file| file.read_exact(&mut header)) {
        Ok(()) if header.starts_with(SQLITE_MAGIC) => {}
        Ok(()) => return Err(corrupt("not a SQLite database".into())),
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => {
            return Err(corrupt("not a SQLite database".into()));
        }
        Err(source) => {
            return Err(OpenError::Io {
                path: path.to_owned(),
                source,
            });
        }
    }
    let header_field = |offset: usize| {
        let bytes = [
            header[offset],
            header[offset + 1],
            header[offset + 2],
            header[offset + 3],
        ];
        i64::from(i32::from_be_bytes(bytes))
    };
    let version = header_field(USER_VERSION_OFFSET);
    let application_id = header_field(APPLICATION_ID_OFFSET);
    if application_id != APPLICATION_ID && application_id != 0 {
        return Err(foreign(format!("application id {application_id:#x}")));
    }
    if application_id == APPLICATION_ID {
        check_version(path, version)?;
    }

    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let classify = |source: rusqlite::Error| match source.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => corrupt(source.to_string()),
        _ => OpenError::Sqlite {
            path: path.to_owned(),
            source,
        },
    };
    let conn = Connection::open_with_flags(path, flags).map_err(classify)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(classify)?;
    // The header is stale while changes sit in the write-ahead log (after a crash, before the
    // first checkpoint): the connection sees the log, so its values decide.
    let pragma = |name: &str| -> Result<i64, OpenError> {
        conn.query_row(&format!("PRAGMA {name}"), [], |row| row.get(0))
            .map_err(classify)
    };
    let application_id = pragma("application_id")?;
    let version = pragma("user_version")?;
    if application_id != APPLICATION_ID && application_id != 0 {
        return Err(foreign(format!("application id {application_id:#x}")));
    }
    if application_id == APPLICATION_ID {
        check_version(path, version)?;
    }
    if application_id == 0 {
        // Unmarked: only an empty database (a fresh file of ours that was never migrated) is ours.
        let n_objects: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(classify)?;
        if version != 0 || n_objects > 0 {
            return Err(foreign(format!(
                "no cliqueclique mark, {n_objects} schema objects, user_version {version}"
            )));
        }
    }
    let report = quick_check(&conn).map_err(classify)?;
    if report != ["ok"] {
        return Err(corrupt(format!("quick_check: {}", report.join("; "))));
    }
    Ok(())
}

/// Refuses a schema version this build does not know.
fn check_version(path: &Path, version: i64) -> Result<(), OpenError> {
    let found = u32::try_from(version).map_err(|_| OpenError::Corrupt {
        path: path.to_owned(),
        detail: format!("negative schema version {version}"),
    })?;
    if found > SCHEMA_VERSION {
        return Err(OpenError::NewerVersion {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// The lines `PRAGMA quick_check` reports, at most ten (`["ok"]` for a sound file).
fn quick_check(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare("PRAGMA quick_check(10)")?;
    let rows = statement.query_map([], |row| row.get::<_, String>(0))?;
    rows.collect()
}

/// Sets the connection's pragmas (see the module docs).
fn configure(conn: &Connection, file: bool) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String =
        conn.pragma_update_and_check(None, "journal_mode", "wal", |row| row.get(0))?;
    if file && !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(%mode, "the file system does not support WAL; using another journal mode");
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<(), OpenError> {
    migrations::migrate(conn).map_err(|(version, source)| OpenError::Migration {
        path: path.to_owned(),
        version,
        source,
    })
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(drop)
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> io::Result<()> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(drop)
}
