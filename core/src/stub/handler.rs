//! Answering a request: find the interaction, build its response, or
//! explain the miss; log a line and remember the request.

use std::sync::Arc;

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::explain::explain;
use super::journal::{Outcome, Received};
use super::respond::respond;
use super::select::{find, Preferences};
use super::server::Shared;
use super::wire::to_request;
use crate::model::HttpRequest;

/// The largest request body read (64 MiB).
const BODY_LIMIT: usize = 64 << 20;
/// How many closest interactions a miss lists.
const CLOSEST: usize = 3;

pub(crate) async fn serve(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(err) => {
            let body = json!({"error": format!("cannot read the request body: {err}")});
            return (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(body)).into_response();
        }
    };
    let request = to_request(&parts, bytes.into());
    let requested_state = parts
        .headers
        .get(&shared.state_header)
        .and_then(|v| v.to_str().ok());
    let prefs = Preferences {
        requested_state,
        provider_state: shared.provider_state.as_ref(),
    };
    // The set is held for this request: a reload swaps in a new one
    // without disturbing it.
    let set = shared.set.load_full();
    let (response, outcome) = match find(&set, &request, prefs) {
        Some(choice) => {
            let i = choice.interaction;
            let outcome = Outcome::Matched {
                interaction: i.description.clone(),
                source: i.origin.to_string(),
                reason: choice.reason,
                matched: choice.matched,
            };
            match respond(i.prepared.as_ref(), &i.response, &shared.generators) {
                Ok(response) => (response, outcome),
                Err(err) => failed(&err.to_string()),
            }
        }
        None => {
            let explanation = explain(&set, &request, CLOSEST);
            let closest = explanation
                .closest
                .iter()
                .map(|n| n.description.clone())
                .collect();
            let response = (shared.miss_status, axum::Json(explanation)).into_response();
            (response, Outcome::Missed { closest })
        }
    };
    record(&shared, &request, &response, outcome);
    response
}

fn failed(error: &str) -> (Response, Outcome) {
    let body = json!({"error": format!("cannot build the response: {error}")});
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(body)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let outcome = Outcome::Failed {
        error: error.to_owned(),
    };
    (response, outcome)
}

fn record(shared: &Shared, request: &HttpRequest, response: &Response, outcome: Outcome) {
    let status = response.status().as_u16();
    match &outcome {
        Outcome::Matched {
            interaction,
            reason,
            ..
        } => tracing::info!(
            method = %request.method, path = %request.path, status,
            interaction = %interaction, reason = ?reason, "matched"
        ),
        Outcome::Missed { closest } => tracing::warn!(
            method = %request.method, path = %request.path, status,
            closest = ?closest, "no interaction matched"
        ),
        Outcome::Failed { error } => tracing::error!(
            method = %request.method, path = %request.path, status,
            error = %error, "response failed"
        ),
    }
    shared.journal.record(Received {
        at: chrono::Utc::now().to_rfc3339(),
        method: request.method.clone(),
        path: request.path.clone(),
        query: request.query.raw.clone().filter(|q| !q.is_empty()),
        status,
        outcome,
    });
}
