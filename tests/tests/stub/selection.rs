//! Several interactions match: the state header, then the provider-state
//! regex, then the most specific interaction decide, deterministically.

use regex::Regex;
use serde_json::json;
use treaty_core::stub::StubConfig;

use crate::support::Stub;

/// Three interactions answering `GET /users/1`, in three states.
fn users() -> serde_json::Value {
    json!([
        {"description": "any user", "providerState": "users exist",
         "request": {"method": "GET", "path": "/users/7",
                     "matchingRules": {"path": {"matchers": [{"match": "regex", "regex": "/users/\\d+"}]}}},
         "response": {"status": 200, "body": {"who": "any"}}},
        {"description": "user 1", "providerState": "user 1 exists",
         "request": {"method": "GET", "path": "/users/1"},
         "response": {"status": 200, "body": {"who": "one"}}},
        {"description": "user 1 gone", "providerState": "user 1 was deleted",
         "request": {"method": "GET", "path": "/users/1"},
         "response": {"status": 404, "body": {"who": "nobody"}}}
    ])
}

async fn who(stub: &Stub, state: Option<(&str, &str)>) -> (u16, String) {
    let mut request = stub.client.get(stub.url("/users/1"));
    if let Some((header, value)) = state {
        request = request.header(header, value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    (status, body["who"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn the_most_specific_match_wins_and_always_the_same() {
    let stub = Stub::serving(users()).await;
    for _ in 0..5 {
        assert_eq!(who(&stub, None).await, (200, "one".into()));
    }
    let (_, log) = stub.get_json("/__treaty/requests").await;
    assert_eq!(log["requests"][0]["reason"], "mostSpecific");
    assert_eq!(log["requests"][0]["matched"], 3);
}

#[tokio::test]
async fn the_state_header_picks_the_interaction_of_that_state() {
    let stub = Stub::serving(users()).await;
    let header = Some(("X-Treaty-State", "user 1 was deleted"));
    assert_eq!(who(&stub, header).await, (404, "nobody".into()));
    let header = Some(("x-treaty-state", "users exist"));
    assert_eq!(who(&stub, header).await, (200, "any".into()));
    let unknown = Some(("X-Treaty-State", "no such state"));
    assert_eq!(who(&stub, unknown).await, (200, "one".into()));
}

#[tokio::test]
async fn the_state_header_name_is_configurable() {
    let config = StubConfig {
        state_header: "X-Provider-State".into(),
        ..StubConfig::default()
    };
    let stub = Stub::with(users(), config).await;
    let header = Some(("X-Provider-State", "user 1 was deleted"));
    assert_eq!(who(&stub, header).await, (404, "nobody".into()));
    let ignored = Some(("X-Treaty-State", "user 1 was deleted"));
    assert_eq!(who(&stub, ignored).await, (200, "one".into()));
}

#[tokio::test]
async fn the_provider_state_regex_comes_after_the_header() {
    let config = StubConfig {
        provider_state: Some(Regex::new("deleted").unwrap()),
        ..StubConfig::default()
    };
    let stub = Stub::with(users(), config).await;
    assert_eq!(who(&stub, None).await, (404, "nobody".into()));
    let header = Some(("X-Treaty-State", "users exist"));
    assert_eq!(who(&stub, header).await, (200, "any".into()));
}

#[tokio::test]
async fn specificity_counts_loosened_rules_then_load_order() {
    let stub = Stub::serving(json!([
        {"description": "any body", "request": {"method": "POST", "path": "/p"},
         "response": {"status": 200, "body": {"won": "any body"}}},
        {"description": "typed", "request": {"method": "POST", "path": "/p", "body": {"a": 1},
          "matchingRules": {"body": {"$.a": {"matchers": [{"match": "type"}]}}}},
         "response": {"status": 200, "body": {"won": "typed"}}},
        {"description": "exact", "request": {"method": "POST", "path": "/p", "body": {"a": 1}},
         "response": {"status": 200, "body": {"won": "exact"}}},
        {"description": "exact too", "request": {"method": "POST", "path": "/p", "body": {"a": 1}},
         "response": {"status": 200, "body": {"won": "exact too"}}}
    ]))
    .await;
    let post = |body: &'static str| {
        stub.client
            .post(stub.url("/p"))
            .header("Content-Type", "application/json")
            .body(body)
            .send()
    };
    let won = |r: reqwest::Response| async move {
        let v: serde_json::Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        v["won"].as_str().unwrap().to_owned()
    };
    assert_eq!(won(post(r#"{"a": 1}"#).await.unwrap()).await, "exact");
    assert_eq!(won(post(r#"{"a": 2}"#).await.unwrap()).await, "any body");
    assert_eq!(won(post(r#"{"b": 2}"#).await.unwrap()).await, "any body");
}
