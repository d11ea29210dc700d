//! Provider-state changes, the Pact way: before an interaction, one call
//! per provider state (one with an empty name when there is none) with
//! `{"state", "params", "action": "setup"}`; optionally the same with
//! `"action": "teardown"` after it. The JSON object a setup call answers
//! with provides the values of `ProviderState` generators.

use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::model::{ProviderState, Query};

use super::http_client::{Failure, HttpClient, Outgoing};
use super::options::StateChangeOptions;
use super::report::ErrorKind;

/// Which call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Setup,
    Teardown,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Setup => "setup",
            Action::Teardown => "teardown",
        }
    }
}

/// Calls the endpoint for every state of an interaction, in order; the
/// values the calls answered with, merged (later ones win).
pub(crate) async fn change(
    client: &HttpClient,
    options: &StateChangeOptions,
    states: &[ProviderState],
    action: Action,
) -> Result<Map<String, Value>, Failure> {
    let none = [ProviderState::named("")];
    let states = if states.is_empty() { &none[..] } else { states };
    let mut values = Map::new();
    for state in states {
        values.extend(call(client, options, state, action).await?);
    }
    Ok(values)
}

/// The first wait before a call is tried again.
const FIRST_RETRY_DELAY: Duration = Duration::from_millis(250);

/// One state-change call, tried again after no answer or a 5xx.
async fn call(
    client: &HttpClient,
    options: &StateChangeOptions,
    state: &ProviderState,
    action: Action,
) -> Result<Map<String, Value>, Failure> {
    let what = format!("state change '{}' ({})", state.name, action.as_str());
    let mut delay = FIRST_RETRY_DELAY;
    let mut attempt = 0;
    loop {
        match attempt_call(client, options, state, action, &what).await {
            Err((failure, true)) if attempt < options.retries => {
                attempt += 1;
                tracing::debug!("{}; trying again in {delay:?}", failure.message);
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            Err((mut failure, _)) => {
                if attempt > 0 {
                    failure
                        .message
                        .push_str(&format!(" (after {} tries)", attempt + 1));
                }
                return Err(failure);
            }
            Ok(values) => return Ok(values),
        }
    }
}

/// One try; the error says whether trying again may help.
async fn attempt_call(
    client: &HttpClient,
    options: &StateChangeOptions,
    state: &ProviderState,
    action: Action,
    what: &str,
) -> Result<Map<String, Value>, (Failure, bool)> {
    let received = match client.send(outgoing(options, state, action)).await {
        Ok(received) => received,
        Err(f) => {
            let failure = Failure::new(
                ErrorKind::StateChangeFailed,
                format!("{what}: {}", f.message),
            );
            return Err((failure, true));
        }
    };
    if !(200..300).contains(&received.status) {
        let message = format!(
            "{what} answered HTTP {}: {}",
            received.status,
            received.body_excerpt()
        );
        let transient = received.status >= 500;
        return Err((
            Failure::new(ErrorKind::StateChangeFailed, message),
            transient,
        ));
    }
    Ok(match serde_json::from_slice(&received.body) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    })
}

fn outgoing(options: &StateChangeOptions, state: &ProviderState, action: Action) -> Outgoing {
    if options.as_query {
        let mut query = Query::default();
        query.append("state", state.name.as_str());
        query.append("action", action.as_str());
        for (name, value) in &state.params {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            query.append(name.as_str(), text);
        }
        let separator = if options.url.contains('?') { '&' } else { '?' };
        return Outgoing {
            method: "POST".into(),
            url: format!("{}{separator}{}", options.url, query.to_query_string()),
            headers: Vec::new(),
            body: Vec::new(),
        };
    }
    let body = json!({
        "state": state.name,
        "params": state.params,
        "action": action.as_str(),
    });
    Outgoing {
        method: "POST".into(),
        url: options.url.clone(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.to_string().into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> ProviderState {
        let mut s = ProviderState::named("a user exists");
        s.params.insert("id".into(), json!(10));
        s.params.insert("name".into(), json!("Bob Smith"));
        s
    }

    #[test]
    fn json_body_by_default() {
        let out = outgoing(
            &StateChangeOptions::new("http://h/state"),
            &state(),
            Action::Setup,
        );
        let body: Value = serde_json::from_slice(&out.body).unwrap();
        assert_eq!(
            body,
            json!({"state": "a user exists", "params": {"id": 10, "name": "Bob Smith"}, "action": "setup"})
        );
    }

    #[test]
    fn query_parameters_when_asked() {
        let mut options = StateChangeOptions::new("http://h/state");
        options.as_query = true;
        let out = outgoing(&options, &state(), Action::Teardown);
        assert_eq!(
            out.url,
            "http://h/state?state=a%20user%20exists&action=teardown&id=10&name=Bob%20Smith"
        );
        assert!(out.body.is_empty());
    }
}
