//! Webhooks: CRUD with secrets redacted, delivery to a real receiver on
//! 127.0.0.1:0, retries, the dead-letter list, and a queue that survives
//! a restart.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use tokio::sync::Notify;
use treaty_broker::store::sqlite::SqliteStore;
use treaty_broker::{spawn_webhook_worker, AppState, WebhookSettings};

use crate::{pact, Broker};

/// A request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: HeaderMap,
    body: String,
}

/// An HTTP receiver on a free port that fails its first `failures`
/// requests with 500.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    hits: Arc<AtomicUsize>,
    notify: Arc<Notify>,
}

impl Receiver {
    async fn start(failures: usize) -> Receiver {
        let got = Arc::new(Mutex::new(Vec::new()));
        let hits = Arc::new(AtomicUsize::new(0));
        let notify = Arc::new(Notify::new());
        let (g, h, n) = (got.clone(), hits.clone(), notify.clone());
        let handler = move |uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
            let (g, h, n) = (g.clone(), h.clone(), n.clone());
            async move {
                let hit = h.fetch_add(1, Ordering::SeqCst);
                let status = if hit < failures {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    g.lock().unwrap().push(Received {
                        path: uri.path().to_owned(),
                        headers,
                        body: String::from_utf8_lossy(&body).into_owned(),
                    });
                    StatusCode::OK
                };
                n.notify_waiters();
                status
            }
        };
        let router = axum::Router::new().fallback(handler);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Receiver {
            url,
            got,
            hits,
            notify,
        }
    }

    /// Waits (up to 10 s) until `check` holds, re-checking on every hit.
    async fn wait_for(&self, what: &str, check: impl Fn(&Receiver) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !check(self) {
            let notified = self.notify.notified();
            if tokio::time::timeout_at(deadline, notified).await.is_err() && !check(self) {
                panic!("timed out waiting for {what}");
            }
        }
    }
}

fn fast() -> WebhookSettings {
    WebhookSettings {
        backoff: vec![Duration::from_millis(20); 3],
        timeout: Duration::from_secs(5),
    }
}

fn hook(url: &str, events: &[&str]) -> Value {
    json!({
        "description": "notify CI",
        "consumer": {"name": "Foo"},
        "events": events.iter().map(|e| json!({"name": e})).collect::<Vec<_>>(),
        "request": {
            "method": "POST",
            "url": format!("{url}/build/${{pactbroker.consumerName}}"),
            "headers": {"Content-Type": "application/json", "Authorization": "Bearer ci-secret"},
            "body": {"pact": "${pactbroker.pactUrl}", "version": "${pactbroker.consumerVersionNumber}",
                     "provider": "${pactbroker.providerName}", "status": "${pactbroker.githubVerificationStatus}"},
            "username": "hook-user",
            "password": "hook-password",
        },
    })
}

/// A broker over a fresh store with its webhook worker running.
fn broker_with_worker(settings: WebhookSettings) -> Broker {
    let store = SqliteStore::in_memory().unwrap();
    let state = AppState::new(Arc::new(store)).with_webhook_settings(settings);
    spawn_webhook_worker(state.clone());
    Broker::from_state(state)
}

#[tokio::test]
async fn webhooks_are_created_read_and_never_echo_secrets() {
    let broker = Broker::new();
    let created = broker
        .post("/webhooks", hook("http://ci.test", &["contract_published"]))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let location = created.location.unwrap();
    let uuid = created.body["uuid"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("http://broker.test/webhooks/{uuid}"));
    for body in [
        &created.body,
        &broker.get(&format!("/webhooks/{uuid}")).await.body,
    ] {
        let text = body.to_string();
        assert!(
            !text.contains("hook-password") && !text.contains("ci-secret"),
            "{text}"
        );
        assert_eq!(body["request"]["username"], "hook-user");
        assert_eq!(
            body["request"]["headers"]["Content-Type"],
            "application/json"
        );
    }
    let list = broker.get("/webhooks").await;
    assert_eq!(
        list.body["_embedded"]["webhooks"].as_array().unwrap().len(),
        1
    );
    assert!(!list.body.to_string().contains("hook-password"));

    let pair = broker
        .post(
            "/webhooks/provider/Bar/consumer/Foo",
            hook("http://ci.test", &["provider_verification_failed"]),
        )
        .await;
    assert_eq!(pair.status, StatusCode::CREATED);
    assert_eq!(pair.body["provider"]["name"], "Bar");

    let put = broker
        .put(
            "/webhooks/my-hook",
            hook("http://ci.test", &["contract_content_changed"]),
        )
        .await;
    assert_eq!(put.status, StatusCode::CREATED);
    let put = broker
        .put(
            "/webhooks/my-hook",
            hook("http://other.test", &["contract_content_changed"]),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK);
    assert!(put.body["request"]["url"]
        .as_str()
        .unwrap()
        .starts_with("http://other.test"));

    let bad = broker
        .post(
            "/webhooks",
            json!({"events": [{"name": "nope"}], "request": {"url": "http://x"}}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.body["field"], "events[0].name");
    let deleted = broker
        .call(
            axum::http::Method::DELETE,
            &format!("/webhooks/{uuid}"),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        broker.get(&format!("/webhooks/{uuid}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn publication_delivers_a_rendered_request() {
    let receiver = Receiver::start(0).await;
    let broker = broker_with_worker(fast());
    broker
        .post(
            "/webhooks",
            hook(
                &receiver.url,
                &["contract_published", "contract_content_changed"],
            ),
        )
        .await;
    // Another consumer's publication does not match the webhook.
    broker
        .publish(&pact("Other", "Bar", "a"), "1.0.0", None, &[])
        .await;
    let reply = broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", Some("main"), &[])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    receiver
        .wait_for("two deliveries", |r| r.got.lock().unwrap().len() == 2)
        .await;
    let got = receiver.got.lock().unwrap().clone();
    assert_eq!(got[0].path, "/build/Foo");
    let body: Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["version"], "1.0.0");
    assert_eq!(body["provider"], "Bar");
    assert!(body["pact"]
        .as_str()
        .unwrap()
        .contains("/pacts/provider/Bar/consumer/Foo/pact-version/"));
    assert_eq!(got[0].headers["authorization"], "Bearer ci-secret");

    // Same content from a new version: published fires, changed does not.
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.1", Some("main"), &[])
        .await;
    receiver
        .wait_for("a third delivery", |r| r.got.lock().unwrap().len() == 3)
        .await;
    let deliveries = broker.get("/webhooks").await.body["_embedded"]["webhooks"][0]["_links"]
        ["pb:deliveries"]["href"]
        .as_str()
        .unwrap()
        .strip_prefix("http://broker.test")
        .unwrap()
        .to_owned();
    // The receiver answers before the worker records the attempt: poll.
    let mut list = Value::Null;
    for _ in 0..500 {
        list = broker.get(&deliveries).await.body["_embedded"]["deliveries"].clone();
        let all = list.as_array().unwrap();
        if all.len() == 3 && all.iter().all(|d| d["status"] == "succeeded") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let events: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "contract_published",
            "contract_content_changed",
            "contract_published"
        ]
    );
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["status"] == "succeeded"));
}

#[tokio::test]
async fn verification_results_fire_by_outcome() {
    let receiver = Receiver::start(0).await;
    let broker = broker_with_worker(fast());
    broker
        .post(
            "/webhooks",
            hook(&receiver.url, &["provider_verification_failed"]),
        )
        .await;
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", None, &[])
        .await;
    broker.verify("Bar", "Foo", "1.0.0", "2.0.0", true).await;
    broker.verify("Bar", "Foo", "1.0.0", "2.0.1", false).await;
    receiver
        .wait_for("the failure", |r| !r.got.lock().unwrap().is_empty())
        .await;
    let body: Value = serde_json::from_str(&receiver.got.lock().unwrap()[0].body).unwrap();
    assert_eq!(body["status"], "failure");
    assert_eq!(receiver.hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn failures_are_retried_then_dead_lettered() {
    // Fails twice, then succeeds on the third attempt.
    let flaky = Receiver::start(2).await;
    let broker = broker_with_worker(fast());
    broker
        .post("/webhooks", hook(&flaky.url, &["contract_published"]))
        .await;
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", None, &[])
        .await;
    flaky
        .wait_for("a delivery after retries", |r| {
            !r.got.lock().unwrap().is_empty()
        })
        .await;
    assert_eq!(flaky.hits.load(Ordering::SeqCst), 3);

    // Never succeeds: 1 attempt + 3 retries, then the dead-letter list.
    let broken = Receiver::start(usize::MAX).await;
    let broker = broker_with_worker(fast());
    broker
        .post("/webhooks", hook(&broken.url, &["contract_published"]))
        .await;
    broker
        .publish(&pact("Foo", "Bar", "a"), "1.0.0", None, &[])
        .await;
    broken
        .wait_for("four attempts", |r| r.hits.load(Ordering::SeqCst) >= 4)
        .await;
    let mut dead = Value::Null;
    for _ in 0..200 {
        dead = broker.get("/webhooks/dead-letters").await.body["_embedded"]["deliveries"].clone();
        if dead.as_array().is_some_and(|d| !d.is_empty()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(dead[0]["status"], "dead", "{dead}");
    assert_eq!(dead[0]["attempts"], 4);
    assert_eq!(dead[0]["logs"].as_array().unwrap().len(), 4);
    assert!(dead[0]["logs"][3].as_str().unwrap().contains("HTTP 500"));
    assert!(!dead.to_string().contains("hook-password"));
    assert_eq!(broken.hits.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn the_queue_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("broker.db");
    let receiver = Receiver::start(0).await;
    {
        // No worker: the delivery stays queued when the broker "stops".
        let store = SqliteStore::open(&db).unwrap();
        let broker = Broker::from_state(AppState::new(Arc::new(store)));
        broker
            .post("/webhooks", hook(&receiver.url, &["contract_published"]))
            .await;
        broker
            .publish(&pact("Foo", "Bar", "a"), "1.0.0", None, &[])
            .await;
    }
    assert_eq!(receiver.hits.load(Ordering::SeqCst), 0);
    let store = SqliteStore::open(&db).unwrap();
    spawn_webhook_worker(AppState::new(Arc::new(store)).with_webhook_settings(fast()));
    receiver
        .wait_for("the queued delivery", |r| r.got.lock().unwrap().len() == 1)
        .await;
}
