//! Where contracts come from: files, directories searched for `*.json`
//! files, and http(s) URLs (optionally with basic or bearer credentials).
//! Shared by `treaty verify`, `treaty stub` and `treaty validate`.

mod files;
#[cfg(any(feature = "verify", feature = "stub", feature = "broker-client"))]
mod load;

pub use files::json_files;
#[cfg(any(feature = "verify", feature = "stub", feature = "broker-client"))]
pub use load::{load, load_lazy, Auth, LazyLoaded, LoadedContract, Source, SourceError};
