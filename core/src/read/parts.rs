//! Requests, responses and messages, with their headers and query.

use serde_json::{Map, Value};

use super::contract::rest;
use super::problem::Reader;
use super::{body, rules};
use crate::model::{Headers, HttpRequest, HttpResponse, Message, Query, SpecVersion};

/// Reads a request; its body was taken out of `value` by the caller.
pub(crate) fn request(reader: &mut Reader, value: &Value, body: Option<Value>) -> HttpRequest {
    let mut request = HttpRequest::default();
    let Some(obj) = as_object(reader, value, "request") else {
        return request;
    };
    if let Some(method) = reader.at("method", |r| {
        string(r, obj.get("method"), "\"method\": \"GET\"")
    }) {
        request.method = method;
    }
    if let Some(path) = reader.at("path", |r| {
        string(r, obj.get("path"), "\"path\": \"/users\"")
    }) {
        request.path = path;
    }
    request.query = reader.at("query", |r| query(r, obj.get("query")));
    request.headers = reader.at("headers", |r| headers(r, obj.get("headers")));
    request.body = reader.at("body", |r| body::read(r, body, &request.headers));
    request.matching_rules = rules::matching_rules(reader, obj.get("matchingRules"));
    request.generators = rules::generators(reader, obj.get("generators"));
    request.extra = rest(
        obj,
        &[
            "method",
            "path",
            "query",
            "headers",
            "body",
            "matchingRules",
            "generators",
        ],
    );
    request
}

/// Reads a response; its body was taken out of `value` by the caller.
pub(crate) fn response(reader: &mut Reader, value: &Value, body: Option<Value>) -> HttpResponse {
    let mut response = HttpResponse::default();
    let Some(obj) = as_object(reader, value, "response") else {
        return response;
    };
    if let Some(status) = obj.get("status") {
        match status.as_u64().and_then(|s| u16::try_from(s).ok()) {
            Some(status) => response.status = status,
            None => reader.at("status", |r| {
                r.problem(
                    format!("status must be an integer, found {status}"),
                    "write \"status\": 200",
                )
            }),
        }
    }
    response.headers = reader.at("headers", |r| headers(r, obj.get("headers")));
    response.body = reader.at("body", |r| body::read(r, body, &response.headers));
    response.matching_rules = rules::matching_rules(reader, obj.get("matchingRules"));
    response.generators = rules::generators(reader, obj.get("generators"));
    response.extra = rest(
        obj,
        &["status", "headers", "body", "matchingRules", "generators"],
    );
    response
}

/// Reads a message; its contents were taken out of `value` by the caller.
pub(crate) fn message(reader: &mut Reader, value: &Value, contents: Option<Value>) -> Message {
    let mut message = Message::default();
    let Some(obj) = as_object(reader, value, "message") else {
        return message;
    };
    let (meta_key, metadata) = match (obj.get("metadata"), obj.get("metaData")) {
        (Some(m), _) => ("metadata", m),
        (None, Some(m)) => ("metaData", m),
        (None, None) => ("metadata", &Value::Null),
    };
    message.metadata = match metadata {
        Value::Object(m) => m.clone(),
        Value::Null => Map::new(),
        _ => {
            reader.at(meta_key, |r| {
                r.problem(
                    "metadata must be an object",
                    "write \"metadata\": {\"contentType\": \"application/json\"}",
                )
            });
            Map::new()
        }
    };
    let content_type = message
        .metadata
        .iter()
        .find(|(k, _)| {
            k.eq_ignore_ascii_case("contentType") || k.eq_ignore_ascii_case("content-type")
        })
        .and_then(|(_, v)| v.as_str());
    let headers: Headers = content_type
        .map(|ct| ("Content-Type", ct))
        .into_iter()
        .collect();
    message.contents = reader.at("contents", |r| body::read(r, contents, &headers));
    message.matching_rules = rules::matching_rules(reader, obj.get("matchingRules"));
    message.generators = rules::generators(reader, obj.get("generators"));
    message.extra = rest(
        obj,
        &[
            "contents",
            "metadata",
            "metaData",
            "matchingRules",
            "generators",
        ],
    );
    message
}

fn as_object<'a>(
    reader: &mut Reader,
    value: &'a Value,
    what: &str,
) -> Option<&'a Map<String, Value>> {
    match value {
        Value::Object(obj) => Some(obj),
        Value::Null => {
            reader.problem(
                format!("missing {what}"),
                format!("add a \"{what}\" object"),
            );
            None
        }
        _ => {
            reader.problem(
                format!("the {what} must be an object"),
                format!("write the {what} as a JSON object"),
            );
            None
        }
    }
}

fn string(reader: &mut Reader, value: Option<&Value>, example: &str) -> Option<String> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            reader.problem(
                format!("must be a string, found {other}"),
                format!("write {example}"),
            );
            None
        }
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

fn query(reader: &mut Reader, value: Option<&Value>) -> Query {
    match value {
        None | Some(Value::Null) => Query::default(),
        Some(Value::String(raw)) => {
            let mut query = Query::parse(raw);
            if reader.version > SpecVersion::V1 {
                query.raw = None; // only V1 compares query strings as raw text
            }
            query
        }
        Some(Value::Object(params)) => {
            let mut query = Query::default();
            for (name, values) in params {
                reader.at(name, |r| {
                    for value in values_of(r, values) {
                        query.append(name.clone(), value);
                    }
                });
            }
            query
        }
        Some(other) => {
            reader.problem(
                format!("query must be a string or an object, found {other}"),
                "write \"query\": {\"name\": [\"value\"]}",
            );
            Query::default()
        }
    }
}

fn headers(reader: &mut Reader, value: Option<&Value>) -> Headers {
    match value {
        None | Some(Value::Null) => Headers::default(),
        Some(Value::Object(map)) => {
            let mut headers = Headers::default();
            for (name, values) in map {
                let values = reader.at(name, |r| values_of(r, values));
                headers.insert(name.clone(), values);
            }
            headers
        }
        Some(other) => {
            reader.problem(
                format!("headers must be an object, found {other}"),
                "write \"headers\": {\"Accept\": \"application/json\"}",
            );
            Headers::default()
        }
    }
}

/// A value or list of values (`"a"`, `["a", "b"]`, scalars as text).
fn values_of(reader: &mut Reader, value: &Value) -> Vec<String> {
    let list: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    let mut out = Vec::with_capacity(list.len());
    for item in list {
        match scalar_text(item) {
            Some(text) => out.push(text),
            None => reader.problem(
                format!("expected a string, found {item}"),
                "write values as strings",
            ),
        }
    }
    out
}
