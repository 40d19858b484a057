//! The library's errors. Every variant says what went wrong and where, so
//! that a user can act on it; the binary prints the chain with `anyhow`.

use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{input}: {message}")]
    Input { input: String, message: String },

    #[error("reference data {file}, line {line}: {message}")]
    ReferenceData {
        file: String,
        line: usize,
        message: String,
    },

    #[error("database: {0}")]
    Database(#[from] sqlx::Error),

    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),

    #[error("{0}")]
    Query(String),

    #[error("the embedded reference data cannot be read: {0}")]
    EmbeddedData(String),

    #[error("unknown report '{0}' (run `conflictdb report --list` to see them)")]
    UnknownReport(String),

    #[error("{0}")]
    Usage(String),

    #[error("{0} is not in the database")]
    NotFound(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn input(input: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Input {
            input: input.into(),
            message: message.into(),
        }
    }
}
