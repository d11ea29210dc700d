//! What can go wrong in a consumer test besides a mock server's report.

use std::path::PathBuf;

use crate::generate::GenerateError;
use crate::read::ReadError;
use crate::write::WriteError;

/// Why a consumer test failed (other than requests the mock server saw).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConsumerError {
    /// The consumer's message handler failed.
    #[error("the consumer failed to handle the message `{description}`: {error}\nNo contract was written.")]
    Handler {
        /// The message interaction's description.
        description: String,
        /// What the handler returned.
        error: String,
    },
    /// The example could not be generated.
    #[error("cannot generate the example of `{description}`: {source}")]
    Generate {
        /// The interaction's description.
        description: String,
        /// Why.
        #[source]
        source: GenerateError,
    },
    /// The contract could not be written.
    #[error(transparent)]
    Write(#[from] PactFileError),
}

/// Why a contract file could not be merged and written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PactFileError {
    /// A file operation failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done (`lock`, `read`, `write`, `rename` ...).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// The existing file is not a contract treaty can read.
    #[error("cannot read the existing contract {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: ReadError,
    },
    /// The contract cannot be written in its version.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: WriteError,
    },
    /// Two tests of this run define the same interaction differently.
    #[error(
        "conflicting definitions of the interaction `{description}` in {}:\n--- already written in this run:\n{existing}\n--- this test:\n{new}",
        path.display()
    )]
    Conflict {
        /// The file.
        path: PathBuf,
        /// The interaction's description (and provider states).
        description: String,
        /// The definition already in the file, as JSON.
        existing: String,
        /// The definition this test wanted to write, as JSON.
        new: String,
    },
}
