use std::fmt;

use serde_json::Value;

use super::view::{Json, View};

/// The part of a request, response or message a mismatch is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// The request method.
    Method,
    /// The request path.
    Path,
    /// A query parameter (or the whole query string in V1).
    Query,
    /// A header.
    Header,
    /// The body, or a value inside it.
    Body,
    /// The body's content type differs.
    BodyType,
    /// The response status.
    Status,
    /// Message metadata.
    Metadata,
}

impl Part {
    /// The lower-case name used in locations and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Method => "method",
            Part::Path => "path",
            Part::Query => "query",
            Part::Header => "headers",
            Part::Body | Part::BodyType => "body",
            Part::Status => "status",
            Part::Metadata => "metadata",
        }
    }
}

/// One difference between what a contract expects and what was seen.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// Which part of the message differs.
    pub part: Part,
    /// Where inside that part: a body path (`$.items[2].id`), a header or
    /// query parameter name, empty for method, path and status.
    pub path: String,
    /// The expected value, when there is one.
    pub expected: Option<Value>,
    /// The actual value, when there is one.
    pub actual: Option<Value>,
    /// A sentence saying what is wrong.
    pub message: String,
}

impl Mismatch {
    /// A mismatch with values.
    pub fn new(
        part: Part,
        path: impl Into<String>,
        expected: Option<Value>,
        actual: Option<Value>,
        message: impl Into<String>,
    ) -> Mismatch {
        Mismatch {
            part,
            path: path.into(),
            expected,
            actual,
            message: message.into(),
        }
    }

    /// The full location: `$.body.items[2].id`, `$.headers.Accept`,
    /// `$.query.page`, `$.status`.
    pub fn location(&self) -> String {
        let part = self.part.as_str();
        match self.part {
            Part::Body | Part::BodyType => match self.path.strip_prefix('$') {
                Some(rest) => format!("$.{part}{rest}"),
                None => format!("$.{part}"),
            },
            _ if self.path.is_empty() => format!("$.{part}"),
            _ => format!("$.{part}.{}", self.path),
        }
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// The outcome of comparing an actual request, response or message with an
/// expected one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MatchResult {
    /// Every mismatch found; empty when they match.
    pub mismatches: Vec<Mismatch>,
    /// A compact line diff of expected vs actual body, when the bodies
    /// differ and both are text.
    pub body_diff: Option<String>,
}

impl MatchResult {
    /// True when there is no mismatch.
    pub fn is_match(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// How a value is described in mismatch messages: `'text'`, `100`, `[1, 2]`.
pub(crate) fn show<'a>(value: impl Json<'a>) -> String {
    match value.view() {
        View::String(s) => format!("'{s}'"),
        View::Array(items) => {
            let inner: Vec<String> = items.elements().map(show_compact).collect();
            format!("[{}]", inner.join(", "))
        }
        _ => value.to_value().to_string(),
    }
}

fn show_compact<'a>(value: impl Json<'a>) -> String {
    match value.view() {
        View::String(_) | View::Object(_) => value.to_value().to_string(),
        _ => show(value),
    }
}

/// The JSON type name used in mismatch messages.
pub(crate) fn type_name<'a>(value: impl Json<'a>) -> &'static str {
    match value.view() {
        View::Null => "Null",
        View::Bool(_) => "Boolean",
        View::Number(n) if n.is_f64() => "Decimal",
        View::Number(_) => "Integer",
        View::String(_) => "String",
        View::Array(_) => "Array",
        View::Object(_) => "Object",
    }
}

/// `'x' (String)`.
pub(crate) fn show_typed<'a>(value: impl Json<'a>) -> String {
    format!("{} ({})", show(value), type_name(value))
}
