//! The fast provider of `bench/verify.sh`, and the contract it satisfies.
//!
//! Run with `cargo run --release -p treaty-tests --example bench_provider -- contract 300 > pact.json`
//! (a V4 contract of N interactions, every tenth with a 1,000-element
//! array) and `... -- serve` (answers them on a free port, printed as
//! `listening on 127.0.0.1:PORT`; `POST /_state` accepts state changes),
//! and `... -- load URL N JOBS`: the plain load loop that sends the
//! requests a verifier sends for N interactions (a state change, then the
//! request, body read in full) on JOBS connections, with no matching, and
//! prints the seconds it took: the least time a verifier can take.

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

/// Sends the verifier's requests for `count` interactions on `jobs`
/// workers; returns the seconds taken.
async fn load(url: String, count: u64, jobs: u64) -> f64 {
    let client = reqwest::Client::new();
    let next = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let started = std::time::Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..jobs {
        let (client, next, url) = (client.clone(), next.clone(), url.clone());
        workers.spawn(async move {
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if n >= count {
                    return;
                }
                let state = json!({"state": "items exist", "params": {"id": n}, "action": "setup"});
                let answer = client
                    .post(format!("{url}/_state"))
                    .json(&state)
                    .send()
                    .await;
                answer
                    .expect("state change")
                    .bytes()
                    .await
                    .expect("state body");
                let answer = client.get(format!("{url}/items/{n}")).send().await;
                answer.expect("request").bytes().await.expect("body");
            }
        });
    }
    while workers.join_next().await.is_some() {}
    started.elapsed().as_secs_f64()
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
        Some("load") => {
            let url = args.get(1).cloned().unwrap_or_default();
            let count = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(300);
            let jobs = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(8);
            let runtime = tokio::runtime::Runtime::new().expect("runtime");
            println!("{:.3}", runtime.block_on(load(url, count, jobs)));
        }
        _ => eprintln!("usage: bench_provider contract N | serve | load URL N JOBS"),
    }
}
