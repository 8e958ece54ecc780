//! Web accounts, their login sessions and registration invites.
//!
//! An account is a person who logs in to the web UI; it acts as exactly one local node.
//! The store keeps what the web layer hands it and decides nothing about security itself:
//! passwords arrive as argon2 PHC strings, and session tokens, API tokens and invite codes
//! arrive as blake3 hashes of the random values (the values themselves live only in the
//! user's browser or file), so a copy of the database cannot be used to log in.
//! Like the rest of the store, nothing here reads the clock: callers pass `now` in unix seconds.

use crate::codec::{id_bytes, time_from_sql, time_to_sql};
use crate::database::Database;
use crate::error::StoreError;
use cliqueclique_doc::NodeId;
use rusqlite::{OptionalExtension, Row, params};

/// The hash of a secret token (blake3 of the random value).
pub type TokenHash = [u8; 32];

/// A web account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Its row id.
    pub id: i64,
    /// The login name (also its node's name when the node was made for it).
    pub username: String,
    /// The local node it acts as.
    pub node: NodeId,
    /// The installation's owner (the first account): it manages registration.
    pub is_owner: bool,
    /// When it was created, unix seconds.
    pub created_at: u64,
}

/// A live login session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebSession {
    /// Whose it is.
    pub account: Account,
    /// The token its state-changing requests must carry.
    pub csrf_token: String,
    /// When it ends, unix seconds.
    pub expires_at: u64,
}

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccountError {
    /// The username is taken.
    #[error("the name {0:?} is taken")]
    NameTaken(String),
    /// The node already belongs to an account.
    #[error("local node {0} already belongs to an account")]
    NodeTaken(NodeId),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

const ACCOUNT_COLUMNS: &str = "account_id, username, node_id, is_owner, created_at";

impl Database {
    /// How many accounts exist (none on a fresh installation: the first visit sets up the owner).
    pub fn count_accounts(&self) -> Result<u64, StoreError> {
        self.lock()
            .conn
            .prepare_cached("SELECT count(*) FROM accounts")
            .and_then(|mut s| s.query_row([], |row| row.get::<_, i64>(0)))
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(StoreError::sqlite("count_accounts"))
    }

    /// Creates an account acting as local node `node`.
    pub fn create_account(
        &self,
        username: &str,
        password_hash: &str,
        node: NodeId,
        is_owner: bool,
        now: u64,
    ) -> Result<Account, AccountError> {
        let shared = self.lock();
        let taken = |sql: &str, value: &dyn rusqlite::ToSql| {
            shared
                .conn
                .prepare_cached(sql)
                .and_then(|mut s| s.exists([value]))
                .map_err(StoreError::sqlite("create_account"))
        };
        if taken("SELECT 1 FROM accounts WHERE username = ?1", &username)? {
            return Err(AccountError::NameTaken(username.to_owned()));
        }
        if taken(
            "SELECT 1 FROM accounts WHERE node_id = ?1",
            &node.as_bytes().as_slice(),
        )? {
            return Err(AccountError::NodeTaken(node));
        }
        shared
            .conn
            .prepare_cached(
                "INSERT INTO accounts (username, password_hash, node_id, is_owner, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    username,
                    password_hash,
                    node.as_bytes(),
                    is_owner,
                    time_to_sql(now)
                ])
            })
            .map_err(StoreError::sqlite("create_account"))?;
        Ok(Account {
            id: shared.conn.last_insert_rowid(),
            username: username.to_owned(),
            node,
            is_owner,
            created_at: now,
        })
    }

    /// An account by login name, with its password hash.
    pub fn account_by_name(&self, username: &str) -> Result<Option<(Account, String)>, StoreError> {
        let sql =
            format!("SELECT {ACCOUNT_COLUMNS}, password_hash FROM accounts WHERE username = ?1");
        self.query_account("account_by_name", &sql, &username, |row| row.get(5))
    }

    /// An account by id, with its password hash.
    pub fn account(&self, id: i64) -> Result<Option<(Account, String)>, StoreError> {
        let sql =
            format!("SELECT {ACCOUNT_COLUMNS}, password_hash FROM accounts WHERE account_id = ?1");
        self.query_account("account", &sql, &id, |row| row.get(5))
    }

    /// The account whose API token hashes to `token_hash`.
    pub fn account_by_api_token(
        &self,
        token_hash: &TokenHash,
    ) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE api_token_hash = ?1");
        self.query_account("account_by_api_token", &sql, &token_hash.as_slice(), |_| {
            Ok(())
        })
        .map(|found| found.map(|(account, ())| account))
    }

    /// The account acting as `node`, if any.
    pub fn account_of_node(&self, node: &NodeId) -> Result<Option<Account>, StoreError> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE node_id = ?1");
        self.query_account("account_of_node", &sql, &node.as_bytes().as_slice(), |_| {
            Ok(())
        })
        .map(|found| found.map(|(account, ())| account))
    }

    /// Replaces an account's password hash and ends all its sessions.
    pub fn set_password(&self, account: i64, password_hash: &str) -> Result<(), StoreError> {
        let shared = self.lock();
        shared
            .conn
            .prepare_cached("UPDATE accounts SET password_hash = ?2 WHERE account_id = ?1")
            .and_then(|mut s| s.execute(params![account, password_hash]))
            .and_then(|_| {
                shared
                    .conn
                    .prepare_cached("DELETE FROM web_sessions WHERE account_id = ?1")
                    .and_then(|mut s| s.execute([account]))
            })
            .map(drop)
            .map_err(StoreError::sqlite("set_password"))
    }

    /// Sets (or with `None` revokes) an account's API token.
    pub fn set_api_token(
        &self,
        account: i64,
        token_hash: Option<&TokenHash>,
    ) -> Result<(), StoreError> {
        self.lock()
            .conn
            .prepare_cached("UPDATE accounts SET api_token_hash = ?2 WHERE account_id = ?1")
            .and_then(|mut s| s.execute(params![account, token_hash.map(|h| h.as_slice())]))
            .map(drop)
            .map_err(StoreError::sqlite("set_api_token"))
    }

    /// Starts a login session.
    pub fn create_session(
        &self,
        token_hash: &TokenHash,
        account: i64,
        csrf_token: &str,
        now: u64,
        expires_at: u64,
    ) -> Result<(), StoreError> {
        self.lock()
            .conn
            .prepare_cached(
                "INSERT INTO web_sessions (token_hash, account_id, csrf_token, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    token_hash.as_slice(),
                    account,
                    csrf_token,
                    time_to_sql(now),
                    time_to_sql(expires_at)
                ])
            })
            .map(drop)
            .map_err(StoreError::sqlite("create_session"))
    }

    /// The session with this token, unless it expired by `now` (expired ones are deleted here).
    pub fn session(
        &self,
        token_hash: &TokenHash,
        now: u64,
    ) -> Result<Option<WebSession>, StoreError> {
        let shared = self.lock();
        shared
            .conn
            .prepare_cached("DELETE FROM web_sessions WHERE expires_at <= ?1")
            .and_then(|mut s| s.execute([time_to_sql(now)]))
            .map_err(StoreError::sqlite("session"))?;
        let sql = "SELECT a.account_id, a.username, a.node_id, a.is_owner, a.created_at,
                          s.csrf_token, s.expires_at
                   FROM web_sessions s JOIN accounts a USING (account_id)
                   WHERE s.token_hash = ?1";
        let found = shared
            .conn
            .prepare_cached(sql)
            .and_then(|mut s| {
                s.query_row([token_hash.as_slice()], |row| {
                    Ok((
                        read_account(row)?,
                        row.get::<_, String>(5)?,
                        row.get::<_, i64>(6)?,
                    ))
                })
                .optional()
            })
            .map_err(StoreError::sqlite("session"))?;
        Ok(found.and_then(|(account, csrf_token, expires_at)| {
            Some(WebSession {
                account: account?,
                csrf_token,
                expires_at: time_from_sql(expires_at),
            })
        }))
    }

    /// Ends a session (logout).
    pub fn delete_session(&self, token_hash: &TokenHash) -> Result<(), StoreError> {
        self.lock()
            .conn
            .prepare_cached("DELETE FROM web_sessions WHERE token_hash = ?1")
            .and_then(|mut s| s.execute([token_hash.as_slice()]))
            .map(drop)
            .map_err(StoreError::sqlite("delete_session"))
    }

    /// Records a one-time registration code made by `account`.
    pub fn create_invite(
        &self,
        code_hash: &TokenHash,
        account: i64,
        now: u64,
    ) -> Result<(), StoreError> {
        self.lock()
            .conn
            .prepare_cached(
                "INSERT INTO invites (code_hash, created_by, created_at) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut s| s.execute(params![code_hash.as_slice(), account, time_to_sql(now)]))
            .map(drop)
            .map_err(StoreError::sqlite("create_invite"))
    }

    /// Whether an unused invite with this code exists.
    pub fn invite_open(&self, code_hash: &TokenHash) -> Result<bool, StoreError> {
        self.lock()
            .conn
            .prepare_cached("SELECT 1 FROM invites WHERE code_hash = ?1 AND used_by IS NULL")
            .and_then(|mut s| s.exists([code_hash.as_slice()]))
            .map_err(StoreError::sqlite("invite_open"))
    }

    /// Marks an invite used by `account`; false if it was not open.
    pub fn use_invite(&self, code_hash: &TokenHash, account: i64) -> Result<bool, StoreError> {
        self.lock()
            .conn
            .prepare_cached(
                "UPDATE invites SET used_by = ?2 WHERE code_hash = ?1 AND used_by IS NULL",
            )
            .and_then(|mut s| s.execute(params![code_hash.as_slice(), account]))
            .map(|n| n == 1)
            .map_err(StoreError::sqlite("use_invite"))
    }

    fn query_account<T>(
        &self,
        op: &'static str,
        sql: &str,
        key: &dyn rusqlite::ToSql,
        extra: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<(Account, T)>, StoreError> {
        let mut shared = self.lock();
        let found = shared
            .conn
            .prepare_cached(sql)
            .and_then(|mut s| {
                s.query_row([key], |row| Ok((read_account(row)?, extra(row)?)))
                    .optional()
            })
            .map_err(StoreError::sqlite(op))?;
        match found {
            Some((Some(account), extra)) => Ok(Some((account, extra))),
            Some((None, _)) => {
                tracing::error!(op, "skipping an account row that does not decode");
                shared.count_corrupt();
                Ok(None)
            }
            None => Ok(None),
        }
    }
}

/// The account columns of a row (in [`ACCOUNT_COLUMNS`] order); `None` for a damaged node id.
fn read_account(row: &Row<'_>) -> rusqlite::Result<Option<Account>> {
    let node: Vec<u8> = row.get(2)?;
    let id = row.get(0)?;
    let username = row.get(1)?;
    let is_owner = row.get(3)?;
    let created_at: i64 = row.get(4)?;
    Ok(id_bytes(&node).map(|bytes| Account {
        id,
        username,
        node: NodeId(bytes),
        is_owner,
        created_at: time_from_sql(created_at),
    }))
}
