//! The contracts pact-python wrote (tests/data/pact-python) served as they
//! are: a few answers checked.

use std::path::Path;

use serde_json::json;
use treaty_core::stub::{Source, StubConfig};

use crate::support::Stub;

async fn stub() -> Stub {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pact-python");
    let holder = tempfile::tempdir().unwrap();
    Stub::over(holder, vec![Source::Directory(dir)], StubConfig::default()).await
}

#[tokio::test]
async fn serves_the_pact_python_contracts() {
    let stub = stub().await;
    let (_, health) = stub.get_json("/__treaty/health").await;
    assert!(health["interactions"].as_u64().unwrap() >= 9, "{health}");
    assert!(health["skippedMessages"].as_u64().unwrap() >= 1, "{health}");

    // A path rule and header rules (X-Request-Id must be a UUID).
    let response = stub
        .client
        .get(stub.url("/users/123"))
        .header("Accept", "application/json")
        .header("X-Request-Id", "0b5e3a2c-1111-4222-8333-944455556666")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let user: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(user["addresses"][0]["street"], "1 Main St");

    // Same path family without the header: only the missing user matches.
    let missing = stub
        .client
        .get(stub.url("/users/999"))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let body: serde_json::Value = serde_json::from_slice(&missing.bytes().await.unwrap()).unwrap();
    assert_eq!(body, json!({"code": 404, "error": "not found"}));

    let greeting = stub
        .client
        .get(stub.url("/greeting"))
        .header("Accept", "text/plain")
        .send()
        .await
        .unwrap();
    assert_eq!(greeting.status(), 200);
    assert_eq!(greeting.text().await.unwrap(), "Hello, treaty!\n");

    let deleted = stub
        .client
        .delete(stub.url("/items/1001"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);

    let (status, health_check) = stub.get_json("/health").await;
    assert_eq!((status, health_check), (200, json!({"status": "UP"})));
}

#[tokio::test]
async fn a_create_request_gets_a_generated_id() {
    let stub = stub().await;
    let response = stub
        .client
        .post(stub.url("/items"))
        .header("Content-Type", "application/json")
        .body(r#"{"name": "Gadget", "price": 5.25, "quantity": 9, "tags": ["new", "sale"]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let item: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    let id = item["id"].as_i64().unwrap();
    assert!((1000..=9999).contains(&id), "{item}");
    assert_eq!(item["name"], "Widget");
}
