//! Recorded exchanges to interactions with inferred matchers: types for
//! scalars, `each_like` for homogeneous arrays, regexes for UUIDs, ISO
//! dates and times, and e-mail addresses. Headers that vary between runs
//! are dropped; credentials are redacted. Pure: no I/O.

use std::sync::OnceLock;

use serde_json::Value;

use super::super::http::{request, status, RequestBuilder, ResponseBuilder};
use super::super::matchers::{boolean, each_like, integer, like, number, regex};
use super::super::pattern::Term;
use super::super::ContractBuilder;
use crate::model::{Body, BodyContent, Contract, Headers, HttpRequest, HttpResponse};

/// A lower-case or upper-case hyphenated UUID.
pub const UUID: &str =
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
/// An ISO 8601 date-time, with optional fraction and offset.
pub const DATE_TIME: &str =
    "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:?\\d{2})?";
/// An ISO 8601 date.
pub const DATE: &str = "\\d{4}-\\d{2}-\\d{2}";
/// An ISO 8601 time of day.
pub const TIME: &str = "\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?";
/// An e-mail address.
pub const EMAIL: &str = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";
/// The example a redacted credential gets.
pub const REDACTED: &str = "[redacted]";

/// Request headers a recorded interaction keeps (others come from the
/// client or the transport and are not part of the contract).
const REQUEST_HEADERS: &[&str] = &["accept", "content-type"];
/// Credentials: kept, their value redacted and matched loosely.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "cookie",
    "set-cookie",
    "proxy-authorization",
];
/// Response headers that vary between runs or belong to the transport.
const VARYING_HEADERS: &[&str] = &[
    "date",
    "age",
    "expires",
    "last-modified",
    "etag",
    "server",
    "via",
    "connection",
    "keep-alive",
    "content-length",
    "transfer-encoding",
    "vary",
];

/// One exchange the proxy saw.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The request as the client sent it.
    pub request: HttpRequest,
    /// The response as the upstream answered.
    pub response: HttpResponse,
}

/// What makes two exchanges the same interaction: method, path, query and
/// the shape of the request body.
pub fn exchange_key(request: &HttpRequest) -> String {
    let body = match request.body.content() {
        Some(BodyContent::Json(value)) => shape(value),
        Some(_) => "bytes".to_owned(),
        None => String::new(),
    };
    let query = request.query.to_query_string();
    format!("{} {}?{query} {body}", request.method, request.path)
}

/// The JSON types and keys of a value, without its scalars.
fn shape(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => "bool".to_owned(),
        Value::Number(_) => "number".to_owned(),
        Value::String(_) => "string".to_owned(),
        Value::Array(items) => {
            let mut shapes: Vec<String> = items.iter().map(shape).collect();
            shapes.dedup();
            format!("[{}]", shapes.join(","))
        }
        Value::Object(map) => {
            let fields: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}:{}", shape(v)))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
    }
}

/// The contract of the distinct exchanges (the first of each kind, see
/// [`exchange_key`]), in the order they were first seen.
pub fn infer_contract(consumer: &str, provider: &str, exchanges: &[Recorded]) -> Contract {
    let mut seen = std::collections::HashSet::new();
    let mut described = std::collections::HashMap::<String, usize>::new();
    let mut builder = ContractBuilder::new(consumer, provider);
    for exchange in exchanges {
        if !seen.insert(exchange_key(&exchange.request)) {
            continue;
        }
        let base = describe(exchange);
        let count = described.entry(base.clone()).or_default();
        *count += 1;
        let description = match *count {
            1 => base,
            n => format!("{base} ({n})"),
        };
        builder = builder.interaction(&description, |i| {
            i.request(infer_request(&exchange.request))
                .response(infer_response(&exchange.response))
        });
    }
    builder.contract
}

fn describe(exchange: &Recorded) -> String {
    let r = &exchange.request;
    let query = r.query.to_query_string();
    let target = if query.is_empty() {
        r.path.clone()
    } else {
        format!("{}?{query}", r.path)
    };
    format!("{} {target} -> {}", r.method, exchange.response.status)
}

fn infer_request(recorded: &HttpRequest) -> RequestBuilder {
    let mut out = request(&recorded.method, recorded.path.as_str());
    for (name, values) in &recorded.query.params {
        for value in values {
            out = out.query(name, value.as_str());
        }
    }
    for (name, value) in kept_headers(&recorded.headers, |n| REQUEST_HEADERS.contains(&n)) {
        out = out.header(&name, value);
    }
    match json_of(&recorded.body) {
        Some(value) => out.json(infer_value(value)),
        None => match raw_of(&recorded.body) {
            Some((bytes, content_type)) => out.body(bytes, &content_type),
            None => out,
        },
    }
}

fn infer_response(recorded: &HttpResponse) -> ResponseBuilder {
    let mut out = status(recorded.status);
    let keep = |name: &str| !VARYING_HEADERS.contains(&name) && !varies(name);
    for (name, value) in kept_headers(&recorded.headers, keep) {
        out = out.header(&name, value);
    }
    match json_of(&recorded.body) {
        Some(value) => out.json(infer_value(value)),
        None => match raw_of(&recorded.body) {
            Some((bytes, content_type)) => out.body(bytes, &content_type),
            None => out,
        },
    }
}

/// Request ids, correlation ids and traces differ on every exchange.
fn varies(name: &str) -> bool {
    [
        "request-id",
        "correlation-id",
        "trace",
        "span-id",
        "x-runtime",
        "x-response-time",
    ]
    .iter()
    .any(|part| name.contains(part))
}

/// The headers `keep` accepts (by lower-case name), with credentials
/// redacted; values are matched by type except the content type.
fn kept_headers(headers: &Headers, keep: impl Fn(&str) -> bool) -> Vec<(String, Term)> {
    let mut out = Vec::new();
    for (name, values) in headers.iter() {
        let lower = name.to_ascii_lowercase();
        if SECRET_HEADERS.contains(&lower.as_str()) {
            out.push((name.to_owned(), regex(".+", REDACTED)));
            continue;
        }
        if !keep(&lower) {
            continue;
        }
        let value = values.join(", ");
        let term = match lower.as_str() {
            "content-type" | "accept" => Term::from(value.as_str()),
            _ => infer_string(&value),
        };
        out.push((name.to_owned(), term));
    }
    out
}

fn json_of(body: &Body) -> Option<&Value> {
    match body.content() {
        Some(BodyContent::Json(value)) => Some(value),
        _ => None,
    }
}

fn raw_of(body: &Body) -> Option<(Vec<u8>, String)> {
    let bytes = body.to_bytes().into_owned();
    if bytes.is_empty() {
        return None;
    }
    let content_type = body
        .content_type()
        .map_or_else(|| "application/octet-stream".to_owned(), |c| c.to_string());
    Some((bytes, content_type))
}

/// A JSON value as a term that accepts any value of the same kind.
pub fn infer_value(value: &Value) -> Term {
    match value {
        Value::Null => Term::literal(Value::Null),
        Value::Bool(b) => boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => integer(i),
            None => number(n.clone()),
        },
        Value::String(s) => infer_string(s),
        Value::Array(items) if homogeneous(items) => each_like(infer_value(&items[0])).into(),
        Value::Array(items) if items.is_empty() => like(Value::Array(Vec::new())),
        Value::Array(items) => Term::array(items.iter().map(infer_value)),
        Value::Object(map) => Term::object(map.iter().map(|(k, v)| (k.clone(), infer_value(v)))),
    }
}

/// A text as a regex when it is a UUID, date, time or e-mail; else by type.
pub fn infer_string(text: &str) -> Term {
    static WHOLE: OnceLock<Vec<(&'static str, regex::Regex)>> = OnceLock::new();
    let whole = WHOLE.get_or_init(|| {
        [UUID, DATE_TIME, DATE, TIME, EMAIL]
            .into_iter()
            .filter_map(|p| Some((p, regex::Regex::new(&format!("^(?:{p})$")).ok()?)))
            .collect()
    });
    match whole.iter().find(|(_, r)| r.is_match(text)) {
        Some((pattern, _)) => regex(pattern, text),
        None => like(text),
    }
}

/// Non-empty, with every element of the same shape.
fn homogeneous(items: &[Value]) -> bool {
    let Some(first) = items.first() else {
        return false;
    };
    let first = shape(first);
    items.iter().all(|item| shape(item) == first)
}
