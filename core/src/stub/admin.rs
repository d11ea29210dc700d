//! Admin endpoints under the reserved prefix `/__treaty/`: the loaded
//! interactions, the recent requests with their match result, and health.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::server::Shared;

/// The reserved path prefix; contract paths under it are not served.
pub const ADMIN_PREFIX: &str = "/__treaty";

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/__treaty/interactions", get(interactions))
        .route("/__treaty/requests", get(requests))
        .route("/__treaty/health", get(health))
}

async fn interactions(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let set = shared.set.load();
    let list: Vec<Value> = set
        .interactions()
        .iter()
        .map(|i| {
            json!({
                "id": i.id,
                "description": i.description,
                "consumer": &*i.consumer,
                "provider": &*i.provider,
                "source": &*i.origin,
                "providerStates": i.provider_states,
                "method": i.request.method,
                "path": i.request.path,
                "status": i.response.status,
            })
        })
        .collect();
    Json(json!({"interactions": list}))
}

async fn requests(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(json!({"requests": shared.journal.snapshot()}))
}

async fn health(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let set = shared.set.load();
    let status = shared.status.borrow().clone();
    Json(json!({
        "status": "ok",
        "interactions": set.len(),
        "skippedMessages": set.skipped(),
        "reloads": status.generation,
        "lastReloadError": status.error.map(|e| e.to_string()),
    }))
}
