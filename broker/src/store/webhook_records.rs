//! Records for webhooks and their delivery queue.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A webhook definition as stored. `definition` is the client's JSON
/// (`description`, `consumer`, `provider`, `events`, `request`, `enabled`)
/// with secrets included; the API redacts them on the way out.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// Public id.
    pub uuid: String,
    /// The definition.
    pub definition: Value,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 time of the last change.
    pub updated_at: String,
}

/// Where a delivery is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// Answered 200-206.
    Succeeded,
    /// Retries exhausted: on the dead-letter list.
    Dead,
}

impl DeliveryStatus {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Succeeded => "succeeded",
            DeliveryStatus::Dead => "dead",
        }
    }

    /// Parses [`DeliveryStatus::as_str`].
    pub fn parse(word: &str) -> Option<DeliveryStatus> {
        match word {
            "pending" => Some(DeliveryStatus::Pending),
            "succeeded" => Some(DeliveryStatus::Succeeded),
            "dead" => Some(DeliveryStatus::Dead),
            _ => None,
        }
    }
}

/// What triggered a delivery: the pact (consumer version and content)
/// and, for verification events, the verification result.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Trigger {
    /// The consumer version of the pact.
    pub consumer_version_id: Option<i64>,
    /// The pact content.
    pub content_id: Option<i64>,
    /// The verification result.
    pub verification_id: Option<i64>,
}

/// A webhook request to send, rendered from its template for one event.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    /// The webhook it came from.
    pub webhook_uuid: String,
    /// The event name.
    pub event: String,
    /// The rendered request: `method`, `url`, `headers`, `body`,
    /// `username`, `password`.
    pub request: Value,
    /// What triggered it.
    pub trigger: Trigger,
}

/// Which deliveries [`super::Store::deliveries`] lists; `None` matches any.
#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    /// Where they are.
    pub status: Option<DeliveryStatus>,
    /// The webhook they came from.
    pub webhook: Option<String>,
    /// Triggered by this consumer version's pact...
    pub consumer_version_id: Option<i64>,
    /// ...with this content.
    pub content_id: Option<i64>,
    /// Triggered by this verification result.
    pub verification_id: Option<i64>,
}

/// A queued, sent or dead webhook request.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Row id.
    pub id: i64,
    /// Public id.
    pub uuid: String,
    /// The webhook it came from.
    pub webhook_uuid: String,
    /// The event name.
    pub event: String,
    /// The rendered request (with secrets; redact before showing).
    pub request: Value,
    /// What triggered it.
    pub trigger: Trigger,
    /// Where it is.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// RFC 3339 time of the next attempt.
    pub next_attempt_at: String,
    /// Every attempt, oldest first.
    pub log: Vec<AttemptLog>,
    /// RFC 3339 creation time.
    pub created_at: String,
}

/// The record of one attempt. Holds no secret: the request line has no
/// credentials or query values, and the response body is not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptLog {
    /// RFC 3339 time of the attempt.
    pub at: String,
    /// `METHOD URL`, redacted.
    pub request: String,
    /// The response status, when there was a response.
    pub status: Option<u16>,
    /// Why the attempt failed, when it did.
    pub error: Option<String>,
    /// Whether it succeeded (HTTP 200-206).
    pub success: bool,
}

/// The outcome of one attempt, for [`super::Store::finish_attempt`].
#[derive(Debug, Clone)]
pub enum Attempt {
    /// Delivered.
    Succeeded {
        /// What happened.
        log: AttemptLog,
    },
    /// Failed; try again at `next_at`.
    Retry {
        /// What happened.
        log: AttemptLog,
        /// RFC 3339 time of the next attempt.
        next_at: String,
    },
    /// Failed for the last time (or may never be sent): dead-letter it.
    Dead {
        /// What happened.
        log: AttemptLog,
    },
}

/// What a retention cleanup deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Versions (with their tags, publications and verifications).
    pub versions: usize,
    /// Contents no version publishes any more.
    pub contents: usize,
    /// Branches left without versions.
    pub branches: usize,
    /// Delivered webhook requests older than the cutoff.
    pub deliveries: usize,
}
