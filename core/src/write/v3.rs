//! The V3 form: HTTP pacts list `interactions`, message pacts `messages`;
//! headers are single strings, bodies are written as themselves.

use base64::Engine;
use serde_json::{json, Map, Value};

use super::error::{BodyPart, Dropped, DroppedFeature, InteractionRef, WriteError};
use super::parts;
use crate::model::{
    Body, BodyContent, ContentType, Contract, Headers, HttpRequest, HttpResponse, Interaction,
    InteractionKind, Message, SpecVersion,
};

pub(super) fn contract(contract: &Contract) -> Result<Value, WriteError> {
    let messages = file_kind(contract)?;
    let mut out = contract.extra.clone();
    out.insert("consumer".into(), parts::pacticipant(&contract.consumer));
    out.insert("provider".into(), parts::pacticipant(&contract.provider));
    let items = contract
        .interactions
        .iter()
        .enumerate()
        .map(|(index, i)| interaction(i, &at(index, i)))
        .collect::<Result<Vec<_>, _>>()?;
    let key = if messages { "messages" } else { "interactions" };
    out.insert(key.into(), Value::Array(items));
    out.insert(
        "metadata".into(),
        parts::metadata(contract, SpecVersion::V3),
    );
    Ok(Value::Object(out))
}

/// What a V3 file cannot hold but [`super::write_contract`] leaves out
/// rather than failing on.
pub(super) fn dropped(contract: &Contract) -> Vec<Dropped> {
    let mut out = Vec::new();
    for (index, interaction) in contract.interactions.iter().enumerate() {
        let mut features = Vec::new();
        if interaction.key.is_some() {
            features.push(DroppedFeature::Key);
        }
        if interaction.pending {
            features.push(DroppedFeature::Pending);
        }
        if !parts::comments(&interaction.comments).is_empty() {
            features.push(DroppedFeature::Comments);
        }
        if !interaction.plugin_config.is_empty() {
            features.push(DroppedFeature::PluginConfiguration);
        }
        features.extend(body_type_losses(&interaction.kind));
        let at = at(index, interaction);
        out.extend(features.into_iter().map(|feature| Dropped {
            interaction: at.clone(),
            feature,
        }));
    }
    out
}

fn at(index: usize, interaction: &Interaction) -> InteractionRef {
    InteractionRef {
        index,
        description: interaction.description.clone(),
    }
}

/// True for a message pact, false for an HTTP pact (also when empty).
fn file_kind(contract: &Contract) -> Result<bool, WriteError> {
    let Some(first) = contract.interactions.first() else {
        return Ok(false);
    };
    let is_message = |i: &Interaction| matches!(i.kind, InteractionKind::AsyncMessage(_));
    for (index, interaction) in contract.interactions.iter().enumerate() {
        if let InteractionKind::SyncMessage { .. } = interaction.kind {
            return Err(WriteError::SyncMessageInV3 {
                interaction: at(index, interaction),
            });
        }
        if is_message(interaction) != is_message(first) {
            return Err(WriteError::MixedInteractions {
                interaction: at(index, interaction),
                found: interaction.kind.type_name(),
                first: at(0, first),
                expected: first.kind.type_name(),
            });
        }
    }
    Ok(is_message(first))
}

fn interaction(interaction: &Interaction, at: &InteractionRef) -> Result<Value, WriteError> {
    let mut out = interaction.extra.clone();
    out.insert("description".into(), json!(interaction.description));
    if !interaction.provider_states.is_empty() {
        out.insert(
            "providerStates".into(),
            parts::provider_states(&interaction.provider_states),
        );
    }
    match &interaction.kind {
        InteractionKind::Http { request, response } => {
            out.insert("request".into(), http_request(request, at)?);
            out.insert("response".into(), http_response(response, at)?);
        }
        InteractionKind::AsyncMessage(message) => out.extend(message_fields(message, at)?),
        InteractionKind::SyncMessage { .. } => {
            return Err(WriteError::SyncMessageInV3 {
                interaction: at.clone(),
            })
        }
    }
    Ok(Value::Object(out))
}

fn http_request(request: &HttpRequest, at: &InteractionRef) -> Result<Value, WriteError> {
    let mut out = request.extra.clone();
    out.insert("method".into(), json!(request.method));
    out.insert("path".into(), json!(request.path));
    if let Some(query) = parts::query(&request.query) {
        out.insert("query".into(), query);
    }
    let body = (&request.body, at, BodyPart::Request);
    http_common(&mut out, &request.headers, body)?;
    insert_rules(&mut out, &request.matching_rules, &request.generators);
    Ok(Value::Object(out))
}

fn http_response(response: &HttpResponse, at: &InteractionRef) -> Result<Value, WriteError> {
    let mut out = response.extra.clone();
    out.insert("status".into(), json!(response.status));
    let body = (&response.body, at, BodyPart::Response);
    http_common(&mut out, &response.headers, body)?;
    insert_rules(&mut out, &response.matching_rules, &response.generators);
    Ok(Value::Object(out))
}

fn http_common(
    out: &mut Map<String, Value>,
    headers: &Headers,
    (body, at, part): (&Body, &InteractionRef, BodyPart),
) -> Result<(), WriteError> {
    if !headers.is_empty() {
        let map: Map<String, Value> = headers
            .iter()
            .map(|(name, values)| (name.to_owned(), json!(values.join(", "))))
            .collect();
        out.insert("headers".into(), Value::Object(map));
    }
    if let Some(body) = plain_body(body, headers.first("Content-Type"), at, part)? {
        out.insert("body".into(), body);
    }
    Ok(())
}

fn insert_rules(
    out: &mut Map<String, Value>,
    rules: &crate::model::MatchingRules,
    generators: &crate::model::Generators,
) {
    if let Some(rules) = parts::matching_rules(rules) {
        out.insert("matchingRules".into(), rules);
    }
    if let Some(generators) = parts::generators(generators) {
        out.insert("generators".into(), generators);
    }
}

fn message_fields(
    message: &Message,
    at: &InteractionRef,
) -> Result<Map<String, Value>, WriteError> {
    let mut out = Map::new();
    let declared = parts::metadata_content_type(&message.metadata);
    if let Some(contents) = plain_body(&message.contents, declared, at, BodyPart::Message)? {
        out.insert("contents".into(), contents);
    }
    if !message.metadata.is_empty() {
        out.insert("metadata".into(), Value::Object(message.metadata.clone()));
    }
    insert_rules(&mut out, &message.matching_rules, &message.generators);
    Ok(out)
}

/// A body as itself: JSON as the document, text as a string, bytes as
/// base64 (as pact-reference writes them), which reads back as bytes only
/// under a binary content type, so anything else is an error.
fn plain_body(
    body: &Body,
    declared: Option<&str>,
    at: &InteractionRef,
    part: BodyPart,
) -> Result<Option<Value>, WriteError> {
    let content = match body {
        Body::Missing => return Ok(None),
        Body::Null => return Ok(Some(Value::Null)),
        Body::Empty => return Ok(Some(json!(""))),
        Body::Present { content, .. } => content,
    };
    Ok(Some(match content {
        BodyContent::Json(value) => match parts::json_as_text(value) {
            Some(text) => json!(text),
            None => value.clone(),
        },
        BodyContent::Text(text) => json!(text),
        BodyContent::Bytes(bytes) => match declared.and_then(ContentType::parse) {
            Some(ct) if !ct.is_text() => {
                json!(base64::engine::general_purpose::STANDARD.encode(bytes))
            }
            _ => {
                return Err(WriteError::BinaryBodyInV3 {
                    interaction: at.clone(),
                    part,
                    content_type: declared.unwrap_or("none").to_owned(),
                })
            }
        },
    }))
}

/// The bodies' declared content types a V3 reader would not see again.
fn body_type_losses(kind: &InteractionKind) -> Vec<DroppedFeature> {
    let bodies = match kind {
        InteractionKind::Http { request, response } => vec![
            (
                &request.body,
                request.headers.first("Content-Type"),
                BodyPart::Request,
            ),
            (
                &response.body,
                response.headers.first("Content-Type"),
                BodyPart::Response,
            ),
        ],
        InteractionKind::AsyncMessage(message) => vec![(
            &message.contents,
            parts::metadata_content_type(&message.metadata),
            BodyPart::Message,
        )],
        InteractionKind::SyncMessage { .. } => Vec::new(),
    };
    bodies
        .into_iter()
        .filter_map(|(body, declared, part)| body_type_loss(body, declared, part))
        .collect()
}

/// A declared body content type that a V3 reader would not see again.
fn body_type_loss(body: &Body, declared: Option<&str>, part: BodyPart) -> Option<DroppedFeature> {
    let Body::Present {
        content_type: Some(own),
        content,
    } = body
    else {
        return None;
    };
    let read_back = declared
        .and_then(ContentType::parse)
        .or_else(|| match content {
            BodyContent::Bytes(_) => None,
            textual if parts::is_textual(textual) => {
                let written = textual.as_text().unwrap_or_default().into_owned();
                crate::model::sniff_content(&BodyContent::Text(written))
            }
            _ => ContentType::parse("application/json"),
        });
    if read_back.as_ref() == Some(own) {
        return None;
    }
    Some(DroppedFeature::BodyContentType {
        part,
        declared: own.to_string(),
        read_back: read_back.map_or_else(|| "none".to_owned(), |ct| ct.to_string()),
    })
}
