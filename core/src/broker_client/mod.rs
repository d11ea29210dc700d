//! A client for the Pact Broker HTTP API: the calls CI pipelines make on
//! every build (publish, can-i-deploy, record deployments and releases,
//! fetch pacts for verification, publish verification results).
//!
//! It lives in `treaty-core` behind the `broker-client` feature, not in the
//! `treaty-broker` crate: it must talk to *any* Pact Broker compatible
//! server (ours, the Ruby Pact Broker, PactFlow), so it shares nothing with
//! the server's SQLite store and must not drag it into the CLI's client
//! path; it shares the contract model and [`Auth`] with `core`'s contract
//! sources instead. The CLI only turns flags into [`BrokerConfig`] and
//! renders what comes back.
//!
//! ```no_run
//! # async fn run() -> Result<(), treaty_core::broker_client::BrokerError> {
//! use treaty_core::broker_client::{BrokerClient, BrokerConfig};
//!
//! let client = BrokerClient::new(BrokerConfig::new("http://127.0.0.1:9292"))?;
//! for env in client.environments().await? {
//!     println!("{}", env.name);
//! }
//! # Ok(()) }
//! ```
//!
//! Layout: [`hal`] reads links and expands templates, `http` sends one
//! request with auth and retries and turns failures into [`BrokerError`],
//! and the `api_*` modules are the broker operations, each navigating from
//! the index (`GET /`) by relation name, like the Pact clients do.

mod api_deploy;
mod api_publish;
mod api_verify;
mod error;
pub mod hal;
mod http;

pub use crate::source::Auth;
pub use api_deploy::{EndRecord, Environment, NewEnvironment, VersionUpdate, Webhook};
pub use api_publish::{Contract as PublishedContract, LatestPact, Notice, PublishRequest};
pub use api_verify::{
    CanIDeploy, MatrixRow, MatrixSummary, PactForVerification, PactsForVerificationRequest,
    Selector, Target, VerificationResult,
};
pub use error::BrokerError;
pub use http::{BrokerClient, BrokerConfig, RetryPolicy};
