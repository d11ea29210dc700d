//! Webhook definitions: validation, matching events, and redaction.

use serde_json::{json, Map, Value};

use super::{Event, EVENTS};
use crate::error::BrokerError;

/// What secrets are replaced with on output.
const REDACTED: &str = "**********";

/// Checks a client's definition and returns the stored form:
/// `description`, `consumer`, `provider` (`{"name"}` or absent),
/// `events`, `request` and `enabled`.
pub(crate) fn validate(body: &Value) -> Result<Value, BrokerError> {
    let Some(object) = body.as_object() else {
        return Err(BrokerError::invalid("body", "must be a JSON object"));
    };
    let events = object
        .get("events")
        .and_then(Value::as_array)
        .filter(|e| !e.is_empty())
        .ok_or_else(|| BrokerError::invalid("events", "at least one event is required"))?;
    let mut names = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let name = event["name"].as_str().unwrap_or_default();
        if !EVENTS.contains(&name) {
            return Err(BrokerError::invalid(
                format!("events[{i}].name"),
                format!("must be one of {}", EVENTS.join(", ")),
            ));
        }
        names.push(json!({"name": name}));
    }
    let request = object
        .get("request")
        .and_then(Value::as_object)
        .ok_or_else(|| BrokerError::invalid("request", "is required"))?;
    let url = request
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(BrokerError::invalid(
            "request.url",
            "is required and must start with http:// or https://",
        ));
    }
    let method = request
        .get("method")
        .and_then(Value::as_str)
        .unwrap_or("POST");
    if axum::http::Method::from_bytes(method.as_bytes()).is_err() {
        return Err(BrokerError::invalid(
            "request.method",
            "is not an HTTP method",
        ));
    }
    if let Some(headers) = request.get("headers") {
        let valid = headers
            .as_object()
            .is_some_and(|h| h.values().all(Value::is_string));
        if !valid {
            return Err(BrokerError::invalid(
                "request.headers",
                "must be an object of string values",
            ));
        }
    }
    let mut stored = Map::new();
    for side in ["consumer", "provider"] {
        match object.get(side) {
            None | Some(Value::Null) => {}
            Some(v) if v["name"].is_string() => {
                stored.insert(side.into(), json!({"name": v["name"]}));
            }
            Some(v) if v.get("label").is_some() => {
                return Err(BrokerError::invalid(
                    format!("{side}.label"),
                    "labels are not supported; give a name",
                ))
            }
            Some(_) => {
                return Err(BrokerError::invalid(
                    format!("{side}.name"),
                    "must be a string",
                ))
            }
        }
    }
    let mut request = request.clone();
    request.insert("method".into(), Value::String(method.to_ascii_uppercase()));
    stored.insert(
        "description".into(),
        object.get("description").cloned().unwrap_or(Value::Null),
    );
    stored.insert("events".into(), Value::Array(names));
    stored.insert("request".into(), Value::Object(request));
    stored.insert(
        "enabled".into(),
        Value::Bool(
            object
                .get("enabled")
                .and_then(Value::as_bool)
                .unwrap_or(true),
        ),
    );
    Ok(Value::Object(stored))
}

/// Whether a stored definition fires for an event.
pub(crate) fn matches(definition: &Value, event: &Event) -> bool {
    if definition["enabled"] == Value::Bool(false) {
        return false;
    }
    let subscribed = definition["events"]
        .as_array()
        .is_some_and(|e| e.iter().any(|e| e["name"] == event.name));
    let side = |key: &str, param: &str| match definition[key]["name"].as_str() {
        Some(name) => event.context.get(param) == Some(name),
        None => true,
    };
    subscribed && side("consumer", "consumerName") && side("provider", "providerName")
}

fn is_secret_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("authorization") || name.contains("token")
}

/// A request with its password and secret headers masked.
pub(crate) fn redact_request(request: &Value) -> Value {
    let mut out = request.clone();
    if out.get("password").is_some_and(|p| !p.is_null()) {
        out["password"] = Value::String(REDACTED.into());
    }
    if let Some(headers) = out.get_mut("headers").and_then(Value::as_object_mut) {
        for (name, value) in headers.iter_mut() {
            if is_secret_header(name) {
                *value = Value::String(REDACTED.into());
            }
        }
    }
    out
}

/// A stored definition with its secrets masked.
pub(crate) fn redact(definition: &Value) -> Value {
    let mut out = definition.clone();
    out["request"] = redact_request(&definition["request"]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_definitions_by_field() {
        let field = |body: Value| match validate(&body) {
            Err(BrokerError::Validation { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(json!({"request": {"url": "http://x"}})), "events");
        assert_eq!(
            field(json!({"events": [{"name": "nope"}], "request": {"url": "http://x"}})),
            "events[0].name"
        );
        assert_eq!(
            field(
                json!({"events": [{"name": "contract_published"}], "request": {"url": "ftp://x"}})
            ),
            "request.url"
        );
    }

    #[test]
    fn redacts_passwords_and_secret_headers() {
        let out = redact_request(&json!({
            "url": "http://x", "password": "p", "username": "u",
            "headers": {"Authorization": "Bearer s", "X-Api-Token": "t", "Accept": "a"},
        }));
        assert_eq!(out["password"], REDACTED);
        assert_eq!(out["username"], "u");
        assert_eq!(out["headers"]["Authorization"], REDACTED);
        assert_eq!(out["headers"]["X-Api-Token"], REDACTED);
        assert_eq!(out["headers"]["Accept"], "a");
    }
}
