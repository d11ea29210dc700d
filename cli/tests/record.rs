//! `treaty record` end to end on loopback: the recording proxy sits in
//! front of the example provider (`examples/order-service`), a client's
//! traffic goes through it, the contract is written on `POST
//! /__treaty/write` and again on SIGTERM, and `treaty verify` passes the
//! recorded contract against the same provider.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{json, Value};
use treaty_tests::server::TestServer;

mod common;

use common::{start as start_printing_url, treaty, Running};

fn record(upstream: &str, out: &Path) -> Running {
    let mut command = treaty(&["record", "--port", "0", "--upstream", upstream]);
    command
        .args(["--consumer", "checkout-web", "--provider", "order-service"])
        .arg("--out")
        .arg(out)
        .stderr(Stdio::null());
    start_printing_url(command)
}

/// A client's traffic: place an order, read it twice, read a missing one.
fn traffic(proxy: &str) {
    let http = reqwest::blocking::Client::builder()
        .no_proxy()
        .build()
        .unwrap();
    let placed: Value = http
        .post(format!("{proxy}/orders?notify=email"))
        .header("Authorization", "Bearer s3cret")
        .json(
            &json!({"lines": [{"sku": "BOOK-1", "quantity": 2}, {"sku": "PEN-9", "quantity": 1}]}),
        )
        .send()
        .unwrap()
        .json()
        .unwrap();
    let id = placed["id"].as_u64().expect("an order id");
    for _ in 0..2 {
        let order = http.get(format!("{proxy}/orders/{id}")).send().unwrap();
        assert_eq!(order.status(), 200);
    }
    let missing = http.get(format!("{proxy}/orders/999")).send().unwrap();
    assert_eq!(missing.status(), 404);
}

fn rules<'a>(interaction: &'a Value, part: &str, path: &str) -> &'a Value {
    &interaction[part]["matchingRules"]["body"][path]["matchers"][0]
}

#[test]
fn recorded_traffic_becomes_a_contract_the_provider_passes() {
    let provider = TestServer::serve(order_service::app());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("recorded.json");
    let mut proxy = record(&provider.url, &out);

    traffic(&proxy.url);
    let http = reqwest::blocking::Client::builder()
        .no_proxy()
        .build()
        .unwrap();
    let wrote: Value = http
        .post(format!("{}/__treaty/write", proxy.url))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(wrote["ok"], true, "{wrote}");
    let first = std::fs::read_to_string(&out).expect("written on request");
    let signalled = Command::new("kill")
        .args(["-TERM", &proxy.child.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    assert_eq!(proxy.child.wait().unwrap().code(), Some(0));
    let text = std::fs::read_to_string(&out).expect("written on stop");
    assert_eq!(text, first, "nothing new was recorded in between");

    let contract: Value = serde_json::from_str(&text).unwrap();
    let interactions = contract["interactions"].as_array().unwrap();
    let descriptions: Vec<&str> = interactions
        .iter()
        .map(|i| i["description"].as_str().unwrap())
        .collect();
    // In the order first seen, so a replay creates the order it reads.
    assert_eq!(
        descriptions,
        [
            "POST /orders?notify=email -> 201",
            "GET /orders/1001 -> 200",
            "GET /orders/999 -> 404"
        ]
    );
    let (placed, order) = (&interactions[0], &interactions[1]);
    assert_eq!(rules(order, "response", "$.placedAt")["match"], "regex");
    assert_eq!(
        rules(order, "response", "$.customer.email")["match"],
        "regex"
    );
    assert_eq!(rules(order, "response", "$.lines")["min"], 1);
    assert_eq!(
        rules(order, "response", "$.lines[*].unitPrice")["match"],
        "number"
    );
    assert_eq!(rules(order, "response", "$.total")["match"], "number");
    assert_eq!(
        placed["request"]["headers"]["authorization"],
        json!(["[redacted]"])
    );
    assert!(!text.contains("s3cret"));
    assert!(
        order["response"]["headers"].get("date").is_none(),
        "{order}"
    );

    let verified = Command::new(env!("CARGO_BIN_EXE_treaty"))
        .arg("verify")
        .arg(&out)
        .args(["--provider-url", &provider.url])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&verified.stdout);
    assert_eq!(verified.status.code(), Some(0), "{report}");
    assert!(report.contains("3 interactions, 3 passed"), "{report}");
}
