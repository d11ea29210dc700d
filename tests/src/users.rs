//! A small provider for verification tests: a users API with a
//! Pact-style state-change endpoint (`POST /_state`) and message endpoint
//! (`POST /_message`), plus switches that make one answer wrong.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use serde_json::{json, Value};

/// What the provider gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Break {
    /// Nothing: every answer is right.
    #[default]
    Nothing,
    /// `name` of a user is a number.
    NameType,
    /// `GET /users/{id}` answers 500.
    Status,
    /// `X-Version` header is `2`.
    Header,
    /// The state change answers 400.
    StateChange,
    /// The first state-change call answers 503, later ones work.
    StateChangeFlaky,
    /// Every state-change call answers 503.
    StateChangeUnavailable,
    /// The `user created` message has a string `id`.
    Message,
}

/// What the provider saw; shared with the test.
#[derive(Debug, Default)]
pub struct Seen {
    /// Every state-change call body (or query, as JSON), in order.
    pub state_calls: Mutex<Vec<Value>>,
    /// Headers of every API request.
    pub headers: Mutex<Vec<HeaderMap>>,
}

struct AppState {
    users: Mutex<BTreeMap<u64, String>>,
    seen: Arc<Seen>,
    broken: Break,
}

type Shared = Arc<AppState>;

/// The app and the record of what it saw.
pub fn app(broken: Break) -> (Router, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let state = Arc::new(AppState {
        users: Mutex::new(BTreeMap::new()),
        seen: seen.clone(),
        broken,
    });
    let router = Router::new()
        .route("/users/{id}", get(get_user))
        .route("/users", post(create_user))
        .route("/health", get(|| async { "ok" }))
        .route("/_state", post(state_change))
        .route("/_message", post(message))
        .with_state(state);
    (router, seen)
}

async fn get_user(State(app): State<Shared>, Path(id): Path<u64>, headers: HeaderMap) -> Response {
    app.seen.headers.lock().unwrap().push(headers);
    let name = app.users.lock().unwrap().get(&id).cloned();
    let Some(name) = name else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such user"})),
        )
            .into_response();
    };
    if app.broken == Break::Status {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let name = if app.broken == Break::NameType {
        json!(123)
    } else {
        json!(name)
    };
    let version = if app.broken == Break::Header {
        "2"
    } else {
        "1"
    };
    let body = json!({"id": id, "name": name, "age": 30, "tags": ["admin", "staff"]});
    ([("X-Version", version)], Json(body)).into_response()
}

async fn create_user(State(app): State<Shared>, Json(body): Json<Value>) -> Response {
    let name = body["name"].as_str().unwrap_or("?").to_owned();
    app.users.lock().unwrap().insert(7, name.clone());
    (StatusCode::CREATED, Json(json!({"id": 7, "name": name}))).into_response()
}

async fn state_change(
    State(app): State<Shared>,
    query: axum::extract::Query<BTreeMap<String, String>>,
    body: String,
) -> Response {
    let call: Value = if body.is_empty() {
        json!(query.0)
    } else {
        serde_json::from_str(&body).unwrap_or(Value::Null)
    };
    let calls = {
        let mut calls = app.seen.state_calls.lock().unwrap();
        calls.push(call.clone());
        calls.len()
    };
    match app.broken {
        Break::StateChange => {
            return (StatusCode::BAD_REQUEST, "state change broken").into_response()
        }
        Break::StateChangeUnavailable => {
            return (StatusCode::SERVICE_UNAVAILABLE, "warming up").into_response()
        }
        Break::StateChangeFlaky if calls == 1 => {
            return (StatusCode::SERVICE_UNAVAILABLE, "warming up").into_response()
        }
        _ => {}
    }
    let name = call["params"]["name"]
        .as_str()
        .unwrap_or("Alice")
        .to_owned();
    match (call["state"].as_str(), call["action"].as_str()) {
        (Some("a user exists"), Some("teardown")) => {
            app.users.lock().unwrap().remove(&42);
            Json(json!({})).into_response()
        }
        (Some("a user exists"), _) => {
            app.users.lock().unwrap().insert(42, name);
            Json(json!({"id": 42})).into_response()
        }
        _ => Json(json!({})).into_response(),
    }
}

async fn message(State(app): State<Shared>, Json(body): Json<Value>) -> Response {
    let (payload, metadata) = match body["description"].as_str() {
        Some("a user created event") => {
            let id = if app.broken == Break::Message {
                json!("42")
            } else {
                json!(42)
            };
            (
                json!({"id": id, "name": "Alice"}),
                json!({"topic": "users"}),
            )
        }
        Some(quote) if quote.starts_with("a price quote") => {
            let qty = body["request"]["contents"]["content"]["qty"]
                .as_i64()
                .unwrap_or(1);
            (json!({"total": qty * 2}), json!({}))
        }
        _ => return (StatusCode::NOT_FOUND, "no such message").into_response(),
    };
    let meta = base64::engine::general_purpose::STANDARD.encode(metadata.to_string());
    ([("Pact-Message-Metadata", meta)], Json(payload)).into_response()
}
