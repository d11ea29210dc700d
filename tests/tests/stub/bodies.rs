//! XML and text bodies, and responses built with generators.

use serde_json::json;

use crate::support::Stub;

#[tokio::test]
async fn xml_requests_match_under_rules_and_xml_responses_keep_their_type() {
    let stub = Stub::serving(json!([{
        "description": "an XML order",
        "request": {"method": "POST", "path": "/orders",
                    "headers": {"Content-Type": "application/xml"},
                    "body": "<order><id>1</id><sku>A</sku></order>",
                    "matchingRules": {"body": {"$.order.id.#text": {"matchers": [{"match": "integer"}]}}}},
        "response": {"status": 200, "headers": {"Content-Type": "application/xml"},
                     "body": "<ok id=\"1\"/>"}
    }]))
    .await;
    let post = |body: &'static str| {
        stub.client
            .post(stub.url("/orders"))
            .header("Content-Type", "application/xml")
            .body(body)
            .send()
    };
    let response = post("<order><id>42</id><sku>A</sku></order>")
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/xml");
    assert_eq!(response.text().await.unwrap(), "<ok id=\"1\"/>");

    let response = post("<order><id>x</id><sku>B</sku></order>").await.unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    let locations: Vec<&str> = body["closest"][0]["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["location"].as_str().unwrap())
        .collect();
    assert!(locations.iter().any(|l| l.contains("id")), "{locations:?}");
    assert!(locations.iter().any(|l| l.contains("sku")), "{locations:?}");
}

#[tokio::test]
async fn text_bodies_match_exactly_and_are_served_as_text() {
    let stub = Stub::serving(json!([{
        "description": "echo",
        "request": {"method": "PUT", "path": "/note", "headers": {"Content-Type": "text/plain"},
                    "body": "hello"},
        "response": {"status": 200, "headers": {"Content-Type": "text/plain; charset=utf-8"},
                     "body": "Hello, treaty!\n"}
    }]))
    .await;
    let put = |body: &'static str| {
        stub.client
            .put(stub.url("/note"))
            .header("Content-Type", "text/plain")
            .body(body)
            .send()
    };
    let response = put("hello").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(response.text().await.unwrap(), "Hello, treaty!\n");
    let miss = put("goodbye").await.unwrap();
    assert_eq!(miss.status(), 404);
    let body: serde_json::Value = serde_json::from_slice(&miss.bytes().await.unwrap()).unwrap();
    let diff = body["closest"][0]["diff"].as_str().unwrap();
    assert!(
        diff.contains("-hello") && diff.contains("+goodbye"),
        "{diff}"
    );
}

#[tokio::test]
async fn generators_give_fresh_values_and_the_stubs_own_url() {
    let stub = Stub::serving(json!([{
        "description": "a generated user",
        "request": {"method": "GET", "path": "/users/new"},
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/json"},
            "body": {"id": 1, "token": "abc", "self": "http://example.com/users/1"},
            "generators": {"body": {
                "$.id": {"type": "RandomInt", "min": 1, "max": 1000000000},
                "$.token": {"type": "RandomString", "size": 24},
                "$.self": {"type": "MockServerURL", "example": "http://example.com/users/1",
                           "regex": ".*(/users/\\d+)$"}
            }}
        }
    }]))
    .await;
    let (_, first) = stub.get_json("/users/new").await;
    let (_, second) = stub.get_json("/users/new").await;
    assert_ne!(
        (&first["id"], &first["token"]),
        (&second["id"], &second["token"])
    );
    assert_eq!(first["token"].as_str().unwrap().len(), 24);
    assert_eq!(first["self"], stub.url("/users/1"));
}
