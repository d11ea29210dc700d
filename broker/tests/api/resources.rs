//! Pacticipants, versions, tags and branches.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::Broker;

#[tokio::test]
async fn pacticipants_are_created_updated_listed_and_deleted() {
    let broker = Broker::new();
    let reply = broker
        .post(
            "/pacticipants",
            json!({"name": "Foo", "repositoryUrl": "https://git/foo"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let reply = broker
        .call(
            Method::PATCH,
            "/pacticipants/Foo",
            Some(json!({"mainBranch": "trunk"})),
        )
        .await;
    assert_eq!(
        (reply.status, reply.body["mainBranch"].as_str()),
        (StatusCode::OK, Some("trunk"))
    );
    assert_eq!(reply.body["repositoryUrl"], "https://git/foo");
    assert_eq!(reply.body["_links"]["pb:branch-version"]["templated"], true);
    let list = broker.get("/pacticipants").await;
    assert_eq!(list.body["_embedded"]["pacticipants"][0]["name"], "Foo");
    assert_eq!(
        broker
            .call(Method::DELETE, "/pacticipants/Foo", None)
            .await
            .status,
        StatusCode::OK
    );
    let reply = broker.get("/pacticipants/Foo").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body["message"], "pacticipant 'Foo' was not found");
    let reply = broker.post("/pacticipants", json!({})).await;
    assert_eq!(reply.body["field"], "name");
}

#[tokio::test]
async fn versions_order_by_semver_then_by_creation() {
    let broker = Broker::new();
    for v in ["1.10.0", "1.9.0", "1.10.0-rc.1"] {
        broker
            .put(&format!("/pacticipants/Foo/versions/{v}"), json!({}))
            .await;
    }
    assert_eq!(
        broker.get("/pacticipants/Foo/latest-version").await.body["number"],
        "1.10.0"
    );
    let list = broker.get("/pacticipants/Foo/versions").await.body;
    let numbers: Vec<&str> = list["_embedded"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["1.10.0", "1.10.0-rc.1", "1.9.0"]);
    // One non-semver number: creation order from then on.
    broker
        .put("/pacticipants/Foo/versions/abc123", json!({}))
        .await;
    assert_eq!(
        broker.get("/pacticipants/Foo/latest-version").await.body["number"],
        "abc123"
    );
}

#[tokio::test]
async fn tags_and_branches_are_created_once() {
    let broker = Broker::new();
    let reply = broker
        .put("/pacticipants/Foo/versions/1/tags/prod", json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.body["name"], "prod");
    assert_eq!(
        broker
            .put("/pacticipants/Foo/versions/1/tags/prod", json!({}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        broker
            .get("/pacticipants/Foo/versions/1/tags/prod")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        broker
            .get("/pacticipants/Foo/versions/1/tags/dev")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let reply = broker
        .put(
            "/pacticipants/Foo/branches/main/versions/1",
            json!({"name": "main"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(
        broker
            .put("/pacticipants/Foo/branches/main/versions/1", json!({}))
            .await
            .status,
        StatusCode::OK
    );
    let version = broker.get("/pacticipants/Foo/versions/1").await.body;
    assert_eq!(version["_embedded"]["tags"][0]["name"], "prod");
    assert_eq!(version["_embedded"]["branchVersions"][0]["name"], "main");
    assert_eq!(
        broker
            .get("/pacticipants/Foo/latest-version/prod")
            .await
            .body["number"],
        "1"
    );
    let reply = broker.get("/pacticipants/Foo/latest-version/none").await;
    assert_eq!(
        reply.body["message"],
        "latest version of pacticipant 'Foo' with tag 'none' was not found"
    );
    assert_eq!(
        broker
            .call(Method::DELETE, "/pacticipants/Foo/branches/main", None)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        broker.get("/pacticipants/Foo/branches/main").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        broker.get("/pacticipants/Foo/versions/1").await.status,
        StatusCode::OK
    );
}
