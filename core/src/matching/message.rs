//! Matching message metadata.

use serde_json::{Map, Value};

use super::mismatch::{show, Mismatch, Part};
use super::value::{apply_rules, values_equal, Strings};
use crate::model::{Category, MatchingRules};

/// Keys that describe the payload rather than route it; compared as media
/// types.
fn is_content_type_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("contentType") || key.eq_ignore_ascii_case("content-type")
}

pub(crate) fn metadata(
    expected: &Map<String, Value>,
    actual: &Map<String, Value>,
    rules: &MatchingRules,
) -> Vec<Mismatch> {
    let category = rules.category(Category::Metadata);
    let mut out = Vec::new();
    for (key, e) in expected {
        let found = actual.get(key).or_else(|| {
            is_content_type_key(key)
                .then(|| {
                    actual
                        .iter()
                        .find(|(k, _)| is_content_type_key(k))
                        .map(|(_, v)| v)
                })
                .flatten()
        });
        let Some(a) = found else {
            out.push(Mismatch::new(
                Part::Metadata,
                key.as_str(),
                Some(e.clone()),
                None,
                format!("Expected message metadata '{key}' but was missing"),
            ));
            continue;
        };
        if let Some(list) = category.and_then(|c| c.for_name(key, false)) {
            for message in apply_rules(list, e, a, true, Strings::Coerce) {
                out.push(Mismatch::new(
                    Part::Metadata,
                    key.as_str(),
                    Some(e.clone()),
                    Some(a.clone()),
                    message,
                ));
            }
            continue;
        }
        let same = if is_content_type_key(key) {
            essence(e) == essence(a)
        } else {
            values_equal(e, a) || text(e).is_some_and(|t| Some(t) == text(a))
        };
        if !same {
            out.push(Mismatch::new(
                Part::Metadata,
                key.as_str(),
                Some(e.clone()),
                Some(a.clone()),
                format!(
                    "Expected message metadata '{key}' to have value {} but was {}",
                    show(e),
                    show(a)
                ),
            ));
        }
    }
    out
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}

fn essence(value: &Value) -> Option<String> {
    let text = text(value)?;
    Some(
        text.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}
