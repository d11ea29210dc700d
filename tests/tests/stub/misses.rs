//! A request that matches nothing gets a 404 (or the configured status)
//! whose JSON body names the closest interactions and why each failed.

use serde_json::json;
use treaty_core::stub::StubConfig;

use crate::support::{get_returning, Stub};

fn orders() -> serde_json::Value {
    json!([
        {
            "description": "create an order",
            "request": {"method": "POST", "path": "/orders",
                        "headers": {"Content-Type": "application/json"},
                        "body": {"sku": "A-1", "qty": 2}},
            "response": {"status": 201}
        },
        get_returning("list orders", "/orders", json!([])),
        get_returning("a user", "/users/1", json!({}))
    ])
}

#[tokio::test]
async fn a_miss_lists_the_closest_interactions_with_their_mismatches() {
    let stub = Stub::serving(orders()).await;
    let response = stub
        .client
        .post(stub.url("/orders"))
        .header("Content-Type", "application/json")
        .body(r#"{"sku": "A-1", "qty": 3}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();

    assert_eq!(body["error"], "no interaction matched POST /orders");
    assert_eq!(body["interactions"], 3);
    let closest = body["closest"].as_array().unwrap();
    assert_eq!(closest[0]["description"], "create an order");
    assert_eq!(closest[0]["mismatches"][0]["location"], "$.body.qty");
    assert_eq!(closest[0]["mismatches"][0]["expected"], 2);
    assert_eq!(closest[0]["mismatches"][0]["actual"], 3);
    let diff = closest[0]["diff"].as_str().unwrap();
    assert!(
        diff.contains("-  \"qty\": 2") && diff.contains("+  \"qty\": 3"),
        "{diff}"
    );
    assert_eq!(closest[1]["description"], "list orders");
    assert_eq!(closest[1]["mismatches"][0]["location"], "$.method");
}

#[tokio::test]
async fn a_wrong_path_names_the_nearest_paths() {
    let stub = Stub::serving(orders()).await;
    let (status, body) = stub.get_json("/users/2").await;
    assert_eq!(status, 404);
    assert_eq!(body["closest"][0]["description"], "a user");
    assert_eq!(body["closest"][0]["mismatches"][0]["location"], "$.path");
    assert_eq!(body["closest"][0]["mismatches"][0]["actual"], "/users/2");
}

#[tokio::test]
async fn the_miss_status_is_configurable() {
    let config = StubConfig {
        miss_status: 501,
        ..StubConfig::default()
    };
    let stub = Stub::with(orders(), config).await;
    let (status, body) = stub.get_json("/nothing").await;
    assert_eq!(status, 501);
    assert_eq!(body["closest"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn unexpected_query_parameters_and_missing_headers_are_named() {
    let stub = Stub::serving(json!([{
        "description": "search",
        "request": {"method": "GET", "path": "/search", "query": {"q": ["x"]},
                    "headers": {"Authorization": "Bearer t"}},
        "response": {"status": 200}
    }]))
    .await;
    let (status, body) = stub.get_json("/search?q=x&debug=1").await;
    assert_eq!(status, 404);
    let locations: Vec<&str> = body["closest"][0]["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["location"].as_str().unwrap())
        .collect();
    assert_eq!(locations, ["$.query.debug", "$.headers.Authorization"]);
}

#[tokio::test]
async fn a_repeated_miss_gets_the_same_explanation_and_each_is_logged() {
    let stub = Stub::serving(orders()).await;
    let post = |qty: u32| {
        stub.client
            .post(stub.url("/orders"))
            .header("Content-Type", "application/json")
            .body(format!(r#"{{"sku": "A-1", "qty": {qty}}}"#))
            .send()
    };
    let first = post(3).await.unwrap().bytes().await.unwrap();
    let again = post(3).await.unwrap();
    assert_eq!(again.status(), 404);
    assert_eq!(again.headers()["content-type"], "application/json");
    assert_eq!(again.bytes().await.unwrap(), first);
    // Another body is another request: its own mismatches.
    let other: serde_json::Value =
        serde_json::from_slice(&post(4).await.unwrap().bytes().await.unwrap()).unwrap();
    assert_eq!(other["closest"][0]["mismatches"][0]["actual"], 4);

    let (_, log) = stub.get_json("/__treaty/requests").await;
    let log = log["requests"].as_array().unwrap();
    assert_eq!(log.len(), 3);
    for entry in log {
        assert_eq!(entry["result"], "missed");
        assert_eq!(entry["closest"][0], "create an order");
    }
}
