//! `treaty record`: a recording proxy. It forwards every request to the
//! upstream provider, answers with the upstream's response, and keeps each
//! distinct exchange (method, path, query and request-body shape) as an
//! interaction with inferred matchers (see [`infer_contract`]). The
//! contract is written when asked (`POST /__treaty/write`, or
//! [`Recorder::write`] when the proxy stops).

mod infer;
mod proxy;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use infer::{
    exchange_key, infer_contract, infer_string, infer_value, Recorded, DATE, DATE_TIME, EMAIL,
    REDACTED, TIME, UUID,
};

use crate::model::{Contract, SpecVersion};
use crate::write::{write_contract, WriteError};

/// What to record and where to write it.
#[derive(Debug, Clone)]
pub struct RecordConfig {
    /// The provider's base URL, e.g. `http://127.0.0.1:8080`.
    pub upstream: String,
    /// The consumer's name in the contract.
    pub consumer: String,
    /// The provider's name in the contract.
    pub provider: String,
    /// The contract file to write.
    pub out: PathBuf,
}

/// Why the recorded contract could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The contract cannot be written as V4.
    #[error("cannot write the recorded contract: {0}")]
    Write(#[from] WriteError),
    /// The file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// A recording: the exchanges seen so far. Cheap to clone; the proxy's
/// router ([`Recorder::router`]) and its owner share it.
#[derive(Debug, Clone)]
pub struct Recorder {
    config: Arc<RecordConfig>,
    exchanges: Arc<Mutex<Vec<Recorded>>>,
    http: reqwest::Client,
}

impl Recorder {
    /// A recorder with nothing recorded yet.
    pub fn new(config: RecordConfig) -> Recorder {
        Recorder {
            config: Arc::new(config),
            exchanges: Arc::new(Mutex::new(Vec::new())),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
        }
    }

    /// The proxy: every path is forwarded, except `POST /__treaty/write`.
    pub fn router(&self) -> axum::Router {
        proxy::router(self.clone())
    }

    /// Adds an exchange.
    pub fn record(&self, exchange: Recorded) {
        self.exchanges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(exchange);
    }

    /// The contract inferred from the exchanges so far.
    pub fn contract(&self) -> Contract {
        let exchanges = self.exchanges.lock().unwrap_or_else(|e| e.into_inner());
        infer_contract(&self.config.consumer, &self.config.provider, &exchanges)
    }

    /// Writes the contract (V4, canonical) to the configured file,
    /// replacing it; returns its path.
    pub fn write(&self) -> Result<PathBuf, RecordError> {
        let text = write_contract(&self.contract(), SpecVersion::V4)?;
        let path = self.config.out.clone();
        let io = |source| RecordError::Io {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        std::fs::write(&path, text).map_err(io)?;
        Ok(path)
    }

    /// Serves the proxy on `listener` until `shutdown` completes.
    pub async fn serve(
        &self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(listener, self.router())
            .with_graceful_shutdown(shutdown)
            .await
    }

    /// Where the contract goes.
    pub fn out(&self) -> &Path {
        &self.config.out
    }
}

#[cfg(test)]
mod tests;
