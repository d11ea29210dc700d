//! `--cors`: preflight requests are answered, responses carry CORS headers.

use serde_json::json;
use treaty_core::stub::StubConfig;

use crate::support::{get_returning, Stub};

fn preflight(stub: &Stub) -> reqwest::RequestBuilder {
    stub.client
        .request(reqwest::Method::OPTIONS, stub.url("/users/1"))
        .header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", "DELETE")
        .header(
            "Access-Control-Request-Headers",
            "x-treaty-state, content-type",
        )
}

#[tokio::test]
async fn preflight_requests_are_answered_with_cors() {
    let config = StubConfig {
        cors: true,
        ..StubConfig::default()
    };
    let stub = Stub::with(json!([get_returning("u", "/users/1", json!({}))]), config).await;
    let response = preflight(&stub).send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    let h = response.headers();
    assert_eq!(h["access-control-allow-origin"], "http://localhost:3000");
    assert!(h["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("DELETE"));
    assert!(h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("x-treaty-state"));

    let simple = stub
        .client
        .get(stub.url("/users/1"))
        .header("Origin", "http://localhost:3000")
        .send()
        .await
        .unwrap();
    assert_eq!(simple.status(), 200);
    assert_eq!(
        simple.headers()["access-control-allow-origin"],
        "http://localhost:3000"
    );
}

#[tokio::test]
async fn without_cors_a_preflight_is_a_miss() {
    let stub = Stub::serving(json!([get_returning("u", "/users/1", json!({}))])).await;
    let response = preflight(&stub).send().await.unwrap();
    assert_eq!(response.status(), 404);
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}
