//! The delivery worker: sends queued webhook requests, retries failures
//! with back-off, dead-letters them when retries run out.
//!
//! One worker runs per broker process. It sleeps until the next delivery
//! is due or a handler wakes it. A delivery sent but not yet marked when
//! the process dies is sent again after the restart (at least once).

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::allow::AllowList;
use crate::state::AppState;
use crate::store::{Attempt, AttemptLog, Delivery};

/// Retry timing, request limits and the allowed targets.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Waits before each retry; a delivery gets `backoff.len() + 1`
    /// attempts. The default follows the Pact Broker: 10 s, 1, 2, 5, 10
    /// and 20 min (7 attempts over about 38 minutes).
    pub backoff: Vec<Duration>,
    /// Timeout of one attempt.
    pub timeout: Duration,
    /// Where webhooks may send requests.
    pub allow: AllowList,
}

impl Default for WebhookSettings {
    fn default() -> WebhookSettings {
        WebhookSettings {
            backoff: [10, 60, 120, 300, 600, 1200]
                .into_iter()
                .map(Duration::from_secs)
                .collect(),
            timeout: Duration::from_secs(10),
            allow: AllowList::default(),
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
    let client = match client(&state.webhook_settings) {
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

/// The webhook HTTP client cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The bundle `SSL_CERT_FILE` names cannot be used.
    #[error(transparent)]
    CaCert(#[from] treaty_core::tls::CaFileError),
    /// The TLS backend failed to start.
    #[error("cannot set up the webhook HTTP client")]
    Http(#[from] reqwest::Error),
}

/// The HTTP client attempts use: the configured timeout, no redirects
/// (a redirect could lead around the allow-list), the built-in roots and
/// the authorities of `SSL_CERT_FILE` (an internal CI server's).
pub(crate) fn client(settings: &WebhookSettings) -> Result<reqwest::Client, ClientError> {
    let roots = treaty_core::tls::extra_roots(&[], true)?;
    Ok(treaty_core::tls::builder(roots)
        .timeout(settings.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

async fn attempt(state: &AppState, client: &reqwest::Client, delivery: Delivery) {
    let log = execute(client, &state.webhook_settings.allow, &delivery.request).await;
    let made = delivery.attempts as usize + 1;
    let retry = state.webhook_settings.backoff.get(made - 1);
    let result = match (log.success, retry) {
        (true, _) => Attempt::Succeeded { log },
        // A target the allow-list refuses is never retried.
        (false, Some(wait)) if !log.refused() => Attempt::Retry {
            log,
            next_at: (Utc::now() + chrono::Duration::from_std(*wait).unwrap_or_default())
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        },
        (false, _) => Attempt::Dead { log },
    };
    match &result {
        Attempt::Succeeded { log } => {
            tracing::info!(uuid = %delivery.uuid, event = %delivery.event, status = log.status, "webhook delivered");
        }
        Attempt::Retry { log, next_at } => {
            tracing::warn!(uuid = %delivery.uuid, attempt = made, status = log.status, error = log.error, next_at, "webhook failed; will retry");
        }
        Attempt::Dead { log } => {
            tracing::error!(uuid = %delivery.uuid, attempts = made, status = log.status, error = log.error, "webhook dead-lettered");
        }
    }
    let id = delivery.id;
    if let Err(error) = state.query(move |s| s.finish_attempt(id, &result)).await {
        tracing::error!(%error, "cannot record a webhook attempt");
    }
}

/// What an allow-list refusal starts with in the log.
const REFUSED: &str = "refused by the allow-list: ";

impl AttemptLog {
    /// Whether the allow-list stopped the attempt before sending.
    fn refused(&self) -> bool {
        self.error
            .as_deref()
            .is_some_and(|e| e.starts_with(REFUSED))
    }
}

/// Checks a rendered request against the allow-list, sends it once and
/// logs the outcome (success on HTTP 200-206).
pub(crate) async fn execute(
    client: &reqwest::Client,
    allow: &AllowList,
    request: &Value,
) -> AttemptLog {
    let method = request["method"].as_str().unwrap_or("POST");
    let url = request["url"].as_str().unwrap_or_default();
    let mut log = AttemptLog {
        at: crate::store::sqlite::now(),
        request: format!("{method} {}", super::definition::redact_url(url)),
        status: None,
        error: None,
        success: false,
    };
    if let Err(refusal) = allow.check(method, url) {
        log.error = Some(format!("{REFUSED}{refusal}"));
        return log;
    }
    match send(client, request).await {
        Ok(status) => {
            log.status = Some(status);
            log.success = (200..=206).contains(&status);
        }
        Err(error) => log.error = Some(error),
    }
    log
}

/// Sends one rendered request: the response status, or why there was none.
async fn send(client: &reqwest::Client, request: &Value) -> Result<u16, String> {
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
        // reqwest's Display hides the causes (connection refused...).
        let mut message = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            message.push_str(&format!(": {c}"));
            cause = c.source();
        }
        if treaty_core::tls::untrusted_certificate(&e) {
            message.push_str(&format!(
                "; the target's certificate is not trusted: {} where the broker runs",
                treaty_core::tls::TRUST_HINT
            ));
        }
        message
    })?;
    Ok(response.status().as_u16())
}
