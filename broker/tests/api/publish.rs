//! Publishing: `/contracts/publish`, the older PUT, conflicts, merges,
//! validation, size limits, names.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::json;

use crate::{pact, Broker};

#[tokio::test]
async fn publish_answers_with_notices_logs_and_links() {
    let broker = Broker::new();
    let reply = broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", Some("main"), &["dev"])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let texts: Vec<&str> = reply.body["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts[0],
        "Created Foo version 1.0.0 with branch main and tags dev"
    );
    assert_eq!(
        texts[1],
        "Pact published for Foo version 1.0.0 and provider Bar."
    );
    assert_eq!(reply.body["logs"].as_array().unwrap().len(), 2);
    assert_eq!(reply.body["_embedded"]["version"]["number"], "1.0.0");
    assert_eq!(
        reply.body["_links"]["pb:contracts"][0]["href"],
        "http://broker.test/pacts/provider/Bar/consumer/Foo/version/1.0.0"
    );
    // Main branch is set from a branch named main.
    assert_eq!(
        broker.get("/pacticipants/Foo").await.body["mainBranch"],
        "main"
    );
}

#[tokio::test]
async fn rewritten_metadata_is_the_same_content() {
    let broker = Broker::new();
    let original = pact("Foo", "Bar", "a");
    broker.publish(&original, "1", None, &[]).await;
    let mut rewritten = original.clone();
    rewritten["metadata"]["pactRust"] = json!({"models": "1.3.16"});
    let reply = broker.publish(&rewritten, "1", None, &[]).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.body["notices"][1]["text"]
        .as_str()
        .unwrap()
        .contains("unchanged"));
    // Same content under another version shares the pact version.
    broker.publish(&rewritten, "2", None, &[]).await;
    let one = broker
        .get("/pacts/provider/Bar/consumer/Foo/version/1")
        .await
        .body;
    let two = broker
        .get("/pacts/provider/Bar/consumer/Foo/version/2")
        .await
        .body;
    assert_eq!(
        one["_links"]["pb:pact-version"]["name"],
        two["_links"]["pb:pact-version"]["name"]
    );
}

#[tokio::test]
async fn changed_content_for_a_published_version_is_a_conflict_unless_overwrite_or_merge() {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", None, &[])
        .await;
    let reply = broker
        .publish(&pact("Foo", "Bar", "b"), "1", None, &[])
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
    assert_eq!(reply.body["notices"][0]["type"], "error");
    assert!(reply.body["message"]
        .as_str()
        .unwrap()
        .contains("Cannot change the content of the pact for Foo version 1 and provider Bar"));

    let mut body = publish_body(&pact("Foo", "Bar", "b"), "1");
    body["contracts"][0]["onConflict"] = json!("merge");
    let reply = broker.post("/contracts/publish", body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let merged = broker
        .get("/pacts/provider/Bar/consumer/Foo/version/1")
        .await
        .body;
    assert_eq!(merged["interactions"].as_array().unwrap().len(), 2);

    let mut body = publish_body(&pact("Foo", "Bar", "c"), "1");
    body["contracts"][0]["onConflict"] = json!("overwrite");
    assert_eq!(
        broker.post("/contracts/publish", body).await.status,
        StatusCode::OK
    );
    let replaced = broker
        .get("/pacts/provider/Bar/consumer/Foo/version/1")
        .await
        .body;
    assert_eq!(replaced["interactions"].as_array().unwrap().len(), 1);
    assert_eq!(
        replaced["interactions"][0]["description"],
        "a request for c"
    );
}

fn publish_body(pact: &serde_json::Value, version: &str) -> serde_json::Value {
    use base64::Engine;
    json!({
        "pacticipantName": pact["consumer"]["name"],
        "pacticipantVersionNumber": version,
        "contracts": [{"consumerName": pact["consumer"]["name"], "providerName": pact["provider"]["name"], "specification": "pact", "contentType": "application/json",
                       "content": base64::engine::general_purpose::STANDARD.encode(pact.to_string())}],
    })
}

#[tokio::test]
async fn validation_errors_name_the_field() {
    let broker = Broker::new();
    let mut body = publish_body(&pact("Foo", "Bar", "a"), "1");
    body["pacticipantVersionNumber"] = json!(" ");
    let reply = broker.post("/contracts/publish", body).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["field"], "pacticipantVersionNumber");
    assert!(reply.body["errors"]["pacticipantVersionNumber"][0].is_string());

    let mut body = publish_body(&pact("Foo", "Bar", "a"), "1");
    body["contracts"][0]["content"] = json!("not base64!");
    let reply = broker.post("/contracts/publish", body).await;
    assert_eq!(
        (reply.status, reply.body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("contracts[0].content"))
    );

    let mut body = publish_body(&pact("Foo", "Bar", "a"), "1");
    body["contracts"][0]["providerName"] = json!("Other");
    let reply = broker.post("/contracts/publish", body).await;
    assert_eq!(reply.body["field"], "contracts[0].providerName");

    let reply = broker.call(Method::POST, "/contracts/publish", None).await;
    assert_eq!(reply.body["field"], "pacticipantName");
    let reply = broker
        .raw(
            Request::post("/contracts/publish")
                .body(Body::from("{nope"))
                .unwrap(),
        )
        .await;
    assert_eq!(
        (reply.status, reply.body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("body"))
    );
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_with_413() {
    let broker = Broker::with_state(|s| s.with_max_body_bytes(1024));
    let big = pact("Foo", "Bar", &"x".repeat(4096));
    let reply = broker.publish(&big, "1", None, &[]).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.body["message"]
        .as_str()
        .unwrap()
        .contains("1024 bytes"));
}

#[tokio::test]
async fn the_older_put_creates_then_replaces_only_identical_content() {
    let broker = Broker::new();
    let url = "/pacts/provider/Bar/consumer/Foo/version/1.0.0";
    assert_eq!(broker.get(url).await.status, StatusCode::NOT_FOUND);
    let reply = broker.put(url, pact("Foo", "Bar", "a")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert!(reply.body["_links"]["pb:publish-verification-results"]["href"].is_string());
    assert!(reply.body["interactions"][0]["_id"].is_string());
    assert_eq!(
        broker.put(url, pact("Foo", "Bar", "a")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        broker.put(url, pact("Foo", "Bar", "b")).await.status,
        StatusCode::CONFLICT
    );
    let reply = broker
        .call(Method::PATCH, url, Some(pact("Foo", "Bar", "b")))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["interactions"].as_array().unwrap().len(), 2);
    let reply = broker.put(url, pact("Other", "Bar", "a")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn names_with_slashes_unicode_and_spaces_round_trip() {
    let broker = Broker::new();
    let name = "team/app ü";
    let reply = broker
        .publish(&pact(name, "Bär", "a"), "1.0.0", Some("feat/x"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let href = reply.body["_links"]["pb:pacticipant"]["href"]
        .as_str()
        .unwrap();
    assert_eq!(href, "http://broker.test/pacticipants/team%2Fapp%20%C3%BC");
    let reply = broker.get("/pacticipants/team%2Fapp%20%C3%BC").await;
    assert_eq!(reply.body["name"], name);
    let reply = broker
        .get("/pacticipants/team%2Fapp%20%C3%BC/branches/feat%2Fx")
        .await;
    assert_eq!(
        (reply.status, reply.body["name"].as_str()),
        (StatusCode::OK, Some("feat/x"))
    );
    let reply = broker
        .get("/pacts/provider/B%C3%A4r/consumer/team%2Fapp%20%C3%BC/latest")
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let reply = broker.get("/pacts/latest").await;
    assert_eq!(
        reply.body["pacts"][0]["_embedded"]["consumer"]["name"],
        name
    );
}
