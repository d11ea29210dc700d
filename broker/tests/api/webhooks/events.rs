//! Which events a publication or a verification result raises, and for
//! which consumer version.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::{broker_with_worker, broker_without_worker, create, fast, hook, path, Receiver};
use crate::{pact, Broker};

/// The event names of a listing, oldest first.
fn events(items: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = items
        .iter()
        .map(|d| d["eventName"].as_str().unwrap().to_owned())
        .collect();
    names.reverse();
    names
}

async fn triggered(broker: &Broker, version: &str) -> Vec<String> {
    let reply = broker
        .get(&format!(
            "/pacts/provider/Bar/consumer/Foo/version/{version}/triggered-webhooks"
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    events(
        reply.body["_embedded"]["triggeredWebhooks"]
            .as_array()
            .unwrap(),
    )
}

#[tokio::test]
async fn a_verification_of_shared_content_fires_once_for_the_verified_consumer_version() {
    let receiver = Receiver::start(0).await;
    let broker = broker_with_worker(fast());
    let uuid = create(
        &broker,
        hook(
            &receiver.url,
            &[
                "provider_verification_published",
                "provider_verification_succeeded",
            ],
        ),
    )
    .await;
    // One content, published by three consumer versions.
    for version in ["1.0.0", "1.0.1", "1.0.2"] {
        let reply = broker
            .publish(&pact("Foo", "Bar", "a"), version, None, &[])
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    // The verifier fetched the pact of 1.0.1 and published through its link.
    let result = broker.verify("Bar", "Foo", "1.0.1", "9.0.0", true).await;
    assert_eq!(result.status, StatusCode::CREATED, "{}", result.body);
    // Deliveries are queued before the result is acknowledged.
    let all = broker.get(&format!("/webhooks/{uuid}/deliveries")).await;
    assert_eq!(
        events(all.body["_embedded"]["deliveries"].as_array().unwrap()),
        [
            "provider_verification_published",
            "provider_verification_succeeded"
        ]
    );
    receiver
        .wait_for("both deliveries", |r| r.got.lock().unwrap().len() == 2)
        .await;
    for got in receiver.got.lock().unwrap().iter() {
        let body: Value = serde_json::from_str(&got.body).unwrap();
        assert_eq!(body["version"], "1.0.1", "{body}");
        assert_eq!(body["status"], "success");
    }
    assert_eq!(triggered(&broker, "1.0.1").await.len(), 2);
    assert!(triggered(&broker, "1.0.0").await.is_empty());
    assert!(triggered(&broker, "1.0.2").await.is_empty());

    // The result's own list holds the same two.
    let own = broker
        .get(&path(
            &result.body["_links"]["pb:triggered-webhooks"]["href"],
        ))
        .await;
    assert_eq!(
        own.body["_embedded"]["triggeredWebhooks"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "{}",
        own.body
    );
}

#[tokio::test]
async fn a_result_without_selection_metadata_is_for_the_newest_publication() {
    let broker = broker_without_worker();
    create(
        &broker,
        hook("http://ci.test", &["provider_verification_failed"]),
    )
    .await;
    for version in ["1.0.0", "1.0.1"] {
        broker
            .publish(&pact("Foo", "Bar", "a"), version, None, &[])
            .await;
    }
    let pact = broker
        .get("/pacts/provider/Bar/consumer/Foo/version/1.0.0")
        .await;
    let plain = format!(
        "{}/verification-results",
        path(&pact.body["_links"]["pb:pact-version"]["href"])
    );
    let reply = broker
        .post(
            &plain,
            json!({"providerApplicationVersion": "9.0.0", "success": false}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        triggered(&broker, "1.0.1").await,
        ["provider_verification_failed"]
    );
    assert!(triggered(&broker, "1.0.0").await.is_empty());
}

#[tokio::test]
async fn content_changed_fires_only_when_content_differs_from_the_previous_version() {
    let broker = broker_without_worker();
    create(
        &broker,
        hook(
            "http://ci.test",
            &["contract_published", "contract_content_changed"],
        ),
    )
    .await;
    let both = ["contract_published", "contract_content_changed"];
    let publish = |version: &'static str, variant: &'static str, tags: &'static [&'static str]| {
        let broker = &broker;
        async move {
            let reply = broker
                .publish(&pact("Foo", "Bar", variant), version, None, tags)
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        }
    };
    publish("1.0.0", "a", &[]).await;
    assert_eq!(
        triggered(&broker, "1.0.0").await,
        both,
        "a first publication changed"
    );
    publish("1.0.1", "a", &[]).await;
    assert_eq!(
        triggered(&broker, "1.0.1").await,
        ["contract_published"],
        "same content"
    );
    publish("1.0.2", "b", &[]).await;
    assert_eq!(triggered(&broker, "1.0.2").await, both, "new content");
    publish("1.0.3", "a", &[]).await;
    assert_eq!(
        triggered(&broker, "1.0.3").await,
        both,
        "differs from 1.0.2"
    );
    // Re-publishing a version with the same content: published, unchanged.
    publish("1.0.3", "a", &[]).await;
    assert_eq!(
        triggered(&broker, "1.0.3").await,
        [
            "contract_published",
            "contract_content_changed",
            "contract_published"
        ]
    );
    // Another consumer's content is never compared with Foo's.
    let other = broker
        .publish(&pact("Web", "Bar", "z"), "1.0.0", None, &[])
        .await;
    assert_eq!(other.status, StatusCode::OK);
    publish("1.0.4", "a", &[]).await;
    assert_eq!(triggered(&broker, "1.0.4").await, ["contract_published"]);
    // Tagged: compared with the previous version carrying the tag; the
    // first publication with a tag counts as changed (as in Pact).
    publish("1.0.5", "a", &["feat-x"]).await;
    assert_eq!(triggered(&broker, "1.0.5").await, both);
    publish("1.0.6", "a", &["feat-x"]).await;
    assert_eq!(triggered(&broker, "1.0.6").await, ["contract_published"]);
}

#[tokio::test]
async fn a_result_through_pacts_for_verification_is_for_the_selected_version() {
    let broker = broker_without_worker();
    create(
        &broker,
        hook("http://ci.test", &["provider_verification_published"]),
    )
    .await;
    // The same content on main (1.0.0) and, later, on a feature branch.
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", Some("main"), &[])
        .await;
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.1", Some("feat"), &[])
        .await;
    let selected = broker
        .post(
            "/pacts/provider/Bar/for-verification",
            json!({"consumerVersionSelectors": [{"branch": "main"}]}),
        )
        .await;
    assert_eq!(selected.status, StatusCode::OK, "{}", selected.body);
    let entries = selected.body["_embedded"]["pacts"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{}", selected.body);
    let url = path(&entries[0]["_links"]["self"]["href"]);
    let reply = broker
        .post(
            &format!("{url}/verification-results"),
            json!({"providerApplicationVersion": "9.0.0", "success": true}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        triggered(&broker, "1.0.0").await,
        ["provider_verification_published"]
    );
    assert!(triggered(&broker, "1.0.1").await.is_empty());
}
