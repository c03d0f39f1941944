//! Errors that stop a command from running at all (exit code 2).

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Config(String),
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("database {target}: {message}")]
    Database { target: String, message: String },
    /// No session could be opened (refused, timed out, authentication…); printed as
    /// `Database`, told apart when several targets are read.
    #[error("database {target}: {message}")]
    Unreachable { target: String, message: String },
    #[error("{0}")]
    Usage(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
