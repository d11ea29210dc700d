//! The delivery worker: sends queued webhook requests, retries failures
//! with back-off, dead-letters them when retries run out.
//!
//! One worker runs per broker process. It sleeps until the next delivery
//! is due or a handler wakes it. A delivery sent but not yet marked when
//! the process dies is sent again after the restart (at least once).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::state::AppState;
use crate::store::{Attempt, Delivery};

/// Retry timing and request limits.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Waits before each retry; a delivery gets `backoff.len() + 1`
    /// attempts. The default follows the Pact Broker: 10 s, 1, 2, 5, 10
    /// and 20 min (7 attempts over about 38 minutes).
    pub backoff: Vec<Duration>,
    /// Timeout of one attempt.
    pub timeout: Duration,
}

impl Default for WebhookSettings {
    fn default() -> WebhookSettings {
        WebhookSettings {
            backoff: [10, 60, 120, 300, 600, 1200]
                .into_iter()
                .map(Duration::from_secs)
                .collect(),
            timeout: Duration::from_secs(10),
        }
    }
}

/// Longest idle sleep (the worker rechecks the queue at least this often).
const IDLE: Duration = Duration::from_secs(30);

/// Starts the worker on the current tokio runtime.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(state))
}

async fn run(state: AppState) {
    let client = match reqwest::Client::builder()
        .timeout(state.webhook_settings.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "webhook worker cannot start");
            return;
        }
    };
    loop {
        let now = crate::store::sqlite::now();
        match state.query(move |s| s.due_deliveries(&now, 16)).await {
            Ok(due) if !due.is_empty() => {
                for delivery in due {
                    attempt(&state, &client, delivery).await;
                }
                continue;
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "cannot read the webhook queue"),
        }
        let next = state.query(|s| s.next_delivery_due()).await.ok().flatten();
        let wait = next.map_or(IDLE, |at| until(&at).min(IDLE));
        tokio::select! {
            () = state.webhook_wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
        }
    }
}

/// Time from now until an RFC 3339 instant (zero when past).
fn until(at: &str) -> Duration {
    DateTime::parse_from_rfc3339(at)
        .ok()
        .and_then(|t| (t.with_timezone(&Utc) - Utc::now()).to_std().ok())
        .unwrap_or(Duration::ZERO)
}

async fn attempt(state: &AppState, client: &reqwest::Client, delivery: Delivery) {
    let outcome = send(client, &delivery.request).await;
    let made = delivery.attempts as usize + 1;
    let result = match outcome {
        Ok(note) => Attempt::Succeeded { note },
        Err(note) => match state.webhook_settings.backoff.get(made - 1) {
            Some(wait) => Attempt::Retry {
                note,
                next_at: (Utc::now() + chrono::Duration::from_std(*wait).unwrap_or_default())
                    .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            },
            None => Attempt::Dead { note },
        },
    };
    match &result {
        Attempt::Succeeded { note } => {
            tracing::info!(uuid = %delivery.uuid, event = %delivery.event, note, "webhook delivered");
        }
        Attempt::Retry { note, next_at } => {
            tracing::warn!(uuid = %delivery.uuid, attempt = made, note, next_at, "webhook failed; will retry");
        }
        Attempt::Dead { note } => {
            tracing::error!(uuid = %delivery.uuid, attempts = made, note, "webhook dead-lettered");
        }
    }
    let id = delivery.id;
    if let Err(error) = state.query(move |s| s.finish_attempt(id, &result)).await {
        tracing::error!(%error, "cannot record a webhook attempt");
    }
}

/// Sends one rendered request: `Ok` with a note on HTTP 200-206, `Err`
/// with the reason otherwise.
async fn send(client: &reqwest::Client, request: &Value) -> Result<String, String> {
    let method = request["method"].as_str().unwrap_or("POST");
    let method = reqwest::Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
    let url = request["url"].as_str().unwrap_or_default();
    let mut builder = client.request(method, url);
    if let Some(headers) = request["headers"].as_object() {
        for (name, value) in headers {
            builder = builder.header(name.as_str(), value.as_str().unwrap_or_default());
        }
    }
    if let Some(user) = request["username"].as_str() {
        builder = builder.basic_auth(user, request["password"].as_str());
    }
    builder = match &request["body"] {
        Value::Null => builder,
        Value::String(text) => builder.body(text.clone()),
        other => builder.body(other.to_string()),
    };
    let response = builder.send().await.map_err(|e| {
        // The URL may carry a secret in its query: keep it out of the log.
        let e = e.without_url();
        // reqwest's Display hides the cause (connection refused...).
        let cause = std::error::Error::source(&e).map(ToString::to_string);
        format!("{e}{}", cause.map(|c| format!(": {c}")).unwrap_or_default())
    })?;
    let status = response.status().as_u16();
    let note = format!("HTTP {status}");
    if (200..=206).contains(&status) {
        Ok(note)
    } else {
        Err(note)
    }
}
