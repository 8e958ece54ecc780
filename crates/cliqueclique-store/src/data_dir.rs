//! Where an installation keeps its data, and how the location is overridden.
//!
//! The order is: the `--data-dir` flag, then the `CLIQUECLIQUE_DATA_DIR` environment variable,
//! then the XDG default (`$XDG_DATA_HOME/cliqueclique`, or `~/.local/share/cliqueclique`).
//! The binary reads the flag and the variable and passes them to [`resolve_data_dir`]; this
//! library reads no environment of its own except for the XDG default in [`default_data_dir`].
//! The database is the file [`DATABASE_FILE`] inside the data directory.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The name of the environment variable that overrides the data directory (read by the binary).
pub const DATA_DIR_ENV: &str = "CLIQUECLIQUE_DATA_DIR";

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "cliqueclique.sqlite3";

/// The directory's name below the XDG data home.
const APP_DIR: &str = "cliqueclique";

/// The XDG default: `$XDG_DATA_HOME/cliqueclique`, else `$HOME/.local/share/cliqueclique`.
///
/// A relative or empty `XDG_DATA_HOME` is ignored, as the XDG specification asks.
/// Without any home directory the result is `cliqueclique` relative to the working directory.
pub fn default_data_dir() -> PathBuf {
    xdg_data_dir(std::env::var_os("XDG_DATA_HOME"), std::env::home_dir())
}

/// The data directory to use: `flag` wins over `env` (the value of [`DATA_DIR_ENV`]), which wins
/// over [`default_data_dir`]. Empty values count as absent.
pub fn resolve_data_dir(flag: Option<PathBuf>, env: Option<OsString>) -> PathBuf {
    flag.filter(|path| !path.as_os_str().is_empty())
        .or_else(|| env.filter(|value| !value.is_empty()).map(PathBuf::from))
        .unwrap_or_else(default_data_dir)
}

/// The database file inside `data_dir`.
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join(DATABASE_FILE)
}

/// [`default_data_dir`] with its inputs passed in, so that tests need not touch the environment.
pub(crate) fn xdg_data_dir(xdg_data_home: Option<OsString>, home: Option<PathBuf>) -> PathBuf {
    if let Some(xdg) = xdg_data_home.map(PathBuf::from)
        && xdg.is_absolute()
    {
        return xdg.join(APP_DIR);
    }
    match home.filter(|home| !home.as_os_str().is_empty()) {
        Some(home) => home.join(".local").join("share").join(APP_DIR),
        None => PathBuf::from(APP_DIR),
    }
}
