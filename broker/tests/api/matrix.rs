//! The matrix and can-i-deploy truth tables.

use axum::http::StatusCode;
use serde_json::{json, Value};

use crate::{pact, Broker};

async fn can_i_deploy(broker: &Broker, pacticipant: &str, version: &str) -> Value {
    let reply = broker
        .get(&format!(
            "/can-i-deploy?pacticipant={pacticipant}&version={version}&environment=production"
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

/// Foo 1 has a pact with Bar; production exists.
async fn setup() -> (Broker, String) {
    let broker = Broker::new();
    broker
        .publish(&pact("Foo", "Bar", "a"), "1", Some("main"), &[])
        .await;
    let env = broker.environment("production").await;
    (broker, env)
}

#[tokio::test]
async fn provider_not_in_the_environment_is_unknown_and_says_so() {
    let (broker, _) = setup().await;
    let answer = can_i_deploy(&broker, "Foo", "1").await;
    assert_eq!(answer["summary"]["deployable"], Value::Null);
    assert_eq!(answer["summary"]["unknown"], 1);
    let row = &answer["matrix"][0];
    assert_eq!(row["provider"]["version"], Value::Null);
    assert_eq!(row["verificationResult"], Value::Null);
    assert!(
        row["reason"]
            .as_str()
            .unwrap()
            .contains("no version of Bar is currently recorded as deployed/released"),
        "{row}"
    );
}

#[tokio::test]
async fn verified_deployed_provider_is_deployable_and_failure_is_not() {
    let (broker, env) = setup().await;
    broker.verify("Bar", "Foo", "1", "10", true).await;
    broker.deploy("Bar", "10", &env, None).await;
    let answer = can_i_deploy(&broker, "Foo", "1").await;
    assert_eq!(answer["summary"]["deployable"], true, "{answer}");
    assert_eq!(
        answer["summary"]["reason"],
        "All required verification results are published and successful"
    );
    assert_eq!(answer["matrix"][0]["verificationResult"]["success"], true);

    broker.verify("Bar", "Foo", "1", "10", false).await;
    let answer = can_i_deploy(&broker, "Foo", "1").await;
    assert_eq!(answer["summary"]["deployable"], false);
    assert_eq!(answer["summary"]["failed"], 1);
    assert!(answer["summary"]["reason"]
        .as_str()
        .unwrap()
        .contains("failed"));
}

#[tokio::test]
async fn every_co_resident_provider_version_must_be_verified() {
    let (broker, env) = setup().await;
    broker.verify("Bar", "Foo", "1", "10", true).await;
    broker.put("/pacticipants/Bar/versions/9", json!({})).await;
    broker.deploy("Bar", "10", &env, Some("new")).await;
    broker.deploy("Bar", "9", &env, Some("old")).await;
    let answer = can_i_deploy(&broker, "Foo", "1").await;
    assert_eq!(answer["summary"]["deployable"], Value::Null, "{answer}");
    assert_eq!(
        (
            answer["summary"]["success"].as_u64(),
            answer["summary"]["unknown"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let unknown = answer["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "unknown")
        .unwrap();
    assert!(
        unknown["reason"]
            .as_str()
            .unwrap()
            .contains("verified only by other versions of Bar (10)"),
        "{unknown}"
    );
}

#[tokio::test]
async fn a_provider_version_created_by_tagging_is_not_evidence() {
    let (broker, env) = setup().await;
    broker
        .put("/pacticipants/Bar/versions/11/tags/prod", json!({}))
        .await;
    broker.deploy("Bar", "11", &env, None).await;
    let answer = can_i_deploy(&broker, "Foo", "1").await;
    assert_eq!(answer["summary"]["deployable"], Value::Null);
    assert!(answer["matrix"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("Bar has never verified this pact"));
}

#[tokio::test]
async fn a_provider_is_checked_against_consumers_in_the_environment_only() {
    let (broker, env) = setup().await;
    broker.verify("Bar", "Foo", "1", "10", false).await;
    // Foo is not in production: Bar 10 may go.
    assert_eq!(
        can_i_deploy(&broker, "Bar", "10").await["summary"]["deployable"],
        true
    );
    broker.deploy("Foo", "1", &env, None).await;
    assert_eq!(
        can_i_deploy(&broker, "Bar", "10").await["summary"]["deployable"],
        false
    );
    let ignored = broker
        .get("/can-i-deploy?pacticipant=Bar&version=10&environment=production&ignore[]=Foo")
        .await
        .body;
    assert_eq!(ignored["summary"]["deployable"], true);
    assert_eq!(ignored["summary"]["ignored"], 1);
}

#[tokio::test]
async fn a_missing_version_is_not_deployable() {
    let (broker, _) = setup().await;
    let answer = can_i_deploy(&broker, "Foo", "404").await;
    assert_eq!(answer["summary"]["deployable"], false);
    assert_eq!(
        answer["summary"]["reason"],
        "No version with number 404 exists for Foo"
    );
}

#[tokio::test]
async fn the_matrix_parses_rack_queries_and_never_truncates() {
    let broker = Broker::new();
    let env = broker.environment("production").await;
    for i in 0..120 {
        let consumer = format!("C{i:03}");
        broker
            .publish(&pact(&consumer, "Bar", "a"), "1", None, &[])
            .await;
        broker.deploy(&consumer, "1", &env, None).await;
        broker.verify("Bar", &consumer, "1", "10", true).await;
    }
    let reply = broker.get("/matrix?q[][pacticipant]=Bar&q[][version]=10&latestby=cvpv&environment=production&limit=100").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["matrix"].as_array().unwrap().len(), 120);
    assert_eq!(reply.body["summary"]["deployable"], true);
    assert_eq!(reply.body["summary"]["success"], 120);
    // Encoded brackets and two explicit selectors.
    let reply = broker.get("/matrix?q%5B%5D%5Bpacticipant%5D=C000&q%5B%5D%5Bversion%5D=1&q[][pacticipant]=Bar&q[][version]=10&latestby=cvpv").await;
    assert_eq!(
        reply.body["matrix"].as_array().unwrap().len(),
        1,
        "{}",
        reply.body
    );
    assert_eq!(reply.body["summary"]["deployable"], true);
    let reply = broker.get("/matrix?latestby=cvp").await;
    assert_eq!(
        (reply.status, reply.body["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("q"))
    );
}
