//! Checks JSON Schema cannot express: duplicate interactions and keys,
//! `min` above `max`, empty names, and a declared version that the file's
//! shape contradicts.

use std::collections::HashMap;

use serde_json::Value;

use super::trail::escape;
use crate::model::SpecVersion;
use crate::read::{self, Problem};

/// Runs every check on a parsed document of the given version.
pub(super) fn run(doc: &Value, version: SpecVersion) -> Vec<Problem> {
    let mut out = Vec::new();
    names(doc, &mut out);
    declared_version(doc, &mut out);
    let interactions = interactions(doc);
    duplicate_descriptions(&interactions, &mut out);
    if version == SpecVersion::V4 {
        duplicate_keys(&interactions, &mut out);
    }
    for (at, interaction) in &interactions {
        bounds_in(interaction, at, &mut out);
    }
    out
}

fn problem(pointer: String, message: String, hint: impl Into<String>) -> Problem {
    Problem {
        pointer,
        interaction: None,
        message,
        hint: hint.into(),
    }
}

fn names(doc: &Value, out: &mut Vec<Problem>) {
    for side in ["consumer", "provider"] {
        let name = doc.get(side).and_then(|p| p.get("name"));
        if name
            .and_then(Value::as_str)
            .is_some_and(|n| n.trim().is_empty())
        {
            out.push(problem(
                format!("/{side}/name"),
                format!("the {side} name is empty"),
                format!(
                    "name the {side} as the broker knows it, e.g. \"name\": \"billing-service\""
                ),
            ));
        }
    }
}

/// A version treaty does not know, or an old version on a V4-shaped file.
fn declared_version(doc: &Value, out: &mut Vec<Problem>) {
    let Some(metadata) = doc.get("metadata") else {
        return;
    };
    let Some((pointer, value)) =
        read::SPEC_KEYS
            .iter()
            .find_map(|key| match metadata.get(key)? {
                Value::Object(obj) => {
                    Some((format!("/metadata/{key}/version"), obj.get("version")?))
                }
                other => Some((format!("/metadata/{key}"), other)),
            })
    else {
        return;
    };
    let hint = "write one of \"1.0.0\", \"1.1.0\", \"2.0.0\", \"3.0.0\" or \"4.0\"";
    let Some(text) = value.as_str() else {
        out.push(problem(
            pointer,
            format!("the specification version must be a string, found {value}"),
            hint,
        ));
        return;
    };
    match SpecVersion::parse(text) {
        None => out.push(problem(
            pointer,
            format!("unknown specification version `{text}`"),
            hint,
        )),
        Some(declared)
            if declared < SpecVersion::V4 && read::implied_version(doc) == SpecVersion::V4 =>
        {
            out.push(problem(
                pointer,
                format!("the file declares version {text} but its interactions have a V4 `type`"),
                "write \"4.0\" if the file is V4, or remove the `type` of each interaction",
            ))
        }
        Some(_) => {}
    }
}

/// Every interaction object with its pointer (`/interactions/3`,
/// `/messages/0`).
fn interactions(doc: &Value) -> Vec<(String, &Value)> {
    ["interactions", "messages"]
        .iter()
        .filter_map(|key| Some((key, doc.get(key)?.as_array()?)))
        .flat_map(|(key, items)| {
            items
                .iter()
                .enumerate()
                .map(move |(i, item)| (format!("/{key}/{i}"), item))
        })
        .filter(|(_, item)| item.is_object())
        .collect()
}

/// Provider states in one comparable form, whichever way they are written.
fn states(interaction: &Value) -> String {
    if let Some(states) = interaction.get("providerStates") {
        return states.to_string();
    }
    let legacy = ["providerState", "provider_state"]
        .iter()
        .find_map(|key| interaction.get(key)?.as_str())
        .filter(|name| !name.is_empty());
    match legacy {
        Some(name) => serde_json::json!([{ "name": name }]).to_string(),
        None => "[]".to_owned(),
    }
}

fn duplicate_descriptions(interactions: &[(String, &Value)], out: &mut Vec<Problem>) {
    let mut seen: HashMap<(&str, String), &str> = HashMap::new();
    for (at, interaction) in interactions {
        let Some(description) = interaction.get("description").and_then(Value::as_str) else {
            continue;
        };
        let states = states(interaction);
        let had_states = states != "[]";
        if let Some(first) = seen.get(&(description, states.clone())) {
            let also = if had_states {
                "description and provider states"
            } else {
                "description and no provider state"
            };
            out.push(problem(
                format!("{at}/description"),
                format!("{} and {} have the same {also}", label(first), label(at)),
                "give one of them another description (or other provider states): \
                 readers keep only one of the two",
            ));
        } else {
            seen.insert((description, states), at);
        }
    }
}

fn duplicate_keys(interactions: &[(String, &Value)], out: &mut Vec<Problem>) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (at, interaction) in interactions {
        let Some(key) = interaction.get("key").and_then(Value::as_str) else {
            continue;
        };
        if let Some(first) = seen.get(key) {
            out.push(problem(
                format!("{at}/key"),
                format!(
                    "{} and {} have the same key `{key}`",
                    label(first),
                    label(at)
                ),
                "keys must be unique within a file: remove the `key` fields or make them unique",
            ));
        } else {
            seen.insert(key, at);
        }
    }
}

/// `/interactions/3` → `interaction 3`; `/messages/0` → `message 0`.
fn label(pointer: &str) -> String {
    let mut parts = pointer.trim_start_matches('/').split('/');
    let kind = match parts.next() {
        Some("messages") => "message",
        _ => "interaction",
    };
    format!("{kind} {}", parts.next().unwrap_or("?"))
}

/// `min` above `max` in any matcher of an interaction (including the
/// matchers nested in `eachKey`, `eachValue` and `arrayContains`).
fn bounds_in(interaction: &Value, at: &str, out: &mut Vec<Problem>) {
    let mut parts = vec![(at.to_owned(), interaction)];
    for side in ["request", "response"] {
        match interaction.get(side) {
            Some(Value::Array(items)) => parts.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (format!("{at}/{side}/{i}"), item)),
            ),
            Some(part) => parts.push((format!("{at}/{side}"), part)),
            None => {}
        }
    }
    for (pointer, part) in parts {
        if let Some(rules) = part.get("matchingRules") {
            bounds(rules, &format!("{pointer}/matchingRules"), out);
        }
    }
}

fn bounds(value: &Value, pointer: &str, out: &mut Vec<Problem>) {
    match value {
        Value::Object(obj) => {
            // Generators (`type`) are the reader's: it checks RandomInt itself.
            let bound = |key: &str| obj.get(key).and_then(number);
            if let (Some(min), Some(max), false) =
                (bound("min"), bound("max"), obj.contains_key("type"))
            {
                if min > max {
                    out.push(problem(
                        pointer.to_owned(),
                        format!("`min` ({min}) is greater than `max` ({max})"),
                        "no array can match both bounds: swap them so that min <= max",
                    ));
                }
            }
            for (key, child) in obj {
                bounds(child, &format!("{pointer}/{}", escape(key)), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                bounds(item, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A bound as the reader accepts it: a number or a numeric string.
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
