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
    /// What was being done, and the error that stopped it, kept whole: the exit-2 report
    /// prints every level of its cause chain.
    #[error("{context}: {source}")]
    Context {
        context: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// An error and what to do about it, apart from its message (the report's
    /// `Suggestion:`).
    #[error("{error}; {suggestion}")]
    Advice {
        error: Box<Error>,
        suggestion: String,
    },
}

impl Error {
    /// `source`, while doing `context` (`cannot read the terminal size`).
    pub fn context(
        context: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Error {
        Error::Context {
            context: context.into(),
            source: source.into(),
        }
    }

    /// This error with advice on what to do (`pass --config PATH`).
    pub fn advise(self, suggestion: impl Into<String>) -> Error {
        Error::Advice {
            error: Box::new(self),
            suggestion: suggestion.into(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
