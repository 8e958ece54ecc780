//! The library's error types: one for reading scenarios, one for driving the simulation.
//!
//! Protocol misbehaviour is never an error here: it is reported as an invariant violation in the
//! run's [`crate::Report`]. Errors are for inputs the simulator cannot carry out at all.

use cliqueclique_proto::CommandError;
use std::path::PathBuf;

/// Why a scenario could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// The file is not valid TOML for a scenario.
    #[error("invalid scenario: {0}")]
    Parse(#[from] toml::de::Error),
    /// The scenario is well-formed but makes no sense (an index out of range, a probability above 1, ...).
    #[error("invalid scenario: {0}")]
    Invalid(String),
}

/// Why the simulator could not carry out a step.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// The node index does not exist.
    #[error("no node {0}")]
    NoSuchNode(usize),
    /// The node is crashed or has left.
    #[error("node {0} is not running")]
    NotRunning(usize),
    /// The node is running (for a restart).
    #[error("node {0} is already running")]
    AlreadyRunning(usize),
    /// The node left for good.
    #[error("node {0} has left for good")]
    Left(usize),
    /// The node refused a command.
    #[error("node {node} refused the command: {source}")]
    Command {
        /// The node.
        node: usize,
        /// Why.
        source: CommandError,
    },
    /// A document handed over as a ban decision is none.
    #[error("document {0} is no ban decision")]
    NotABan(cliqueclique_doc::DocId),
    /// The scenario is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A run did not become quiet within its bound.
    #[error("{0} did not become quiet")]
    NotQuiet(String),
}
