//! Steps of the pact-authoring features (V3/V4 `http_consumer`, `v4`,
//! and what the message consumer features share with them): interactions
//! defined step by step, turned into treaty's consumer DSL, written, and
//! the written file inspected.

use gherkin::Table;
use serde_json::{Map, Value};
use treaty_core::consumer::{
    contract, ContractBuilder, InteractionBuilder, MessageBuilder, MessageContent,
};
use treaty_core::model::{Message, SpecVersion};

use super::fixtures;
use super::steps::Handler;
use super::world::World;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Http,
    Async,
    Sync,
}

/// One interaction being defined.
pub(crate) struct Def {
    pub(crate) kind: Kind,
    pub(crate) states: Vec<(String, Value)>,
    pub(crate) key: Option<String>,
    pub(crate) pending: bool,
    pub(crate) comments: Vec<String>,
    pub(crate) request: Message,
    pub(crate) responses: Vec<Message>,
}

#[derive(Default)]
pub(crate) struct Authoring {
    pub(crate) defs: Vec<Def>,
}

pub(crate) const STEPS: &[(&str, Handler)] = &[
    (
        r"an? (integration|HTTP interaction|message interaction|message integration|synchronous message interaction) is being defined for a consumer test",
        |w, p, _| {
            let kind = match p[0].as_str() {
                "integration" | "HTTP interaction" => Kind::Http,
                "synchronous message interaction" => Kind::Sync,
                _ => Kind::Async,
            };
            w.authoring.defs.push(Def {
                kind,
                states: Vec::new(),
                key: None,
                pending: false,
                comments: Vec::new(),
                request: Message::default(),
                responses: Vec::new(),
            });
            Ok(())
        },
    ),
    (
        r#"a provider state "([^"]*)"(?: for the (?:synchronous )?message)? is specified"#,
        |w, p, _| {
            current(w)?.states.push((p[0].clone(), Value::Null));
            Ok(())
        },
    ),
    (
        r#"a provider state "([^"]*)"(?: for the (?:synchronous )?message)? is specified with the following data:"#,
        |w, p, t| {
            let params = state_data(t)?;
            current(w)?.states.push((p[0].clone(), params));
            Ok(())
        },
    ),
    (
        r#"a key of "([^"]*)" is specified for the (?:HTTP|message|synchronous message) interaction"#,
        |w, p, _| {
            current(w)?.key = Some(p[0].clone());
            Ok(())
        },
    ),
    (
        r"the (?:HTTP|message|synchronous message) interaction is marked as pending",
        |w, _, _| {
            current(w)?.pending = true;
            Ok(())
        },
    ),
    (
        r#"a comment "([^"]*)" is added to the (?:HTTP|message|synchronous message) interaction"#,
        |w, p, _| {
            current(w)?.comments.push(p[0].clone());
            Ok(())
        },
    ),
    ("the Pact file for the test is generated", |w, _, _| {
        builder(w).write().map(|_| ()).map_err(|e| e.to_string())
    }),
    (
        r"the interaction in the Pact file will contain (\d+) provider states?",
        |w, p, _| count_states(w, &p[0]),
    ),
    (
        r"the first message in the pact file will contain (\d+) provider states?",
        |w, p, _| count_states(w, &p[0]),
    ),
    (
        r#"the (?:interaction|first message) in the Pact file will contain provider state "([^"]*)""#,
        |w, p, _| {
            state(w, &p[0])?;
            Ok(())
        },
    ),
    (
        r#"the provider state "([^"]*)" (?:in the Pact file|for the message) will contain the following parameters:"#,
        |w, p, t| {
            let expected = fixtures::rows(t)?
                .first()
                .and_then(|r| r.get("parameters").cloned())
                .ok_or("no parameters cell")?;
            let expected: Value = serde_json::from_str(&expected).map_err(|e| e.to_string())?;
            let actual = state(w, &p[0])?.get("params").cloned().unwrap_or_default();
            (actual == expected)
                .then_some(())
                .ok_or_else(|| format!("params {actual}"))
        },
    ),
    (
        r#"the first interaction in the Pact file will have a type of "([^"]*)""#,
        |w, p, _| {
            let kind = first(w)?["type"].clone();
            (kind == p[0].as_str())
                .then_some(())
                .ok_or_else(|| format!("type {kind}"))
        },
    ),
    (
        r#"the first interaction in the Pact file will have "([^"]*)" = '(.*)'"#,
        |w, p, _| {
            let expected: Value = serde_json::from_str(&p[1]).map_err(|e| e.to_string())?;
            let actual = first(w)?[p[0].as_str()].clone();
            (actual == expected)
                .then_some(())
                .ok_or_else(|| format!("{} is {actual}", p[0]))
        },
    ),
    (
        r#"there will be an interaction in the Pact file with a type of "([^"]*)""#,
        |w, p, _| {
            let all = interactions(w)?;
            all.iter()
                .any(|i| i["type"] == p[0].as_str())
                .then_some(())
                .ok_or_else(|| format!("{all:?}"))
        },
    ),
];

pub(crate) fn current(w: &mut World) -> Result<&mut Def, String> {
    w.authoring
        .defs
        .last_mut()
        .ok_or_else(|| "no interaction is being defined".to_owned())
}

/// `| username | name | age |` then one row of JSON values.
fn state_data(t: Option<&Table>) -> Result<Value, String> {
    let mut params = Map::new();
    for row in fixtures::rows(t)? {
        for (name, cell) in row {
            let value = serde_json::from_str(cell.trim()).map_err(|e| e.to_string())?;
            params.insert(name.trim().to_owned(), value);
        }
    }
    Ok(Value::Object(params))
}

/// The defined interactions, through treaty's consumer DSL.
pub(crate) fn builder(w: &mut World) -> ContractBuilder {
    let version = match w.version {
        SpecVersion::V4 => SpecVersion::V4,
        _ => SpecVersion::V3,
    };
    let mut builder = contract("consumer", "provider")
        .spec_version(version)
        .output_dir(w.consumer.dir());
    for (n, def) in w.authoring.defs.iter().enumerate() {
        let description = format!("interaction {}", n + 1);
        builder = match def.kind {
            Kind::Http => builder.interaction(&description, |i| http_ops(i, def)),
            Kind::Async => builder.message(&description, |m| {
                message_ops(m, def).request(MessageContent::from(def.request.clone()))
            }),
            Kind::Sync => builder.sync_message(&description, |m| {
                let m = message_ops(m, def).request(MessageContent::from(def.request.clone()));
                def.responses
                    .iter()
                    .fold(m, |m, r| m.response(MessageContent::from(r.clone())))
            }),
        };
    }
    builder
}

fn http_ops(mut i: InteractionBuilder, def: &Def) -> InteractionBuilder {
    for (name, params) in &def.states {
        i = i.given_with(name, params.clone());
    }
    if let Some(key) = &def.key {
        i = i.key(key);
    }
    if def.pending {
        i = i.pending();
    }
    def.comments.iter().fold(i, |i, c| i.comment(c))
}

fn message_ops(mut m: MessageBuilder, def: &Def) -> MessageBuilder {
    for (name, params) in &def.states {
        m = m.given_with(name, params.clone());
    }
    if let Some(key) = &def.key {
        m = m.key(key);
    }
    if def.pending {
        m = m.pending();
    }
    def.comments.iter().fold(m, |m, c| m.comment(c))
}

/// The written pact file, as JSON.
pub(crate) fn pact_json(w: &mut World) -> Result<Value, String> {
    let dir = w.consumer.dir();
    let file = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .ok_or("no pact file was written")?;
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// The file's interactions (V3 messages or V4/V3 interactions).
pub(crate) fn interactions(w: &mut World) -> Result<Vec<Value>, String> {
    let pact = pact_json(w)?;
    let list = pact.get("interactions").or_else(|| pact.get("messages"));
    Ok(list.and_then(Value::as_array).cloned().unwrap_or_default())
}

fn first(w: &mut World) -> Result<Value, String> {
    interactions(w)?
        .into_iter()
        .next()
        .ok_or_else(|| "the pact file has no interaction".into())
}

fn count_states(w: &mut World, n: &str) -> Result<(), String> {
    let first = first(w)?;
    let count = first["providerStates"].as_array().map_or(0, Vec::len);
    (count.to_string() == n)
        .then_some(())
        .ok_or_else(|| format!("{count} provider states"))
}

fn state(w: &mut World, name: &str) -> Result<Value, String> {
    let first = first(w)?;
    let states = first["providerStates"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    states
        .into_iter()
        .find(|s| s["name"] == name)
        .ok_or_else(|| format!("no provider state {name} in {first}"))
}
