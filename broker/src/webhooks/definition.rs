//! Webhook definitions: validation, matching events, and redaction.

use serde_json::{json, Map, Value};

use super::allow::AllowList;
use super::{Context, Labels, EVENTS};
use crate::error::BrokerError;

/// What secrets are replaced with on output.
const REDACTED: &str = "**********";

/// Checks a client's definition, and its target against the allow-list,
/// and returns the stored form: `description`, `consumer`, `provider`
/// (`{"name"}`, `{"label"}` or absent), `events`, `request` and `enabled`.
pub(crate) fn validate(body: &Value, allow: &AllowList) -> Result<Value, BrokerError> {
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
    // Absent means POST; any other type is a mistake, not a default.
    let method = match request.get("method") {
        None | Some(Value::Null) => "POST",
        Some(Value::String(method)) => method.as_str(),
        Some(_) => {
            return Err(BrokerError::invalid(
                "request.method",
                "must be a string naming an HTTP method",
            ))
        }
    };
    if axum::http::Method::from_bytes(method.as_bytes()).is_err() {
        return Err(BrokerError::invalid(
            "request.method",
            "is not an HTTP method",
        ));
    }
    allow.check(method, url)?;
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
        if let Some(scope) = scope(object.get(side), side)? {
            stored.insert(side.into(), scope);
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
    // `"enabled": "false"` must not leave a webhook enabled.
    let enabled = match object.get("enabled") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(enabled)) => *enabled,
        Some(_) => return Err(BrokerError::invalid("enabled", "must be true or false")),
    };
    stored.insert("enabled".into(), Value::Bool(enabled));
    Ok(Value::Object(stored))
}

/// A `consumer` or `provider` restriction: `{"name"}`, `{"label"}`, or
/// none (absent, null or `{}`).
fn scope(value: Option<&Value>, side: &str) -> Result<Option<Value>, BrokerError> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let Some(object) = value.as_object() else {
        return Err(BrokerError::invalid(
            side,
            "must be an object with a name or a label",
        ));
    };
    let text = |key: &str| match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
        Some(_) => Err(BrokerError::invalid(
            format!("{side}.{key}"),
            "must be a non-blank string",
        )),
    };
    match (text("name")?, text("label")?) {
        (Some(_), Some(_)) => Err(BrokerError::invalid(
            side,
            "give a name or a label, not both",
        )),
        (Some(name), None) => Ok(Some(json!({"name": name}))),
        (None, Some(label)) => Ok(Some(json!({"label": label}))),
        (None, None) => Ok(None),
    }
}

/// Whether a stored definition fires for an event: subscribed, enabled,
/// and each side unrestricted or matching by name or label.
pub(crate) fn matches(definition: &Value, event: &str, context: &Context, labels: &Labels) -> bool {
    if definition["enabled"] == Value::Bool(false) {
        return false;
    }
    let subscribed = definition["events"]
        .as_array()
        .is_some_and(|e| e.iter().any(|e| e["name"] == event));
    let side = |key: &str, param: &str, labels: &[String]| {
        let scope = &definition[key];
        if let Some(name) = scope["name"].as_str() {
            context.get(param) == Some(name)
        } else if let Some(label) = scope["label"].as_str() {
            labels.iter().any(|l| l == label)
        } else {
            true
        }
    };
    subscribed
        && side("consumer", "consumerName", &labels.consumer)
        && side("provider", "providerName", &labels.provider)
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

/// A URL for the log: no credentials, and query values masked (they may
/// carry tokens).
pub(crate) fn redact_url(url: &str) -> String {
    let Ok(mut parsed) = reqwest::Url::parse(url) else {
        return "(invalid URL)".into();
    };
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    let masked: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(name, _)| (name.into_owned(), "*".to_owned()))
        .collect();
    if !masked.is_empty() {
        parsed.query_pairs_mut().clear().extend_pairs(masked);
    }
    parsed.to_string()
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
        let allow = AllowList::new(&["http", "https"], &["POST"], &[]).unwrap();
        let field = |body: Value| match validate(&body, &allow) {
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
        let published = json!([{"name": "contract_published"}]);
        assert_eq!(
            field(json!({"events": published, "request": {"url": "http://x", "method": 5}})),
            "request.method"
        );
        assert_eq!(
            field(json!({"events": published, "request": {"url": "http://x"}, "enabled": "false"})),
            "enabled"
        );
    }

    #[test]
    fn scopes_match_by_name_or_label() {
        let mut context = Context::default();
        context.set("consumerName", "Foo".into());
        context.set("providerName", "Bar".into());
        let labels = Labels {
            consumer: vec!["mobile".into()],
            provider: Vec::new(),
        };
        let fires = |consumer: Value, provider: Value| {
            let definition = json!({
                "consumer": consumer, "provider": provider,
                "events": [{"name": "contract_published"}], "enabled": true,
            });
            matches(&definition, "contract_published", &context, &labels)
        };
        assert!(fires(json!({"name": "Foo"}), Value::Null));
        assert!(fires(json!({"label": "mobile"}), json!({"name": "Bar"})));
        assert!(!fires(json!({"label": "web"}), Value::Null));
        assert!(!fires(Value::Null, json!({"label": "mobile"})));
        assert!(!fires(json!({"name": "Other"}), Value::Null));
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

    #[test]
    fn redacted_urls_hide_credentials_and_query_values() {
        assert_eq!(
            redact_url("https://u:p@ci.test/build?token=s3cret&x=1"),
            "https://ci.test/build?token=*&x=*"
        );
        assert_eq!(redact_url("http://ci.test/b"), "http://ci.test/b");
    }
}
