//! Bodies: V1–V3 write the body itself; V4 wraps it with its content type
//! and encoding.

use base64::Engine;
use serde_json::Value;

use super::problem::Reader;
use crate::model::{Body, BodyContent, ContentType, Headers, SpecVersion};

/// Reads a body; `value` is taken out of the document (`None`: no body key).
pub(crate) fn read(reader: &mut Reader, value: Option<Value>, headers: &Headers) -> Body {
    let declared = headers.first("Content-Type").and_then(ContentType::parse);
    match value {
        None => Body::Missing,
        Some(Value::Null) => Body::Null,
        Some(Value::Object(wrapper))
            if reader.version >= SpecVersion::V4 && wrapper.contains_key("content") =>
        {
            v4_wrapper(reader, wrapper, declared)
        }
        Some(value) => plain(value, declared),
    }
}

/// A body written as itself (V1–V3, or a bare V4 value).
fn plain(value: Value, declared: Option<ContentType>) -> Body {
    match value {
        Value::String(text) if text.is_empty() => Body::Empty,
        Value::String(text) => match declared.as_ref().filter(|ct| !ct.is_text()) {
            // A binary body has no V1-V3 form but base64 text, which is how
            // pact-reference writes and reads it.
            Some(_) => match base64::engine::general_purpose::STANDARD.decode(&text) {
                Ok(bytes) => Body::from_bytes(bytes, declared),
                Err(_) => text_body(text, declared),
            },
            None => text_body(text, declared),
        },
        value => Body::Present {
            content_type: declared.or_else(|| ContentType::parse("application/json")),
            content: BodyContent::Json(value),
        },
    }
}

/// Text in a file: JSON when the content type says so and it parses.
fn text_body(text: String, declared: Option<ContentType>) -> Body {
    let content = BodyContent::Text(text);
    let content_type = declared.or_else(|| crate::model::sniff_content(&content));
    let content = match (&content, &content_type) {
        (BodyContent::Text(text), Some(ct)) if ct.is_json() => serde_json::from_str(text)
            .map(BodyContent::Json)
            .unwrap_or(content),
        _ => content,
    };
    Body::Present {
        content_type,
        content,
    }
}

fn v4_wrapper(
    reader: &mut Reader,
    mut wrapper: serde_json::Map<String, Value>,
    declared: Option<ContentType>,
) -> Body {
    let content_type = match wrapper.get("contentType").and_then(Value::as_str) {
        // pact-jvm writes these when it did not know the type.
        Some("" | "null") => declared,
        Some(text) => match ContentType::parse(text) {
            Some(ct) => Some(ct),
            None => {
                reader.at("contentType", |r| {
                    r.problem(
                        format!("`{text}` is not a content type"),
                        "write e.g. \"application/json\"",
                    )
                });
                declared
            }
        },
        None => declared,
    };
    let content = wrapper.remove("content").unwrap_or(Value::Null);
    let encoded = match wrapper.get("encoded") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => None,
        Some(Value::Bool(true)) => Some("base64"),
        Some(Value::String(e)) => Some(e.as_str()),
        Some(_) => Some("?"),
    };
    match (encoded, content) {
        (_, Value::Null) => Body::Null,
        (None, Value::String(text)) if text.is_empty() => Body::Empty,
        (None, Value::String(text)) => text_body(text, content_type),
        (None, value) => Body::Present {
            content_type: content_type.or_else(|| ContentType::parse("application/json")),
            content: BodyContent::Json(value),
        },
        (Some("json"), Value::String(text)) => text_body(
            text,
            content_type.or_else(|| ContentType::parse("application/json")),
        ),
        (Some("json"), value) => Body::Present {
            content_type: content_type.or_else(|| ContentType::parse("application/json")),
            content: BodyContent::Json(value),
        },
        (Some(enc), Value::String(text)) if enc.eq_ignore_ascii_case("base64") => {
            match base64::engine::general_purpose::STANDARD.decode(text.trim()) {
                Ok(bytes) => Body::from_bytes(bytes, content_type),
                Err(e) => {
                    reader.at("content", |r| {
                        r.problem(
                            format!("content is not valid base64: {e}"),
                            "encode the bytes with standard base64",
                        )
                    });
                    Body::Missing
                }
            }
        }
        (Some(enc), _) => {
            reader.at("encoded", |r| {
                r.problem(
                    format!("unsupported encoding `{enc}` for this content"),
                    "use \"encoded\": false, \"base64\" or \"json\"",
                )
            });
            Body::Missing
        }
    }
}
