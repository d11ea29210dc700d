//! The report a failing consumer test prints (golden): interactions never
//! exercised, unexpected requests, mismatched requests with locations and
//! a body diff; and that nothing is written then.

use serde_json::json;
use treaty_core::consumer::{contract, get, integer, like, ok, post, status, ContractBuilder};
use treaty_core::term;

use super::support::client;

fn orders(dir: &std::path::Path) -> ContractBuilder {
    contract("checkout-web", "order-service")
        .output_dir(dir)
        .interaction("a request for order 42", |i| {
            i.given("order 42 exists")
                .request(get("/orders/42"))
                .response(ok().json(json!({"id": 42})))
        })
        .interaction("place an order", |i| {
            i.request(
                post("/orders")
                    .header("Content-Type", "application/json")
                    .json(term!({"sku": like("A-1"), "qty": integer(1)})),
            )
            .response(status(201))
        })
}

const GOLDEN: &str = "\
treaty mock server for checkout-web -> order-service: 3 problems

1. missed: `a request for order 42` (GET /orders/42) was expected but never received

2. mismatched: POST /orders did not match `place an order`:
   $.body.qty: Expected 'two' (String) to be an integer
   body diff (- expected, + received):
      {
     -  \"qty\": 1,
     -  \"sku\": \"A-1\"
     +  \"qty\": \"two\",
     +  \"sku\": \"B-7\"
      }

3. unexpected: DELETE /orders/42?force=true matched no interaction

No contract was written.";

fn failing_run(dir: &std::path::Path) -> treaty_core::consumer::MockServer {
    let mock = orders(dir).start_mock_server();
    let http = client();
    let placed = http
        .post(mock.url("/orders"))
        .json(&json!({"sku": "B-7", "qty": "two"}))
        .send()
        .unwrap();
    assert_eq!(placed.status(), 500);
    let explanation: serde_json::Value = placed.json().unwrap();
    assert_eq!(explanation["closest"][0]["description"], "place an order");
    let deleted = http
        .delete(mock.url("/orders/42?force=true"))
        .send()
        .unwrap();
    assert_eq!(deleted.status(), 500);
    mock
}

#[test]
fn a_failing_test_reports_missed_mismatched_and_unexpected_requests() {
    let dir = tempfile::tempdir().unwrap();
    let report = failing_run(dir.path())
        .finish()
        .expect_err("the test fails");
    assert_eq!(report.to_string(), GOLDEN);
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn dropping_a_failing_mock_server_fails_the_test_with_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let mock = failing_run(dir.path());
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(mock)))
        .expect_err("dropping it panics");
    let message = panic.downcast_ref::<String>().expect("a formatted message");
    assert_eq!(message, GOLDEN);
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
#[should_panic(expected = "1. missed: `a request for order 42` (GET /orders/42)")]
fn verify_fails_the_test_at_once() {
    let dir = tempfile::tempdir().unwrap();
    orders(dir.path()).start_mock_server().verify();
}

#[test]
fn a_test_already_failing_does_not_panic_again_nor_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let outcome = std::panic::catch_unwind(move || {
        let _mock = orders(&path).start_mock_server();
        panic!("the consumer's own assertion failed");
    });
    let panic = outcome.expect_err("the test failed");
    assert_eq!(
        panic.downcast_ref::<&str>(),
        Some(&"the consumer's own assertion failed")
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn a_passing_test_writes_its_interactions_on_drop() {
    let dir = tempfile::tempdir().unwrap();
    let mock = orders(dir.path()).start_mock_server();
    let http = client();
    assert_eq!(
        http.get(mock.url("/orders/42")).send().unwrap().status(),
        200
    );
    let placed = http
        .post(mock.url("/orders"))
        .json(&json!({"sku": "Z-9", "qty": 3}))
        .send()
        .unwrap();
    assert_eq!(placed.status(), 201);
    assert_eq!(mock.requests().len(), 2);
    drop(mock);
    let file = super::support::written(dir.path(), "checkout-web", "order-service");
    let descriptions: Vec<&str> = file["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["description"].as_str().unwrap())
        .collect();
    assert_eq!(descriptions, ["a request for order 42", "place an order"]);
}
