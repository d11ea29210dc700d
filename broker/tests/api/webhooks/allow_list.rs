//! The target allow-list: checked on create and update with an answer
//! naming the field and the rule, and again before every attempt.

use std::sync::atomic::Ordering;

use axum::http::StatusCode;
use serde_json::json;
use treaty_broker::{spawn_webhook_worker, AllowList, WebhookSettings};

use super::{broker_with_worker, create, fast, hook, poll, Receiver};
use crate::{pact, Broker};

fn only(schemes: &[&str], methods: &[&str], hosts: &[&str]) -> WebhookSettings {
    WebhookSettings {
        allow: AllowList::new(schemes, methods, hosts).unwrap(),
        ..fast()
    }
}

#[tokio::test]
async fn the_default_allows_only_https_and_post() {
    let broker = Broker::new();
    let reply = broker
        .post("/webhooks", hook("http://ci.test", &["contract_published"]))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert_eq!(reply.body["field"], "request.url");
    let message = reply.body["message"].as_str().unwrap();
    assert!(
        message.contains("scheme http is not allowed")
            && message.contains("allowed: https")
            && message.contains("--webhook-scheme-allow"),
        "{message}"
    );
    let mut put = hook("https://ci.test", &["contract_published"]);
    put["request"]["method"] = json!("PUT");
    let reply = broker.post("/webhooks", put).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["field"], "request.method");
    assert!(reply.body["message"]
        .as_str()
        .unwrap()
        .contains("method PUT is not allowed"));
    let reply = broker
        .post(
            "/webhooks",
            hook("https://ci.test", &["contract_published"]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

#[tokio::test]
async fn hosts_outside_the_list_are_refused_on_create_and_update() {
    let receiver = Receiver::start(0).await;
    let broker = broker_with_worker(only(&["http"], &["POST"], &["127.0.0.1", "*.ci.test"]));
    let reply = broker
        .post(
            "/webhooks",
            hook("http://evil.test", &["contract_published"]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["field"], "request.url");
    assert_eq!(
        reply.body["errors"]["request.url"][0],
        "host evil.test is not allowed for webhooks; allowed: 127.0.0.1/32, *.ci.test \
         (treaty broker --webhook-host-allow)"
    );
    let uuid = create(&broker, hook(&receiver.url, &["contract_published"])).await;
    let reply = broker
        .put(
            &format!("/webhooks/{uuid}"),
            hook("http://localhost:1", &["contract_published"]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(reply.body["message"]
        .as_str()
        .unwrap()
        .contains("host localhost is not allowed"));
    let glob = broker
        .post(
            "/webhooks",
            hook("http://builds.ci.test", &["contract_published"]),
        )
        .await;
    assert_eq!(glob.status, StatusCode::CREATED, "{}", glob.body);

    // The allowed one is delivered.
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", None, &[])
        .await;
    receiver
        .wait_for("the allowed delivery", |r| r.got.lock().unwrap().len() == 1)
        .await;
}

#[tokio::test]
async fn targets_are_checked_again_before_sending() {
    let receiver = Receiver::start(0).await;
    // The API accepts the webhook; the worker's (stricter) list refuses it.
    let broker = Broker::with_state(|state| {
        let strict = state
            .clone()
            .with_webhook_settings(only(&["https"], &["POST"], &[]));
        spawn_webhook_worker(strict);
        state.with_webhook_settings(fast())
    });
    create(&broker, hook(&receiver.url, &["contract_published"])).await;
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", None, &[])
        .await;
    let dead = poll(&broker, "/webhooks/dead-letters", "deliveries", |d| {
        !d.is_empty()
    })
    .await;
    // Refused targets are not retried.
    assert_eq!(dead[0]["attemptsMade"], 1, "{}", dead[0]);
    let error = dead[0]["logs"][0]["error"].as_str().unwrap();
    assert!(
        error.contains("refused by the allow-list") && error.contains("scheme http"),
        "{error}"
    );
    assert_eq!(receiver.hits.load(Ordering::SeqCst), 0);
}
