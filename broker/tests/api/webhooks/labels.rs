//! Pacticipant labels, and webhooks scoped to a label.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use super::{broker_without_worker, create, hook};
use crate::pact;

#[tokio::test]
async fn labels_are_added_read_listed_and_removed() {
    let broker = broker_without_worker();
    let missing = broker
        .put("/pacticipants/Foo/labels/mobile", json!({}))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", missing.body);
    for name in ["Foo", "Web"] {
        broker.post("/pacticipants", json!({"name": name})).await;
    }
    let added = broker
        .put("/pacticipants/Foo/labels/mobile", json!({}))
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert_eq!(added.body["name"], "mobile");
    let again = broker
        .put("/pacticipants/Foo/labels/mobile", json!({}))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    broker.put("/pacticipants/Web/labels/web", json!({})).await;
    assert_eq!(
        broker.get("/pacticipants/Foo/labels/mobile").await.status,
        StatusCode::OK
    );
    assert_eq!(
        broker.get("/pacticipants/Web/labels/mobile").await.status,
        StatusCode::NOT_FOUND
    );
    let labelled = broker.get("/pacticipants/label/mobile").await;
    let names: Vec<&Value> = labelled.body["_embedded"]["pacticipants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["name"])
        .collect();
    assert_eq!(names, [&json!("Foo")]);
    let foo = broker.get("/pacticipants/Foo").await;
    assert_eq!(foo.body["_embedded"]["labels"][0]["name"], "mobile");
    let all = broker.get("/labels").await;
    let labels: Vec<&Value> = all.body["_embedded"]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["name"])
        .collect();
    assert_eq!(labels, [&json!("mobile"), &json!("web")]);
    let removed = broker
        .call(Method::DELETE, "/pacticipants/Foo/labels/mobile", None)
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let removed = broker
        .call(Method::DELETE, "/pacticipants/Foo/labels/mobile", None)
        .await;
    assert_eq!(removed.status, StatusCode::NOT_FOUND);
    let labelled = broker.get("/pacticipants/label/mobile").await;
    assert_eq!(labelled.body["_embedded"]["pacticipants"], json!([]));
}

#[tokio::test]
async fn label_scoped_webhooks_fire_for_labelled_pacticipants_only() {
    let broker = broker_without_worker();
    let mut definition = hook("http://ci.test", &["contract_published"]);
    definition["consumer"] = json!({"label": "mobile"});
    definition["request"]["body"] = json!({"labels": "${pactbroker.consumerLabels}"});
    let uuid = create(&broker, definition).await;
    let stored = broker.get(&format!("/webhooks/{uuid}")).await;
    assert_eq!(stored.body["consumer"], json!({"label": "mobile"}));

    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", None, &[])
        .await;
    broker
        .publish(&pact("Web", "Bar", "a"), "1.0.0", None, &[])
        .await;
    for name in ["Foo", "App"] {
        broker.post("/pacticipants", json!({"name": name})).await;
        broker
            .put(&format!("/pacticipants/{name}/labels/mobile"), json!({}))
            .await;
    }
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.1", None, &[])
        .await;
    broker
        .publish(&pact("Web", "Bar", "a"), "1.0.1", None, &[])
        .await;
    broker
        .publish(&pact("App", "Bar", "a"), "1.0.0", None, &[])
        .await;
    let list = broker.get(&format!("/webhooks/{uuid}/deliveries")).await;
    let fired: Vec<String> = list.body["_embedded"]["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["request"]["url"].as_str().unwrap().to_owned())
        .collect();
    // Newest first: App 1.0.0 and Foo 1.0.1; nothing before the labels.
    assert_eq!(
        fired,
        ["http://ci.test/build/App", "http://ci.test/build/Foo"]
    );
    assert_eq!(
        list.body["_embedded"]["deliveries"][0]["request"]["body"]["labels"],
        "mobile"
    );
}

#[tokio::test]
async fn a_scope_takes_a_name_or_a_label() {
    let broker = broker_without_worker();
    let mut both = hook("http://ci.test", &["contract_published"]);
    both["provider"] = json!({"name": "Bar", "label": "core"});
    let reply = broker.post("/webhooks", both).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["field"], "provider");
    let mut blank = hook("http://ci.test", &["contract_published"]);
    blank["consumer"] = json!({"label": 7});
    let reply = broker.post("/webhooks", blank).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["field"], "consumer.label");
}
