//! Provider verification: replays contracts against a running provider and
//! reports, per interaction, whether it answered as the contract expects.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use treaty_core::verify::{load, verify, Source, StateChangeOptions, VerifyOptions};
//!
//! let contracts = load(&[Source::parse("pacts/", None)]).await?;
//! let mut options = VerifyOptions::new("http://127.0.0.1:8080");
//! options.state_change = Some(StateChangeOptions::new("http://127.0.0.1:8080/_pact/state"));
//! let report = verify(contracts, options).await?;
//! println!("{} passed", report.summary().passed);
//! # Ok(()) }
//! ```
//!
//! For each interaction: its provider states are set up through the
//! state-change URL (values it answers with fill `ProviderState`
//! generators), the request is generated (provider mode) and sent, the
//! answer is matched with [`crate::matching`], and the states are torn
//! down when asked. Message interactions are fetched from the provider's
//! message endpoint (see the `message` protocol in the crate's docs).
//!
//! [`load_lazy`] and [`verify_lazy`] (what `treaty verify` runs) give the
//! same report without building the expected bodies' trees: each contract
//! is checked whole, its interactions kept without the bodies a verifier
//! only matches, which stay in the text until their batch is verified.
//!
//! A provider that answers wrongly gives [`Outcome::Failed`]; one that does
//! not answer (refused, reset, timed out) or whose state change fails gives
//! [`Outcome::Error`]: the report keeps "the contract is broken" apart from
//! "we could not check".

mod batches;
mod causes;
mod filter;
mod http_client;
mod interaction;
mod message;
mod options;
mod plain_http;
mod report;
mod run;
mod state_change;
mod target;

pub use crate::source::{load, load_lazy, Auth, LazyLoaded, LoadedContract, Source, SourceError};
pub use batches::verify_lazy;
pub use filter::{Filter, InteractionRef};
pub use options::{StateChangeOptions, TlsOptions, VerifyOptions};
pub use report::{
    ContractReport, ErrorKind, InteractionReport, Outcome, Summary, Verdict, VerificationReport,
};
pub use run::{verify, VerifyError};
