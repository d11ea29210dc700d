//! What the broker commands share: a client from the connection flags, an
//! async runtime, and the error context naming the broker.

use std::future::Future;

use anyhow::Context;
use treaty_core::broker_client::{Auth, BrokerClient, BrokerConfig, BrokerError, RetryPolicy};

use crate::broker_args::{Connection, Credentials};

/// A client for `url` with the credentials given (a token wins over a user
/// name, as in the Pact CLI).
pub(crate) fn client(url: &str, credentials: &Credentials) -> anyhow::Result<BrokerClient> {
    let mut config = BrokerConfig::new(url);
    config.auth = auth(credentials);
    config.retry = RetryPolicy {
        retries: credentials.broker_retries,
        ..RetryPolicy::default()
    };
    BrokerClient::new(config).context("check --broker-url (or PACT_BROKER_BASE_URL)")
}

/// The credentials to send (a token wins over a user name).
pub(crate) fn auth(credentials: &Credentials) -> Option<Auth> {
    match (&credentials.broker_token, &credentials.broker_username) {
        (Some(token), _) => Some(Auth::Bearer(token.clone())),
        (None, Some(user)) => Some(Auth::Basic {
            username: user.clone(),
            password: credentials.broker_password.clone(),
        }),
        (None, None) => None,
    }
}

/// A client from the usual connection flags.
pub(crate) fn connect(connection: &Connection) -> anyhow::Result<BrokerClient> {
    client(&connection.broker_url, &connection.auth)
}

/// Runs a future to completion on a fresh runtime.
pub(crate) fn block_on<T>(future: impl Future<Output = T>) -> anyhow::Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    Ok(runtime.block_on(future))
}

/// A broker error with what treaty was doing.
pub(crate) fn failed(doing: &str) -> impl FnOnce(BrokerError) -> anyhow::Error + '_ {
    move |error| anyhow::Error::new(error).context(format!("cannot {doing}"))
}
