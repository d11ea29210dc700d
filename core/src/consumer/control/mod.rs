//! `treaty mock`: a control server that creates consumer mock servers on
//! demand, for consumer tests written in any language. It speaks HTTP and
//! JSON on one port; each mock server it creates listens on a port of its
//! own and behaves exactly as the Rust DSL's ([`MockServer`]).
//!
//! | request | what it does |
//! | --- | --- |
//! | `POST /mocks` | body: a contract (Pact JSON, any version), or a JSON array of interactions with `?consumer=C&provider=P`; starts a mock server and answers `201 {"id", "port", "url"}` |
//! | `GET /mocks` | the running mock servers |
//! | `GET /mocks/{id}/requests` | every request received, with its outcome (`matched`, `mismatched`, `unexpected`) |
//! | `GET /mocks/{id}/mismatches` | only the mismatched and unexpected ones |
//! | `POST /mocks/{id}/verify` | `200 {"ok": true}` when every interaction was exercised and nothing else arrived; else `422` with `missed`, `problems` and the DSL's `report` text |
//! | `POST /mocks/{id}/write` | verifies, then merges the interactions into the contract file (same rules as the DSL: [`super::pact_file`]); `200 {"path"}`, or `422` as verify |
//! | `DELETE /mocks/{id}` | stops the mock server (`204`) |
//! | `GET /health` | `{"status": "ok", "mocks": N}` |
//!
//! Errors answer `{"error": "..."}` with `400` (bad contract), `404`
//! (unknown mock) or `500`. The control server and every mock server answer
//! CORS preflights, so browser-based tests can drive both.

mod json;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::builder::ContractBuilder;
use super::mock::{MockServer, MockStartError};
use super::pact_file::{self, PactFileError};
use crate::read::{parse_contract, ReadError};

/// How the control server creates mock servers and writes contracts.
#[derive(Debug, Clone)]
pub struct ControlConfig {
    /// The address mock servers listen on (`127.0.0.1` by default).
    pub host: String,
    /// Where contracts are written; `None`: `$TREATY_CONTRACT_DIR`, else
    /// `target/contracts`.
    pub contract_dir: Option<PathBuf>,
}

impl Default for ControlConfig {
    fn default() -> ControlConfig {
        ControlConfig {
            host: "127.0.0.1".to_owned(),
            contract_dir: None,
        }
    }
}

/// The control server's state: its configuration and running mocks.
struct Control {
    config: ControlConfig,
    next_id: AtomicU64,
    mocks: Mutex<BTreeMap<u64, Arc<MockServer>>>,
}

/// Why a control request failed; each maps to one status.
#[derive(Debug, thiserror::Error)]
enum ControlError {
    #[error("the request body is not a contract: {0}")]
    BadContract(#[from] ReadError),
    #[error("the request body is not JSON: {0}")]
    BadJson(#[from] serde_json::Error),
    #[error("no mock server with id {0}")]
    NotFound(u64),
    #[error(transparent)]
    Start(#[from] MockStartError),
    #[error(transparent)]
    Write(#[from] PactFileError),
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        let status = match self {
            ControlError::BadContract(_) | ControlError::BadJson(_) => StatusCode::BAD_REQUEST,
            ControlError::NotFound(_) => StatusCode::NOT_FOUND,
            ControlError::Start(_) | ControlError::Write(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, Json(json!({"error": self.to_string()}))).into_response()
    }
}

/// The control server's routes (serve them with `axum::serve`). Mock
/// servers it creates stop when they are deleted or the router is dropped.
pub fn control_app(config: ControlConfig) -> Router {
    let control = Arc::new(Control {
        config,
        next_id: AtomicU64::new(1),
        mocks: Mutex::new(BTreeMap::new()),
    });
    Router::new()
        .route("/health", get(health))
        .route("/mocks", post(create).get(list))
        .route("/mocks/{id}", get(show).delete(remove))
        .route("/mocks/{id}/requests", get(requests))
        .route("/mocks/{id}/mismatches", get(mismatches))
        .route("/mocks/{id}/verify", post(verify))
        .route("/mocks/{id}/write", post(write))
        .layer(crate::stub::cors_layer())
        .with_state(control)
}

/// Serves the control API on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: ControlConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, control_app(config))
        .with_graceful_shutdown(shutdown)
        .await
}

type Shared = State<Arc<Control>>;

impl Control {
    fn mock(&self, id: u64) -> Result<Arc<MockServer>, ControlError> {
        let mocks = self.mocks.lock().unwrap_or_else(|e| e.into_inner());
        mocks.get(&id).cloned().ok_or(ControlError::NotFound(id))
    }
}

async fn health(State(control): Shared) -> Json<Value> {
    let count = control
        .mocks
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .len();
    Json(json!({"status": "ok", "mocks": count}))
}

/// `?consumer=C&provider=P` for a bare list of interactions.
#[derive(Debug, Deserialize)]
struct Pair {
    consumer: Option<String>,
    provider: Option<String>,
}

async fn create(
    State(control): Shared,
    Query(pair): Query<Pair>,
    body: Bytes,
) -> Result<Response, ControlError> {
    let text = String::from_utf8_lossy(&body);
    let contract = match serde_json::from_str::<Value>(&text)? {
        Value::Array(interactions) => {
            let consumer = pair.consumer.as_deref().unwrap_or("consumer");
            let provider = pair.provider.as_deref().unwrap_or("provider");
            let wrapped = json!({
                "consumer": {"name": consumer},
                "provider": {"name": provider},
                "interactions": interactions,
                "metadata": {"pactSpecification": {"version": "4.0"}},
            });
            parse_contract(&wrapped.to_string())?
        }
        _ => parse_contract(&text)?,
    };
    let mut builder = ContractBuilder::new(&contract.consumer.name, &contract.provider.name).cors();
    builder.contract = contract;
    let address = format!("{}:0", control.config.host);
    let mut mock = MockServer::start(builder, &address)?;
    mock.disarm();
    let id = control.next_id.fetch_add(1, Ordering::Relaxed);
    let summary = json::summary(id, &mock);
    control
        .mocks
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(id, Arc::new(mock));
    Ok((StatusCode::CREATED, Json(summary)).into_response())
}

async fn list(State(control): Shared) -> Json<Value> {
    let mocks = control.mocks.lock().unwrap_or_else(|e| e.into_inner());
    let list: Vec<Value> = mocks.iter().map(|(id, m)| json::summary(*id, m)).collect();
    Json(json!({"mocks": list}))
}

async fn show(State(control): Shared, Path(id): Path<u64>) -> Result<Json<Value>, ControlError> {
    let mock = control.mock(id)?;
    Ok(Json(json::summary(id, &mock)))
}

async fn remove(State(control): Shared, Path(id): Path<u64>) -> Result<StatusCode, ControlError> {
    let removed = control
        .mocks
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&id);
    removed
        .map(|_| StatusCode::NO_CONTENT)
        .ok_or(ControlError::NotFound(id))
}

async fn requests(
    State(control): Shared,
    Path(id): Path<u64>,
) -> Result<Json<Value>, ControlError> {
    let exchanges = control.mock(id)?.exchanges();
    let list: Vec<Value> = exchanges.iter().map(json::exchange).collect();
    Ok(Json(json!({"requests": list})))
}

async fn mismatches(
    State(control): Shared,
    Path(id): Path<u64>,
) -> Result<Json<Value>, ControlError> {
    let report = control.mock(id)?.report();
    let list: Vec<Value> = report.problems.iter().map(json::exchange).collect();
    Ok(Json(json!({"mismatches": list})))
}

async fn verify(State(control): Shared, Path(id): Path<u64>) -> Result<Response, ControlError> {
    let report = control.mock(id)?.report();
    let status = if report.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(json::report(&report))).into_response())
}

async fn write(State(control): Shared, Path(id): Path<u64>) -> Result<Response, ControlError> {
    let mock = control.mock(id)?;
    let report = mock.report();
    if !report.is_ok() {
        let body = json::report(&report);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
    }
    let dir = control.config.contract_dir.clone();
    let path = tokio::task::spawn_blocking(move || {
        pact_file::merge_into_file(mock.contract(), dir.as_deref())
    })
    .await
    .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))?;
    Ok(Json(json!({"ok": true, "path": path})).into_response())
}
