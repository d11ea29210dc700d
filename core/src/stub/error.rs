//! What can stop a stub server from starting or a contract set from
//! loading.

use std::path::PathBuf;

pub use crate::source::SourceError;

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
