//! What a verification run needs to know besides the contracts.

use std::path::PathBuf;
use std::time::Duration;

use super::filter::Filter;

/// How to reach the provider and how to run the verification.
///
/// `jobs` is 1 by default: many providers keep state (a database the state
/// change fills), and two interactions whose states conflict must not run at
/// the same time. More jobs are safe when every interaction's provider
/// states can coexist (for example each creates its own records) or when
/// the provider is stateless.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The provider's base URL, with an optional base path
    /// (`http://127.0.0.1:8080/api`); request paths are appended to it.
    pub provider_url: String,
    /// Headers sent with every request, replacing a header of the same
    /// name in the contract (`Authorization: Bearer ...`).
    pub headers: Vec<(String, String)>,
    /// The provider's state-change endpoint, if it has one.
    pub state_change: Option<StateChangeOptions>,
    /// Where message interactions are fetched from; the provider URL when
    /// `None` (as the Pact verifier does).
    pub message_url: Option<String>,
    /// How long one request (to the provider or the state-change URL) may
    /// take.
    pub request_timeout: Duration,
    /// Wait up to this long for the provider to accept connections before
    /// starting.
    pub wait_for_provider: Option<Duration>,
    /// How many interactions run at once (at least 1).
    pub jobs: usize,
    /// Stop starting interactions after the first failure or error; the
    /// rest are reported as skipped.
    pub fail_fast: bool,
    /// Which interactions to verify.
    pub filter: Filter,
    /// How far to trust an HTTPS provider's certificate.
    pub tls: TlsOptions,
}

/// How far to trust the certificate of an HTTPS provider (and of its
/// state-change and message URLs). By default a certificate must chain to
/// one of the built-in web roots or to an authority of the bundle that
/// `SSL_CERT_FILE` names (see [`crate::tls`]), and name the host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsOptions {
    /// Accept any certificate: self-signed, expired, for another host (the
    /// Pact verifier's `--disable-ssl-verification`). For test
    /// environments only: the connection is then open to interception.
    pub accept_invalid_certs: bool,
    /// PEM files of more certificate authorities to trust (an internal CA),
    /// each holding one or more certificates.
    pub ca_certs: Vec<PathBuf>,
}

impl VerifyOptions {
    /// Options for a provider URL: 10 s timeout, one job, no state change.
    pub fn new(provider_url: impl Into<String>) -> VerifyOptions {
        VerifyOptions {
            provider_url: provider_url.into(),
            headers: Vec::new(),
            state_change: None,
            message_url: None,
            request_timeout: Duration::from_secs(10),
            wait_for_provider: None,
            jobs: 1,
            fail_fast: false,
            filter: Filter::default(),
            tls: TlsOptions::default(),
        }
    }
}

/// The provider's state-change endpoint, called as the Pact verifier does:
/// a POST of `{"state", "params", "action"}` before each interaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateChangeOptions {
    /// The endpoint's URL.
    pub url: String,
    /// Also call it with `"action": "teardown"` after each interaction.
    pub teardown: bool,
    /// Send state, action and parameters as query parameters with an empty
    /// body instead of a JSON body.
    pub as_query: bool,
    /// How many times a call that got no answer or a 5xx is tried again,
    /// waiting 250 ms, then 500 ms, then twice as long each time (a 4xx is
    /// final: the provider understood and refused).
    pub retries: u32,
}

impl StateChangeOptions {
    /// Setup calls only, JSON body.
    pub fn new(url: impl Into<String>) -> StateChangeOptions {
        StateChangeOptions {
            url: url.into(),
            teardown: false,
            as_query: false,
            retries: 2,
        }
    }
}
