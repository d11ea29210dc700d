//! Environments, deployments and releases.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::Broker;

#[tokio::test]
async fn environments_are_created_listed_updated_and_unique() {
    let broker = Broker::new();
    let uuid = broker.environment("production").await;
    let reply = broker
        .post(
            "/environments",
            json!({"name": "production", "production": true}),
        )
        .await;
    assert_eq!(
        (reply.status, reply.body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("name"))
    );
    let reply = broker
        .post(
            "/environments",
            json!({"name": "two words", "production": false}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let reply = broker.post("/environments", json!({"name": "test"})).await;
    assert_eq!(reply.body["field"], "production");
    let list = broker.get("/environments").await.body;
    assert_eq!(list["_embedded"]["environments"][0]["uuid"], uuid.as_str());
    assert_eq!(list["_links"]["pb:environments"][0]["name"], "production");
    let reply = broker
        .put(
            &format!("/environments/{uuid}"),
            json!({"name": "prod", "displayName": "Prod", "production": true}),
        )
        .await;
    assert_eq!(reply.body["displayName"], "Prod");
    assert_eq!(
        broker
            .call(Method::DELETE, &format!("/environments/{uuid}"), None)
            .await
            .status,
        StatusCode::OK
    );
    let reply = broker.get(&format!("/environments/{uuid}")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body["message"].as_str().unwrap().contains(&uuid));
}

#[tokio::test]
async fn a_deployment_replaces_the_previous_one_of_the_same_instance() {
    let broker = Broker::new();
    let env = broker.environment("production").await;
    for v in ["1", "2", "3"] {
        broker
            .put(&format!("/pacticipants/Foo/versions/{v}"), json!({}))
            .await;
    }
    let version = broker.get("/pacticipants/Foo/versions/1").await.body;
    let link = &version["_links"]["pb:record-deployment"][0];
    assert_eq!(link["name"], "production");
    let first = broker.deploy("Foo", "1", &env, None).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert!(first.location.is_some());
    broker.deploy("Foo", "2", &env, Some("blue")).await;
    broker.deploy("Foo", "3", &env, None).await;
    let current = broker
        .get(&format!(
            "/environments/{env}/deployed-versions/currently-deployed?pacticipant=Foo"
        ))
        .await
        .body;
    let numbers: Vec<&str> = current["_embedded"]["deployedVersions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["_embedded"]["version"]["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["2", "3"]);
    // Undeploy through PATCH, as record-undeployment does.
    let uuid = current["_embedded"]["deployedVersions"][0]["uuid"]
        .as_str()
        .unwrap();
    let reply = broker
        .call(
            Method::PATCH,
            &format!("/deployed-versions/{uuid}"),
            Some(json!({"currentlyDeployed": false})),
        )
        .await;
    assert_eq!(
        (reply.status, reply.body["currentlyDeployed"].as_bool()),
        (StatusCode::OK, Some(false))
    );
    let reply = broker
        .call(
            Method::PATCH,
            &format!("/deployed-versions/{uuid}"),
            Some(json!({"currentlyDeployed": true})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = broker.deploy("Foo", "9", &env, None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body["message"], "version '9' of 'Foo' was not found");
}

#[tokio::test]
async fn releases_accumulate_until_support_ends() {
    let broker = Broker::new();
    let env = broker.environment("production").await;
    for v in ["1", "2"] {
        broker
            .put(&format!("/pacticipants/Foo/versions/{v}"), json!({}))
            .await;
        let reply = broker
            .post(
                &format!("/pacticipants/Foo/versions/{v}/released-versions/environment/{env}"),
                json!({}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let current = broker
        .get(&format!(
            "/environments/{env}/released-versions/currently-supported"
        ))
        .await
        .body;
    let list = current["_embedded"]["releasedVersions"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let uuid = list[0]["uuid"].as_str().unwrap();
    let reply = broker
        .call(
            Method::PATCH,
            &format!("/released-versions/{uuid}"),
            Some(json!({"currentlySupported": false})),
        )
        .await;
    assert_eq!(reply.body["currentlySupported"], false);
    let current = broker
        .get(&format!(
            "/environments/{env}/released-versions/currently-supported"
        ))
        .await
        .body;
    assert_eq!(
        current["_embedded"]["releasedVersions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn deployed_and_released_versions_are_readable_by_uuid() {
    let broker = Broker::new();
    let env = broker.environment("production").await;
    broker.put("/pacticipants/Foo/versions/1", json!({})).await;
    let deployed = broker.deploy("Foo", "1", &env, Some("blue")).await;
    assert_eq!(deployed.status, StatusCode::CREATED, "{}", deployed.body);
    let uuid = deployed.body["uuid"].as_str().unwrap();
    assert_eq!(
        deployed.location.as_deref(),
        Some(format!("http://broker.test/deployed-versions/{uuid}").as_str())
    );
    let reply = broker.get(&format!("/deployed-versions/{uuid}")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["currentlyDeployed"], true);
    assert_eq!(reply.body["applicationInstance"], "blue");
    assert_eq!(reply.body["_embedded"]["version"]["number"], "1");
    assert_eq!(reply.body["_embedded"]["environment"]["name"], "production");

    let released = broker
        .post(
            &format!("/pacticipants/Foo/versions/1/released-versions/environment/{env}"),
            json!({}),
        )
        .await;
    let uuid = released.body["uuid"].as_str().unwrap();
    let reply = broker.get(&format!("/released-versions/{uuid}")).await;
    assert_eq!(
        (reply.status, reply.body["currentlySupported"].as_bool()),
        (StatusCode::OK, Some(true))
    );
    assert_eq!(reply.body["_embedded"]["pacticipant"]["name"], "Foo");
    let reply = broker
        .call(
            Method::PATCH,
            &format!("/released-versions/{uuid}"),
            Some(json!({"currentlySupported": true})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body["message"].is_string());

    for path in ["/deployed-versions/nope", "/released-versions/nope"] {
        let reply = broker.get(path).await;
        assert_eq!(
            (reply.status, reply.body["message"].as_str()),
            (
                StatusCode::NOT_FOUND,
                Some("deployed or released version 'nope' was not found")
            ),
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_environments_are_named_in_404s() {
    let broker = Broker::new();
    broker.put("/pacticipants/Foo/versions/1", json!({})).await;
    let message = "environment with uuid 'nope' was not found";
    for (method, path, body) in [
        (Method::GET, "/environments/nope", None),
        (
            Method::PUT,
            "/environments/nope",
            Some(json!({"name": "x", "production": false})),
        ),
        (Method::DELETE, "/environments/nope", None),
        (
            Method::GET,
            "/environments/nope/deployed-versions/currently-deployed",
            None,
        ),
        (
            Method::GET,
            "/environments/nope/released-versions/currently-supported",
            None,
        ),
    ] {
        let reply = broker.call(method.clone(), path, body).await;
        assert_eq!(
            (reply.status, reply.body["message"].as_str()),
            (StatusCode::NOT_FOUND, Some(message)),
            "{method} {path}: {}",
            reply.body
        );
    }
    for kind in ["deployed", "released"] {
        let reply = broker
            .post(
                &format!("/pacticipants/Foo/versions/1/{kind}-versions/environment/nope"),
                json!({}),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{kind}: {}",
            reply.body
        );
        assert!(
            reply.body["message"].as_str().unwrap().contains("nope"),
            "{kind}: {}",
            reply.body
        );
    }
    let env = broker.environment("test").await;
    let reply = broker
        .put(&format!("/environments/{env}"), json!({"name": "test"}))
        .await;
    assert_eq!(
        (reply.status, reply.body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("production"))
    );
}
