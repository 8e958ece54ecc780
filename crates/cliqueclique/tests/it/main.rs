//! Integration tests of the `cliqueclique` command: real `cliqueclique serve` processes on
//! 127.0.0.1 with ephemeral ports and their own data directories, driven through the CLI and the
//! API. The router-level tests of the API are in the daemon crate.
//!
//! Every wait is a poll with a generous deadline (a failure bound, not a speed claim); processes
//! are killed when their guard drops.

mod api;
mod bad_input;
mod center;
mod crash;
mod demo;
mod directory;
mod faults;
mod feeds;
mod forum;
#[cfg(feature = "embedded")]
mod i2p;
mod impostor;
mod invite;
mod local_nodes;
mod moderation;
mod newcomers;
mod nntp;
mod notifications;
mod public;
mod reading;
mod retract;
mod support;
mod threads;
mod throwaway_keys;
mod tin;
mod work;
