//! Contract content: normalising, hashing and merging pact documents.
//!
//! Clients rewrite a pact before publishing it (the Rust CLI adds
//! `metadata.pactRust`...), so identity is judged on a normalised form:
//! the contract is read with [`treaty_core::read`] and written back with
//! [`treaty_core::write`], and the hash covers only what affects
//! verification: the specification version and the interactions (sorted,
//! keys sorted, `_id`s dropped). Names and metadata are left out of the
//! hash; content is stored per consumer and provider anyway.
//!
//! A document treaty's reader refuses (a feature it does not model yet)
//! is still accepted, as the Pact Broker would: it is then stored as the
//! JSON it is, with sorted keys, and hashed the same way from the raw JSON.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use thiserror::Error;
use treaty_core::model::SpecVersion;

/// A pact document ready to store.
#[derive(Debug, Clone)]
pub(crate) struct Normalised {
    /// `consumer.name`.
    pub(crate) consumer: String,
    /// `provider.name`.
    pub(crate) provider: String,
    /// Hex SHA-256 of the normalised content.
    pub(crate) sha: String,
    /// The canonical document to store and serve.
    pub(crate) document: String,
}

/// Why a document cannot be stored.
#[derive(Debug, Error, PartialEq, Eq)]
pub(crate) enum ContentError {
    /// Not JSON.
    #[error("the pact is not valid JSON: {0}")]
    NotJson(String),
    /// JSON, but not an object.
    #[error("the pact must be a JSON object")]
    NotObject,
    /// `consumer.name` or `provider.name` missing.
    #[error("the pact has no {0}.name")]
    MissingName(&'static str),
    /// A merge found the same interaction with different content.
    #[error("cannot merge: interaction '{0}' already exists with different content")]
    MergeClash(String),
}

/// Normalises a pact document given as text.
pub(crate) fn normalise(text: &str) -> Result<Normalised, ContentError> {
    let value: Value =
        treaty_core::read::parse_json(text).map_err(|e| ContentError::NotJson(e.to_string()))?;
    normalise_value(&value)
}

fn normalise_value(value: &Value) -> Result<Normalised, ContentError> {
    if !value.is_object() {
        return Err(ContentError::NotObject);
    }
    let name = |role: &'static str| {
        value
            .get(role)
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            .filter(|n| !n.trim().is_empty())
            .map(str::to_owned)
            .ok_or(ContentError::MissingName(role))
    };
    let (consumer, provider) = (name("consumer")?, name("provider")?);
    let (document, hashed, spec) = match treaty_core::read::read_contract(value) {
        Ok(contract) => {
            let version = match contract.spec_version {
                SpecVersion::V4 => SpecVersion::V4,
                _ => SpecVersion::V3,
            };
            let document = treaty_core::write::write_contract(&contract, version)
                .or_else(|_| treaty_core::write::write_contract(&contract, SpecVersion::V4));
            let hashed = treaty_core::write::to_json(&contract, SpecVersion::V4);
            match (document, hashed) {
                (Ok(document), Ok(hashed)) => {
                    (document, hashed, format!("{:?}", contract.spec_version))
                }
                _ => raw(value),
            }
        }
        Err(_) => raw(value),
    };
    Ok(Normalised {
        consumer,
        provider,
        sha: hash(&hashed, &spec),
        document,
    })
}

/// The raw document, for contracts treaty cannot read or write.
fn raw(value: &Value) -> (String, Value, String) {
    let spec = value
        .pointer("/metadata/pactSpecification/version")
        .or_else(|| value.pointer("/metadata/pact-specification/version"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let mut text = canonical(value, true);
    text.push('\n');
    (text, value.clone(), format!("raw:{spec}"))
}

/// The content hash: specification version plus sorted interactions.
fn hash(document: &Value, spec: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for key in ["interactions", "messages"] {
        let mut items: Vec<String> = document
            .get(key)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|i| canonical(&without_id(i), false))
                    .collect()
            })
            .unwrap_or_default();
        items.sort();
        parts.push(format!("\"{key}\":[{}]", items.join(",")));
    }
    let canonical = format!("{{\"spec\":{},{}}}", Value::from(spec), parts.join(","));
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

fn without_id(interaction: &Value) -> Value {
    let mut interaction = interaction.clone();
    if let Some(map) = interaction.as_object_mut() {
        map.remove("_id");
    }
    interaction
}

/// JSON with object keys sorted at every level, compact or pretty.
pub(crate) fn canonical(value: &Value, pretty: bool) -> String {
    let sorted = sort_keys(value);
    let text = if pretty {
        serde_json::to_string_pretty(&sorted)
    } else {
        serde_json::to_string(&sorted)
    };
    text.unwrap_or_default()
}

fn sort_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for key in keys {
                out.insert(key.clone(), sort_keys(&map[key]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}

/// Merges the interactions of `new` into the stored `existing` document:
/// an interaction with the same description and provider states must be
/// identical; others are added.
pub(crate) fn merge(existing: &str, new: &str) -> Result<Normalised, ContentError> {
    let mut base: Value =
        serde_json::from_str(existing).map_err(|e| ContentError::NotJson(e.to_string()))?;
    let addition: Value = serde_json::from_str(&normalise(new)?.document)
        .map_err(|e| ContentError::NotJson(e.to_string()))?;
    for key in ["interactions", "messages"] {
        let Some(added) = addition.get(key).and_then(Value::as_array) else {
            continue;
        };
        let Some(base_map) = base.as_object_mut() else {
            return Err(ContentError::NotObject);
        };
        let list = base_map
            .entry(key)
            .or_insert_with(|| Value::Array(Vec::new()));
        let Some(list) = list.as_array_mut() else {
            return Err(ContentError::NotObject);
        };
        for item in added {
            match list.iter().find(|old| identity(old) == identity(item)) {
                Some(old) if without_id(old) == without_id(item) => {}
                Some(_) => return Err(ContentError::MergeClash(description(item))),
                None => list.push(item.clone()),
            }
        }
    }
    normalise_value(&base)
}

fn identity(interaction: &Value) -> (Value, Value, Value) {
    let field = |k: &str| interaction.get(k).cloned().unwrap_or(Value::Null);
    (
        field("description"),
        field("providerState"),
        field("providerStates"),
    )
}

fn description(interaction: &Value) -> String {
    interaction
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// A stable id for an interaction (served as `_id`).
pub(crate) fn interaction_id(interaction: &Value) -> String {
    let digest = Sha256::digest(canonical(&without_id(interaction), false).as_bytes());
    hex::encode(&digest[..20])
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACT: &str = r#"{
      "consumer": {"name": "Foo"}, "provider": {"name": "Bar"},
      "interactions": [
        {"description": "a", "request": {"method": "GET", "path": "/a"}, "response": {"status": 200}},
        {"description": "b", "request": {"method": "GET", "path": "/b"}, "response": {"status": 200}}
      ],
      "metadata": {"pactSpecification": {"version": "2.0.0"}}
    }"#;

    #[test]
    fn metadata_order_and_whitespace_do_not_change_the_hash() {
        let base = normalise(PACT).unwrap();
        let mut value: Value = serde_json::from_str(PACT).unwrap();
        value["metadata"]["pactRust"] = serde_json::json!({"models": "1.3.16"});
        value["interactions"].as_array_mut().unwrap().reverse();
        let rewritten = normalise(&serde_json::to_string(&value).unwrap()).unwrap();
        assert_eq!(base.sha, rewritten.sha);
        assert_eq!(
            (base.consumer.as_str(), base.provider.as_str()),
            ("Foo", "Bar")
        );
    }

    #[test]
    fn different_interactions_change_the_hash() {
        let changed = PACT.replace("/b", "/c");
        assert_ne!(
            normalise(PACT).unwrap().sha,
            normalise(&changed).unwrap().sha
        );
    }

    #[test]
    fn bad_documents_are_refused_with_a_reason() {
        assert!(matches!(normalise("nope"), Err(ContentError::NotJson(_))));
        assert_eq!(normalise("[]").unwrap_err(), ContentError::NotObject);
        let no_provider = r#"{"consumer": {"name": "Foo"}, "interactions": []}"#;
        assert_eq!(
            normalise(no_provider).unwrap_err(),
            ContentError::MissingName("provider")
        );
    }

    #[test]
    fn merge_adds_new_interactions_and_refuses_clashes() {
        let stored = normalise(PACT).unwrap().document;
        let extra = PACT.replace("\"b\"", "\"c\"");
        let merged = merge(&stored, &extra).unwrap();
        let value: Value = serde_json::from_str(&merged.document).unwrap();
        assert_eq!(value["interactions"].as_array().unwrap().len(), 3);
        let clash = PACT.replace("\"status\": 200}}\n      ]", "\"status\": 201}}\n      ]");
        assert!(matches!(
            merge(&stored, &clash),
            Err(ContentError::MergeClash(_))
        ));
    }
}
