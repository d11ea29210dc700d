//! The fast provider of `bench/verify.sh`, and the contract it satisfies.
//!
//! Run with `cargo run --release -p treaty-tests --example bench_provider -- contract 300 > pact.json`
//! (a V4 contract of N interactions, every tenth with a 1,000-element
//! array) and `... -- serve` (answers them on a free port, printed as
//! `listening on 127.0.0.1:PORT`; `POST /_state` accepts state changes).

use axum::extract::Path;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

fn lines(n: u64) -> usize {
    if n % 10 == 0 {
        1000
    } else {
        20
    }
}

fn item(n: u64, variant: u64) -> Value {
    let lines: Vec<Value> = (0..lines(n))
        .map(|i| json!({"sku": format!("SKU-{}", i as u64 + variant), "qty": i as u64 % 7 + variant}))
        .collect();
    json!({
        "id": n + variant,
        "name": format!("item {}", n + variant),
        "price": 12.5 + variant as f64,
        "createdAt": "2024-03-04T05:06:07Z",
        "tags": ["a", "b"],
        "lines": lines
    })
}

fn interaction(n: u64) -> Value {
    let rule = |m: Value| json!({"combine": "AND", "matchers": [m]});
    json!({
        "type": "Synchronous/HTTP",
        "description": format!("get item {n}"),
        "providerStates": [{"name": "items exist", "params": {"id": n}}],
        "request": {"method": "GET", "path": format!("/items/{n}"),
                    "headers": {"Accept": ["application/json"]}},
        "response": {
            "status": 200,
            "headers": {"Content-Type": ["application/json"]},
            "body": {"content": item(n, 1), "contentType": "application/json", "encoded": false},
            "matchingRules": {"body": {
                "$.id": rule(json!({"match": "integer"})),
                "$.name": rule(json!({"match": "regex", "regex": "^item \\d+$"})),
                "$.price": rule(json!({"match": "decimal"})),
                "$.createdAt": rule(json!({"match": "datetime", "format": "yyyy-MM-dd'T'HH:mm:ssX"})),
                "$.tags": rule(json!({"match": "type", "min": 1})),
                "$.lines": rule(json!({"match": "type", "min": 1})),
                "$.lines[*].sku": rule(json!({"match": "regex", "regex": "^SKU-\\d+$"})),
                "$.lines[*].qty": rule(json!({"match": "integer"}))
            }}
        }
    })
}

fn contract(count: u64) -> Value {
    json!({
        "consumer": {"name": "bench-consumer"},
        "provider": {"name": "bench-provider"},
        "interactions": (0..count).map(interaction).collect::<Vec<_>>(),
        "metadata": {"pactSpecification": {"version": "4.0"}}
    })
}

async fn serve() {
    let app = Router::new()
        .route(
            "/items/{n}",
            get(|Path(n): Path<u64>| async move { Json(item(n, 0)) }),
        )
        .route("/_state", post(|| async { Json(json!({})) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    println!("listening on {}", listener.local_addr().expect("address"));
    axum::serve(listener, app).await.expect("serve");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("contract") => {
            let count = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(300);
            println!("{}", contract(count));
        }
        Some("serve") => tokio::runtime::Runtime::new()
            .expect("runtime")
            .block_on(serve()),
        _ => eprintln!("usage: bench_provider contract N | serve"),
    }
}
