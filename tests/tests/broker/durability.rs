//! Durability and concurrency: acknowledged publishes survive SIGKILL;
//! dozens of concurrent publishers neither fail nor duplicate.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::http::{call, publish};
use crate::{pact, BrokerProcess};

#[test]
fn every_acknowledged_publish_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("broker.db");
    let broker = BrokerProcess::start(&db);
    let url = broker.url.clone();
    let acknowledged = Arc::new(Mutex::new(Vec::<u32>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let publisher = {
        let (acknowledged, stop) = (Arc::clone(&acknowledged), Arc::clone(&stop));
        thread::spawn(move || {
            for n in 0..5_000u32 {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                // Distinct content per version: every publish writes rows.
                match publish(
                    &url,
                    &pact("Foo", "Bar", &format!("v{n}")),
                    &format!("1.0.{n}"),
                ) {
                    Ok((200, _)) => acknowledged.lock().unwrap().push(n),
                    Ok((status, body)) => panic!("publish {n} answered {status}: {body}"),
                    Err(_) => break, // the broker is gone
                }
            }
        })
    };
    // Kill it mid-stream, once a good number of writes went through.
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 40 && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    broker.kill();
    stop.store(true, Ordering::Relaxed);
    publisher.join().unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 40,
        "only {} publishes before the deadline",
        acknowledged.len()
    );

    let broker = BrokerProcess::start(&db);
    for n in &acknowledged {
        let (status, body) = call(
            "GET",
            &format!(
                "{}/pacts/provider/Bar/consumer/Foo/version/1.0.{n}",
                broker.url
            ),
            None,
        )
        .unwrap();
        assert_eq!(
            status, 200,
            "acknowledged publish 1.0.{n} is missing after SIGKILL: {body}"
        );
        assert_eq!(
            body["interactions"][0]["description"],
            format!("a request for v{n}")
        );
    }
}

#[test]
fn concurrent_publishers_do_not_fail_or_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let url = broker.url.clone();
    let threads: Vec<_> = (0..40)
        .map(|i| {
            let url = url.clone();
            thread::spawn(move || {
                // Forty publishers: ten versions, each published four times,
                // all with the same content, plus a new provider each.
                let shared = publish(
                    &url,
                    &pact("Foo", "Bar", "same"),
                    &format!("2.0.{}", i % 10),
                )
                .unwrap();
                let own = publish(&url, &pact("Foo", &format!("P{i}"), "own"), "3.0.0").unwrap();
                (shared, own)
            })
        })
        .collect();
    for t in threads {
        let ((s1, b1), (s2, b2)) = t.join().unwrap();
        assert_eq!(s1, 200, "{b1}");
        assert_eq!(s2, 200, "{b2}");
    }
    let (_, versions) = call("GET", &format!("{url}/pacticipants/Foo/versions"), None).unwrap();
    let numbers: Vec<&str> = versions["_embedded"]["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers.len(), 11, "{numbers:?}");
    let (_, pacticipants) = call("GET", &format!("{url}/pacticipants"), None).unwrap();
    assert_eq!(
        pacticipants["_embedded"]["pacticipants"]
            .as_array()
            .unwrap()
            .len(),
        42
    );
    // One content for the ten versions: they share the pact version.
    let shas: Vec<Value> = (0..10)
        .map(|i| {
            call(
                "GET",
                &format!("{url}/pacts/provider/Bar/consumer/Foo/version/2.0.{i}"),
                None,
            )
            .unwrap()
            .1["_links"]["pb:pact-version"]["name"]
                .clone()
        })
        .collect();
    assert!(
        shas.iter().all(|s| *s == shas[0] && s.is_string()),
        "{shas:?}"
    );
}
