//! Message interactions, verified as the Pact verifier does: the provider
//! exposes an HTTP endpoint (the message URL, by default the provider's
//! base URL) that answers a POST of `{"description", "providerStates"}`
//! (plus `"request"` for a synchronous message) with the message: the body
//! is the contents, `Content-Type` its content type, and the metadata is
//! base64-encoded JSON in the `Pact-Message-Metadata` header.

use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::generate::{generate_message, GeneratorContext};
use crate::matching::{match_message, Mismatch, Part};
use crate::model::{Body, Interaction, Message};

use super::http_client::{Outgoing, Received};
use super::interaction::{error, generator_error, outcome};
use super::report::Outcome;
use super::run::Context;

/// The parts of a synchronous message interaction.
pub(crate) struct SyncExchange<'a> {
    pub(crate) request: &'a Message,
    pub(crate) responses: &'a [Message],
    pub(crate) generators: &'a GeneratorContext,
}

/// Fetches the message and matches it.
pub(crate) async fn verify_async(
    ctx: &Context,
    interaction: &Interaction,
    expected: &Message,
) -> Outcome {
    let body = request_body(interaction, None);
    match fetch(ctx, body).await {
        Ok(actual) => outcome(match_message(expected, &actual)),
        Err(outcome) => outcome,
    }
}

/// Sends the request message and matches the answer (the provider answers
/// with one message) with the expected responses: it passes when it matches
/// one of them, else it fails with the mismatches of the closest.
pub(crate) async fn verify_sync(
    ctx: &Context,
    interaction: &Interaction,
    exchange: SyncExchange<'_>,
) -> Outcome {
    let request = match generate_message(exchange.request, exchange.generators) {
        Ok(request) => request,
        Err(e) => return generator_error(&e),
    };
    let body = request_body(interaction, Some(&request));
    let actual = match fetch(ctx, body).await {
        Ok(actual) => actual,
        Err(outcome) => return outcome,
    };
    let results = exchange
        .responses
        .iter()
        .map(|expected| match_message(expected, &actual));
    let Some((index, mut closest)) = results
        .enumerate()
        .min_by_key(|(_, result)| result.mismatches.len())
    else {
        return Outcome::Passed;
    };
    let count = exchange.responses.len();
    if count > 1 && !closest.is_match() {
        let message = format!(
            "the answer matched none of the {count} expected responses; \
             the mismatches below are those of the closest, response {}",
            index + 1
        );
        let note = Mismatch::new(Part::Body, "$", None, None, message);
        closest.mismatches.insert(0, note);
    }
    outcome(closest)
}

fn request_body(interaction: &Interaction, request: Option<&Message>) -> Value {
    let states: Vec<Value> = interaction
        .provider_states
        .iter()
        .map(|s| json!({"name": s.name, "params": s.params}))
        .collect();
    let mut body = json!({
        "description": interaction.description,
        "providerStates": states,
    });
    if let Some(request) = request {
        body["request"] = crate::write::message_json(request);
    }
    body
}

async fn fetch(ctx: &Context, body: Value) -> Result<Message, Outcome> {
    let url = ctx
        .options
        .message_url
        .clone()
        .unwrap_or_else(|| ctx.options.provider_url.clone());
    let mut headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    headers.extend(ctx.options.headers.iter().cloned());
    let out = Outgoing {
        method: "POST".into(),
        url: url.clone(),
        headers,
        body: body.to_string().into_bytes(),
    };
    let received = ctx.client.send(out).await.map_err(error)?;
    if !(200..300).contains(&received.status) {
        let message = format!(
            "the message request to {url} answered HTTP {}: {}",
            received.status,
            received.body_excerpt()
        );
        return Err(Outcome::Failed {
            mismatches: vec![Mismatch::new(Part::Status, "", None, None, message)],
            body_diff: None,
        });
    }
    Ok(into_message(received))
}

/// The answer as a message: body by its content type, metadata from the
/// `Pact-Message-Metadata` header (plus `contentType` when it lacks one).
fn into_message(received: Received) -> Message {
    let content_type = received.content_type();
    let mut metadata = received
        .headers
        .first("Pact-Message-Metadata")
        .and_then(decode_metadata)
        .unwrap_or_default();
    if let Some(ct) = &content_type {
        if !metadata
            .keys()
            .any(|k| k.eq_ignore_ascii_case("contentType"))
        {
            metadata.insert("contentType".into(), json!(ct.to_string()));
        }
    }
    Message {
        contents: Body::from_bytes(received.body, content_type),
        metadata,
        ..Message::default()
    }
}

fn decode_metadata(header: &str) -> Option<Map<String, Value>> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(header.trim())
        .ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Headers;

    #[test]
    fn metadata_comes_from_the_header() {
        let meta = base64::engine::general_purpose::STANDARD.encode(r#"{"topic":"orders"}"#);
        let headers: Headers = [
            ("Content-Type", "application/json"),
            ("Pact-Message-Metadata", meta.as_str()),
        ]
        .into_iter()
        .collect();
        let message = into_message(Received {
            status: 200,
            headers,
            body: br#"{"id":7}"#.to_vec(),
        });
        assert_eq!(message.metadata["topic"], "orders");
        assert_eq!(message.metadata["contentType"], "application/json");
        assert_eq!(message.contents, Body::json(json!({"id": 7})));
    }
}
