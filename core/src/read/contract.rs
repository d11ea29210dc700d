//! The top level of a contract file and its interactions.

use serde_json::{Map, Value};

use super::parts;
use super::problem::Reader;
use crate::model::{
    Contract, Interaction, InteractionKind, Pacticipant, ProviderState, SpecVersion,
};

/// The metadata keys that hold the specification version, in lookup order.
pub(crate) const SPEC_KEYS: [&str; 3] = [
    "pactSpecification",
    "pact-specification",
    "pactSpecificationVersion",
];

/// The specification version of a parsed contract: the one its metadata
/// declares, or else the one its shape implies (V4 when interactions have a
/// `type`, V3 for messages, provider state lists or query objects, else V2).
pub fn detect_version(value: &Value) -> SpecVersion {
    declared_version(value).unwrap_or_else(|| implied_version(value))
}

pub(crate) fn declared_version(value: &Value) -> Option<SpecVersion> {
    let metadata = value.get("metadata")?;
    SPEC_KEYS.iter().find_map(|key| match metadata.get(key)? {
        Value::String(v) => SpecVersion::parse(v),
        other => SpecVersion::parse(other.get("version")?.as_str()?),
    })
}

/// The version the file's shape implies, ignoring its metadata.
pub(crate) fn implied_version(value: &Value) -> SpecVersion {
    let interactions = value.get("interactions").and_then(Value::as_array);
    let any = |pred: &dyn Fn(&Value) -> bool| interactions.is_some_and(|i| i.iter().any(pred));
    if any(&|i| i.get("type").is_some()) {
        SpecVersion::V4
    } else if value.get("messages").is_some()
        || any(&|i| i.get("providerStates").is_some())
        || any(&|i| i.pointer("/request/query").is_some_and(Value::is_object))
    {
        SpecVersion::V3
    } else {
        SpecVersion::V2
    }
}

pub(crate) fn read(reader: &mut Reader, mut value: Value) -> Contract {
    let Some(obj) = value.as_object_mut() else {
        reader.problem(
            "a contract must be a JSON object",
            "start the file with { \"consumer\": ... }",
        );
        return Contract::new("", "");
    };
    // Interactions are taken out so that their bodies move into the
    // contract instead of being copied.
    let interactions = obj.remove("interactions");
    let messages = obj.remove("messages");
    let mut contract = read_top(reader, obj);
    if let Some(items) = interactions {
        contract.interactions = reader.at("interactions", |r| read_interactions(r, items, false));
    }
    if let Some(items) = messages {
        let more = reader.at("messages", |r| read_interactions(r, items, true));
        contract.interactions.extend(more);
    }
    contract
}

/// Everything but the interactions: pacticipants, metadata, unknown keys.
pub(crate) fn read_top(reader: &mut Reader, obj: &Map<String, Value>) -> Contract {
    let consumer = reader.at("consumer", |r| pacticipant(r, obj.get("consumer")));
    let provider = reader.at("provider", |r| pacticipant(r, obj.get("provider")));
    let mut contract = Contract::new("", "");
    contract.consumer = consumer;
    contract.provider = provider;
    contract.spec_version = reader.version;
    if let Some(Value::Object(metadata)) = obj.get("metadata") {
        contract.metadata = metadata
            .iter()
            .filter(|(k, _)| !SPEC_KEYS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
    }
    contract.extra = rest(
        obj,
        &[
            "consumer",
            "provider",
            "interactions",
            "messages",
            "metadata",
        ],
    );
    contract
}

fn pacticipant(reader: &mut Reader, value: Option<&Value>) -> Pacticipant {
    match value.and_then(Value::as_object) {
        Some(obj) => match obj.get("name").and_then(Value::as_str) {
            Some(name) => Pacticipant {
                name: name.to_owned(),
                extra: rest(obj, &["name"]),
            },
            None => {
                reader.at("name", |r| {
                    r.problem("missing name", "add \"name\": \"my-service\"")
                });
                Pacticipant::default()
            }
        },
        None => {
            reader.problem("missing or not an object", "add {\"name\": \"my-service\"}");
            Pacticipant::default()
        }
    }
}

fn read_interactions(reader: &mut Reader, items: Value, messages: bool) -> Vec<Interaction> {
    match items {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .filter_map(|(i, item)| reader.at(i, |r| interaction(r, item, messages)))
            .collect(),
        Value::Null => Vec::new(),
        _ => {
            reader.problem("must be an array", "write the interactions as a JSON array");
            Vec::new()
        }
    }
}

/// The bodies of an interaction, taken out of its JSON so that they move
/// into the model.
struct Bodies {
    request: Option<Value>,
    response: Option<Value>,
    contents: Option<Value>,
    request_contents: Option<Value>,
    response_contents: Vec<Option<Value>>,
}

impl Bodies {
    fn take(value: &mut Value) -> Bodies {
        let mut take = |pointer: &str| value.pointer_mut(pointer).map(Value::take);
        let request = take("/request/body");
        let response = take("/response/body");
        let contents = take("/contents");
        let request_contents = take("/request/contents");
        let response_contents = match value.get_mut("response") {
            Some(Value::Array(items)) => items
                .iter_mut()
                .map(|item| item.get_mut("contents").map(Value::take))
                .collect(),
            Some(single) => vec![single.get_mut("contents").map(Value::take)],
            None => Vec::new(),
        };
        Bodies {
            request,
            response,
            contents,
            request_contents,
            response_contents,
        }
    }
}

pub(crate) fn interaction(
    reader: &mut Reader,
    mut value: Value,
    message: bool,
) -> Option<Interaction> {
    let bodies = Bodies::take(&mut value);
    let Some(obj) = value.as_object() else {
        reader.problem(
            "an interaction must be an object",
            "write {\"description\": ..., ...}",
        );
        return None;
    };
    let description = obj
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_owned);
    reader.in_interaction(description.clone(), |r| {
        if description.is_none() {
            r.at("description", |r| {
                r.problem(
                    "missing description",
                    "add \"description\": \"what this interaction is about\"",
                )
            });
        }
        let kind = kind(r, &value, obj, message, bodies)?;
        let mut interaction = Interaction::new(description.unwrap_or_default(), kind);
        interaction.provider_states = provider_states(r, obj);
        interaction.key = obj.get("key").and_then(Value::as_str).map(str::to_owned);
        interaction.pending = obj.get("pending").and_then(Value::as_bool).unwrap_or(false);
        interaction.comments = object(obj, "comments");
        interaction.plugin_config = object(obj, "pluginConfiguration");
        interaction.extra = rest(obj, KNOWN_INTERACTION_KEYS);
        Some(interaction)
    })
}

const KNOWN_INTERACTION_KEYS: &[&str] = &[
    "type",
    "description",
    "providerState",
    "provider_state",
    "providerStates",
    "request",
    "response",
    "contents",
    "metadata",
    "metaData",
    "matchingRules",
    "generators",
    "key",
    "pending",
    "comments",
    "pluginConfiguration",
];

fn kind(
    reader: &mut Reader,
    value: &Value,
    obj: &Map<String, Value>,
    message: bool,
    mut bodies: Bodies,
) -> Option<InteractionKind> {
    let type_name = obj.get("type").and_then(Value::as_str);
    let type_name = match (type_name, message) {
        (Some(t), _) => t,
        (None, true) => "Asynchronous/Messages",
        (None, false) if obj.contains_key("contents") => "Asynchronous/Messages",
        (None, false) => "Synchronous/HTTP",
    };
    match type_name {
        "Synchronous/HTTP" => {
            let request = reader.at("request", |r| {
                parts::request(
                    r,
                    obj.get("request").unwrap_or(&Value::Null),
                    bodies.request,
                )
            });
            let response = reader.at("response", |r| {
                parts::response(
                    r,
                    obj.get("response").unwrap_or(&Value::Null),
                    bodies.response,
                )
            });
            Some(InteractionKind::Http { request, response })
        }
        "Asynchronous/Messages" => Some(InteractionKind::AsyncMessage(message_of_interaction(
            reader,
            value,
            bodies.contents,
        ))),
        "Synchronous/Messages" => {
            let request = reader.at("request", |r| {
                let request = obj.get("request").unwrap_or(&Value::Null);
                parts::message(r, request, bodies.request_contents)
            });
            let responses = reader.at("response", |r| match obj.get("response") {
                Some(Value::Array(items)) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let contents = bodies.response_contents.get_mut(i).and_then(Option::take);
                        r.at(i, |r| parts::message(r, item, contents))
                    })
                    .collect(),
                Some(single @ Value::Object(_)) => {
                    let contents = bodies.response_contents.first_mut().and_then(Option::take);
                    vec![parts::message(r, single, contents)]
                }
                _ => Vec::new(),
            });
            Some(InteractionKind::SyncMessage { request, responses })
        }
        other => {
            reader.at("type", |r| {
                r.problem(
                    format!("unknown interaction type `{other}`"),
                    "use Synchronous/HTTP, Asynchronous/Messages or Synchronous/Messages",
                )
            });
            None
        }
    }
}

/// An async message is the interaction object itself: its unknown fields
/// belong to the interaction, not to the message.
fn message_of_interaction(
    reader: &mut Reader,
    value: &Value,
    contents: Option<Value>,
) -> crate::model::Message {
    let mut message = parts::message(reader, value, contents);
    message.extra.clear();
    message
}

fn provider_states(reader: &mut Reader, obj: &Map<String, Value>) -> Vec<ProviderState> {
    if let Some(states) = obj.get("providerStates") {
        return reader.at("providerStates", |r| match states {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| r.at(i, |r| provider_state(r, item)))
                .collect(),
            _ => {
                r.problem(
                    "must be an array",
                    "write [{\"name\": \"...\", \"params\": {}}]",
                );
                Vec::new()
            }
        });
    }
    ["providerState", "provider_state"]
        .iter()
        .filter_map(|key| obj.get(*key).and_then(Value::as_str))
        .filter(|name| !name.is_empty())
        .map(ProviderState::named)
        .take(1)
        .collect()
}

fn provider_state(reader: &mut Reader, value: &Value) -> Option<ProviderState> {
    match value {
        Value::String(name) => Some(ProviderState::named(name.clone())),
        Value::Object(obj) => {
            let Some(name) = obj.get("name").and_then(Value::as_str) else {
                reader.problem(
                    "a provider state needs a name",
                    "add \"name\": \"a user exists\"",
                );
                return None;
            };
            let params = match obj.get("params") {
                None | Some(Value::Null) => Map::new(),
                Some(Value::Object(params)) => params.clone(),
                Some(_) => {
                    reader.at("params", |r| {
                        r.problem("params must be an object", "write \"params\": {\"id\": 1}")
                    });
                    Map::new()
                }
            };
            Some(ProviderState {
                name: name.to_owned(),
                params,
            })
        }
        _ => {
            reader.problem(
                "a provider state must be an object",
                "write {\"name\": \"...\"}",
            );
            None
        }
    }
}

fn object(obj: &Map<String, Value>, key: &str) -> Map<String, Value> {
    obj.get(key)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// The fields of `obj` not in `known`, kept to be written back.
pub(crate) fn rest(obj: &Map<String, Value>, known: &[&str]) -> Map<String, Value> {
    obj.iter()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
