//! Webhook events from the running binary, delivered to a local receiver:
//! contract_published, contract_content_changed (only when content
//! changes), contract_requiring_verification_published (once per main
//! head, deployed or released provider version that has not verified the
//! content), provider_verification_published/succeeded/failed; URL,
//! headers and body templated per event. Deliveries are queued in the
//! database before the triggering request is answered, and sent after it:
//! a target that never answers does not hold up the publication. A failed
//! delivery is retried with back-off, by a new process after SIGKILL, and
//! dead-lettered when `--webhook-retry-schedule` runs out.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, Uri};
use axum::routing::post;
use serde_json::{json, Value};
use treaty_tests::server::{Misbehaviour, TestServer};

use crate::wire::{path_of, publication, Call};
use crate::{pact, BrokerProcess};

type Seen = Arc<Mutex<Vec<(String, String, Value)>>>;

/// A receiver answering 200 and recording (path, X-Consumer, body).
fn receiver() -> (TestServer, Seen) {
    let seen: Seen = Arc::default();
    let record = Arc::clone(&seen);
    let app = axum::Router::new().route(
        "/hook/{event}",
        post(move |uri: Uri, headers: HeaderMap, body: Bytes| {
            let record = Arc::clone(&record);
            async move {
                let consumer = headers
                    .get("x-consumer")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
                record
                    .lock()
                    .unwrap()
                    .push((uri.path().to_owned(), consumer, body));
                "ok"
            }
        }),
    );
    (TestServer::serve(app), seen)
}

const EVENTS: [&str; 6] = [
    "contract_published",
    "contract_content_changed",
    "contract_requiring_verification_published",
    "provider_verification_published",
    "provider_verification_succeeded",
    "provider_verification_failed",
];

fn ok(base: &str, call: Call, what: &str) -> Value {
    let answer = call.expect(base);
    assert!(
        (200..300).contains(&answer.status),
        "{what}: {} {}",
        answer.status,
        answer.text
    );
    answer.json
}

/// (event, provider version) of every delivery the receiver got, sorted.
fn received(seen: &Seen) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|(path, consumer, body)| {
            let event = path.trim_start_matches("/hook/").to_owned();
            assert_eq!(body["event"], event.as_str(), "{body}");
            assert_eq!(consumer, "Foo");
            assert_eq!(body["consumer"], "Foo", "{body}");
            (event, body["pv"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    out.sort();
    out
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = items
        .iter()
        .map(|(e, v)| ((*e).to_owned(), (*v).to_owned()))
        .collect();
    out.sort();
    out
}

/// The number of deliveries the broker has queued for a webhook.
fn queued(base: &str, hook: &str) -> usize {
    let list = ok(
        base,
        Call::get(format!("/webhooks/{hook}/deliveries")),
        "deliveries",
    );
    list["_embedded"]["deliveries"]
        .as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .len()
}

fn wait_for(seen: &Seen, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while seen.lock().unwrap().len() < count {
        assert!(
            Instant::now() < deadline,
            "{count} deliveries expected, got {:?}",
            seen.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn each_event_is_delivered_templated_and_only_when_it_applies() {
    let (target, seen) = receiver();
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start_with(
        &dir.path().join("broker.db"),
        &["--webhook-scheme-allow", "http"],
    );
    let base = broker.url.as_str();

    // Bar: 5.0.0 heads main, 4.0.0 is deployed and 3.0.0 released.
    ok(
        base,
        Call::new("PUT", "/pacticipants/Bar/branches/main/versions/5.0.0").json(&json!({})),
        "provider main",
    );
    ok(
        base,
        Call::new("PATCH", "/pacticipants/Bar").json(&json!({"mainBranch": "main"})),
        "main branch",
    );
    let env = ok(
        base,
        Call::new("POST", "/environments").json(&json!({"name": "production", "production": true})),
        "environment",
    );
    let env = env["uuid"].as_str().unwrap();
    for (version, kind) in [("4.0.0", "deployed"), ("3.0.0", "released")] {
        ok(
            base,
            Call::new("PUT", format!("/pacticipants/Bar/versions/{version}")).json(&json!({})),
            "provider version",
        );
        ok(
            base,
            Call::new(
                "POST",
                format!("/pacticipants/Bar/versions/{version}/{kind}-versions/environment/{env}"),
            )
            .json(&json!({})),
            kind,
        );
    }
    let hook = ok(
        base,
        Call::new("POST", "/webhooks").json(&json!({
            "events": EVENTS.iter().map(|e| json!({"name": e})).collect::<Vec<_>>(),
            "request": {
                "method": "POST",
                "url": format!("{}/hook/${{pactbroker.eventName}}", target.url),
                "headers": {"X-Consumer": "${pactbroker.consumerName}"},
                "body": {
                    "event": "${pactbroker.eventName}",
                    "consumer": "${pactbroker.consumerName}",
                    "cv": "${pactbroker.consumerVersionNumber}",
                    "pv": "${pactbroker.providerVersionNumber}",
                },
            },
        })),
        "webhook",
    );
    let hook = hook["uuid"].as_str().unwrap().to_owned();
    let publish = |version: &str, variant: &str| {
        ok(
            base,
            Call::new("POST", "/contracts/publish").json(&publication(
                &pact("Foo", "Bar", variant),
                version,
                None,
                &[],
            )),
            "publish",
        )
    };
    let verify = |consumer_version: &str, provider_version: &str, success: bool| {
        let doc = ok(
            base,
            Call::get(format!(
                "/pacts/provider/Bar/consumer/Foo/version/{consumer_version}"
            )),
            "pact",
        );
        let results = path_of(&doc["_links"]["pb:publish-verification-results"]["href"]);
        ok(
            base,
            Call::new("POST", results)
                .json(&json!({"providerApplicationVersion": provider_version, "success": success})),
            "verification",
        );
    };

    // A first publication: published, changed, and required of every
    // provider version that should verify it.
    publish("1.0.0", "a");
    let mut expected = vec![
        ("contract_published", ""),
        ("contract_content_changed", ""),
        ("contract_requiring_verification_published", "5.0.0"),
        ("contract_requiring_verification_published", "4.0.0"),
        ("contract_requiring_verification_published", "3.0.0"),
    ];
    // Queued before the answer: the deliveries are already in the database.
    assert_eq!(queued(base, &hook), expected.len());
    // The same content again: not changed, still required.
    publish("1.0.1", "a");
    expected.extend([
        ("contract_published", ""),
        ("contract_requiring_verification_published", "5.0.0"),
        ("contract_requiring_verification_published", "4.0.0"),
        ("contract_requiring_verification_published", "3.0.0"),
    ]);
    assert_eq!(queued(base, &hook), expected.len());
    // The main head verifies it; the next publication of that content is
    // required of the other two only.
    verify("1.0.1", "5.0.0", true);
    expected.extend([
        ("provider_verification_published", "5.0.0"),
        ("provider_verification_succeeded", "5.0.0"),
    ]);
    publish("1.0.2", "a");
    expected.extend([
        ("contract_published", ""),
        ("contract_requiring_verification_published", "4.0.0"),
        ("contract_requiring_verification_published", "3.0.0"),
    ]);
    verify("1.0.2", "4.0.0", false);
    expected.extend([
        ("provider_verification_published", "4.0.0"),
        ("provider_verification_failed", "4.0.0"),
    ]);
    // Changed content is changed again.
    publish("1.1.0", "b");
    expected.extend([
        ("contract_published", ""),
        ("contract_content_changed", ""),
        ("contract_requiring_verification_published", "5.0.0"),
        ("contract_requiring_verification_published", "4.0.0"),
        ("contract_requiring_verification_published", "3.0.0"),
    ]);
    assert_eq!(queued(base, &hook), expected.len());
    wait_for(&seen, expected.len());
    let got = received(&seen);
    // Contract events carry the verifier of the content, if any: compare
    // provider versions only where the event fixes them.
    let normalise = |list: Vec<(String, String)>| -> Vec<(String, String)> {
        let mut list: Vec<(String, String)> = list
            .into_iter()
            .map(|(e, v)| {
                if e == "contract_published" || e == "contract_content_changed" {
                    (e, String::new())
                } else {
                    (e, v)
                }
            })
            .collect();
        list.sort();
        list
    };
    assert_eq!(normalise(got), normalise(pairs(&expected)));
}

#[test]
fn a_target_that_never_answers_does_not_hold_up_the_publication() {
    let hang = TestServer::misbehaving(Misbehaviour::Hang);
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start_with(
        &dir.path().join("broker.db"),
        &["--webhook-scheme-allow", "http"],
    );
    let base = broker.url.as_str();
    let hook = ok(
        base,
        Call::new("POST", "/webhooks").json(&json!({
            "events": [{"name": "contract_published"}],
            "request": {"method": "POST", "url": format!("{}/hook", hang.url)},
        })),
        "webhook",
    );
    let hook = hook["uuid"].as_str().unwrap().to_owned();
    for n in 0..5 {
        let started = Instant::now();
        ok(
            base,
            Call::new("POST", "/contracts/publish").json(&publication(
                &pact("Foo", "Bar", &format!("v{n}")),
                &format!("1.0.{n}"),
                None,
                &[],
            )),
            "publish",
        );
        // The attempt times out after 10 s; the answer comes long before.
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "publish {n} waited {:?} for the webhook",
            started.elapsed()
        );
    }
    assert_eq!(queued(base, &hook), 5);
}

/// A receiver that answers 500 to its first request and 200 afterwards;
/// counts requests.
fn flaky_receiver() -> (TestServer, Arc<Mutex<usize>>) {
    let hits = Arc::new(Mutex::new(0usize));
    let counter = Arc::clone(&hits);
    let app = axum::Router::new().route(
        "/hook",
        post(move || {
            let counter = Arc::clone(&counter);
            async move {
                let mut hits = counter.lock().unwrap();
                *hits += 1;
                if *hits == 1 {
                    (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "try again")
                } else {
                    (axum::http::StatusCode::OK, "ok")
                }
            }
        }),
    );
    (TestServer::serve(app), hits)
}

#[test]
fn a_failed_delivery_is_retried_after_a_sigkill_and_restart() {
    let (target, hits) = flaky_receiver();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("broker.db");
    let flags = [
        "--webhook-scheme-allow",
        "http",
        "--webhook-retry-schedule",
        "4s,4s",
    ];
    let broker = BrokerProcess::start_with(&db, &flags);
    let hook = ok(
        &broker.url,
        Call::new("POST", "/webhooks").json(&json!({
            "events": [{"name": "contract_published"}],
            "request": {"method": "POST", "url": format!("{}/hook", target.url)},
        })),
        "webhook",
    );
    let hook = hook["uuid"].as_str().unwrap().to_owned();
    ok(
        &broker.url,
        Call::new("POST", "/contracts/publish").json(&publication(
            &pact("Foo", "Bar", "a"),
            "1.0.0",
            None,
            &[],
        )),
        "publish",
    );
    // The first attempt fails; the broker dies before its retry (4 s).
    let deadline = Instant::now() + Duration::from_secs(10);
    let delivery = loop {
        let list = ok(
            &broker.url,
            Call::get(format!("/webhooks/{hook}/deliveries")),
            "deliveries",
        );
        let delivery = list["_embedded"]["deliveries"][0].clone();
        if delivery["status"] == "retrying" {
            break delivery;
        }
        assert!(Instant::now() < deadline, "no failed attempt: {list}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(delivery["attemptsMade"], 1, "{delivery}");
    assert!(delivery["nextAttemptAt"].is_string(), "{delivery}");
    broker.kill();
    assert_eq!(*hits.lock().unwrap(), 1, "retried before the kill");

    // A new process over the same database retries it and succeeds.
    let broker = BrokerProcess::start_with(&db, &flags);
    let deadline = Instant::now() + Duration::from_secs(20);
    let delivery = loop {
        let list = ok(
            &broker.url,
            Call::get(format!("/webhooks/{hook}/deliveries")),
            "deliveries",
        );
        let delivery = list["_embedded"]["deliveries"][0].clone();
        if delivery["status"] == "success" {
            break delivery;
        }
        assert!(
            Instant::now() < deadline,
            "not retried after restart: {list}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(delivery["attemptsMade"], 2, "{delivery}");
    assert_eq!(*hits.lock().unwrap(), 2);
    assert_eq!(
        delivery["logs"].as_array().map(Vec::len),
        Some(2),
        "{delivery}"
    );
}

#[test]
fn a_delivery_that_keeps_failing_is_dead_lettered_after_its_schedule() {
    let hits = Arc::new(Mutex::new(0usize));
    let counter = Arc::clone(&hits);
    let failing = TestServer::serve(axum::Router::new().route(
        "/hook",
        post(move || {
            let counter = Arc::clone(&counter);
            async move {
                *counter.lock().unwrap() += 1;
                (axum::http::StatusCode::SERVICE_UNAVAILABLE, "down")
            }
        }),
    ));
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start_with(
        &dir.path().join("broker.db"),
        &[
            "--webhook-scheme-allow",
            "http",
            "--webhook-retry-schedule",
            "100ms,200ms",
        ],
    );
    let base = broker.url.as_str();
    let hook = ok(
        base,
        Call::new("POST", "/webhooks").json(&json!({
            "events": [{"name": "contract_published"}],
            "request": {"method": "POST", "url": format!("{}/hook", failing.url)},
        })),
        "webhook",
    );
    ok(
        base,
        Call::new("POST", "/contracts/publish").json(&publication(
            &pact("Foo", "Bar", "a"),
            "1.0.0",
            None,
            &[],
        )),
        "publish",
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    let dead = loop {
        let list = ok(base, Call::get("/webhooks/dead-letters"), "dead letters");
        let dead = list["_embedded"]["deliveries"].as_array().unwrap().clone();
        if !dead.is_empty() {
            break dead;
        }
        assert!(Instant::now() < deadline, "nothing dead-lettered: {list}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(dead.len(), 1, "{dead:?}");
    let delivery = &dead[0];
    assert_eq!(delivery["webhookUuid"], hook["uuid"], "{delivery}");
    assert_eq!(delivery["status"], "failure", "{delivery}");
    // One attempt more than there are waits, each logged; then no more.
    assert_eq!(delivery["attemptsMade"], 3, "{delivery}");
    assert_eq!(delivery["attemptsRemaining"], 0, "{delivery}");
    assert_eq!(
        delivery["logs"].as_array().map(Vec::len),
        Some(3),
        "{delivery}"
    );
    assert_eq!(*hits.lock().unwrap(), 3);
    let metrics = Call::get("/metrics").expect(base);
    assert!(
        metrics
            .text
            .lines()
            .any(|l| l == "treaty_broker_webhook_queue_depth 0"),
        "{}",
        metrics.text
    );
}
