//! `GET /metrics`: Prometheus text exposition of request counts and
//! latencies (per method, route template and status), the database size
//! and the webhook queue depth.
//!
//! Routes are labelled by their template (`/pacticipants/{pacticipant}`),
//! never by the raw path, so clients cannot grow the label set; requests
//! that match no route share the label `unmatched`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::BrokerError;
use crate::state::AppState;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Latency {
    count: u64,
    sum: f64,
    /// Observations at or below each bound of [`BUCKETS`].
    buckets: [u64; BUCKETS.len()],
}

/// Request counters and latency histograms, shared by every request.
#[derive(Debug, Default)]
pub(crate) struct Metrics {
    /// (method, route, status) → count.
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    /// (method, route) → latency histogram.
    latency: Mutex<BTreeMap<(String, String), Latency>>,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let key = (method.to_owned(), route.to_owned());
        {
            let mut requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
            *requests
                .entry((key.0.clone(), key.1.clone(), status))
                .or_default() += 1;
        }
        let mut latency = self.latency.lock().unwrap_or_else(|e| e.into_inner());
        let entry = latency.entry(key).or_default();
        entry.count += 1;
        entry.sum += seconds;
        for (bound, slot) in BUCKETS.iter().zip(entry.buckets.iter_mut()) {
            if seconds <= *bound {
                *slot += 1;
            }
        }
    }

    /// The request metrics in Prometheus text format.
    fn render(&self, out: &mut String) {
        out.push_str("# HELP treaty_broker_http_requests_total HTTP requests answered.\n");
        out.push_str("# TYPE treaty_broker_http_requests_total counter\n");
        let requests = self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for ((method, route, status), count) in &requests {
            let _ = writeln!(
                out,
                "treaty_broker_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(method),
                escape(route)
            );
        }
        out.push_str(
            "# HELP treaty_broker_http_request_duration_seconds Time to answer HTTP requests.\n",
        );
        out.push_str("# TYPE treaty_broker_http_request_duration_seconds histogram\n");
        let latency = self
            .latency
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        for ((method, route), l) in &latency {
            let labels = format!("method=\"{}\",route=\"{}\"", escape(method), escape(route));
            for (bound, n) in BUCKETS.iter().zip(l.buckets) {
                let _ = writeln!(out, "treaty_broker_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}");
            }
            let name = "treaty_broker_http_request_duration_seconds";
            let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", l.count);
            let _ = writeln!(out, "{name}_sum{{{labels}}} {}", l.sum);
            let _ = writeln!(out, "{name}_count{{{labels}}} {}", l.count);
        }
    }
}

/// Escapes a label value (backslash, quote, newline).
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Middleware timing every request.
pub(crate) async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    state.metrics.observe(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics`.
pub(crate) async fn metrics(State(state): State<AppState>) -> Result<Response, BrokerError> {
    let (bytes, depth) = state
        .query(|s| Ok((s.database_bytes()?, s.queue_depth()?)))
        .await?;
    let mut out = String::new();
    state.metrics.render(&mut out);
    out.push_str("# HELP treaty_broker_database_bytes Size of the database.\n");
    out.push_str("# TYPE treaty_broker_database_bytes gauge\n");
    let _ = writeln!(out, "treaty_broker_database_bytes {bytes}");
    out.push_str(
        "# HELP treaty_broker_webhook_queue_depth Webhook deliveries waiting to be sent.\n",
    );
    out.push_str("# TYPE treaty_broker_webhook_queue_depth gauge\n");
    let _ = writeln!(out, "treaty_broker_webhook_queue_depth {depth}");
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_histograms() {
        let metrics = Metrics::default();
        metrics.observe("GET", "/matrix", 200, 0.003);
        metrics.observe("GET", "/matrix", 200, 0.2);
        let mut out = String::new();
        metrics.render(&mut out);
        assert!(out.contains(
            "treaty_broker_http_requests_total{method=\"GET\",route=\"/matrix\",status=\"200\"} 2"
        ));
        assert!(out.contains("_bucket{method=\"GET\",route=\"/matrix\",le=\"0.005\"} 1"));
        assert!(out.contains("_bucket{method=\"GET\",route=\"/matrix\",le=\"+Inf\"} 2"));
        assert_eq!(escape("a\"b\\"), "a\\\"b\\\\");
    }
}
