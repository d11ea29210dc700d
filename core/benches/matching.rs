//! Matching throughput on a generated corpus: 10,000 HTTP interactions, one
//! in ten with a 1,000-element array body under a min-type (`eachLike`)
//! rule, each matched against a request and response that differ from the
//! examples in values but not in shape.
//!
//! Run with `cargo bench -p treaty-core --bench matching`; prints
//! interactions per second and peak memory.

use std::time::Instant;

use serde_json::{json, Value};
use treaty_core::matching::{match_request, match_response};
use treaty_core::model::{Body, BodyContent, HttpRequest, HttpResponse, InteractionKind};
use treaty_core::read::{parse_json, read_contract_owned};

const INTERACTIONS: usize = 10_000;
const BIG_EVERY: usize = 10;
const BIG_LEN: usize = 1_000;

fn item(i: usize) -> Value {
    json!({"id": i, "name": format!("item-{i}"), "price": 9.99, "tags": ["a", "b"], "active": true})
}

fn interaction(i: usize) -> Value {
    let big = i % BIG_EVERY == 0;
    let body = if big {
        json!({"items": (0..BIG_LEN).map(item).collect::<Vec<_>>(), "total": BIG_LEN})
    } else {
        json!({"id": i, "name": "widget", "created": "2024-01-02T10:11:12", "owner": {"email": "a@b.c", "roles": ["admin"]}})
    };
    let rules = if big {
        json!({"$.items": {"matchers": [{"match": "type", "min": 1}]}, "$.items[*].id": {"matchers": [{"match": "integer"}]}, "$.total": {"matchers": [{"match": "integer"}]}})
    } else {
        json!({"$.id": {"matchers": [{"match": "integer"}]}, "$.name": {"matchers": [{"match": "regex", "regex": "[a-z]+"}]}, "$.created": {"matchers": [{"match": "timestamp", "format": "yyyy-MM-dd'T'HH:mm:ss"}]}, "$.owner": {"matchers": [{"match": "type"}]}})
    };
    json!({
        "type": "Synchronous/HTTP",
        "description": format!("interaction {i}"),
        "request": {"method": "POST", "path": format!("/things/{i}"), "query": {"page": ["1"]},
                    "headers": {"Content-Type": ["application/json"], "Accept": ["application/json"]},
                    "body": {"contentType": "application/json", "encoded": false, "content": body.clone()},
                    "matchingRules": {"body": rules.clone()}},
        "response": {"status": 200, "headers": {"Content-Type": ["application/json"]},
                     "body": {"contentType": "application/json", "encoded": false, "content": body},
                     "matchingRules": {"body": rules}}
    })
}

/// The same shape with other values, as a provider would send.
fn vary(value: &Value) -> Value {
    match value {
        Value::Number(n) if n.is_u64() => json!(n.as_u64().unwrap_or(0) + 7),
        Value::String(s) if s.starts_with("item-") || s == "widget" => json!("gadget"),
        Value::Array(items) => Value::Array(items.iter().map(vary).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), vary(v))).collect())
        }
        other => other.clone(),
    }
}

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// A provider's answer for an interaction: the example with other values.
fn actual_of(request: &HttpRequest, response: &HttpResponse) -> (HttpRequest, HttpResponse) {
    let varied = |body: &Body| match body.content() {
        Some(BodyContent::Json(value)) => Body::json(vary(value)),
        _ => body.clone(),
    };
    let req = HttpRequest {
        method: request.method.clone(),
        path: request.path.clone(),
        query: request.query.clone(),
        headers: request.headers.clone(),
        body: varied(&request.body),
        ..HttpRequest::default()
    };
    let res = HttpResponse {
        status: response.status,
        headers: response.headers.clone(),
        body: varied(&response.body),
        ..HttpResponse::default()
    };
    (req, res)
}

fn main() {
    let text = json!({
        "consumer": {"name": "bench-consumer"}, "provider": {"name": "bench-provider"},
        "interactions": (0..INTERACTIONS).map(interaction).collect::<Vec<_>>(),
        "metadata": {"pactSpecification": {"version": "4.0"}}
    })
    .to_string();
    let megabytes = text.len() as f64 / 1e6;
    let started = Instant::now();
    let value = parse_json(&text).expect("corpus parses");
    let parse_secs = started.elapsed().as_secs_f64();
    let contract = read_contract_owned(value).expect("corpus reads");
    let read_secs = started.elapsed().as_secs_f64();
    drop(text);
    let pairs: Vec<_> = contract
        .interactions
        .iter()
        .filter_map(|i| match &i.kind {
            InteractionKind::Http { request, response } => Some((request, response)),
            _ => None,
        })
        .collect();
    let actuals: Vec<_> = pairs.iter().map(|(req, res)| actual_of(req, res)).collect();
    let started = Instant::now();
    let mut mismatches = 0;
    for ((request, response), (req, res)) in pairs.iter().zip(&actuals) {
        mismatches += match_request(request, req).mismatches.len();
        mismatches += match_response(response, res).mismatches.len();
    }
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(mismatches, 0, "the varied corpus must match");
    println!(
        "corpus: {INTERACTIONS} interactions ({megabytes:.0} MB of JSON), {} with {BIG_LEN}-element arrays",
        INTERACTIONS / BIG_EVERY
    );
    println!(
        "read: {read_secs:.2} s ({:.0} interactions/s; JSON parsing {parse_secs:.2} s of it)",
        INTERACTIONS as f64 / read_secs
    );
    println!(
        "match: {secs:.2} s ({:.0} interactions/s; request and response each)",
        INTERACTIONS as f64 / secs
    );
    if let Some(mib) = peak_memory_mib() {
        println!("peak memory: {mib:.0} MiB (corpus, contract and provider answers held at once)");
    }
}
