//! An example provider: the order service that `checkout-web` consumes.
//!
//! It serves orders over HTTP, publishes an order-paid event, and has the
//! two endpoints a provider exposes for contract verification:
//!
//! - `POST /_treaty/state`: sets up (or tears down) a provider state, as the
//!   Pact verifier and `treaty verify --state-change-url` call it with
//!   `{"state", "params", "action"}`; it answers with values (the order id)
//!   that fill the contract's `ProviderState` generators;
//! - `POST /` (also `POST /_treaty/messages`): produces the message an
//!   interaction describes (`{"description": ...}`), with its metadata
//!   base64-encoded in the `Pact-Message-Metadata` header. Both the Pact
//!   verifier and `treaty verify` ask the provider's root for messages
//!   unless told another URL.
//!
//! Run with `cargo run -p order-service -- 8080`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use serde_json::{json, Value};

/// An order line.
#[derive(Debug, Clone)]
struct Line {
    sku: String,
    quantity: u64,
    unit_price: f64,
}

/// An order as the service stores it.
#[derive(Debug, Clone)]
struct Order {
    id: u64,
    status: &'static str,
    lines: Vec<Line>,
}

impl Order {
    fn to_json(&self) -> Value {
        let total: f64 = self
            .lines
            .iter()
            .map(|l| l.unit_price * l.quantity as f64)
            .sum();
        json!({
            "id": self.id,
            "status": self.status,
            "placedAt": "2026-11-02T10:15:30",
            "customer": {"email": "ada@example.com", "name": "Ada"},
            "lines": self.lines.iter().map(|l| json!({"sku": l.sku, "quantity": l.quantity, "unitPrice": l.unit_price})).collect::<Vec<_>>(),
            "total": total,
        })
    }
}

/// The service's in-memory data.
#[derive(Debug, Default)]
struct Store {
    orders: BTreeMap<u64, Order>,
    next_id: u64,
}

type Shared = Arc<Mutex<Store>>;

/// The service's routes, on fresh in-memory data.
pub fn app() -> Router {
    let store: Shared = Arc::new(Mutex::new(Store {
        orders: BTreeMap::new(),
        next_id: 1000,
    }));
    Router::new()
        .route("/orders", post(place_order))
        .route("/orders/{id}", get(get_order))
        .route("/_treaty/state", post(change_state))
        .route("/", post(message))
        .route("/_treaty/messages", post(message))
        .with_state(store)
}

fn lock(store: &Shared) -> std::sync::MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn get_order(State(store): State<Shared>, Path(id): Path<String>) -> Response {
    let order = id
        .parse::<u64>()
        .ok()
        .and_then(|id| lock(&store).orders.get(&id).cloned());
    match order {
        Some(order) => Json(order.to_json()).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": format!("order {id} not found")})),
        )
            .into_response(),
    }
}

async fn place_order(State(store): State<Shared>, Json(body): Json<Value>) -> Response {
    let lines: Option<Vec<Line>> = body["lines"].as_array().map(|lines| {
        lines
            .iter()
            .filter_map(|l| {
                Some(Line {
                    sku: l["sku"].as_str()?.to_owned(),
                    quantity: l["quantity"].as_u64()?,
                    unit_price: 12.5,
                })
            })
            .collect()
    });
    let Some(lines) = lines.filter(|l| !l.is_empty()) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "an order needs lines"})),
        )
            .into_response();
    };
    let mut store = lock(&store);
    store.next_id += 1;
    let id = store.next_id;
    store.orders.insert(
        id,
        Order {
            id,
            status: "PENDING",
            lines,
        },
    );
    let mut headers = HeaderMap::new();
    if let Ok(location) = HeaderValue::from_str(&format!("http://localhost:8080/orders/{id}")) {
        headers.insert("Location", location);
    }
    (
        StatusCode::CREATED,
        headers,
        Json(json!({"id": id, "status": "PENDING"})),
    )
        .into_response()
}

/// Provider states: set up the data an interaction needs.
async fn change_state(State(store): State<Shared>, Json(body): Json<Value>) -> Response {
    let state = body["state"].as_str().unwrap_or_default();
    let setup = body["action"].as_str().unwrap_or("setup") == "setup";
    let mut store = lock(&store);
    if !setup {
        store.orders.clear();
        return Json(json!({})).into_response();
    }
    match state {
        "an order exists" => {
            let id = body["params"]["orderId"].as_u64().unwrap_or(1042);
            let lines = vec![Line {
                sku: "BOOK-1".into(),
                quantity: 2,
                unit_price: 12.5,
            }];
            store.orders.insert(
                id,
                Order {
                    id,
                    status: "PAID",
                    lines,
                },
            );
            Json(json!({"orderId": id})).into_response()
        }
        "no orders exist" => {
            store.orders.clear();
            Json(json!({})).into_response()
        }
        "the catalogue has a book" | "" => Json(json!({})).into_response(),
        other => (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": format!("unknown provider state `{other}`")})),
        )
            .into_response(),
    }
}

/// Messages: what the service publishes, produced on demand.
async fn message(Json(body): Json<Value>) -> Response {
    match body["description"].as_str() {
        Some("an order-paid event") => {
            let order_id = body["providerStates"][0]["params"]["orderId"]
                .as_u64()
                .unwrap_or(1042);
            let metadata = json!({"contentType": "application/json", "topic": "orders.paid"});
            let encoded = base64::engine::general_purpose::STANDARD.encode(metadata.to_string());
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(&encoded) {
                headers.insert("Pact-Message-Metadata", value);
            }
            let event =
                json!({"orderId": order_id, "paidAt": "2026-11-02T10:16:00", "amount": 25.0});
            (headers, Json(event)).into_response()
        }
        other => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": format!("no message for {other:?}")})),
        )
            .into_response(),
    }
}
