//! Webhooks: CRUD with secrets redacted, delivery to a real receiver on
//! 127.0.0.1:0, retries, the dead-letter list, and a queue that survives
//! a restart. Submodules: which events fire, executions and their logs,
//! the target allow-list, and labels.

mod allow_list;
mod events;
mod executions;
mod labels;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use tokio::sync::Notify;
use treaty_broker::store::sqlite::SqliteStore;
use treaty_broker::{spawn_webhook_worker, AllowList, AppState, WebhookSettings};

use crate::{pact, Broker};

/// A request the receiver got.
#[derive(Debug, Clone)]
pub(super) struct Received {
    pub(super) path: String,
    pub(super) headers: HeaderMap,
    pub(super) body: String,
}

/// An HTTP receiver on a free port that fails its first `failures`
/// requests with 500.
pub(super) struct Receiver {
    pub(super) url: String,
    pub(super) got: Arc<Mutex<Vec<Received>>>,
    pub(super) hits: Arc<AtomicUsize>,
    notify: Arc<Notify>,
}

impl Receiver {
    pub(super) async fn start(failures: usize) -> Receiver {
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
    pub(super) async fn wait_for(&self, what: &str, check: impl Fn(&Receiver) -> bool) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !check(self) {
            let notified = self.notify.notified();
            if tokio::time::timeout_at(deadline, notified).await.is_err() && !check(self) {
                panic!("timed out waiting for {what}");
            }
        }
    }
}

/// Targets the tests use: http (the receivers are local), POST, any host.
pub(super) fn local_targets() -> AllowList {
    AllowList::new(&["http"], &["POST"], &[]).unwrap()
}

/// Quick retries, local targets.
pub(super) fn fast() -> WebhookSettings {
    WebhookSettings {
        backoff: vec![Duration::from_millis(20); 3],
        timeout: Duration::from_secs(5),
        allow: local_targets(),
    }
}

pub(super) fn hook(url: &str, events: &[&str]) -> Value {
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
pub(super) fn broker_with_worker(settings: WebhookSettings) -> Broker {
    Broker::with_state(|state| {
        let state = state.with_webhook_settings(settings);
        spawn_webhook_worker(state.clone());
        state
    })
}

/// A broker whose webhooks are never sent (deliveries stay queued).
pub(super) fn broker_without_worker() -> Broker {
    Broker::with_state(|state| state.with_webhook_settings(fast()))
}

/// Creates a webhook; returns its uuid.
pub(super) async fn create(broker: &Broker, definition: Value) -> String {
    let reply = broker.post("/webhooks", definition).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["uuid"].as_str().unwrap().to_owned()
}

/// The path (and query) of an absolute link in the broker's answers,
/// whatever host the links were built for.
pub(super) fn path(href: &Value) -> String {
    let href = href.as_str().unwrap_or_else(|| panic!("no href: {href}"));
    let (_, rest) = href
        .split_once("://")
        .unwrap_or_else(|| panic!("not an absolute link: {href}"));
    rest.find('/')
        .map_or_else(|| "/".to_owned(), |at| rest[at..].to_owned())
}

/// Polls a listing (up to 10 s) until `check` holds for its items under
/// `key`: the receiver answers before the worker records the attempt.
pub(super) async fn poll(
    broker: &Broker,
    uri: &str,
    key: &str,
    check: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    for _ in 0..1000 {
        let reply = broker.get(uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let items = reply.body["_embedded"][key]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if check(&items) {
            return items;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{uri} never reached the expected state");
}

#[tokio::test]
async fn webhooks_are_created_read_and_never_echo_secrets() {
    let broker = broker_without_worker();
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
    // Listed for its integration only, without secrets.
    let for_pair = broker.get("/webhooks/provider/Bar/consumer/Foo").await;
    assert_eq!(for_pair.status, StatusCode::OK);
    let listed = for_pair.body["_embedded"]["webhooks"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["uuid"], pair.body["uuid"]);
    assert!(!for_pair.body.to_string().contains("hook-password"));
    let other = broker.get("/webhooks/provider/Foo/consumer/Bar").await;
    assert_eq!(other.body["_embedded"]["webhooks"], json!([]));

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
    let deliveries = path(
        &broker.get("/webhooks").await.body["_embedded"]["webhooks"][0]["_links"]["pb:deliveries"]
            ["href"],
    );
    let list = poll(&broker, &deliveries, "deliveries", |all| {
        all.len() == 3 && all.iter().all(|d| d["status"] == "success")
    })
    .await;
    let events: Vec<&str> = list
        .iter()
        .map(|d| d["eventName"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "contract_published",
            "contract_content_changed",
            "contract_published"
        ]
    );
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
    let dead = poll(&broker, "/webhooks/dead-letters", "deliveries", |d| {
        !d.is_empty()
    })
    .await;
    let dead = &dead[0];
    assert_eq!(dead["status"], "failure", "{dead}");
    assert_eq!(dead["attemptsMade"], 4);
    assert_eq!(dead["attemptsRemaining"], 0);
    let logs = dead["logs"].as_array().unwrap();
    assert_eq!(logs.len(), 4);
    assert!(logs
        .iter()
        .all(|l| l["status"] == 500 && l["success"] == false));
    assert!(!dead.to_string().contains("hook-password"));
    let own = broker.get(&path(&dead["_links"]["pb:logs"]["href"])).await;
    assert_eq!(own.body["logs"], dead["logs"]);
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
        let broker =
            Broker::from_state(AppState::new(Arc::new(store)).with_webhook_settings(fast()));
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
