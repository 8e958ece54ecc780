//! The installation's tables beside the nodes' (settings, web accounts, sessions, invites), read
//! and written on the node thread, which owns the database.

use super::Handle;
use crate::error::ApiError;
use cliqueclique_store::{Account, AccountError, StoreError, TokenHash, WebSession};

/// A failed read or write of the installation's tables.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The node thread is gone.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// The owner's account exists already.
    #[error("this installation has an owner already: log in")]
    OwnerExists,
    /// The invite code is unknown or used.
    #[error("that invite code is unknown or used")]
    InviteUnknown,
    /// The name is taken (by an account or a local node).
    #[error("the name {0:?} is taken")]
    NameTaken(String),
    /// The account could not be stored.
    #[error(transparent)]
    Account(AccountError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The node could not be created.
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<AccountError> for RegisterError {
    fn from(error: AccountError) -> RegisterError {
        match error {
            AccountError::NameTaken(name) => RegisterError::NameTaken(name),
            other => RegisterError::Account(other),
        }
    }
}

impl Handle {
    /// Runs a read or write of the database on the node thread.
    async fn table<T: Send + 'static>(
        &self,
        f: impl FnOnce(&cliqueclique_store::Database) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, TableError> {
        Ok(self.call(move |a| f(a.database())).await??)
    }

    /// A stored setting.
    pub async fn setting(&self, key: &'static str) -> Result<Option<Vec<u8>>, TableError> {
        self.table(move |db| db.setting(key)).await
    }

    /// Stores a setting.
    pub async fn set_setting(&self, key: &'static str, value: Vec<u8>) -> Result<(), TableError> {
        self.table(move |db| db.set_setting(key, &value)).await
    }

    /// How many web accounts exist.
    pub async fn count_accounts(&self) -> Result<u64, TableError> {
        self.table(|db| db.count_accounts()).await
    }

    /// An account and its password hash, by row id.
    pub async fn account(&self, id: i64) -> Result<Option<(Account, String)>, TableError> {
        self.table(move |db| db.account(id)).await
    }

    /// An account and its password hash, by login name.
    pub async fn account_by_name(
        &self,
        username: String,
    ) -> Result<Option<(Account, String)>, TableError> {
        self.table(move |db| db.account_by_name(&username)).await
    }

    /// The account an API token belongs to.
    pub async fn account_by_api_token(
        &self,
        token_hash: TokenHash,
    ) -> Result<Option<Account>, TableError> {
        self.table(move |db| db.account_by_api_token(&token_hash))
            .await
    }

    /// Replaces an account's password hash.
    pub async fn set_password(
        &self,
        account: i64,
        password_hash: String,
    ) -> Result<(), TableError> {
        self.table(move |db| db.set_password(account, &password_hash))
            .await
    }

    /// Replaces an account's API token.
    pub async fn set_api_token(
        &self,
        account: i64,
        token_hash: TokenHash,
    ) -> Result<(), TableError> {
        self.table(move |db| db.set_api_token(account, Some(&token_hash)))
            .await
    }

    /// Starts a login session.
    pub async fn create_session(
        &self,
        token_hash: TokenHash,
        account: i64,
        csrf_token: String,
        now: u64,
        expires_at: u64,
    ) -> Result<(), TableError> {
        self.table(move |db| db.create_session(&token_hash, account, &csrf_token, now, expires_at))
            .await
    }

    /// The live session of a token.
    pub async fn session(
        &self,
        token_hash: TokenHash,
        now: u64,
    ) -> Result<Option<WebSession>, TableError> {
        self.table(move |db| db.session(&token_hash, now)).await
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: TokenHash) -> Result<(), TableError> {
        self.table(move |db| db.delete_session(&token_hash)).await
    }

    /// Stores a one-time registration invite.
    pub async fn create_invite(
        &self,
        code_hash: TokenHash,
        account: i64,
        now: u64,
    ) -> Result<(), TableError> {
        self.table(move |db| db.create_invite(&code_hash, account, now))
            .await
    }

    /// Creates the owner's account on a fresh installation, acting as the first local node (or a
    /// new one named after the owner).
    pub async fn create_owner(
        &self,
        username: String,
        password_hash: String,
        now: u64,
    ) -> Result<Account, RegisterError> {
        self.call(move |a| {
            if a.database().count_accounts()? > 0 {
                return Err(RegisterError::OwnerExists);
            }
            let node = match a.node_infos().first() {
                Some(first) => first.id,
                None => a.create_node(&username)?.id,
            };
            Ok(a.database()
                .create_account(&username, &password_hash, node, true, now)?)
        })
        .await?
    }

    /// Registers an account with a new local node of its name, using `invite` if one is needed.
    ///
    /// The outer error is the node thread's; the inner one says why the registration was refused.
    pub async fn register(
        &self,
        username: String,
        password_hash: String,
        invite: Option<TokenHash>,
        now: u64,
    ) -> Result<Result<Account, RegisterError>, ApiError> {
        self.call(move |a| {
            let db = a.database();
            if let Some(code) = &invite
                && !db.invite_open(code)?
            {
                return Err(RegisterError::InviteUnknown);
            }
            if db.account_by_name(&username)?.is_some() {
                return Err(RegisterError::NameTaken(username));
            }
            let node = a.create_node(&username).map_err(|e| match e {
                ApiError::Conflict(_) => RegisterError::NameTaken(username.clone()),
                other => RegisterError::Api(other),
            })?;
            let db = a.database();
            let account = db.create_account(&username, &password_hash, node.id, false, now)?;
            if let Some(code) = &invite {
                db.use_invite(code, account.id)?;
            }
            Ok(account)
        })
        .await
    }
}
