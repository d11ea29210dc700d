//! Request extractors whose failures are [`BrokerError`]s (JSON bodies),
//! not axum's plain-text rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::BrokerError;
use crate::state::AppState;

/// The value of a named path or query parameter read as pairs
/// (`Params<Vec<(String, String)>>` for routes with optional segments, or a
/// query).
pub(crate) fn param(params: &[(String, String)], key: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
}

/// Percent-decoded path parameters.
#[derive(Debug)]
pub(crate) struct Params<T>(pub(crate) T);

impl<T> FromRequestParts<AppState> for Params<T>
where
    T: DeserializeOwned + Send,
{
    type Rejection = BrokerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, BrokerError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Params(value)),
            Err(rejection) => Err(BrokerError::invalid("path", rejection.body_text())),
        }
    }
}

/// A JSON body (any content type), parsed into `T`; an empty body reads
/// as `{}`.
#[derive(Debug)]
pub(crate) struct Body<T>(pub(crate) T);

impl<T> FromRequest<AppState> for Body<T>
where
    T: DeserializeOwned,
{
    type Rejection = BrokerError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, BrokerError> {
        let bytes = read_bytes(request, state).await?;
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| BrokerError::invalid("body", "the body is not UTF-8"))?;
        let text = if text.trim().is_empty() { "{}" } else { text };
        let value: Value = serde_json::from_str(text)
            .map_err(|e| BrokerError::invalid("body", format!("invalid JSON: {e}")))?;
        if !value.is_object() {
            // serde would read a struct from an array, element by element.
            let message = format!("the body must be a JSON object, not {}", kind(&value));
            return Err(BrokerError::invalid("body", message));
        }
        serde_path_to_error::deserialize(value)
            .map(Body)
            .map_err(|e| {
                let path = e.path().to_string();
                let field = if path == "." { "body".to_owned() } else { path };
                BrokerError::invalid(field, e.into_inner().to_string())
            })
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Object(_) => "an object",
    }
}

/// The raw body, with the size limit turned into a JSON 413.
pub(crate) async fn read_bytes(request: Request, state: &AppState) -> Result<Bytes, BrokerError> {
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                BrokerError::TooLarge {
                    limit: state.max_body_bytes,
                }
            } else {
                BrokerError::invalid("body", rejection.body_text())
            }
        })
}

/// The raw body as text.
#[derive(Debug)]
pub(crate) struct Text(pub(crate) String);

impl FromRequest<AppState> for Text {
    type Rejection = BrokerError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, BrokerError> {
        let bytes = read_bytes(request, state).await?;
        String::from_utf8(bytes.to_vec())
            .map(Text)
            .map_err(|_| BrokerError::invalid("body", "the body is not UTF-8"))
    }
}
