//! Pieces both versions write the same way: pacticipants, metadata,
//! provider states, query parameters, matching rules and generators.

use serde_json::{json, Map, Value};

use crate::model::{
    Body, BodyContent, ContentType, Contract, DocPath, Generators, MatchingRules, Pacticipant,
    ProviderState, Query, SpecVersion,
};

/// `{"name": ...}` plus the fields we keep but do not interpret.
pub(super) fn pacticipant(pacticipant: &Pacticipant) -> Value {
    let mut out = pacticipant.extra.clone();
    out.insert("name".into(), json!(pacticipant.name));
    Value::Object(out)
}

/// The contract's metadata with the version written and treaty's own entry
/// replaced; other tools' entries are kept as they are.
pub(super) fn metadata(contract: &Contract, version: SpecVersion) -> Value {
    let mut out = contract.metadata.clone();
    out.insert(
        "pactSpecification".into(),
        json!({ "version": version.as_str() }),
    );
    out.insert(
        "treaty".into(),
        json!({ "version": env!("CARGO_PKG_VERSION") }),
    );
    Value::Object(out)
}

/// `[{"name": ..., "params": {...}}]`, `params` only when there are some.
pub(super) fn provider_states(states: &[ProviderState]) -> Value {
    states
        .iter()
        .map(|state| {
            let mut out = Map::new();
            out.insert("name".into(), json!(state.name));
            if !state.params.is_empty() {
                out.insert("params".into(), Value::Object(state.params.clone()));
            }
            Value::Object(out)
        })
        .collect()
}

/// `{"name": ["value", ...]}`, or `None` when there are no parameters.
pub(super) fn query(query: &Query) -> Option<Value> {
    if query.is_empty() {
        return None;
    }
    let map: Map<String, Value> = query
        .params
        .iter()
        .map(|(name, values)| (name.clone(), json!(values)))
        .collect();
    Some(Value::Object(map))
}

/// Matching rules grouped by category, or `None` when there are none;
/// `path`, `method` and `status` hold their rule list directly.
pub(super) fn matching_rules(rules: &MatchingRules) -> Option<Value> {
    let mut out = Map::new();
    for (category, rules) in &rules.categories {
        if rules.is_empty() {
            continue;
        }
        let value = if category.is_unkeyed() {
            match unkeyed(&rules.rules) {
                Some(list) => list.to_json(),
                None => continue,
            }
        } else {
            rules.to_json_map()
        };
        out.insert(category.as_str().into(), value);
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// Generators grouped by category, or `None` when there are none. `path`,
/// `method` and `status` hold their generator directly.
pub(super) fn generators(generators: &Generators) -> Option<Value> {
    let mut out = Map::new();
    for (category, generators) in &generators.categories {
        if generators.is_empty() {
            continue;
        }
        let value = if category.is_unkeyed() {
            match unkeyed(generators) {
                Some(generator) => generator.to_json(),
                None => continue,
            }
        } else {
            generators
                .iter()
                .map(|(key, generator)| (key.as_str().to_owned(), generator.to_json()))
                .collect()
        };
        out.insert(category.as_str().into(), value);
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// The one entry of a category without keys (read under [`DocPath::whole`]).
fn unkeyed<T>(entries: &std::collections::BTreeMap<DocPath, T>) -> Option<&T> {
    entries
        .get(&DocPath::whole())
        .or_else(|| entries.values().next())
}

/// The content type written for a body: its own, else the one the
/// headers or metadata declare, else one guessed from the content.
pub(super) fn body_type(body: &Body, declared: Option<&str>) -> Option<ContentType> {
    let Body::Present {
        content_type,
        content,
    } = body
    else {
        return None;
    };
    content_type
        .clone()
        .or_else(|| declared.and_then(ContentType::parse))
        .or_else(|| crate::model::sniff_content(content))
}

/// A JSON document that is a bare string or `null` cannot be written as
/// itself: readers would take the string for text and `null` for a null
/// body. Such documents are written as their JSON text.
pub(super) fn json_as_text(value: &Value) -> Option<String> {
    matches!(value, Value::String(_) | Value::Null).then(|| value.to_string())
}

/// True for content a V3 file writes as a string.
pub(super) fn is_textual(content: &BodyContent) -> bool {
    match content {
        BodyContent::Json(value) => json_as_text(value).is_some(),
        BodyContent::Text(_) => true,
        BodyContent::Bytes(_) => false,
    }
}

/// Comments as pact-reference writes them: entries with an empty value
/// (`null`, `""`, `[]`, `{}`) are left out.
pub(super) fn comments(comments: &Map<String, Value>) -> Map<String, Value> {
    comments
        .iter()
        .filter(|(_, value)| !is_empty(value))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

/// The value of a message's `contentType` metadata, as the readers find it.
pub(super) fn metadata_content_type(metadata: &Map<String, Value>) -> Option<&str> {
    metadata
        .iter()
        .find(|(k, _)| {
            k.eq_ignore_ascii_case("contentType") || k.eq_ignore_ascii_case("content-type")
        })
        .and_then(|(_, v)| v.as_str())
}
