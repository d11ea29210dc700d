//! What can go wrong talking to a broker, with the request, the status and
//! what the broker said.

/// A broker request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrokerError {
    /// The base URL (or a link) is not a usable URL.
    #[error("`{url}` is not a usable broker URL: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A file of certificate authorities (`SSL_CERT_FILE`) cannot be used.
    #[error(transparent)]
    CaCert(#[from] crate::tls::CaFileError),
    /// No answer: connection refused, reset, timed out (after retries).
    #[error("{method} {url}: no answer from the broker ({source}); {}", connection_hint(.source))]
    Connection {
        /// The HTTP method.
        method: String,
        /// The full URL.
        url: String,
        /// Why.
        #[source]
        source: reqwest::Error,
    },
    /// The broker answered with an error status (after retries).
    #[error("{method} {url} returned HTTP {status}{}{}", message_part(.message), hint(*.status))]
    Status {
        /// The HTTP method.
        method: String,
        /// The full URL.
        url: String,
        /// The status.
        status: u16,
        /// What the broker said (its notices, errors or body), if anything.
        message: Option<String>,
    },
    /// A 2xx answer that is not the JSON expected.
    #[error("{method} {url}: unexpected answer from the broker: {reason}")]
    BadAnswer {
        /// The HTTP method.
        method: String,
        /// The full URL.
        url: String,
        /// What was wrong with it.
        reason: String,
    },
    /// A HAL relation the operation needs is missing.
    #[error("the broker's {resource} has no `{relation}` link: the broker at {base} does not offer this (a Pact Broker 2.86 or later does; check --broker-url)")]
    MissingRelation {
        /// The relation name.
        relation: String,
        /// Which resource was searched (`index`, a URL).
        resource: String,
        /// The broker base URL.
        base: String,
    },
    /// Something named on the command line does not exist in the broker.
    #[error("{what} was not found in the broker{}", message_part(.hint))]
    NotFound {
        /// What was looked up (`environment production`).
        what: String,
        /// What to do, or what exists instead.
        hint: Option<String>,
    },
}

fn message_part(message: &Option<String>) -> String {
    message
        .as_deref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default()
}

/// What to check when the broker gave no answer.
fn connection_hint(error: &reqwest::Error) -> String {
    if crate::tls::untrusted_certificate(error) {
        format!(
            "the broker's certificate is not trusted: {}",
            crate::tls::TRUST_HINT
        )
    } else {
        "check --broker-url and that the broker is running".to_owned()
    }
}

fn hint(status: u16) -> &'static str {
    match status {
        401 => " (check --broker-token or --broker-username/--broker-password)",
        403 => " (the credentials lack permission for this request)",
        404 => " (check the names and versions given, and --broker-url)",
        409 => " (a contract for this version already exists with other content; publish it with a new consumer version)",
        _ => "",
    }
}

impl BrokerError {
    /// The HTTP status, when the broker answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            BrokerError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}
