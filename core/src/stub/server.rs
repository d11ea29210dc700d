//! The stub server's lifecycle: load the contracts, bind, serve with axum
//! on tokio until told to stop (or dropped), optionally watching the files.

use std::net::SocketAddr;
use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::http::{HeaderName, StatusCode};
use axum::Router;
use regex::Regex;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

use super::error::{SourceError, StubError};
use super::index::StubSet;
use super::journal::Journal;
use super::{admin, cors, handler, watch as file_watch};
use crate::generate::{GeneratorContext, GeneratorMode};
use crate::source::{load as load_sources, Source};

/// The state header's default name.
pub const DEFAULT_STATE_HEADER: &str = "X-Treaty-State";

/// How a stub server is set up.
#[derive(Debug, Clone)]
pub struct StubConfig {
    /// Where the contracts come from.
    pub sources: Vec<Source>,
    /// The address to listen on.
    pub host: String,
    /// The port (0 picks a free one).
    pub port: u16,
    /// Answer CORS preflight requests and add CORS headers.
    pub cors: bool,
    /// Reload the contracts when their files change.
    pub watch: bool,
    /// Prefer interactions whose provider state matches this regex.
    pub provider_state: Option<Regex>,
    /// The request header naming the provider state to prefer.
    pub state_header: String,
    /// The status of the answer to a request that matches nothing.
    pub miss_status: u16,
    /// How many recent requests `/__treaty/requests` keeps.
    pub history: usize,
}

impl Default for StubConfig {
    fn default() -> StubConfig {
        StubConfig {
            sources: Vec::new(),
            host: "127.0.0.1".to_owned(),
            port: 0,
            cors: false,
            watch: false,
            provider_state: None,
            state_header: DEFAULT_STATE_HEADER.to_owned(),
            miss_status: 404,
            history: 100,
        }
    }
}

/// The outcome of the latest contract (re)load.
#[derive(Debug, Clone, Default)]
pub struct ReloadStatus {
    /// How many reloads were tried (0: only the initial load).
    pub generation: u64,
    /// How many interactions are served.
    pub interactions: usize,
    /// Why the latest reload failed (the previous set is still served).
    pub error: Option<Arc<SourceError>>,
}

/// What the request handlers share.
pub(crate) struct Shared {
    pub(crate) set: ArcSwap<StubSet>,
    pub(crate) journal: Journal,
    pub(crate) status: watch::Sender<ReloadStatus>,
    pub(crate) state_header: HeaderName,
    pub(crate) provider_state: Option<Regex>,
    pub(crate) miss_status: StatusCode,
    pub(crate) generators: GeneratorContext,
}

/// Starts stub servers.
#[derive(Debug)]
pub struct StubServer;

impl StubServer {
    /// Loads the contracts, binds the address and serves in the background
    /// of the current tokio runtime.
    pub async fn start(config: StubConfig) -> Result<RunningStub, StubError> {
        if config.sources.is_empty() {
            return Err(StubError::NoSources);
        }
        let state_header = HeaderName::try_from(config.state_header.as_str()).map_err(|_| {
            StubError::HeaderName {
                name: config.state_header.clone(),
            }
        })?;
        let set = StubSet::new(load_sources(&config.sources).await?);
        let address = format!("{}:{}", config.host, config.port);
        let bind_error = |source| StubError::Bind {
            address: address.clone(),
            source,
        };
        let listener = TcpListener::bind(&address).await.map_err(bind_error)?;
        let local_addr = listener.local_addr().map_err(bind_error)?;
        let url = base_url(local_addr);
        let (status, _) = watch::channel(ReloadStatus {
            interactions: set.len(),
            ..ReloadStatus::default()
        });
        let shared = Arc::new(Shared {
            set: ArcSwap::from_pointee(set),
            journal: Journal::new(config.history),
            status,
            state_header,
            provider_state: config.provider_state.clone(),
            miss_status: StatusCode::from_u16(config.miss_status).unwrap_or(StatusCode::NOT_FOUND),
            generators: GeneratorContext::new(GeneratorMode::Consumer).with_mock_server_url(&url),
        });
        let watcher = if config.watch {
            Some(file_watch::start(config.sources.clone(), shared.clone())?)
        } else {
            None
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(shared.clone(), config.cors);
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
        });
        tracing::info!(%url, interactions = shared.set.load().len(), "stub server listening");
        Ok(RunningStub {
            url,
            local_addr,
            shared,
            stop: Some(stop),
            task: Some(task),
            _watcher: watcher,
        })
    }
}

fn router(shared: Arc<Shared>, with_cors: bool) -> Router {
    let app = admin::routes().fallback(handler::serve).with_state(shared);
    if with_cors {
        app.layer(cors::layer())
    } else {
        app
    }
}

/// The URL clients use: an unspecified address (`0.0.0.0`) is reached on
/// loopback.
fn base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_owned(),
        ip if ip.is_unspecified() => "[::1]".to_owned(),
        ip if ip.is_ipv6() => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    format!("http://{ip}:{}", addr.port())
}

/// A stub server serving in the background; dropping it stops it.
pub struct RunningStub {
    url: String,
    local_addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    _watcher: Option<file_watch::Watcher>,
}

impl std::fmt::Debug for RunningStub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningStub")
            .field("url", &self.url)
            .finish()
    }
}

impl RunningStub {
    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// How many interactions it serves now.
    pub fn interaction_count(&self) -> usize {
        self.shared.set.load().len()
    }

    /// Notifications of contract reloads (with `watch`).
    pub fn reloads(&self) -> watch::Receiver<ReloadStatus> {
        self.shared.status.subscribe()
    }

    /// Stops accepting connections, lets in-flight requests finish, and
    /// waits for the server to end.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.unwrap_or_else(|e| Err(std::io::Error::other(e))),
            None => Ok(()),
        }
    }
}
