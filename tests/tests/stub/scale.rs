//! Many clients at once, and many interactions.

use serde_json::{json, Value};
use treaty_core::stub::{Source, StubConfig};

use crate::support::{contract, get_returning, write, Stub};

/// `count` interactions, every tenth under a path rule, with bodies.
fn many(count: usize) -> Value {
    let interactions: Vec<Value> = (0..count)
        .map(|n| {
            if n % 10 == 0 {
                json!({
                    "description": format!("item {n} by pattern"),
                    "request": {"method": "GET", "path": format!("/patterned/{n}/1"),
                        "matchingRules": {"path": {"matchers": [
                            {"match": "regex", "regex": format!("/patterned/{n}/\\d+")}]}}},
                    "response": {"status": 200, "body": {"n": n}}
                })
            } else {
                get_returning(
                    &format!("item {n}"),
                    &format!("/items/{n}"),
                    json!({"n": n}),
                )
            }
        })
        .collect();
    Value::Array(interactions)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_parallel_clients_each_get_their_answer() {
    let stub = Stub::serving(many(200)).await;
    let mut tasks = Vec::new();
    for n in 0..50usize {
        let client = stub.client.clone();
        let url = if n % 10 == 0 {
            stub.url(&format!("/patterned/{n}/77"))
        } else {
            stub.url(&format!("/items/{n}"))
        };
        tasks.push(tokio::spawn(async move {
            let response = client.get(url).send().await.unwrap();
            assert_eq!(response.status(), 200);
            let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
            (n, body["n"].as_u64().unwrap() as usize)
        }));
    }
    for task in tasks {
        let (asked, answered) = task.await.unwrap();
        assert_eq!(asked, answered);
    }
    let (_, log) = stub.get_json("/__treaty/requests").await;
    assert_eq!(log["requests"].as_array().unwrap().len(), 50);
}

#[tokio::test]
async fn starts_with_five_thousand_interactions_and_finds_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "big.json", &contract(many(5000)));
    let stub = Stub::over(dir, vec![Source::File(file)], StubConfig::default()).await;
    assert_eq!(stub.server.interaction_count(), 5000);
    assert_eq!(
        stub.get_json("/items/4999").await,
        (200, json!({"n": 4999}))
    );
    assert_eq!(
        stub.get_json("/patterned/4990/5").await,
        (200, json!({"n": 4990}))
    );
    let (status, miss) = stub.get_json("/items/5000").await;
    assert_eq!(status, 404);
    assert_eq!(miss["interactions"], 5000);
    assert_eq!(miss["closest"].as_array().unwrap().len(), 3);
}
