//! `stub-corpus N OUT.json`: writes a V3 contract with N HTTP interactions
//! for the stub benchmark (bench/stub.sh).
//!
//! - `GET /items/0` is the first interaction, `GET /items/{N-1}` the last;
//! - `GET /large` answers a 1,000-element array (about 60 kB);
//! - one in ten is `GET /orders/{n}/{id}` under a path regex;
//! - one in seven is a `POST /items/{n}` with a JSON body under type rules;
//! - the rest are `GET /items/{n}` with small JSON bodies.

use serde_json::{json, Value};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(count), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: stub-corpus N OUT.json");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("N is a number");
    assert!(count >= 3, "N must be at least 3");
    let interactions: Vec<Value> = (0..count).map(|n| interaction(n, count)).collect();
    let contract = json!({
        "consumer": {"name": "bench-consumer"},
        "provider": {"name": "bench-provider"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    });
    std::fs::write(&out, serde_json::to_vec_pretty(&contract).expect("JSON"))
        .unwrap_or_else(|e| panic!("cannot write {out}: {e}"));
}

fn item(n: usize) -> Value {
    json!({"id": n, "name": format!("item {n}"), "price": 9.99, "tags": ["a", "b"]})
}

fn ok(body: Value) -> Value {
    json!({"status": 200, "headers": {"Content-Type": "application/json"}, "body": body})
}

fn interaction(n: usize, count: usize) -> Value {
    if n == 1 {
        let items: Vec<Value> = (0..1000).map(item).collect();
        return json!({"description": "the large list",
            "request": {"method": "GET", "path": "/large"}, "response": ok(json!({"items": items}))});
    }
    if n != 0 && n != count - 1 && n % 10 == 5 {
        return json!({"description": format!("order {n}"),
            "request": {"method": "GET", "path": format!("/orders/{n}/1"),
                "matchingRules": {"path": {"matchers": [
                    {"match": "regex", "regex": format!("/orders/{n}/\\d+")}]}}},
            "response": ok(item(n))});
    }
    if n != 0 && n != count - 1 && n % 7 == 3 {
        return json!({"description": format!("create item {n}"),
            "request": {"method": "POST", "path": format!("/items/{n}"),
                "headers": {"Content-Type": "application/json"},
                "body": item(n),
                "matchingRules": {"body": {
                    "$.name": {"matchers": [{"match": "type"}]},
                    "$.price": {"matchers": [{"match": "decimal"}]}}}},
            "response": {"status": 201, "body": {"id": n}}});
    }
    json!({"description": format!("item {n}"),
        "request": {"method": "GET", "path": format!("/items/{n}")},
        "response": ok(item(n))})
}
