//! What can stop a stub server from starting or a contract set from
//! loading.

use std::path::PathBuf;

use crate::read::ReadError;

/// A contract source could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// A file or directory could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A contract was fetched or read but is not a valid contract.
    #[error("{origin} is not a valid contract: {source}")]
    Contract {
        /// The file path or URL it came from.
        origin: String,
        /// Every problem found.
        #[source]
        source: ReadError,
    },
    /// A URL could not be fetched.
    #[error("cannot fetch {url}: {source}")]
    Fetch {
        /// The URL.
        url: String,
        /// Why.
        #[source]
        source: reqwest::Error,
    },
    /// A URL answered with an error status.
    #[error("fetching {url} returned HTTP {status}")]
    Status {
        /// The URL.
        url: String,
        /// The status it returned.
        status: u16,
    },
    /// A directory holds no contract files.
    #[error("{} holds no .json contract files", path.display())]
    EmptyDirectory {
        /// The directory.
        path: PathBuf,
    },
}

/// The stub server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StubError {
    /// A contract source could not be loaded.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// No source was given.
    #[error("no contract source given")]
    NoSources,
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The `host:port` asked for.
        address: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The state header name is not a valid HTTP header name.
    #[error("`{name}` is not a valid header name")]
    HeaderName {
        /// The name given.
        name: String,
    },
    /// Watching the contract files could not be set up.
    #[error("cannot watch {}: {source}", path.display())]
    Watch {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: notify::Error,
    },
}
