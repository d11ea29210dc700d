//! Messages: the handler gets the generated example; a failing handler
//! fails the test and writes nothing; passing ones are recorded.

use serde_json::json;
use treaty_core::consumer::{content, contract, integer, like, random_int};
use treaty_core::term;

use super::support::written;

#[test]
fn the_handler_gets_the_generated_message_and_the_contract_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    contract("billing", "orders")
        .output_dir(dir.path())
        .message("an order was placed", |m| {
            m.given_with("an order", json!({"id": 3}))
                .json(term!({"orderId": random_int(100, 200, 1), "sku": like("A-1")}))
                .metadata("topic", "orders")
        })
        .sync_message("a price is asked for", |m| {
            m.request(content().json(term!({"sku": like("A-1")})))
                .response(content().json(term!({"price": integer(10)})))
        })
        .consume(|message| {
            seen.push(message.clone());
            Ok::<(), String>(())
        });
    let order = seen[0].json().unwrap();
    assert!((100..=200).contains(&order["orderId"].as_i64().unwrap()));
    assert_eq!(seen[0].message.metadata["topic"], "orders");
    assert_eq!(
        seen[1].responses[0].contents.to_bytes().as_ref(),
        br#"{"price":10}"#
    );
    let file = written(dir.path(), "billing", "orders");
    let types: Vec<&str> = file["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["Synchronous/Messages", "Asynchronous/Messages"]);
}

#[test]
fn a_failing_handler_fails_the_test_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let err = contract("billing", "orders")
        .output_dir(dir.path())
        .message("an order was placed", |m| m.json(json!({"orderId": 1})))
        .try_consume(|_| Err("Test failed"))
        .expect_err("the handler failed");
    assert_eq!(
        err.to_string(),
        "the consumer failed to handle the message `an order was placed`: Test failed\n\
         No contract was written."
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}
