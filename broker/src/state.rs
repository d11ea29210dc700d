//! Configuration and the state every handler shares.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::Notify;

use crate::auth::Auth;
use crate::error::BrokerError;
use crate::store::{Store, StoreResult};
use crate::webhooks::worker::WebhookSettings;

/// Default limit on request bodies (pacts can be large; 10 MiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// How to run the broker.
#[derive(Debug, Clone)]
pub struct Config {
    /// SQLite database file.
    pub db: PathBuf,
    /// Address to listen on.
    pub listen: SocketAddr,
    /// External base URL for links (e.g. `https://ci.example.com/broker`);
    /// when unset, links come from `X-Forwarded-*` or `Host` headers.
    pub public_url: Option<String>,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Accepted credentials ([`Auth::off`] by default).
    pub auth: Auth,
    /// Webhook retry timing.
    pub webhooks: WebhookSettings,
    /// Periodic cleanup; `None` keeps everything.
    pub retention: Option<crate::retention::Retention>,
}

/// What handlers share: the store and the settings links need.
#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) public_url: Option<String>,
    pub(crate) max_body_bytes: usize,
    pub(crate) auth: Auth,
    pub(crate) webhook_settings: WebhookSettings,
    /// Wakes the webhook worker when deliveries are queued.
    pub(crate) webhook_wake: Arc<Notify>,
    pub(crate) metrics: Arc<crate::metrics::Metrics>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// State over a store, with default settings.
    pub fn new(store: Arc<dyn Store>) -> AppState {
        AppState {
            store,
            public_url: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            auth: Auth::off(),
            webhook_settings: WebhookSettings::default(),
            webhook_wake: Arc::new(Notify::new()),
            metrics: Arc::default(),
        }
    }

    /// Sets the external base URL used in links.
    pub fn with_public_url(mut self, url: Option<String>) -> AppState {
        self.public_url = url.map(|u| u.trim_end_matches('/').to_owned());
        self
    }

    /// Sets the request body limit.
    pub fn with_max_body_bytes(mut self, limit: usize) -> AppState {
        self.max_body_bytes = limit;
        self
    }

    /// Sets the accepted credentials.
    pub fn with_auth(mut self, auth: Auth) -> AppState {
        self.auth = auth;
        self
    }

    /// Sets the webhook retry timing.
    pub fn with_webhook_settings(mut self, settings: WebhookSettings) -> AppState {
        self.webhook_settings = settings;
        self
    }

    /// Runs blocking store work on tokio's blocking pool, so SQLite never
    /// blocks the async runtime.
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T, BrokerError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, BrokerError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || work(store.as_ref()))
            .await
            .map_err(|e| BrokerError::Internal(crate::store::StoreError::Backend(Box::new(e))))?
    }

    /// [`AppState::run`] for a single store call.
    pub(crate) async fn query<T, F>(&self, work: F) -> Result<T, BrokerError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> StoreResult<T> + Send + 'static,
    {
        self.run(move |store| work(store).map_err(BrokerError::from))
            .await
    }
}
