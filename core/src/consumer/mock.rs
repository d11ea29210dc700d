//! The mock server of a consumer test: the stub server's index, matching
//! and response building (shared code), plus what a mock needs on top: it
//! records every request, tells matched from mismatched and unexpected
//! ones, and at the end checks that each interaction was exercised.
//!
//! Mock servers run on one small tokio runtime shared by the process, so
//! they serve plain `#[test]`s and `#[tokio::test]`s alike; starting one
//! binds a port and indexes the interactions, nothing more.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::runtime::Runtime;
use tokio::sync::oneshot;

use super::builder::ContractBuilder;
use super::pact_file;
use super::report::{Exchange, MockReport, Outcome};
use crate::generate::{GeneratorContext, GeneratorMode};
use crate::matching::{match_request, MatchResult};
use crate::model::{Contract, HttpRequest};
use crate::stub::respond::respond;
use crate::stub::wire::to_request;
use crate::stub::{explain, LoadedContract, StubInteraction, StubSet};

/// The largest request body a mock server reads (16 MiB).
const BODY_LIMIT: usize = 16 << 20;

/// Why a mock server could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot start a mock server on {address}: {source}")]
pub struct MockStartError {
    /// The address it tried to bind.
    pub address: String,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

/// What one mock server's handlers share.
pub(crate) struct MockState {
    pub(crate) set: StubSet,
    pub(crate) calls: Vec<AtomicUsize>,
    pub(crate) log: Mutex<Vec<Exchange>>,
    pub(crate) generators: GeneratorContext,
}

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("treaty-mock")
            .enable_all()
            .build()
            .expect("treaty: cannot start the mock servers' tokio runtime")
    })
}

impl ContractBuilder {
    /// Starts a mock server on a free loopback port that answers the HTTP
    /// interactions. Panics when no port can be bound.
    pub fn start_mock_server(self) -> MockServer {
        self.try_start_mock_server()
            .unwrap_or_else(|e| panic!("treaty: {e}"))
    }

    /// [`ContractBuilder::start_mock_server`], returning the failure.
    pub fn try_start_mock_server(self) -> Result<MockServer, MockStartError> {
        MockServer::start(self, "127.0.0.1:0")
    }
}

/// A running mock server. When dropped (or on [`MockServer::verify`]) it
/// checks that every interaction was exercised and no request was
/// unexpected or mismatched, and fails the test with a report if not;
/// when all is well, dropping it writes the contract.
#[must_use = "a mock server checks and writes the contract when it is dropped"]
pub struct MockServer {
    contract: Contract,
    output_dir: Option<PathBuf>,
    url: String,
    local_addr: SocketAddr,
    state: Arc<MockState>,
    /// Stops the server: it closes its port and idle connections, and
    /// lets requests in flight finish.
    stop: Option<oneshot::Sender<()>>,
    done: bool,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url)
            .finish()
    }
}

impl MockServer {
    pub(crate) fn start(
        builder: ContractBuilder,
        address: &str,
    ) -> Result<MockServer, MockStartError> {
        let bind_error = |source| MockStartError {
            address: address.to_owned(),
            source,
        };
        let listener = std::net::TcpListener::bind(address).map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        let local_addr = listener.local_addr().map_err(bind_error)?;
        let url = format!("http://{local_addr}");
        let set = StubSet::new(vec![LoadedContract {
            origin: "consumer test".to_owned(),
            contract: builder.contract.clone(),
        }]);
        let state = Arc::new(MockState {
            calls: (0..set.len()).map(|_| AtomicUsize::new(0)).collect(),
            set,
            log: Mutex::new(Vec::new()),
            generators: GeneratorContext::new(GeneratorMode::Consumer).with_mock_server_url(&url),
        });
        let mut app = Router::new().fallback(serve).with_state(state.clone());
        if builder.cors {
            app = app.layer(crate::stub::cors_layer());
        }
        let _guard = runtime().enter();
        let listener = tokio::net::TcpListener::from_std(listener).map_err(bind_error)?;
        let (stop, stopped) = oneshot::channel::<()>();
        runtime().spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await;
        });
        Ok(MockServer {
            contract: builder.contract,
            output_dir: builder.output_dir,
            url,
            local_addr,
            state,
            stop: Some(stop),
            done: false,
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> &str {
        &self.url
    }

    /// The URL of `path` on the mock server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        lock(&self.state.log)
            .iter()
            .map(|e| e.request.clone())
            .collect()
    }

    /// Every request received so far with what became of it, in order.
    pub fn exchanges(&self) -> Vec<Exchange> {
        lock(&self.state.log).clone()
    }

    /// The contract it serves, as the test defined it.
    pub fn contract(&self) -> &Contract {
        &self.contract
    }

    /// Turns off the check (and write) on drop: for owners that check
    /// and write explicitly, such as `treaty mock`.
    pub(crate) fn disarm(&mut self) {
        self.done = true;
    }

    /// What happened so far: interactions not exercised, unexpected and
    /// mismatched requests.
    pub fn report(&self) -> MockReport {
        let problems: Vec<Exchange> = lock(&self.state.log)
            .iter()
            .filter(|e| !matches!(e.outcome, Outcome::Matched { .. }))
            .cloned()
            .collect();
        // A mismatched request already says why its interaction was not
        // exercised.
        let explained = |description: &str| {
            problems.iter().any(|e| match &e.outcome {
                Outcome::Mismatched { interaction, .. } => interaction == description,
                _ => false,
            })
        };
        let missed = self
            .state
            .set
            .interactions()
            .iter()
            .filter(|i| self.state.calls[i.id].load(Ordering::SeqCst) == 0)
            .filter(|i| !explained(&i.description))
            .map(|i| {
                (
                    i.description.clone(),
                    i.request.method.clone(),
                    i.request.path.clone(),
                )
            })
            .collect();
        MockReport {
            consumer: self.contract.consumer.name.clone(),
            provider: self.contract.provider.name.clone(),
            missed,
            problems,
        }
    }

    /// Fails the test (panics) with the report when anything is wrong.
    pub fn verify(&self) {
        let report = self.report();
        if !report.is_ok() {
            panic!("{report}");
        }
    }

    /// Checks the requests and, when all is well, writes the contract;
    /// returns its path, or the report (or write error) without panicking.
    pub fn finish(mut self) -> Result<PathBuf, MockFailure> {
        self.done = true;
        self.shut_down();
        let report = self.report();
        if !report.is_ok() {
            return Err(MockFailure::Report(report));
        }
        pact_file::merge_into_file(&self.contract, self.output_dir.as_deref())
            .map_err(MockFailure::Write)
    }
}

/// Why [`MockServer::finish`] failed.
#[derive(Debug, thiserror::Error)]
pub enum MockFailure {
    /// The requests did not meet the expectations.
    #[error("{0}")]
    Report(MockReport),
    /// The contract could not be written.
    #[error(transparent)]
    Write(#[from] pact_file::PactFileError),
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.shut_down();
        if self.done || std::thread::panicking() {
            return;
        }
        self.done = true;
        let report = self.report();
        if !report.is_ok() {
            panic!("{report}");
        }
        if let Err(e) = pact_file::merge_into_file(&self.contract, self.output_dir.as_deref()) {
            panic!("treaty: {e}");
        }
    }
}

impl MockServer {
    fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

async fn serve(State(state): State<Arc<MockState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(err) => {
            let text = format!("treaty mock server: cannot read the request body: {err}");
            return (StatusCode::PAYLOAD_TOO_LARGE, text).into_response();
        }
    };
    let request = to_request(&parts, bytes.into());
    let (response, outcome) = answer(&state, &request);
    lock(&state.log).push(Exchange { request, outcome });
    response
}

/// Finds the interaction (one not exercised yet first), or explains why
/// none matches.
fn answer(state: &MockState, request: &HttpRequest) -> (Response, Outcome) {
    let mut compared: Vec<(&StubInteraction, MatchResult)> = state
        .set
        .candidates(&request.method, &request.path)
        .map(|i| (i, match_request(&i.request, request)))
        .collect();
    let matched = compared
        .iter()
        .filter(|(_, r)| r.is_match())
        .min_by_key(|(i, _)| (state.calls[i.id].load(Ordering::SeqCst) > 0, i.id));
    if let Some((interaction, _)) = matched {
        state.calls[interaction.id].fetch_add(1, Ordering::SeqCst);
        let outcome = Outcome::Matched {
            interaction: interaction.description.clone(),
        };
        let response = respond(
            interaction.prepared.as_ref(),
            &interaction.response,
            &state.generators,
        );
        return match response {
            Ok(response) => (response, outcome),
            Err(e) => {
                let text = format!("treaty mock server: cannot build the response: {e}");
                (
                    (StatusCode::INTERNAL_SERVER_ERROR, text).into_response(),
                    outcome,
                )
            }
        };
    }
    let explanation = explain(&state.set, request, 3);
    let response = (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(&explanation)).into_response();
    compared.sort_by_key(|(i, r)| (r.mismatches.len(), i.id));
    let outcome = match compared.into_iter().next() {
        Some((closest, result)) => Outcome::Mismatched {
            interaction: closest.description.clone(),
            result,
        },
        None => Outcome::Unexpected,
    };
    (response, outcome)
}
