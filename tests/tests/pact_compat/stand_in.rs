//! The stand-in provider the verifier scenarios run against: it answers
//! each configured request (by method and path) with its response, serves
//! messages by description the Pact way, and records state-change calls
//! and request headers.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use base64::Engine as _;
use serde_json::{Map, Value};
use treaty_core::model::{Body, HttpRequest, HttpResponse};

/// A message the stand-in can produce.
#[derive(Clone)]
pub(crate) struct StandInMessage {
    pub(crate) description: String,
    pub(crate) body: Body,
    pub(crate) metadata: Map<String, Value>,
}

/// What the stand-in serves and what it saw.
#[derive(Default)]
pub(crate) struct StandIn {
    pub(crate) answers: Vec<(HttpRequest, HttpResponse)>,
    pub(crate) messages: Vec<StandInMessage>,
    pub(crate) state_fails: bool,
    pub(crate) state_calls: Mutex<Vec<Value>>,
    pub(crate) headers: Mutex<Vec<HeaderMap>>,
}

pub(crate) fn app(stand_in: Arc<StandIn>) -> Router {
    Router::new()
        .route("/_state", post(state_change))
        .route("/_message", post(message))
        .fallback(answer)
        .with_state(stand_in)
}

async fn answer(
    State(s): State<Arc<StandIn>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    s.headers.lock().unwrap().push(headers);
    let found = s.answers.iter().find(|(req, _)| {
        req.method.eq_ignore_ascii_case(method.as_str()) && req.path == uri.path()
    });
    match found {
        Some((_, response)) => respond(response.status, &response.headers, &response.body, None),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn state_change(State(s): State<Arc<StandIn>>, body: Bytes) -> Response {
    let call: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    s.state_calls.lock().unwrap().push(call);
    if s.state_fails {
        (StatusCode::BAD_REQUEST, "state change failed").into_response()
    } else {
        axum::Json(serde_json::json!({})).into_response()
    }
}

async fn message(State(s): State<Arc<StandIn>>, body: Bytes) -> Response {
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let description = request["description"].as_str().unwrap_or_default();
    match s.messages.iter().find(|m| m.description == description) {
        Some(m) => {
            let meta = base64::engine::general_purpose::STANDARD
                .encode(Value::Object(m.metadata.clone()).to_string());
            let headers = treaty_core::model::Headers::new();
            respond(200, &headers, &m.body, Some(meta))
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn respond(
    status: u16,
    headers: &treaty_core::model::Headers,
    body: &Body,
    metadata: Option<String>,
) -> Response {
    let mut builder = Response::builder().status(status);
    for (name, values) in headers.iter() {
        for value in values {
            builder = builder.header(name, value);
        }
    }
    if headers.get("Content-Type").is_none() {
        if let Some(ct) = body.content_type() {
            builder = builder.header("Content-Type", ct.to_string());
        }
    }
    if let Some(meta) = metadata {
        builder = builder.header("Pact-Message-Metadata", meta);
    }
    builder
        .body(axum::body::Body::from(body.to_bytes().into_owned()))
        .expect("valid response")
}
