//! The stub server (`treaty stub`): serves the HTTP interactions of
//! contracts so that a consumer can be developed and tested without its
//! provider. Behind the `stub` feature.
//!
//! ```no_run
//! # async fn run() -> Result<(), treaty_core::stub::StubError> {
//! use treaty_core::stub::{Source, StubConfig, StubServer};
//!
//! let stub = StubServer::start(StubConfig {
//!     sources: vec![Source::parse("pacts/", None)],
//!     ..StubConfig::default()
//! })
//! .await?;
//! println!("stub listening on {}", stub.url());
//! stub.shutdown().await.ok();
//! # Ok(()) }
//! ```
//!
//! # How a request is answered
//!
//! The interactions are indexed by method and literal path ([`StubSet`]);
//! those whose path (or method) is under a matching rule are kept in a
//! short list per method. A request is compared, with the contract's
//! matching rules, only with the interactions that index hands out. When
//! several match, [`select`] decides: the provider state named in the
//! state header (`X-Treaty-State` unless configured otherwise), then the
//! `--provider-state` regex, then the most specific interaction. The
//! response is built with its generators (consumer side, `MockServerURL`
//! pointing at the stub). A request that matches nothing gets a JSON
//! [`Explanation`]: the closest interactions, each with its mismatches
//! (kept per loaded set, so a repeated miss is not compared again).
//!
//! # Modules
//!
//! `source` loads files, directories and URLs; `index` holds the
//! interactions; `select` and `explain` decide and explain; `respond` and
//! `wire` convert between HTTP and the model; `server` and `handler` run
//! axum; `misses` keeps explanations; `admin`, `journal`, `cors` and
//! `watch` are the extras.

mod admin;
mod cors;
mod error;
mod explain;
mod handler;
mod index;
mod journal;
mod misses;
mod nearby;
mod pattern;
pub(crate) mod respond;
pub mod select;
mod server;
#[cfg(test)]
mod testing;
mod watch;
pub(crate) mod wire;

pub use crate::source::{LoadedContract, Source};
pub use admin::ADMIN_PREFIX;
pub(crate) use cors::layer as cors_layer;
pub use error::{SourceError, StubError};
pub use explain::{explain, Explanation, MismatchSummary, NearMiss, RequestSummary};
pub use index::{StubInteraction, StubSet};
pub use journal::{Outcome, Received};
pub use select::{Choice, Preferences, Reason};
pub use server::{ReloadStatus, RunningStub, StubConfig, StubServer, DEFAULT_STATE_HEADER};
