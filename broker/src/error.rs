//! [`BrokerError`]: every failure a request can end in, mapped to an HTTP
//! status and a JSON body in one place.
//!
//! Bodies carry a `message`, plus the Pact Broker's `errors` object
//! (`{"field": ["message"]}`) that Pact clients print; validation errors
//! name their `field`; conflicts add `notices`. Storage failures are
//! logged and answered with a generic 500: database text never reaches
//! the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use thiserror::Error;

use crate::store::StoreError;

/// A failed request.
#[derive(Debug, Error)]
pub enum BrokerError {
    /// 404: what was looked for.
    #[error("{0} was not found")]
    NotFound(String),
    /// 400: a field of the request is wrong.
    #[error("{field}: {message}")]
    Validation {
        /// The field (a JSON path or parameter name).
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// 409: publishing would change content that must not change.
    #[error("{0}")]
    Conflict(String),
    /// 422: the request is well-formed but cannot be applied.
    #[error("{0}")]
    Unprocessable(String),
    /// 413: the body is larger than the configured limit.
    #[error("the request body is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// 401: no credential, or one the broker does not know.
    #[error("authentication required: send a valid bearer token or basic credentials")]
    Unauthorized,
    /// 403: the credential is valid but read-only, and this is a write.
    #[error("this credential is read-only; the request needs a read-write credential")]
    Forbidden,
    /// 405: the path exists but not with this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 500: storage failed (logged, never shown).
    #[error("internal error")]
    Internal(#[source] StoreError),
}

impl BrokerError {
    /// A validation error on a field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> BrokerError {
        BrokerError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            BrokerError::NotFound(_) => StatusCode::NOT_FOUND,
            BrokerError::Validation { .. } => StatusCode::BAD_REQUEST,
            BrokerError::Conflict(_) => StatusCode::CONFLICT,
            BrokerError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            BrokerError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            BrokerError::Unauthorized => StatusCode::UNAUTHORIZED,
            BrokerError::Forbidden => StatusCode::FORBIDDEN,
            BrokerError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            BrokerError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> Value {
        let message = self.to_string();
        match self {
            BrokerError::Validation {
                field,
                message: text,
            } => json!({
                "message": message, "field": field, "errors": {field: [text]},
            }),
            BrokerError::Conflict(text) => json!({
                "message": message,
                "errors": {"pacticipantVersionNumber": [text]},
                "notices": [{"type": "error", "text": text}],
            }),
            _ => json!({"message": message, "errors": {"base": [message]}}),
        }
    }
}

impl From<StoreError> for BrokerError {
    fn from(error: StoreError) -> BrokerError {
        match error {
            StoreError::NotFound(what) => BrokerError::NotFound(what),
            StoreError::Duplicate(message) => BrokerError::invalid("name", message),
            StoreError::Conflict {
                consumer,
                version,
                provider,
            } => BrokerError::Conflict(format!(
                "Cannot change the content of the pact for {consumer} version {version} and \
                 provider {provider}: a pact with different content is already published for \
                 that consumer version. Publish with a new consumer version number (pacts with \
                 random data change on every run), or ask to overwrite or merge"
            )),
            backend @ StoreError::Backend(_) => BrokerError::Internal(backend),
        }
    }
}

impl IntoResponse for BrokerError {
    fn into_response(self) -> Response {
        if let BrokerError::Internal(source) = &self {
            tracing::error!(error = %source, cause = ?std::error::Error::source(source), "storage failed");
        }
        let mut response = (self.status(), axum::Json(self.body())).into_response();
        response.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json;charset=utf-8"),
        );
        if matches!(self, BrokerError::Unauthorized) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Basic realm=\"treaty\", Bearer"),
            );
        }
        response
    }
}
