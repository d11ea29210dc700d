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

#[tokio::test]
async fn metrics_count_requests_and_report_database_and_queue() {
    let broker = Broker::new();
    broker.get("/pacticipants").await;
    broker.get("/pacticipants/Nope").await;
    let request = axum::http::Request::get("/metrics")
        .header("host", "broker.test")
        .body(axum::body::Body::empty())
        .unwrap();
    let reply = broker.raw(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.content_type.starts_with("text/plain"),
        "{}",
        reply.content_type
    );
    let text = reply.body.as_str().unwrap();
    assert!(text.contains("treaty_broker_http_requests_total{method=\"GET\",route=\"/pacticipants\",status=\"200\"} 1"), "{text}");
    assert!(
        text.contains("route=\"/pacticipants/{pacticipant}\",status=\"404\"} 1"),
        "{text}"
    );
    assert!(text.contains("treaty_broker_http_request_duration_seconds_count{method=\"GET\",route=\"/pacticipants\"} 1"));
    assert!(text.contains("treaty_broker_webhook_queue_depth 0"));
    let size = text
        .lines()
        .find_map(|l| l.strip_prefix("treaty_broker_database_bytes "))
        .unwrap();
    assert!(size.parse::<u64>().unwrap() > 0);
}

#[tokio::test]
async fn openapi_describes_the_routes() {
    let reply = Broker::new().get("/openapi.json").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["openapi"], "3.0.3");
    let paths = &reply.body["paths"];
    for (path, method) in [
        ("/contracts/publish", "post"),
        ("/pacts/provider/{provider}/for-verification", "post"),
        ("/can-i-deploy", "get"),
        ("/webhooks/{uuid}", "put"),
        ("/deployed-versions/{uuid}", "patch"),
        (
            "/pacts/provider/{provider}/consumer/{consumer}/version/{version}/triggered-webhooks",
            "get",
        ),
        ("/triggered-webhooks/{uuid}/logs", "get"),
        ("/pacticipants/{pacticipant}/labels/{label}", "put"),
        ("/pacticipants/label/{label}", "get"),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path}");
    }
    let params = &paths["/pacticipants/{pacticipant}/versions/{version}"]["get"]["parameters"];
    assert_eq!(params[1]["name"], "version");
}

#[tokio::test]
async fn put_upserts_a_pacticipant() {
    let broker = Broker::new();
    let reply = broker
        .put(
            "/pacticipants/Foo",
            json!({"displayName": "The Foo", "mainBranch": "trunk"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        (
            reply.body["name"].as_str(),
            reply.body["displayName"].as_str()
        ),
        (Some("Foo"), Some("The Foo"))
    );
    assert_eq!(
        reply.body["_links"]["self"]["href"],
        "http://broker.test/pacticipants/Foo"
    );
    let reply = broker
        .put(
            "/pacticipants/Foo",
            json!({"repositoryUrl": "https://git/foo"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["mainBranch"], "trunk");
    assert_eq!(reply.body["repositoryUrl"], "https://git/foo");
    let reply = broker
        .put("/pacticipants/Foo", json!("not an object"))
        .await;
    assert_eq!(
        (reply.status, reply.body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("body")),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn missing_pacticipants_versions_and_branches_are_named_in_404s() {
    let broker = Broker::new();
    let reply = broker
        .call(Method::DELETE, "/pacticipants/Nope", None)
        .await;
    assert_eq!(
        (reply.status, reply.body["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("pacticipant 'Nope' was not found")
        )
    );
    let reply = broker.get("/pacticipants/Nope/versions").await;
    assert_eq!(
        (reply.status, reply.body["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("pacticipant 'Nope' was not found")
        )
    );
    let reply = broker.get("/pacticipants/Nope/latest-version").await;
    assert_eq!(
        (reply.status, reply.body["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("latest version of pacticipant 'Nope' was not found")
        )
    );
    broker.put("/pacticipants/Foo/versions/1", json!({})).await;
    let reply = broker.get("/pacticipants/Foo/versions/2").await;
    assert_eq!(
        (reply.status, reply.body["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("version '2' of pacticipant 'Foo' was not found")
        )
    );
    let reply = broker.get("/pacticipants/Foo/versions/1/tags/dev").await;
    assert_eq!(
        reply.body["message"],
        "tag 'dev' on version '1' of pacticipant 'Foo' was not found"
    );
    let reply = broker.get("/pacticipants/Foo/branches/main").await;
    assert_eq!(
        (reply.status, reply.body["message"].as_str()),
        (
            StatusCode::NOT_FOUND,
            Some("branch 'main' of pacticipant 'Foo' was not found")
        )
    );
    let reply = broker
        .call(Method::DELETE, "/pacticipants/Foo/branches/main", None)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply.body["message"],
        "branch 'main' of pacticipant 'Foo' was not found"
    );
}

#[tokio::test]
async fn put_version_records_build_url_branch_and_tags() {
    let broker = Broker::new();
    let reply = broker
        .put(
            "/pacticipants/Foo/versions/1.0.0",
            json!({"buildUrl": "https://ci/1", "branch": "main", "tags": [{"name": "dev"}]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["number"], "1.0.0");
    assert_eq!(reply.body["buildUrl"], "https://ci/1");
    assert_eq!(reply.body["_embedded"]["tags"][0]["name"], "dev");
    assert_eq!(reply.body["_embedded"]["branchVersions"][0]["name"], "main");
    assert_eq!(
        reply.body["_links"]["self"]["href"],
        "http://broker.test/pacticipants/Foo/versions/1.0.0"
    );
    let again = broker
        .put("/pacticipants/Foo/versions/1.0.0", json!({}))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["buildUrl"], "https://ci/1");
    let reply = broker
        .put("/pacticipants/Foo/versions/2", json!({"tags": "dev"}))
        .await;
    assert_eq!(
        (reply.status, reply.body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("tags")),
        "{}",
        reply.body
    );
}
