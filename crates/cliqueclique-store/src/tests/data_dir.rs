//! Data directory resolution: flag over environment over the XDG default.

use crate::data_dir::xdg_data_dir;
use crate::{DATABASE_FILE, database_path, default_data_dir, resolve_data_dir};
use std::ffi::OsString;
use std::path::PathBuf;

#[test]
fn the_flag_wins_over_the_environment() {
    let dir = resolve_data_dir(
        Some(PathBuf::from("/from/flag")),
        Some(OsString::from("/from/env")),
    );
    assert_eq!(dir, PathBuf::from("/from/flag"));
}

#[test]
fn the_environment_wins_over_the_default() {
    let dir = resolve_data_dir(None, Some(OsString::from("/from/env")));
    assert_eq!(dir, PathBuf::from("/from/env"));
}

#[test]
fn the_default_applies_without_flag_or_environment() {
    assert_eq!(resolve_data_dir(None, None), default_data_dir());
    // Empty values count as absent.
    assert_eq!(
        resolve_data_dir(Some(PathBuf::new()), Some(OsString::new())),
        default_data_dir()
    );
    assert_eq!(
        resolve_data_dir(Some(PathBuf::new()), Some(OsString::from("/from/env"))),
        PathBuf::from("/from/env")
    );
}

#[test]
fn the_default_follows_xdg() {
    let home = Some(PathBuf::from("/home/user"));
    assert_eq!(
        xdg_data_dir(Some(OsString::from("/xdg/data")), home.clone()),
        PathBuf::from("/xdg/data/cliqueclique")
    );
    assert_eq!(
        xdg_data_dir(None, home.clone()),
        PathBuf::from("/home/user/.local/share/cliqueclique")
    );
    // A relative or empty XDG_DATA_HOME is ignored.
    assert_eq!(
        xdg_data_dir(Some(OsString::from("relative")), home.clone()),
        PathBuf::from("/home/user/.local/share/cliqueclique")
    );
    assert_eq!(
        xdg_data_dir(Some(OsString::new()), home),
        PathBuf::from("/home/user/.local/share/cliqueclique")
    );
    assert_eq!(xdg_data_dir(None, None), PathBuf::from("cliqueclique"));
}

#[test]
fn the_database_file_is_inside_the_data_directory() {
    assert_eq!(
        database_path(&PathBuf::from("/data")),
        PathBuf::from("/data").join(DATABASE_FILE)
    );
    assert_eq!(DATABASE_FILE, "cliqueclique.sqlite3");
}
