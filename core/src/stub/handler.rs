//! Answering a request: find the interaction, build its response, or
//! explain the miss; log a line and remember the request.

use std::sync::Arc;

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::explain::explain;
use super::index::StubSet;
use super::journal::{Outcome, Received};
use super::misses::{Miss, MissCache, MAX_KEYED_BODY};
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
    // A small body is kept for the miss cache's key (see `misses`).
    let small_body = (bytes.len() <= MAX_KEYED_BODY).then(|| bytes.clone());
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
            let key = small_body.map(|body| MissCache::key(&parts, &body));
            let miss = match key.as_deref().and_then(|k| set.misses.get(k)) {
                Some(miss) => miss,
                None => {
                    let miss = Arc::new(explained(&set, &request));
                    if let Some(key) = key {
                        set.misses.put(key, miss.clone());
                    }
                    miss
                }
            };
            let json = [(header::CONTENT_TYPE, "application/json")];
            let response = (shared.miss_status, json, miss.body.clone()).into_response();
            let closest = miss.closest.clone();
            (response, Outcome::Missed { closest })
        }
    };
    record(&shared, &request, &response, outcome);
    response
}

/// Explains a miss, serialised.
fn explained(set: &StubSet, request: &HttpRequest) -> Miss {
    let explanation = explain(set, request, CLOSEST);
    let closest = explanation
        .closest
        .iter()
        .map(|n| n.description.clone())
        .collect();
    let body = serde_json::to_vec(&explanation).unwrap_or_else(|e| {
        json!({"error": format!("cannot write the explanation: {e}")})
            .to_string()
            .into_bytes()
    });
    Miss {
        body: body.into(),
        closest,
    }
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
