//! Executions through the API: status, attempts and redacted logs per
//! delivery, per webhook, per pact and per verification result; and the
//! test execution endpoint.

use std::sync::atomic::Ordering;

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::{broker_with_worker, broker_without_worker, create, fast, hook, path, poll, Receiver};
use crate::pact;

/// A webhook whose URL carries a token in its query.
fn tokened(url: &str, events: &[&str]) -> Value {
    let mut definition = hook(url, events);
    definition["request"]["url"] = json!(format!(
        "{url}/build/${{pactbroker.consumerName}}?token=url-secret"
    ));
    definition
}

#[tokio::test]
async fn triggered_webhooks_show_status_attempts_and_redacted_logs() {
    // Fails once, then succeeds.
    let receiver = Receiver::start(1).await;
    let broker = broker_with_worker(fast());
    let uuid = create(
        &broker,
        tokened(
            &receiver.url,
            &["contract_published", "provider_verification_published"],
        ),
    )
    .await;
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", None, &[])
        .await;
    let resource = broker
        .get("/pacts/provider/Bar/consumer/Foo/version/1.0.0")
        .await;
    let triggered = path(&resource.body["_links"]["pb:triggered-webhooks"]["href"]);
    assert_eq!(
        triggered,
        "/pacts/provider/Bar/consumer/Foo/version/1.0.0/triggered-webhooks"
    );
    let items = poll(&broker, &triggered, "triggeredWebhooks", |items| {
        items.len() == 1 && items[0]["status"] == "success"
    })
    .await;
    let item = &items[0];
    assert_eq!(item["eventName"], "contract_published");
    assert_eq!(item["webhookUuid"], uuid.as_str());
    assert_eq!(item["attemptsMade"], 2);
    assert_eq!(item["attemptsRemaining"], 0);
    let logs = item["logs"].as_array().unwrap();
    assert_eq!(logs.len(), 2, "{item}");
    let line = format!("POST {}/build/Foo?token=*", receiver.url);
    assert_eq!(logs[0]["request"], line.as_str());
    assert_eq!(logs[0]["status"], 500);
    assert_eq!(logs[0]["success"], false);
    assert_eq!(logs[1]["status"], 200);
    assert_eq!(logs[1]["success"], true);
    assert_eq!(item["name"], line.as_str());
    let text = item.to_string();
    for secret in ["url-secret", "hook-password", "ci-secret"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    assert_eq!(
        path(&item["_links"]["pb:webhook"]["href"]),
        format!("/webhooks/{uuid}")
    );
    let own = broker.get(&path(&item["_links"]["pb:logs"]["href"])).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body["logs"], item["logs"]);

    // The webhook links to its executions and to the dead letters.
    let webhook = broker.get(&format!("/webhooks/{uuid}")).await;
    let links = &webhook.body["_links"];
    assert_eq!(
        path(&links["pb:dead-letters"]["href"]),
        "/webhooks/dead-letters"
    );
    let mine = broker.get(&path(&links["pb:deliveries"]["href"])).await;
    assert_eq!(
        mine.body["_embedded"]["deliveries"][0]["uuid"],
        item["uuid"]
    );
    assert_eq!(mine.body["summary"]["successful"], 1);

    // A verification result lists what it triggered; the pact lists both.
    let result = broker.verify("Bar", "Foo", "1.0.0", "9.0.0", true).await;
    let of_result = path(&result.body["_links"]["pb:triggered-webhooks"]["href"]);
    let items = poll(&broker, &of_result, "triggeredWebhooks", |items| {
        items.len() == 1 && items[0]["status"] == "success"
    })
    .await;
    assert_eq!(items[0]["eventName"], "provider_verification_published");
    let all = broker.get(&triggered).await;
    assert_eq!(
        all.body["_embedded"]["triggeredWebhooks"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The integration's status shows its latest pact's executions.
    broker
        .publish(&pact("Foo", "Bar", "b"), "1.0.1", None, &[])
        .await;
    let status = path(&resource.body["_links"]["pb:webhook-status"]["href"]);
    assert_eq!(status, "/pacts/provider/Bar/consumer/Foo/webhooks/status");
    let latest = poll(&broker, &status, "triggeredWebhooks", |items| {
        items.len() == 1 && items[0]["status"] == "success"
    })
    .await;
    assert_eq!(latest[0]["eventName"], "contract_published");
    let reply = broker.get(&status).await;
    assert_eq!(reply.body["summary"]["successful"], 1, "{}", reply.body);
    assert_eq!(
        path(&reply.body["_links"]["pb:pact-version"]["href"]),
        "/pacts/provider/Bar/consumer/Foo/version/1.0.1"
    );
}

#[tokio::test]
async fn queued_executions_are_not_run_yet() {
    let broker = broker_without_worker();
    create(&broker, hook("http://ci.test", &["contract_published"])).await;
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", None, &[])
        .await;
    let reply = broker
        .get("/pacts/provider/Bar/consumer/Foo/version/1.0.0/triggered-webhooks")
        .await;
    let item = &reply.body["_embedded"]["triggeredWebhooks"][0];
    assert_eq!(item["status"], "not_run", "{}", reply.body);
    assert_eq!(item["attemptsMade"], 0);
    // fast(): one attempt plus three retries.
    assert_eq!(item["attemptsRemaining"], 4);
    assert!(item["nextAttemptAt"].is_string());
    assert_eq!(reply.body["summary"]["notRun"], 1);
    let missing = broker
        .get("/pacts/provider/Bar/consumer/Foo/version/9.9.9/triggered-webhooks")
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let missing = broker.get("/triggered-webhooks/nope/logs").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body["message"].is_string());
}

#[tokio::test]
async fn execute_sends_once_with_the_latest_pact_and_returns_the_log() {
    let receiver = Receiver::start(0).await;
    // No worker: only the test execution reaches the receiver.
    let broker = broker_without_worker();
    let uuid = create(&broker, tokened(&receiver.url, &["contract_published"])).await;
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", None, &[])
        .await;
    broker
        .publish(&pact("Foo", "Bar", "b"), "1.0.1", None, &[])
        .await;
    let reply = broker
        .post(&format!("/webhooks/{uuid}/execute"), json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["success"], true);
    assert_eq!(reply.body["logs"][0]["status"], 200);
    assert!(!reply.body.to_string().contains("hook-password"));
    assert!(!reply.body.to_string().contains("url-secret"));
    assert_eq!(receiver.hits.load(Ordering::SeqCst), 1);
    let got = receiver.got.lock().unwrap()[0].clone();
    let body: Value = serde_json::from_str(&got.body).unwrap();
    assert_eq!(body["version"], "1.0.1");
    assert_eq!(got.path, "/build/Foo");

    // A receiver that is down: the answer says why.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let down = create(&broker, hook(&closed, &["contract_published"])).await;
    let reply = broker
        .post(&format!("/webhooks/{down}/execute"), json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["success"], false);
    assert!(reply.body["logs"][0]["error"].is_string(), "{}", reply.body);
    let missing = broker.post("/webhooks/nope/execute", json!({})).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    // An unsaved definition: validated like a new one, then sent once.
    let reply = broker
        .post(
            "/webhooks/execute",
            hook(&receiver.url, &["contract_published"]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["success"], true);
    assert_eq!(receiver.hits.load(Ordering::SeqCst), 2);
    let reply = broker
        .post(
            "/webhooks/execute",
            json!({"events": [{"name": "contract_published"}]}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["field"], "request");
    assert_eq!(receiver.hits.load(Ordering::SeqCst), 2);
}
