//! Wording for schema errors: the message says what is wrong with the value,
//! the hint comes from the `title` and `description` the schema gives the
//! subschema that failed (following `$ref`s), shaped by the keyword.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;

use super::schema::{Failure, SchemaProblem};
use super::trail::{escape, unescape, Trail};

/// Enumerations up to this size are listed in full in the hint.
const LIST_LIMIT: usize = 12;

/// Turns one schema error into problems (one per offending key for
/// errors about keys).
pub(super) fn describe(schema: &Value, error: &ValidationError<'_>) -> Vec<SchemaProblem> {
    let trail = Trail::new(schema, error.schema_path.as_str());
    let pointer = error.instance_path.as_str();
    match &error.kind {
        ValidationErrorKind::Required { property } => {
            vec![required(
                &trail,
                pointer,
                property.as_str().unwrap_or_default(),
            )]
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            unknown_keys(&trail, pointer, unexpected)
        }
        ValidationErrorKind::PropertyNames { error: inner } => {
            let key = inner.instance.as_str().unwrap_or_default();
            let hint = trail
                .map_description(trail.level().saturating_sub(1))
                .map_or_else(|| "rename the key".to_owned(), brief);
            vec![key_problem(
                pointer,
                key,
                format!("key `{key}` is not allowed here"),
                hint,
            )]
        }
        kind => vec![bad_value(&trail, pointer, kind, error.instance.as_ref())],
    }
}

fn key_problem(pointer: &str, key: &str, message: String, hint: String) -> SchemaProblem {
    SchemaProblem {
        pointer: format!("{pointer}/{}", escape(key)),
        message,
        hint,
        value: Some(key.to_owned()),
        failure: Failure::Other,
    }
}

/// A missing property: pointed at where it belongs, hinted with why the
/// branch that failed needs it, or what the schema says about it.
fn required(trail: &Trail<'_>, pointer: &str, name: &str) -> SchemaProblem {
    let hint = match trail.reason().or_else(|| trail.property_description(name)) {
        Some(text) => format!("add `{name}`: {}", brief(text)),
        None => format!("add `{name}`"),
    };
    let message = match trail.title() {
        Some(title) => format!("{title} is missing `{name}`"),
        None => format!("missing `{name}`"),
    };
    key_problem(pointer, name, message, hint)
}

/// Keys a closed map does not allow, one problem each.
fn unknown_keys(trail: &Trail<'_>, pointer: &str, unexpected: &[String]) -> Vec<SchemaProblem> {
    let what = trail.title().map_or("key".to_owned(), lower);
    let hint = format!("use one of: {}", trail.known_keys().join(", "));
    unexpected
        .iter()
        .map(|key| {
            key_problem(
                pointer,
                key,
                format!("unknown key `{key}` in {what}"),
                hint.clone(),
            )
        })
        .collect()
}

/// Anything wrong with the value itself.
fn bad_value(
    trail: &Trail<'_>,
    pointer: &str,
    kind: &ValidationErrorKind,
    value: &Value,
) -> SchemaProblem {
    let described = |fallback: &str| {
        trail
            .value_description()
            .map_or_else(|| fallback.to_owned(), brief)
    };
    let subject = subject(pointer);
    let (message, hint, failure) = match kind {
        ValidationErrorKind::Type { kind } => (
            format!(
                "{subject} must be {}, found {}",
                types(kind),
                kind_of(value)
            ),
            described("change the value's type"),
            Failure::Type,
        ),
        ValidationErrorKind::Enum { options } => {
            let options = options.as_array().map(Vec::as_slice).unwrap_or_default();
            let message = match trail.title() {
                Some(t) => format!("unknown {} {}", lower(t), quote(value)),
                None => format!("{subject} cannot be {}", quote(value)),
            };
            let hint = if options.len() <= LIST_LIMIT {
                format!("use one of: {}", list(options))
            } else {
                described("use one of the allowed values")
            };
            (message, hint, Failure::Other)
        }
        ValidationErrorKind::OneOfNotValid | ValidationErrorKind::AnyOf => (
            format!(
                "{subject} {} matches none of the allowed forms",
                quote(value)
            ),
            described("use one of the allowed forms"),
            Failure::Alternatives,
        ),
        kind => (
            other_message(kind, &subject, value),
            described("fix the value"),
            Failure::Other,
        ),
    };
    SchemaProblem {
        pointer: pointer.to_owned(),
        message,
        hint,
        value: plain(value),
        failure,
    }
}

fn other_message(kind: &ValidationErrorKind, subject: &str, value: &Value) -> String {
    let v = quote(value);
    match kind {
        ValidationErrorKind::Pattern { .. } => {
            format!("{subject} {v} does not have the expected form")
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("{subject} must be {}", quote(expected_value))
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("{subject} must be at least {limit}, found {v}")
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("{subject} must be at most {limit}, found {v}")
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!("{subject} must be above {limit}, found {v}")
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!("{subject} must be below {limit}, found {v}")
        }
        ValidationErrorKind::MinLength { limit: 1 } => format!("{subject} must not be empty"),
        ValidationErrorKind::MinLength { limit } => {
            format!("{subject} must be at least {limit} characters long")
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!("{subject} must be at most {limit} characters long")
        }
        ValidationErrorKind::MinItems { limit } => {
            format!("{subject} needs at least {limit} item(s)")
        }
        ValidationErrorKind::MaxItems { limit } => {
            format!("{subject} allows at most {limit} item(s)")
        }
        ValidationErrorKind::Not { .. } => format!("{subject} {v} is not allowed here"),
        ValidationErrorKind::OneOfMultipleValid => {
            format!("{subject} {v} matches more than one of the allowed forms")
        }
        ValidationErrorKind::FalseSchema => format!("{subject} is not allowed here"),
        _ => format!("{subject} is invalid"),
    }
}

/// How a message names the value at `pointer`.
fn subject(pointer: &str) -> String {
    match pointer.rsplit('/').next().map(unescape) {
        _ if pointer.is_empty() => "the contract".to_owned(),
        Some(token) if token.parse::<usize>().is_ok() => format!("item {token}"),
        Some(token) => format!("`{token}`"),
        None => "the value".to_owned(),
    }
}

fn types(kind: &TypeKind) -> String {
    let name = |t: &jsonschema::JsonType| match t.to_string().as_str() {
        "integer" => "an integer".to_owned(),
        "array" => "an array".to_owned(),
        "object" => "an object".to_owned(),
        "null" => "null".to_owned(),
        other => format!("a {other}"),
    };
    match kind {
        TypeKind::Single(t) => name(t),
        TypeKind::Multiple(set) => {
            let names: Vec<String> = set.iter().map(|t| name(&t)).collect();
            names.join(" or ")
        }
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A scalar as plain text (strings without quotes), for merging with the
/// reader's messages, which quote short values only.
fn plain(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if s.len() <= 200 => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) | Value::Null => Some(value.to_string()),
        _ => None,
    }
}

/// A value for a message: strings in backticks, others as short JSON.
fn quote(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{}`", clip(s, 60)),
        Value::Array(_) => "(an array)".to_owned(),
        Value::Object(_) => "(an object)".to_owned(),
        other => format!("`{other}`"),
    }
}

fn list(options: &[Value]) -> String {
    let items: Vec<String> = options
        .iter()
        .map(|o| match o {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    items.join(", ")
}

fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// `Matcher kind` → `matcher kind`, but `UUID format` stays.
fn lower(title: &str) -> String {
    let mut chars = title.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if second.is_lowercase() => first
            .to_lowercase()
            .chain(title[first.len_utf8()..].chars())
            .collect(),
        _ => title.to_owned(),
    }
}

/// The leading sentences of a description, up to about 240 characters.
fn brief(description: &str) -> String {
    let mut out = String::new();
    for sentence in description.split_inclusive(". ") {
        if !out.is_empty() && out.len() + sentence.len() > 240 {
            break;
        }
        out.push_str(sentence);
    }
    out.trim_end().to_owned()
}
