//! Retention cleanup: keeps main-branch heads, newest, deployed and
//! released versions and everything recent; deletes the rest, with the
//! contents and branches left over; decisions still hold afterwards.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use treaty_broker::retention::run_once;
use treaty_broker::store::sqlite::SqliteStore;
use treaty_broker::AppState;

use crate::{pact, Broker};

async fn numbers(broker: &Broker, pacticipant: &str) -> Vec<String> {
    let list = broker
        .get(&format!("/pacticipants/{pacticipant}/versions"))
        .await
        .body;
    list["_embedded"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_str().unwrap().to_owned())
        .collect()
}

/// Foo (main branch `main`): 1.0.0 on `old`, deployed and released;
/// 1.0.1 on `feat`; 1.0.2 and 1.0.3 on `main`. Bar: 2.0.0 and 2.0.1
/// (deployed), each verifying what was there.
async fn seeded() -> (Broker, AppState) {
    let state = AppState::new(Arc::new(SqliteStore::in_memory().unwrap()));
    let broker = Broker::from_state(state.clone());
    broker
        .call(
            Method::PATCH,
            "/pacticipants/Foo",
            Some(json!({"mainBranch": "main"})),
        )
        .await;
    for (version, branch, variant) in [
        ("1.0.0", "old", "a"),
        ("1.0.1", "feat", "b"),
        ("1.0.2", "main", "c"),
        ("1.0.3", "main", "d"),
    ] {
        let reply = broker
            .publish(&pact("Foo", "Bar", variant), version, Some(branch), &[])
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let prod = broker.environment("production").await;
    broker.verify("Bar", "Foo", "1.0.0", "2.0.0", true).await;
    for v in ["1.0.0", "1.0.3"] {
        broker.verify("Bar", "Foo", v, "2.0.1", true).await;
    }
    broker.deploy("Bar", "2.0.1", &prod, None).await;
    broker.deploy("Foo", "1.0.0", &prod, None).await;
    let release = format!("/pacticipants/Foo/versions/1.0.0/released-versions/environment/{prod}");
    assert_eq!(
        broker.post(&release, json!({})).await.status,
        StatusCode::CREATED
    );
    (broker, state)
}

async fn can_i_deploy(broker: &Broker, version: &str) -> Value {
    let uri = format!("/can-i-deploy?pacticipant=Foo&version={version}&environment=production");
    broker.get(&uri).await.body["summary"]["deployable"].clone()
}

#[tokio::test]
async fn cleanup_keeps_heads_deployments_and_newest_and_deletes_the_rest() {
    let (broker, state) = seeded().await;
    assert_eq!(can_i_deploy(&broker, "1.0.3").await, true);
    let report = run_once(&state, Duration::ZERO).await.unwrap();
    assert_eq!(numbers(&broker, "Foo").await, ["1.0.3", "1.0.0"]);
    assert_eq!(numbers(&broker, "Bar").await, ["2.0.1"]);
    assert_eq!(report.versions, 3, "{report:?}");
    assert_eq!(report.contents, 2, "{report:?}");
    assert_eq!(report.branches, 1, "{report:?}");
    assert_eq!(
        broker.get("/pacticipants/Foo/branches/feat").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        broker
            .get("/pacts/provider/Bar/consumer/Foo/version/1.0.1")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Decisions over what was kept are unchanged.
    assert_eq!(can_i_deploy(&broker, "1.0.3").await, true);
    assert_eq!(can_i_deploy(&broker, "1.0.0").await, true);
    // A second run finds nothing more.
    let again = run_once(&state, Duration::ZERO).await.unwrap();
    assert_eq!(again, Default::default());
}

#[tokio::test]
async fn recent_versions_are_all_kept() {
    let (broker, state) = seeded().await;
    let report = run_once(&state, Duration::from_secs(3600)).await.unwrap();
    assert_eq!(report, Default::default());
    assert_eq!(numbers(&broker, "Foo").await.len(), 4);
}
