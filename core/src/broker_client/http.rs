//! One request to the broker: headers, auth, retries with back-off, and
//! errors that carry the request, the status and what the broker said.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::error::BrokerError;
use super::hal;
use crate::source::Auth;

/// How failed requests are retried: on no answer, 5xx, 408 and 429, up to
/// `retries` times, waiting `base`, then twice as long each time (at most
/// `max`), or what `Retry-After` asks (at most `max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub retries: u32,
    /// The first wait.
    pub base: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            retries: 4,
            base: Duration::from_millis(500),
            max: Duration::from_secs(10),
        }
    }
}

/// Where the broker is and how to reach it.
#[derive(Debug, Clone)]
pub struct BrokerConfig {
    /// The base URL, with an optional sub-path (`https://host/pact-broker`).
    pub base_url: String,
    /// Credentials sent with every request.
    pub auth: Option<Auth>,
    /// Retries of failed requests.
    pub retry: RetryPolicy,
    /// Timeout of each request.
    pub timeout: Duration,
}

impl BrokerConfig {
    /// No auth, default retries, a 30 s timeout.
    pub fn new(base_url: impl Into<String>) -> BrokerConfig {
        BrokerConfig {
            base_url: base_url.into(),
            auth: None,
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(30),
        }
    }
}

/// A client for one broker. Cheap to clone.
#[derive(Debug, Clone)]
pub struct BrokerClient {
    pub(crate) base: reqwest::Url,
    http: reqwest::Client,
    auth: Option<Auth>,
    retry: RetryPolicy,
}

const ACCEPT: &str = "application/hal+json, application/json";

impl BrokerClient {
    /// A client for the broker at `config.base_url` (no request is made).
    pub fn new(config: BrokerConfig) -> Result<BrokerClient, BrokerError> {
        let invalid = |reason: String| BrokerError::InvalidUrl {
            url: config.base_url.clone(),
            reason,
        };
        let trimmed = config.base_url.trim_end_matches('/');
        let base = reqwest::Url::parse(trimmed).map_err(|e| invalid(e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https".into()));
        }
        let roots = crate::tls::extra_roots(&[], base.scheme() == "https")?;
        let http = crate::tls::builder(roots)
            .timeout(config.timeout)
            .user_agent(concat!("treaty/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| invalid(e.to_string()))?;
        Ok(BrokerClient {
            base,
            http,
            auth: config.auth,
            retry: config.retry,
        })
    }

    /// The base URL as given (without a trailing slash).
    pub fn base_url(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// An href (absolute or a path) as a full URL under the base URL.
    pub fn url(&self, href: &str) -> String {
        hal::resolve(&self.base, href)
    }

    /// `GET` a resource as JSON.
    pub async fn get(&self, href: &str) -> Result<Value, BrokerError> {
        self.send(Method::GET, href, None).await
    }

    /// `GET` the index (`/`), where navigation starts.
    pub async fn index(&self) -> Result<Value, BrokerError> {
        self.get("/").await
    }

    /// Sends a request with a JSON body (`PATCH` as merge-patch) and returns
    /// the JSON answer (`null` for an empty 2xx body).
    pub async fn send(
        &self,
        method: Method,
        href: &str,
        body: Option<&Value>,
    ) -> Result<Value, BrokerError> {
        let url = self.url(href);
        let mut attempt = 0;
        loop {
            let wait = match self.attempt(&method, &url, body).await {
                Ok(value) => return Ok(value),
                Err((error, retry_after))
                    if attempt < self.retry.retries && retry_after.is_some() =>
                {
                    tracing::debug!("retrying after {error}");
                    retry_after.unwrap_or_default()
                }
                Err((error, _)) => return Err(error),
            };
            let backoff = self.retry.base.saturating_mul(2u32.saturating_pow(attempt));
            let delay = if wait.is_zero() { backoff } else { wait };
            tokio::time::sleep(delay.min(self.retry.max)).await;
            attempt += 1;
        }
    }

    /// One attempt. On failure, `Some(wait)` means "retry" (zero: use the
    /// back-off; more: the broker's `Retry-After`).
    async fn attempt(
        &self,
        method: &Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<Value, (BrokerError, Option<Duration>)> {
        let mut request = self
            .http
            .request(method.clone(), url)
            .header("Accept", ACCEPT);
        if let Some(body) = body {
            let content_type = if *method == Method::PATCH {
                "application/merge-patch+json"
            } else {
                "application/json"
            };
            request = request
                .header("Content-Type", content_type)
                .body(body.to_string());
        }
        request = match &self.auth {
            Some(Auth::Basic { username, password }) => {
                request.basic_auth(username, password.as_ref())
            }
            Some(Auth::Bearer(token)) => request.bearer_auth(token),
            None => request,
        };
        let response = request.send().await.map_err(|source| {
            let retry = (source.is_connect() || source.is_timeout()).then_some(Duration::ZERO);
            (
                BrokerError::Connection {
                    method: method.to_string(),
                    url: url.to_owned(),
                    source,
                },
                retry,
            )
        })?;
        let status = response.status();
        let retry_after = retry_after(&response);
        let text = response.text().await.unwrap_or_default();
        if !status.is_success() {
            let retry = retryable(status).then_some(retry_after.unwrap_or(Duration::ZERO));
            let error = BrokerError::Status {
                method: method.to_string(),
                url: url.to_owned(),
                status: status.as_u16(),
                message: broker_message(&text),
            };
            return Err((error, retry));
        }
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).map_err(|e| {
            let reason = format!("the body is not JSON ({e}): {}", excerpt(&text));
            (
                BrokerError::BadAnswer {
                    method: method.to_string(),
                    url: url.to_owned(),
                    reason,
                },
                None,
            )
        })
    }
}

fn retryable(status: StatusCode) -> bool {
    status.is_server_error()
        || status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
}

/// `Retry-After` in seconds (the HTTP-date form is treated as absent).
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get("retry-after")?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// What the broker said in an error body: its error notices, its `errors`
/// (a map of field to messages, a list, or a string), an `error` message,
/// or the start of the body text.
pub(crate) fn broker_message(text: &str) -> Option<String> {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        let text = text.trim();
        return (!text.is_empty()).then(|| excerpt(text));
    };
    let mut parts: Vec<String> = value
        .get("notices")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|n| {
            matches!(
                n.get("type").and_then(Value::as_str),
                Some("error" | "danger")
            )
        })
        .filter_map(|n| n.get("text").and_then(Value::as_str).map(str::to_owned))
        .collect();
    if parts.is_empty() {
        parts = errors(value.get("errors"));
    }
    if parts.is_empty() {
        let error = value.get("error");
        let message = error
            .and_then(|e| e.get("message"))
            .or(error)
            .or(value.get("message"));
        parts.extend(message.and_then(Value::as_str).map(str::to_owned));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn errors(value: Option<&Value>) -> Vec<String> {
    let as_texts = |v: &Value| -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            other => vec![other.to_string()],
        }
    };
    match value {
        Some(Value::Object(map)) => map
            .iter()
            .flat_map(|(field, v)| as_texts(v).into_iter().map(move |m| format!("{field} {m}")))
            .collect(),
        Some(other) => as_texts(other),
        None => Vec::new(),
    }
}

fn excerpt(text: &str) -> String {
    let mut cut: String = text.chars().take(300).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}
