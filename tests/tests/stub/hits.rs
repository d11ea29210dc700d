//! Requests that match an interaction get its response.

use serde_json::json;
use treaty_core::stub::{Source, StubConfig};

use crate::support::{contract_between, get_returning, write, Stub};

#[tokio::test]
async fn answers_with_the_matching_interactions_response() {
    let stub = Stub::serving(json!([
        get_returning("a user", "/users/1", json!({"id": 1, "name": "Ann"})),
        {
            "description": "create an order",
            "request": {"method": "POST", "path": "/orders", "query": {"dry": ["true"]},
                        "headers": {"Content-Type": "application/json"},
                        "body": {"sku": "A-1", "qty": 2},
                        "matchingRules": {"body": {"$.qty": {"matchers": [{"match": "integer"}]}}}},
            "response": {"status": 201, "headers": {"Location": "/orders/9"}, "body": {"id": 9}}
        }
    ]))
    .await;

    let (status, body) = stub.get_json("/users/1").await;
    assert_eq!((status, body), (200, json!({"id": 1, "name": "Ann"})));

    let response = stub
        .client
        .post(stub.url("/orders?dry=true"))
        .header("Content-Type", "application/json")
        .body(r#"{"sku": "A-1", "qty": 17}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["location"], "/orders/9");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.text().await.unwrap(), r#"{"id":9}"#);
}

#[tokio::test]
async fn path_rules_match_any_path_they_accept() {
    let stub = Stub::serving(json!([{
        "description": "any user",
        "request": {"method": "GET", "path": "/users/1",
                    "matchingRules": {"path": {"matchers": [{"match": "regex", "regex": "/users/[0-9]+"}]}}},
        "response": {"status": 200, "body": {"ok": true}}
    }]))
    .await;
    assert_eq!(stub.get("/users/12345").await.status(), 200);
    assert_eq!(stub.get("/users/abc").await.status(), 404);
}

#[tokio::test]
async fn serves_every_contract_of_a_directory_and_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let a = contract_between(
        "web",
        "users",
        json!([get_returning("u", "/users", json!([]))]),
    );
    let b = contract_between(
        "web",
        "orders",
        json!([get_returning("o", "/orders", json!([]))]),
    );
    write(dir.path(), "a.json", &a);
    write(dir.path(), "b.json", &b);
    let source = Source::Directory(dir.path().to_owned());
    let stub = Stub::over(dir, vec![source], StubConfig::default()).await;

    assert_eq!(stub.get("/users").await.status(), 200);
    assert_eq!(stub.get("/orders").await.status(), 200);
    let (_, listed) = stub.get_json("/__treaty/interactions").await;
    let providers: Vec<&str> = listed["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["provider"].as_str().unwrap())
        .collect();
    assert_eq!(providers, ["users", "orders"]);
    let (_, health) = stub.get_json("/__treaty/health").await;
    assert_eq!(health["status"], "ok");
    assert_eq!(health["interactions"], 2);
}

#[tokio::test]
async fn the_request_log_shows_recent_requests_and_their_results() {
    let stub = Stub::serving(json!([get_returning("a user", "/users/1", json!({}))])).await;
    stub.get("/users/1").await;
    stub.get("/nope").await;
    let (_, log) = stub.get_json("/__treaty/requests").await;
    let log = log["requests"].as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["result"], "matched");
    assert_eq!(log[0]["interaction"], "a user");
    assert_eq!(log[0]["status"], 200);
    assert_eq!(log[1]["result"], "missed");
    assert_eq!(log[1]["path"], "/nope");
    assert_eq!(log[1]["closest"][0], "a user");
}

#[tokio::test]
async fn contracts_can_be_served_from_a_url() {
    let origin = Stub::serving(json!([{
        "description": "the contract itself",
        "request": {"method": "GET", "path": "/pact.json"},
        "response": {"status": 200, "body": crate::support::contract(json!([
            get_returning("fetched", "/fetched", json!({"from": "url"}))
        ]))}
    }]))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let source = Source::parse(&origin.url("/pact.json"), None);
    let stub = Stub::over(dir, vec![source], StubConfig::default()).await;
    assert_eq!(
        stub.get_json("/fetched").await,
        (200, json!({"from": "url"}))
    );
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let stub = Stub::serving(json!([get_returning("x", "/x", json!({}))])).await;
    let url = stub.url("/x");
    stub.server.shutdown().await.unwrap();
    assert!(reqwest::get(url).await.is_err());
}
