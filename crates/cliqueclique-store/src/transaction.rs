//! Transactions: one per `Node::handle_*` call, committed before the call's output leaves.
//!
//! The driver does, for every input:
//!
//! ```text
//! db.begin()?;
//! node.handle_batch(now, from, batch);       // or any other handle_* call
//! db.commit()?;                              // refuses (and rolls back) if a store call failed
//! while let Some(t) = node.poll_transmit() { transport.send(t) }
//! ```
//!
//! or the same through [`Database::transaction`].
//! Because acks and bodies are handed to the transport only after the commit, nothing a peer was
//! told is lost by a crash: either the commit happened and the state is on disk, or it did not
//! and the peer heard nothing.
//! After a failed commit or a rollback, the node's memory is ahead of the database: drop the
//! node and stop (or restart it from the database with `Node::new`).
//!
//! Transactions are `BEGIN IMMEDIATE`, taking the write lock at once, so a concurrent reader
//! can never make the commit fail with a lock upgrade conflict.

use crate::database::{Database, Shared};
use crate::error::TransactionError;

impl Database {
    /// Begins a transaction spanning every store of this installation.
    ///
    /// Fails with [`TransactionError::Store`] if a store error is still pending (one that was
    /// recorded outside a transaction and not taken), so that it cannot go unnoticed.
    pub fn begin(&self) -> Result<(), TransactionError> {
        let mut shared = self.lock();
        if !shared.conn.is_autocommit() {
            return Err(TransactionError::AlreadyOpen);
        }
        if let Some(error) = shared.take_error() {
            return Err(TransactionError::Store(error));
        }
        shared
            .conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(TransactionError::Sqlite)
    }

    /// Commits the open transaction, unless a store operation failed since it began: then it is
    /// rolled back and the error returned. A failing `COMMIT` is rolled back too.
    pub fn commit(&self) -> Result<(), TransactionError> {
        let mut shared = self.lock();
        if shared.conn.is_autocommit() {
            return Err(TransactionError::NotOpen);
        }
        if let Some(error) = shared.take_error() {
            roll_back(&shared);
            return Err(TransactionError::Store(error));
        }
        if let Err(error) = shared.conn.execute_batch("COMMIT") {
            roll_back(&shared);
            return Err(TransactionError::Sqlite(error));
        }
        Ok(())
    }

    /// Rolls the open transaction back, discarding any pending store error with it.
    pub fn rollback(&self) -> Result<(), TransactionError> {
        let mut shared = self.lock();
        if shared.conn.is_autocommit() {
            return Err(TransactionError::NotOpen);
        }
        if let Some(error) = shared.take_error() {
            tracing::debug!(%error, "store error discarded by rollback");
        }
        shared
            .conn
            .execute_batch("ROLLBACK")
            .map_err(TransactionError::Sqlite)
    }

    /// Runs `call` in a transaction: begin, `call`, commit. Returns what `call` returned once the
    /// commit succeeded. If `call` panics, the transaction is rolled back while unwinding.
    pub fn transaction<T>(&self, call: impl FnOnce() -> T) -> Result<T, TransactionError> {
        self.begin()?;
        let guard = RollbackOnUnwind { database: self };
        let output = call();
        std::mem::forget(guard);
        self.commit()?;
        Ok(output)
    }
}

/// Rolls back if dropped, which only happens when the call panicked.
struct RollbackOnUnwind<'a> {
    database: &'a Database,
}

impl Drop for RollbackOnUnwind<'_> {
    fn drop(&mut self) {
        if let Err(error) = self.database.rollback() {
            tracing::error!(%error, "rollback after a panic failed");
        }
    }
}

/// Rolls back after a refused or failed commit; SQLite may already have done so itself.
fn roll_back(shared: &Shared) {
    if shared.conn.is_autocommit() {
        return;
    }
    if let Err(error) = shared.conn.execute_batch("ROLLBACK") {
        tracing::error!(%error, "rollback failed");
    }
}
