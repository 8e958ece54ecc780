//! [`WebState`]: what every page handler reaches: the daemon's API state, the web settings, the
//! login limiter and the joins started from the join page.

use crate::auth::limiter::{LoginLimiter, LoginLimits};
use cliqueclique_daemon::AppState;
use cliqueclique_doc::{DocId, NodeId};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The settings key of the registration mode.
pub const REGISTRATION_SETTING: &str = "web.registration";

/// How the web UI runs.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// A public website (see the crate docs); else a local node.
    pub public: bool,
    /// The token that gives the local CLI full access to the API in public mode (the content of
    /// `DATA_DIR/owner.token`).
    pub owner_token: Option<String>,
    /// The registration mode to set at start, if given on the command line.
    pub registration: Option<Registration>,
    /// How long a login lasts.
    pub session_lifetime: Duration,
    /// The limits on failed logins and on registrations.
    pub login_limits: LoginLimits,
}

impl Settings {
    /// Local mode with the default session lifetime.
    pub fn local() -> Settings {
        Settings {
            session_lifetime: DEFAULT_SESSION_LIFETIME,
            ..Settings::default()
        }
    }

    /// Public mode with an owner token.
    pub fn public(owner_token: String) -> Settings {
        Settings {
            public: true,
            owner_token: Some(owner_token),
            session_lifetime: DEFAULT_SESSION_LIFETIME,
            registration: None,
            login_limits: LoginLimits::default(),
        }
    }
}

/// The most joins whose progress the join page remembers.
const MAX_JOINS_KEPT: usize = 1024;

/// How long a login lasts unless set: 30 days.
pub const DEFAULT_SESSION_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// Who may create an account in public mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Registration {
    /// Anyone.
    Open,
    /// Whoever has an unused invite code from the owner.
    #[default]
    Invite,
    /// Nobody.
    Closed,
}

impl Registration {
    /// The setting's text.
    pub fn as_str(self) -> &'static str {
        match self {
            Registration::Open => "open",
            Registration::Invite => "invite",
            Registration::Closed => "closed",
        }
    }
}

impl std::str::FromStr for Registration {
    type Err = String;

    fn from_str(text: &str) -> Result<Registration, String> {
        match text {
            "open" => Ok(Registration::Open),
            "invite" => Ok(Registration::Invite),
            "closed" => Ok(Registration::Closed),
            other => Err(format!(
                "bad registration mode {other:?}: use open, invite or closed"
            )),
        }
    }
}

/// A join started from the join page, as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JoinProgress {
    /// Looking up the address and waiting for the document.
    Waiting {
        /// The address asked.
        address: String,
        /// When it started, unix seconds.
        since: u64,
    },
    /// The document arrived.
    Done,
    /// It failed.
    Failed {
        /// The address asked.
        address: String,
        /// Why it failed.
        error: String,
    },
}

/// Shared by every page handler; cheap to clone.
#[derive(Clone)]
pub struct WebState {
    /// The daemon's API state (node thread, transport, settings).
    pub api: AppState,
    /// How the web UI runs.
    pub settings: Arc<Settings>,
    /// Failed logins.
    pub limiter: Arc<LoginLimiter>,
    /// Turns for argon2, bounding the memory of parallel logins.
    pub hashing: crate::auth::password::Hashing,
    joins: Arc<Mutex<BTreeMap<(NodeId, DocId), JoinProgress>>>,
}

impl WebState {
    /// Bundles the state.
    pub fn new(api: AppState, settings: Settings) -> WebState {
        WebState {
            api,
            limiter: Arc::new(LoginLimiter::new(settings.login_limits.clone())),
            hashing: crate::auth::password::Hashing::default(),
            settings: Arc::new(settings),
            joins: Arc::default(),
        }
    }

    /// The joins of the join page.
    pub fn joins(&self) -> MutexGuard<'_, BTreeMap<(NodeId, DocId), JoinProgress>> {
        self.joins.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a join's progress; finished joins are forgotten first when too many are kept.
    pub fn set_join(&self, key: (NodeId, DocId), progress: JoinProgress) {
        let mut joins = self.joins();
        if joins.len() >= MAX_JOINS_KEPT {
            joins.retain(|_, p| matches!(p, JoinProgress::Waiting { .. }));
        }
        joins.insert(key, progress);
    }
}

/// The wall clock in unix seconds (the web layer's own: sessions and rate limits).
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
