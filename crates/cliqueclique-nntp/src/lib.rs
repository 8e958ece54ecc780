//! The NNTP reader server of `cliqueclique serve --nntp ADDR`: a node's followed forums as
//! newsgroups for real newsreaders (tin, slrn, Thunderbird, Gnus), speaking RFC 3977 with
//! RFC 4643 `AUTHINFO USER/PASS`.
//!
//! A forum is a group; its documents at every depth are its articles, numbered once per node
//! and group in arrival order (the store keeps the numbers, so a newsreader's read marks stay
//! right across restarts). `docs/nntp.md` describes the mapping and the commands.
//!
//! # Layout
//!
//! - [`command`]: a command line parsed into a [`Command`]; message-ids.
//! - [`response`]: status lines and dot-stuffed multi-line answers.
//! - [`group`]: group names and wildmats.
//! - [`article`]: a document as an article, its overview line, and posted articles read back.
//! - [`session`]: the protocol state machine, fed lines, over a [`Backend`]; no sockets.
//! - [`backend`]: the [`Backend`] of a running daemon ([`Installation`]).
//! - [`server`]: the listener, with its connection limit, line bound and idle timeout.
//! - [`time`]: the protocol's dates.

#![warn(missing_docs)]

pub mod article;
pub mod backend;
pub mod command;
pub mod group;
pub mod response;
pub mod server;
pub mod session;
pub mod time;

#[cfg(test)]
mod tests;

pub use backend::Installation;
pub use command::Command;
pub use server::{Limits, serve};
pub use session::{Access, Backend, Session};
