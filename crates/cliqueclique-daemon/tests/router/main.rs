//! Router-level tests of the daemon's JSON API: an in-process daemon on loopback, its router
//! driven with `tower::ServiceExt::oneshot`.
//!
//! Every wait is a poll with a generous deadline (a failure bound, not a speed claim).

mod api;
mod directory_api;
mod joins;
mod moderation;
mod people;
mod retract;
mod server;
mod support;
mod work;
