//! Records for webhooks and their delivery queue.

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
    /// Where it is.
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// RFC 3339 time of the next attempt.
    pub next_attempt_at: String,
    /// Every attempt's outcome, oldest first (status or error).
    pub log: Vec<String>,
    /// RFC 3339 creation time.
    pub created_at: String,
}

/// The outcome of one attempt, for [`super::Store::finish_attempt`].
#[derive(Debug, Clone)]
pub enum Attempt {
    /// Delivered; `note` is what the receiver answered.
    Succeeded {
        /// E.g. `HTTP 200`.
        note: String,
    },
    /// Failed; try again at `next_at`.
    Retry {
        /// Why it failed.
        note: String,
        /// RFC 3339 time of the next attempt.
        next_at: String,
    },
    /// Failed for the last time: dead-letter it.
    Dead {
        /// Why it failed.
        note: String,
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
