//! The V4 form, as pact-reference writes it: every interaction carries its
//! `type` and `pending`, headers and query values are lists, bodies are
//! wrapped with their content type and encoding.

use base64::Engine;
use serde_json::{json, Map, Value};

use super::parts;
use crate::model::{
    Body, BodyContent, Contract, Headers, HttpRequest, HttpResponse, Interaction, InteractionKind,
    Message, SpecVersion,
};

pub(super) fn contract(contract: &Contract) -> Value {
    let mut out = contract.extra.clone();
    out.insert("consumer".into(), parts::pacticipant(&contract.consumer));
    out.insert("provider".into(), parts::pacticipant(&contract.provider));
    out.insert(
        "interactions".into(),
        contract.interactions.iter().map(interaction).collect(),
    );
    out.insert(
        "metadata".into(),
        parts::metadata(contract, SpecVersion::V4),
    );
    Value::Object(out)
}

fn interaction(interaction: &Interaction) -> Value {
    let mut out = interaction.extra.clone();
    out.insert("type".into(), json!(interaction.kind.type_name()));
    out.insert("description".into(), json!(interaction.description));
    if let Some(key) = &interaction.key {
        out.insert("key".into(), json!(key));
    }
    out.insert("pending".into(), json!(interaction.pending));
    if !interaction.provider_states.is_empty() {
        out.insert(
            "providerStates".into(),
            parts::provider_states(&interaction.provider_states),
        );
    }
    let comments = parts::comments(&interaction.comments);
    if !comments.is_empty() {
        out.insert("comments".into(), Value::Object(comments));
    }
    if !interaction.plugin_config.is_empty() {
        out.insert(
            "pluginConfiguration".into(),
            Value::Object(interaction.plugin_config.clone()),
        );
    }
    match &interaction.kind {
        InteractionKind::Http { request, response } => {
            out.insert("request".into(), http_request(request));
            out.insert("response".into(), http_response(response));
        }
        InteractionKind::AsyncMessage(message) => out.extend(message_fields(message)),
        InteractionKind::SyncMessage { request, responses } => {
            out.insert("request".into(), Value::Object(message_fields(request)));
            out.insert(
                "response".into(),
                responses
                    .iter()
                    .map(|m| Value::Object(message_fields(m)))
                    .collect(),
            );
        }
    }
    Value::Object(out)
}

fn http_request(request: &HttpRequest) -> Value {
    let mut out = request.extra.clone();
    out.insert("method".into(), json!(request.method));
    out.insert("path".into(), json!(request.path));
    if let Some(query) = parts::query(&request.query) {
        out.insert("query".into(), query);
    }
    http_common(
        &mut out,
        &request.headers,
        &request.body,
        parts::matching_rules(&request.matching_rules),
        parts::generators(&request.generators),
    );
    Value::Object(out)
}

fn http_response(response: &HttpResponse) -> Value {
    let mut out = response.extra.clone();
    out.insert("status".into(), json!(response.status));
    http_common(
        &mut out,
        &response.headers,
        &response.body,
        parts::matching_rules(&response.matching_rules),
        parts::generators(&response.generators),
    );
    Value::Object(out)
}

fn http_common(
    out: &mut Map<String, Value>,
    headers: &Headers,
    body: &Body,
    rules: Option<Value>,
    generators: Option<Value>,
) {
    if !headers.is_empty() {
        let map: Map<String, Value> = headers
            .iter()
            .map(|(name, values)| (name.to_owned(), json!(values)))
            .collect();
        out.insert("headers".into(), Value::Object(map));
    }
    if let Some(body) = wrapped_body(body, headers.first("Content-Type")) {
        out.insert("body".into(), body);
    }
    if let Some(rules) = rules {
        out.insert("matchingRules".into(), rules);
    }
    if let Some(generators) = generators {
        out.insert("generators".into(), generators);
    }
}

/// `contents`, `metadata`, `matchingRules` and `generators` of a message
/// (an async message interaction, or one side of a sync message).
pub(super) fn message_fields(message: &Message) -> Map<String, Value> {
    let mut out = message.extra.clone();
    let declared = parts::metadata_content_type(&message.metadata);
    if let Some(contents) = wrapped_body(&message.contents, declared) {
        out.insert("contents".into(), contents);
    }
    if !message.metadata.is_empty() {
        out.insert("metadata".into(), Value::Object(message.metadata.clone()));
    }
    if let Some(rules) = parts::matching_rules(&message.matching_rules) {
        out.insert("matchingRules".into(), rules);
    }
    if let Some(generators) = parts::generators(&message.generators) {
        out.insert("generators".into(), generators);
    }
    out
}

/// The V4 body wrapper `{content, contentType, encoded}`; `None` for a
/// missing body. JSON is written as itself, text as a string, bytes as
/// base64. A JSON document that is a bare string or `null` is written as
/// its JSON text with `"encoded": "json"`, which every reader parses back.
fn wrapped_body(body: &Body, declared: Option<&str>) -> Option<Value> {
    let content = match body {
        Body::Missing => return None,
        Body::Null => return Some(json!({ "content": null })),
        Body::Empty => return Some(json!({ "content": "" })),
        Body::Present { content, .. } => content,
    };
    let (content, encoded) = match content {
        BodyContent::Json(value) => match parts::json_as_text(value) {
            Some(text) => (json!(text), json!("json")),
            None => (value.clone(), json!(false)),
        },
        BodyContent::Text(text) => (json!(text), json!(false)),
        BodyContent::Bytes(bytes) => (
            json!(base64::engine::general_purpose::STANDARD.encode(bytes)),
            json!("base64"),
        ),
    };
    let mut out = Map::new();
    out.insert("content".into(), content);
    if let Some(content_type) = parts::body_type(body, declared) {
        out.insert("contentType".into(), json!(content_type.to_string()));
    }
    out.insert("encoded".into(), encoded);
    Some(Value::Object(out))
}
