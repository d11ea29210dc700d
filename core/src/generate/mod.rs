//! Applying generators: turning a contract's example request, response or
//! message into one with fresh values (random numbers, dates relative to
//! now, provider-state values, the mock server's URL).
//!
//! ```
//! use serde_json::json;
//! use treaty_core::generate::{generate_request, GeneratorContext, GeneratorMode};
//! use treaty_core::model::SpecVersion;
//! use treaty_core::read::read_request;
//!
//! let request = read_request(&json!({
//!     "method": "GET",
//!     "path": "/users/1",
//!     "generators": {"path": {"type": "ProviderState", "expression": "/users/${id}"}}
//! }), SpecVersion::V3).unwrap();
//! let mut ctx = GeneratorContext::new(GeneratorMode::Provider);
//! ctx.provider_state.insert("id".into(), json!(42));
//! assert_eq!(generate_request(&request, &ctx).unwrap().path, "/users/42");
//! ```
//!
//! # Modes
//!
//! Generators run on one side of a test ([`GeneratorMode`]): `ProviderState`
//! generators only when verifying a provider (the provider's state set-up
//! supplies the values), `MockServerURL` only on the consumer side (the mock
//! server's URL is known); the others on both sides.
//!
//! # Missing input keeps the example
//!
//! When the context lacks what a generator needs (a provider-state value it
//! names, the mock server URL) the example value stays, as in Pact.
//! Headers, query parameters and metadata keys that are absent from the
//! example are added with a generated value (Pact does the same), unless
//! the generator lacked input. Any other failure (a bad regex, date
//! expression or format, a body the path cannot address) is an error
//! located at its generator ([`GenerateError::At`]).
//!
//! # Where generators apply
//!
//! Path, headers, query and body of requests; status, headers and body of
//! responses; contents and metadata of messages. JSON bodies take any path
//! (`$.items[*].id`, `$.*`, `$['a b'][0]`), each value it selects is
//! replaced, shallowest paths first; paths that select nothing are skipped.
//! Form bodies take `$.name` (each value of that field). Text, XML and other
//! bodies only take a whole-body generator at `$`. Generators for the
//! request method are ignored, as in Pact.

mod body;
mod dates;
mod error;
mod expression;
mod parts;
mod provider_state;
mod random;
mod regex_gen;
mod value;

use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};

use crate::model::Generator;
pub use error::GenerateError;
pub use parts::{generate_message, generate_request, generate_response};
pub use value::generate_value;

/// The side of a test generators run for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GeneratorMode {
    /// The consumer side: the mock server answering the consumer (the
    /// default, as in Pact).
    #[default]
    Consumer,
    /// The provider side: requests replayed against the real provider.
    Provider,
}

impl GeneratorMode {
    /// True when the generator runs in this mode: `ProviderState` only for
    /// [`GeneratorMode::Provider`], `MockServerURL` only for
    /// [`GeneratorMode::Consumer`], all others in both.
    pub fn applies_to(self, generator: &Generator) -> bool {
        match generator {
            Generator::ProviderState { .. } => self == GeneratorMode::Provider,
            Generator::MockServerUrl { .. } => self == GeneratorMode::Consumer,
            _ => true,
        }
    }
}

/// What generators may draw on.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeneratorContext {
    /// The side the generators run for.
    pub mode: GeneratorMode,
    /// Values returned by the provider's state set-up, for `ProviderState`
    /// expressions such as `${id}`.
    pub provider_state: Map<String, Value>,
    /// The running mock server's base URL (`http://127.0.0.1:8080`), for
    /// `MockServerURL` generators.
    pub mock_server_url: Option<String>,
    /// The date-time that `Date`, `Time` and `DateTime` generators count
    /// from; the system clock (local offset) when `None`.
    pub now: Option<DateTime<FixedOffset>>,
    /// Seed for random values: the same seed gives the same values, for
    /// reproducible tests. Fresh entropy when `None`.
    pub seed: Option<u64>,
}

impl GeneratorContext {
    /// An empty context for a mode.
    pub fn new(mode: GeneratorMode) -> GeneratorContext {
        GeneratorContext {
            mode,
            ..GeneratorContext::default()
        }
    }

    /// This context with provider-state values.
    pub fn with_provider_state(mut self, values: Map<String, Value>) -> GeneratorContext {
        self.provider_state = values;
        self
    }

    /// This context with a mock server URL.
    pub fn with_mock_server_url(mut self, url: impl Into<String>) -> GeneratorContext {
        self.mock_server_url = Some(url.into());
        self
    }

    /// This context with a fixed "now".
    pub fn with_now(mut self, now: DateTime<FixedOffset>) -> GeneratorContext {
        self.now = Some(now);
        self
    }

    /// This context with a random seed.
    pub fn with_seed(mut self, seed: u64) -> GeneratorContext {
        self.seed = Some(seed);
        self
    }
}

#[cfg(test)]
mod tests;
