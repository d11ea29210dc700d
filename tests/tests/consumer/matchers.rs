//! Every matcher and generator, through a real HTTP client: requests that
//! differ from the examples but satisfy the rules are answered; responses
//! carry the examples (or generated values) and the written contract
//! carries the rules.

use serde_json::{json, Value};
use treaty_core::consumer::{
    array_contains, boolean, contract, date, datetime, decimal, each_key, each_like, each_value,
    from_provider_state, get, include, integer, like, mock_server_url, not_empty, null, number,
    post, random_int, random_string, regex, semver, status, status_code, time, uuid, StatusClass,
};
use treaty_core::term;

use super::support::{client, written};

fn order_body() -> treaty_core::consumer::Term {
    term!({
        "id": integer(1),
        "total": decimal(10.5),
        "weight": number(3),
        "gift": boolean(false),
        "coupon": null(),
        "placedAt": datetime("yyyy-MM-dd'T'HH:mm:ss", "2024-01-02T03:04:05"),
        "deliverOn": date("yyyy-MM-dd", "2024-01-09"),
        "slot": time("HH:mm", "09:30"),
        "note": include("gift"),
        "customer": like(json!({"name": "Ann", "vip": true})),
        "lines": each_like(term!({"sku": regex("[A-Z]-\\d+", "A-1"), "qty": integer(1)}))
            .at_least(1)
            .at_most(3),
        "prices": each_key(json!({"EUR": 1}), regex("[A-Z]{3}", "EUR")),
        "stock": each_value(json!({"a": 1}), like(1)),
        "events": array_contains([term!({"type": "placed", "at": like("x")})]),
        "api": semver("1.2.3"),
        "tags": not_empty(vec!["x"])
    })
}

/// A request that satisfies every rule of [`order_body`] with other values.
fn other_order() -> Value {
    json!({
        "id": 99,
        "total": 0.25,
        "weight": 7.5,
        "gift": true,
        "coupon": null,
        "placedAt": "2025-12-31T23:59:59",
        "deliverOn": "2026-02-28",
        "slot": "17:45",
        "note": "a gift for you",
        "customer": {"name": "Bob", "vip": false},
        "lines": [{"sku": "B-22", "qty": 5}, {"sku": "C-3", "qty": 1}],
        "prices": {"USD": 2, "GBP": 3},
        "stock": {"x": 5, "y": 0},
        "events": [{"type": "paid", "at": "y"}, {"type": "placed", "at": "z"}],
        "api": "10.0.1-beta.1",
        "tags": ["y", "z"]
    })
}

#[test]
fn requests_that_satisfy_every_matcher_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let mock = contract("web", "orders")
        .output_dir(dir.path())
        .interaction("place an order", |i| {
            i.request(
                post(regex("/orders/\\d+", "/orders/1"))
                    .query("page", regex("\\d+", "1"))
                    .header("X-Request-Id", uuid("6d7c2a52-9f4b-4c8e-8a3e-0d7d2f3b1a10"))
                    .json(order_body()),
            )
            .response(status(status_code(StatusClass::Success, 201)))
        })
        .start_mock_server();
    let response = client()
        .post(mock.url("/orders/77?page=12"))
        .header("X-Request-Id", "00000000-1111-2222-3333-444444444444")
        .json(&other_order())
        .send()
        .unwrap();
    assert_eq!(response.status(), 201, "{}", response.text().unwrap());
    mock.finish().expect("the test passes");
    let file = written(dir.path(), "web", "orders");
    let rules = &file["interactions"][0]["request"]["matchingRules"];
    assert_eq!(
        rules["body"]["$.lines"]["matchers"][0],
        json!({"match": "type", "min": 1, "max": 3})
    );
    assert_eq!(
        rules["body"]["$.lines[*].qty"]["matchers"][0]["match"],
        "integer"
    );
    assert_eq!(rules["path"]["matchers"][0]["regex"], "/orders/\\d+");
    assert_eq!(
        rules["header"]["X-Request-Id"]["matchers"][0]["match"],
        "regex"
    );
    assert_eq!(rules["body"]["$.prices"]["matchers"][0]["match"], "eachKey");
    assert_eq!(
        rules["body"]["$.events"]["matchers"][0]["match"],
        "arrayContains"
    );
    let status = &file["interactions"][0]["response"]["matchingRules"]["status"];
    assert_eq!(
        status["matchers"][0],
        json!({"match": "statusCode", "status": "success"})
    );
}

#[test]
fn requests_breaking_a_matcher_are_mismatches() {
    let cases = [
        ("id", json!("1")),
        ("total", json!(10)),
        ("gift", json!("no")),
        ("coupon", json!(0)),
        ("placedAt", json!("yesterday")),
        ("slot", json!("9h30")),
        ("note", json!("nothing")),
        ("lines", json!([])),
        ("prices", json!({"euro": 1})),
        ("stock", json!({"a": "many"})),
        ("events", json!([{"type": "paid", "at": "y"}])),
        ("api", json!("1.2")),
        ("tags", json!([])),
    ];
    for (field, bad) in cases {
        let dir = tempfile::tempdir().unwrap();
        let mock = contract("web", "orders")
            .output_dir(dir.path())
            .interaction("place an order", |i| {
                i.request(post("/orders").json(order_body()))
                    .response(status(201))
            })
            .start_mock_server();
        let mut body = other_order();
        body[field] = bad;
        let response = client()
            .post(mock.url("/orders"))
            .json(&body)
            .send()
            .unwrap();
        assert_eq!(response.status(), 500, "{field} should not match");
        let report = mock.finish().expect_err("the test fails").to_string();
        assert!(
            report.contains(&format!("$.body.{field}")),
            "{field}: {report}"
        );
        assert!(!dir.path().join("web-orders.json").exists());
    }
}

#[test]
fn responses_carry_examples_and_generated_values() {
    let dir = tempfile::tempdir().unwrap();
    let mock = contract("web", "orders")
        .output_dir(dir.path())
        .interaction("get order 1", |i| {
            i.given_with("an order", json!({"id": 7}))
                .request(get("/orders/1"))
                .response(status(200).header("X-Version", semver("2.0.0")).json(term!({
                    "id": from_provider_state("${id}", 1),
                    "code": random_string(8, "abcdefgh"),
                    "count": random_int(5, 9, 5),
                    "self": mock_server_url(".*(/orders/\\d+)$", "http://localhost:8080/orders/1"),
                    "body": order_body()
                })))
        })
        .start_mock_server();
    let response = client().get(mock.url("/orders/1")).send().unwrap();
    assert_eq!(response.headers()["x-version"], "2.0.0");
    let body: Value = response.json().unwrap();
    assert_eq!(body["id"], 1, "provider-state values keep their example");
    assert_eq!(body["code"].as_str().unwrap().len(), 8);
    assert!((5..=9).contains(&body["count"].as_i64().unwrap()));
    assert_eq!(body["self"], format!("{}/orders/1", mock.base_url()));
    assert_eq!(body["body"]["lines"], json!([{"sku": "A-1", "qty": 1}]));
    assert_eq!(
        body["body"]["customer"],
        json!({"name": "Ann", "vip": true})
    );
    mock.finish().expect("the test passes");
    let file = written(dir.path(), "web", "orders");
    let interaction = &file["interactions"][0];
    assert_eq!(interaction["providerStates"][0]["params"], json!({"id": 7}));
    let generators = &interaction["response"]["generators"]["body"];
    assert_eq!(generators["$.id"]["type"], "ProviderState");
    assert_eq!(generators["$.id"]["expression"], "${id}");
    assert_eq!(generators["$.self"]["type"], "MockServerURL");
    assert_eq!(generators["$.body.placedAt"]["type"], "DateTime");
}

#[test]
fn a_second_request_prefers_an_interaction_not_yet_exercised() {
    let dir = tempfile::tempdir().unwrap();
    let mock = contract("web", "orders")
        .output_dir(dir.path())
        .interaction("the first page", |i| {
            i.request(get("/orders"))
                .response(status(200).json(json!([1])))
        })
        .interaction("the first page again", |i| {
            i.given("more orders")
                .request(get("/orders"))
                .response(status(200).json(json!([1, 2])))
        })
        .start_mock_server();
    let first: Value = client()
        .get(mock.url("/orders"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let second: Value = client()
        .get(mock.url("/orders"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!((first, second), (json!([1]), json!([1, 2])));
    mock.verify();
}
