//! The request size limit of the running binary: `--max-body-bytes`
//! accepts a body of exactly the limit and refuses one byte more with a
//! JSON 413 naming the limit, on every route that takes a body, whether
//! the size is announced (`Content-Length`) or not (chunked); the default
//! (10 MiB) takes large pacts and refuses larger bodies.

use serde_json::{json, Value};

use crate::wire::{assert_healthy, publication, Call};
use crate::{pact, BrokerProcess};

const LIMIT: usize = 4096;

/// An environment body of exactly `size` bytes.
fn environment_of_size(name: &str, size: usize) -> Vec<u8> {
    let shell = json!({"name": name, "production": false, "displayName": ""}).to_string();
    let padding = size.checked_sub(shell.len()).expect("size too small");
    let body = json!({"name": name, "production": false, "displayName": "x".repeat(padding)})
        .to_string()
        .into_bytes();
    assert_eq!(body.len(), size);
    body
}

fn padded_pact(bytes: usize) -> Value {
    let mut contract = pact("Foo", "Bar", "big");
    contract["interactions"][0]["response"]["body"] = json!({"padding": "x".repeat(bytes)});
    contract
}

fn assert_too_large(answer: &crate::wire::Answer, what: &str, limit: usize) {
    assert_eq!(answer.status, 413, "{what}: {}", answer.text);
    assert!(answer.is_json_error(), "{what}: {answer:?}");
    assert!(
        answer.json["message"]
            .as_str()
            .unwrap()
            .contains(&format!("{limit} bytes")),
        "{what}: {}",
        answer.text
    );
}

#[test]
fn the_configured_limit_is_exact_and_answered_with_json_413() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start_with(
        &dir.path().join("broker.db"),
        &["--max-body-bytes", &LIMIT.to_string()],
    );
    let base = broker.url.as_str();

    let at_limit = Call::new("POST", "/environments")
        .raw_body(environment_of_size("at-limit", LIMIT))
        .expect(base);
    assert_eq!(at_limit.status, 201, "{}", at_limit.text);
    let over = Call::new("POST", "/environments")
        .raw_body(environment_of_size("over-limit", LIMIT + 1))
        .expect(base);
    assert_too_large(&over, "environment one byte over", LIMIT);

    let small = Call::new("POST", "/contracts/publish")
        .json(&publication(&pact("Foo", "Bar", "a"), "1", None, &[]))
        .expect(base);
    assert_eq!(small.status, 200, "{}", small.text);
    let doc = Call::get("/pacts/provider/Bar/consumer/Foo/version/1").expect(base);
    let results =
        crate::wire::path_of(&doc.json["_links"]["pb:publish-verification-results"]["href"]);

    let big = padded_pact(3 * LIMIT);
    let cases = [
        (
            "publish",
            Call::new("POST", "/contracts/publish").json(&publication(&big, "2", None, &[])),
        ),
        (
            "publish, chunked",
            Call::new("POST", "/contracts/publish")
                .header("Transfer-Encoding", "chunked")
                .raw_body(publication(&big, "2", None, &[]).to_string()),
        ),
        (
            "older PUT",
            Call::new("PUT", "/pacts/provider/Bar/consumer/Foo/version/3").json(&big),
        ),
        (
            "merge PATCH",
            Call::new("PATCH", "/pacts/provider/Bar/consumer/Foo/version/1").json(&big),
        ),
        (
            "verification result",
            Call::new("POST", &results).json(&json!({
                "providerApplicationVersion": "9", "success": true,
                "testResults": {"padding": "x".repeat(2 * LIMIT)},
            })),
        ),
        (
            "webhook",
            Call::new("POST", "/webhooks").json(&json!({
                "events": [{"name": "contract_published"}],
                "request": {"method": "POST", "url": "https://ci.example/x", "body": "x".repeat(2 * LIMIT)},
            })),
        ),
        (
            "pacts for verification",
            Call::new("POST", "/pacts/provider/Bar/for-verification").json(&json!({
                "consumerVersionSelectors": [{"branch": "x".repeat(2 * LIMIT)}],
            })),
        ),
    ];
    for (what, call) in cases {
        assert_too_large(&call.expect(base), what, LIMIT);
        assert_healthy(base, what);
    }
    // Nothing of the refused bodies was stored.
    for version in ["2", "3"] {
        let answer = Call::get(format!("/pacticipants/Foo/versions/{version}")).expect(base);
        assert_eq!(answer.status, 404, "version {version}: {}", answer.text);
    }
    let doc = Call::get("/pacts/provider/Bar/consumer/Foo/version/1").expect(base);
    assert_eq!(doc.json["interactions"].as_array().unwrap().len(), 1);
}

#[test]
fn the_default_limit_takes_large_pacts_and_refuses_beyond_ten_mebibytes() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let base = broker.url.as_str();
    let large = Call::new("PUT", "/pacts/provider/Bar/consumer/Foo/version/1")
        .json(&padded_pact(2 * 1024 * 1024))
        .expect(base);
    assert_eq!(large.status, 201, "{}", large.text.len());
    let huge = Call::new("PUT", "/pacts/provider/Bar/consumer/Foo/version/2")
        .json(&padded_pact(11 * 1024 * 1024))
        .expect(base);
    assert_too_large(&huge, "11 MiB pact", 10 * 1024 * 1024);
    assert_healthy(base, "an 11 MiB body");
}
