//! Router-level tests of every page handler against a real daemon (SQLite in a temporary
//! directory, real node thread), driven with `tower::ServiceExt::oneshot`: status codes, CSRF and
//! login rejections, escaping, directories and search, public-mode isolation, and the guard's headers.

mod directories;
mod document;
mod feeds;
mod harness;
mod joins;
mod layout;
mod links;
mod login;
mod moderating;
mod pages;
mod public;
mod reading;
mod replying;
mod revise;
mod security;
mod sharing;
mod views;
