//! `/metrics` and `/openapi.json` from the running binary: request counts
//! and latency histograms per route template, the database size growing
//! with data, the webhook queue depth following queued deliveries; the
//! OpenAPI document lists exactly the routes the router serves (read from
//! `broker/src/routes/mod.rs`), and every operation it lists is routed by
//! the binary.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::json;
use treaty_tests::server::TestServer;

use crate::wire::{publication, Call};
use crate::{pact, root, BrokerProcess};

/// The value of the sample `name{labels}` (or `name` alone) in a
/// Prometheus text exposition.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

fn metrics(base: &str) -> String {
    let answer = Call::get("/metrics").expect(base);
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert!(
        answer
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/plain")),
        "{:?}",
        answer.headers
    );
    answer.text
}

#[test]
fn metrics_count_requests_time_them_and_report_database_and_queue() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start_with(
        &dir.path().join("broker.db"),
        &["--webhook-scheme-allow", "http"],
    );
    let base = broker.url.as_str();
    let text = metrics(base);
    assert_eq!(
        sample(&text, "treaty_broker_webhook_queue_depth"),
        Some(0.0)
    );
    let empty_size = sample(&text, "treaty_broker_database_bytes").expect("database size");
    assert!(empty_size > 0.0, "{text}");

    for _ in 0..3 {
        assert_eq!(Call::get("/pacticipants/Nobody").expect(base).status, 404);
    }
    for _ in 0..2 {
        assert_eq!(Call::get("/no/such/route").expect(base).status, 404);
    }
    // Two webhooks to a port where nothing listens: each publication
    // queues a delivery per webhook, which fails and waits 10 s to retry.
    let target = format!("{}/hook", TestServer::closed_port_url());
    for _ in 0..2 {
        let hook = Call::new("POST", "/webhooks")
            .json(&json!({
                "events": [{"name": "contract_published"}],
                "request": {"method": "POST", "url": target},
            }))
            .expect(base);
        assert_eq!(hook.status, 201, "{}", hook.text);
    }
    // Forty publications of distinct, sizeable content.
    for n in 0..40 {
        let mut contract = pact("Foo", "Bar", &format!("v{n}"));
        contract["interactions"][0]["response"]["body"] = json!({"padding": "x".repeat(8_000 + n)});
        let answer = Call::new("POST", "/contracts/publish")
            .json(&publication(&contract, &format!("1.0.{n}"), None, &[]))
            .expect(base);
        assert_eq!(answer.status, 200, "{}", answer.text);
    }

    let deadline = Instant::now() + Duration::from_secs(10);
    let text = loop {
        let text = metrics(base);
        let depth = sample(&text, "treaty_broker_webhook_queue_depth");
        if depth == Some(80.0) || Instant::now() > deadline {
            break text;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(
        sample(&text, "treaty_broker_webhook_queue_depth"),
        Some(80.0),
        "two webhooks times forty publications are queued: {text}"
    );
    let size = sample(&text, "treaty_broker_database_bytes").unwrap();
    assert!(
        size >= empty_size + 40.0 * 8_000.0,
        "database size {size} after 320 KB of contracts (empty: {empty_size})"
    );

    let counts = [
        (
            "{method=\"GET\",route=\"/pacticipants/{pacticipant}\",status=\"404\"}",
            3.0,
        ),
        ("{method=\"GET\",route=\"unmatched\",status=\"404\"}", 2.0),
        (
            "{method=\"POST\",route=\"/contracts/publish\",status=\"200\"}",
            40.0,
        ),
        ("{method=\"POST\",route=\"/webhooks\",status=\"201\"}", 2.0),
    ];
    for (labels, expected) in counts {
        let series = format!("treaty_broker_http_requests_total{labels}");
        assert_eq!(sample(&text, &series), Some(expected), "{series}\n{text}");
    }
    // The latency histogram of publish: 40 observations, cumulative
    // buckets ending at the count, and a positive sum.
    let name = "treaty_broker_http_request_duration_seconds";
    let labels = "method=\"POST\",route=\"/contracts/publish\"";
    assert_eq!(
        sample(&text, &format!("{name}_count{{{labels}}}")),
        Some(40.0)
    );
    assert_eq!(
        sample(&text, &format!("{name}_bucket{{{labels},le=\"+Inf\"}}")),
        Some(40.0)
    );
    assert!(sample(&text, &format!("{name}_sum{{{labels}}}")).unwrap() > 0.0);
    let buckets: Vec<f64> = text
        .lines()
        .filter(|l| l.starts_with(&format!("{name}_bucket{{{labels},")))
        .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
        .collect();
    assert!(buckets.len() > 5, "{text}");
    assert!(buckets.windows(2).all(|w| w[0] <= w[1]), "{buckets:?}");
    // The raw path never becomes a label.
    assert!(!text.contains("Nobody") && !text.contains("/no/such/route"));
}

/// Every (path template, method) the router serves, read from the route
/// table in `broker/src/routes/mod.rs`.
fn routed() -> BTreeSet<(String, String)> {
    let source = std::fs::read_to_string(root().join("broker/src/routes/mod.rs")).unwrap();
    let pact_version = regex::Regex::new(r#"let pact_version = "([^"]+)";"#)
        .unwrap()
        .captures(&source)
        .expect("the pact_version template")[1]
        .to_owned();
    let route = regex::Regex::new(
        r#"\.route\((?:"([^"]+)"|(pact_version)|&format!\("\{pact_version\}([^"]+)"\)),(.*)$"#,
    )
    .unwrap();
    let method = regex::Regex::new(r"\b(get|post|put|patch|delete)\(").unwrap();
    let mut routes = BTreeSet::new();
    for line in source.lines() {
        let Some(caps) = route.captures(line.trim()) else {
            continue;
        };
        let path = if let Some(literal) = caps.get(1) {
            literal.as_str().to_owned()
        } else if caps.get(2).is_some() {
            pact_version.clone()
        } else {
            format!("{pact_version}{}", &caps[3])
                .replace("{{", "{")
                .replace("}}", "}")
        };
        for m in method.captures_iter(&caps[4]) {
            routes.insert((path.clone(), m[1].to_owned()));
        }
    }
    assert!(
        routes.len() > 60,
        "the route table was not read: {routes:?}"
    );
    routes
}

#[test]
fn openapi_lists_exactly_the_routes_the_binary_serves() {
    let dir = tempfile::tempdir().unwrap();
    let broker = BrokerProcess::start(&dir.path().join("broker.db"));
    let base = broker.url.as_str();
    let answer = Call::get("/openapi.json").expect(base);
    assert_eq!(answer.status, 200, "{}", answer.text);
    let doc = &answer.json;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{doc}");
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                operation["summary"].is_string() && operation["responses"].is_object(),
                "{method} {path}"
            );
            // Every `{name}` in the path is a declared parameter.
            let declared: Vec<&str> = operation["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            let in_path: Vec<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                .collect();
            assert_eq!(declared, in_path, "{method} {path}");
            documented.insert((path.clone(), method.clone()));
        }
    }
    let routed = routed();
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty() && unrouted.is_empty(),
        "served but not in /openapi.json: {undocumented:#?}\nin /openapi.json but not served: {unrouted:#?}"
    );

    // The binary routes every documented operation: a request with
    // placeholder parameters reaches its handler (no 405, no "resource not
    // found" from the fallback) and never fails with a 5xx.
    for (path, method) in &documented {
        let concrete = path
            .split('/')
            .map(|s| if s.starts_with('{') { "x" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let answer = Call::new(&method.to_uppercase(), &concrete)
            .json(&json!({}))
            .expect(base);
        assert_ne!(answer.status, 405, "{method} {concrete}: {}", answer.text);
        assert!(answer.status < 500, "{method} {concrete}: {}", answer.text);
        assert!(
            !answer.json["message"]
                .as_str()
                .unwrap_or_default()
                .starts_with("the resource "),
            "{method} {concrete} is not routed: {}",
            answer.text
        );
    }
}
