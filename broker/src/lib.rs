//! treaty-broker: the contract broker, wire-compatible with the Pact
//! Broker API that Pact clients use (publish, pacts for verification,
//! verification results, environments, deployments, the matrix and
//! can-i-deploy).
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use std::sync::Arc;
//! use treaty_broker::{app, store::sqlite::SqliteStore, AppState};
//!
//! let store = SqliteStore::in_memory().expect("database");
//! let router = app(AppState::new(Arc::new(store)));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! axum::serve(listener, router).await
//! # }
//! ```
//!
//! Layout: [`store`] (the storage trait and its SQLite implementation),
//! `routes` (HTTP handlers), `hal` (resource representations), `selection`
//! (consumer version selectors, pending and WIP), `metadata` (selection
//! metadata in pact URLs), `matrix` (the matrix and
//! can-i-deploy), `content` (normalising and hashing pacts), [`error`] (the
//! one error type and its status mapping), [`auth`] (bearer tokens and
//! basic credentials, read-only or read-write), [`webhooks`] (definitions,
//! events, the target allow-list, the persistent delivery queue and its
//! worker), [`retention`]
//! (periodic cleanup of old versions).
#![deny(missing_docs)]

pub mod auth;
mod content;
pub mod error;
mod extract;
mod hal;
mod links;
mod matrix;
mod metadata;
mod metrics;
mod openapi;
mod order;
mod rack;
pub mod retention;
mod routes;
mod selection;
mod state;
pub mod store;
pub mod webhooks;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;

pub use auth::{Auth, Role};
pub use error::BrokerError;
pub use retention::Retention;
pub use state::{AppState, Config, DEFAULT_MAX_BODY_BYTES};
pub use webhooks::allow::{AllowList, AllowListError};
pub use webhooks::worker::{spawn as spawn_webhook_worker, WebhookSettings};

/// The broker's HTTP application over a state ([`serve`] binds it to a
/// socket; the API tests serve it on a loopback port of their own).
pub fn app(state: AppState) -> Router {
    let limit = state.max_body_bytes;
    routes::router()
        .layer(DefaultBodyLimit::max(limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authorise,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}

/// Why the broker could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The database could not be opened or migrated.
    #[error("cannot open the database {path}")]
    Database {
        /// The database file.
        path: std::path::PathBuf,
        /// The cause.
        #[source]
        source: store::StoreError,
    },
    /// The HTTP client of webhooks cannot be set up.
    #[error("webhooks cannot be sent")]
    Webhooks(#[source] webhooks::worker::ClientError),
    /// The address could not be bound, or serving failed.
    #[error("cannot serve on {addr}")]
    Io {
        /// The address.
        addr: std::net::SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

/// Opens the database, migrates it and serves until Ctrl-C or SIGTERM.
/// `on_ready` is called with the bound address once connections are
/// accepted (port 0 picks a free port).
pub async fn serve(
    config: Config,
    on_ready: impl FnOnce(std::net::SocketAddr),
) -> Result<(), ServeError> {
    let path = config.db.clone();
    let store = tokio::task::spawn_blocking(move || store::sqlite::SqliteStore::open(&path))
        .await
        .map_err(|e| ServeError::Database {
            path: config.db.clone(),
            source: store::StoreError::Backend(Box::new(e)),
        })?
        .map_err(|source| ServeError::Database {
            path: config.db.clone(),
            source,
        })?;
    if config.webhooks.allow.allows_any_host() {
        tracing::warn!(
            "webhooks may target any host: restrict them with --webhook-host-allow \
             (TREATY_BROKER_WEBHOOK_HOST_ALLOW)"
        );
    }
    let state = AppState::new(Arc::new(store))
        .with_public_url(config.public_url.clone())
        .with_max_body_bytes(config.max_body_bytes)
        .with_auth(config.auth.clone())
        .with_webhook_settings(config.webhooks.clone());
    // A client the worker cannot build would leave deliveries queued
    // forever: the broker does not start instead.
    webhooks::worker::client(&config.webhooks).map_err(ServeError::Webhooks)?;
    let worker = webhooks::worker::spawn(state.clone());
    let cleanup = config
        .retention
        .clone()
        .map(|r| retention::spawn(state.clone(), r));
    let io = |source| ServeError::Io {
        addr: config.listen,
        source,
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(io)?;
    on_ready(listener.local_addr().map_err(io)?);
    let served = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(io);
    worker.abort();
    if let Some(cleanup) = cleanup {
        cleanup.abort();
    }
    served
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
