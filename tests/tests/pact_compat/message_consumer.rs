//! Steps of the message consumer features (V3 `message_consumer`, V4
//! `message_consumer` and `synchronous_message_consumer`): messages
//! defined with fixtures, handed by treaty's DSL to a handler, and the
//! written pact inspected.

use gherkin::Table;
use serde_json::{Map, Value};
use treaty_core::consumer::{content_type_of, ConsumerError, ReceivedMessage};
use treaty_core::model::{Body, BodyContent, Contract, InteractionKind, Message};
use treaty_core::read::parse_contract;

use super::authoring::{builder, current, interactions, pact_json};
use super::fixtures;
use super::http_consumer::same_body;
use super::steps::Handler;
use super::world::World;

/// What the consumer's handler got and how the test ended.
#[derive(Default)]
pub(crate) struct MessageRun {
    received: Option<ReceivedMessage>,
    outcome: Option<Result<(), ConsumerError>>,
}

pub(crate) const STEPS: &[(&str, Handler)] = &[
    (
        r#"the message (request |response )?payload contains the "([^"]*)"(?: JSON)? document"#,
        |w, p, _| {
            let contents = fixture_body(&p[1])?;
            if p[0].trim() == "response" {
                // Each such step adds one more response message.
                let message = Message {
                    contents,
                    ..Message::default()
                };
                current(w)?.responses.push(message);
            } else {
                target(w, &p[0])?.contents = contents;
            }
            Ok(())
        },
    ),
    (
        r"the message (request )?contains the following metadata:",
        |w, p, t| {
            let rows = fixtures::rows(t)?;
            let message = target(w, &p[0])?;
            for row in rows {
                let key = row.get("key").ok_or("no key column")?.trim().to_owned();
                let value = cell_value(row.get("value").ok_or("no value column")?)?;
                message.metadata.insert(key, value);
            }
            Ok(())
        },
    ),
    ("a message is defined", |_, _, _| Ok(())),
    (
        r"the message (request |response )?is configured with the following:",
        configure,
    ),
    ("the message is successfully processed", |w, _, _| {
        run(w, None);
        Ok(())
    }),
    (
        r#"the message is NOT successfully processed with a "([^"]*)" exception"#,
        |w, p, _| {
            run(w, Some(p[0].clone()));
            Ok(())
        },
    ),
    (
        r#"the received message payload will contain the "([^"]*)"(?: JSON)? document"#,
        |w, p, _| same_body(&received_main(w)?.contents, &fixture_name(&p[0])),
    ),
    (
        r#"the received message content type will be "([^"]*)""#,
        |w, p, _| same_type(&received_main(w)?, &p[0]),
    ),
    ("the consumer test will have passed", |w, _, _| {
        match &w.messages.outcome {
            Some(Ok(())) => Ok(()),
            other => Err(format!("{other:?}")),
        }
    }),
    ("the consumer test will have failed", |w, _, _| {
        match &w.messages.outcome {
            Some(Err(_)) => Ok(()),
            other => Err(format!("{other:?}")),
        }
    }),
    (
        r#"the consumer test error will be "([^"]*)""#,
        |w, p, _| match &w.messages.outcome {
            Some(Err(ConsumerError::Handler { error, .. })) if *error == p[0] => Ok(()),
            other => Err(format!("{other:?}")),
        },
    ),
    (
        r"a Pact file for the message interaction will have been written",
        |w, _, _| pact_json(w).map(|_| ()),
    ),
    (
        r"a Pact file for the message interaction will NOT have been written",
        |w, _, _| match pact_json(w) {
            Ok(_) => Err("a pact file was written".into()),
            Err(_) => Ok(()),
        },
    ),
    (
        r"the pact file will contain (\d+) (?:message )?interactions?",
        |w, p, _| {
            let count = interactions(w)?.len();
            (count.to_string() == p[0])
                .then_some(())
                .ok_or_else(|| format!("{count} interactions"))
        },
    ),
    (
        r#"the first message in the pact file will contain the "([^"]*)" document"#,
        |w, p, _| same_body(&written_main(w)?.contents, &fixture_name(&p[0])),
    ),
    (
        r#"the first message in the pact file content type will be "([^"]*)""#,
        |w, p, _| same_type(&written_main(w)?, &p[0]),
    ),
    (
        r#"the received message (request |response )?metadata will contain "([^"]*)" == "(.*)""#,
        |w, p, _| {
            let message = received_part(w, &p[0])?;
            same_metadata(&message, &p[1], &p[2])
        },
    ),
    (
        r#"the first message in the pact file will contain the (?:request )?message metadata "([^"]*)" == "(.*)""#,
        |w, p, _| same_metadata(&written_main(w)?, &p[0], &p[1]),
    ),
    (
        r#"the message (request |response )?contents for "([^"]*)" will have been replaced with an? "integer""#,
        |w, p, _| {
            let message = received_part(w, &p[0])?;
            let Some(BodyContent::Json(json)) = message.contents.content() else {
                return Err("not a JSON message".into());
            };
            let field = p[1].trim_start_matches("$.");
            looks_like_integer(&json[field])
                .then_some(())
                .ok_or_else(|| format!("{json}"))
        },
    ),
    (
        r#"the received message (request |response )?metadata will contain "([^"]*)" replaced with an? "integer""#,
        |w, p, _| {
            let message = received_part(w, &p[0])?;
            let value = message.metadata.get(&p[1]).cloned().unwrap_or_default();
            looks_like_integer(&value)
                .then_some(())
                .ok_or_else(|| format!("{value}"))
        },
    ),
    (
        r#"the first interaction in the pact file will contain the "([^"]*)" document as (the request|a response|the first response message|the second response message)"#,
        |w, p, _| {
            let (request, responses) = written_sync(w)?;
            let message = match p[1].as_str() {
                "the request" => Some(request),
                "the second response message" => responses.into_iter().nth(1),
                _ => responses.into_iter().next(),
            };
            same_body(
                &message.ok_or("no such message")?.contents,
                &fixture_name(&p[0]),
            )
        },
    ),
    (
        r#"the first interaction in the pact file (request|response) content type will be "([^"]*)""#,
        |w, p, _| {
            let (request, responses) = written_sync(w)?;
            let message = if p[0] == "request" {
                Some(request)
            } else {
                responses.into_iter().next()
            };
            same_type(&message.ok_or("no response")?, &p[1])
        },
    ),
    (
        r"the first interaction in the pact file will contain (\d+) response messages",
        |w, p, _| {
            let count = written_sync(w)?.1.len();
            (count.to_string() == p[0])
                .then_some(())
                .ok_or_else(|| format!("{count} responses"))
        },
    ),
];

/// The message a step changes: the request (or the only message), or the
/// first response (created when missing).
fn target<'w>(w: &'w mut World, part: &str) -> Result<&'w mut Message, String> {
    let def = current(w)?;
    if part.trim() == "response" {
        if def.responses.is_empty() {
            def.responses.push(Message::default());
        }
        return Ok(&mut def.responses[0]);
    }
    Ok(&mut def.request)
}

/// `basic` (with "JSON document") or `file: NAME` to a fixture name.
fn fixture_name(name: &str) -> String {
    let name = name.trim().trim_start_matches("file:").trim();
    if name.contains('.') {
        name.to_owned()
    } else {
        format!("{name}.json")
    }
}

fn fixture_body(name: &str) -> Result<Body, String> {
    fixtures::body(&format!("file: {}", fixture_name(name)), None)
}

/// A metadata cell: `JSON: ...` is JSON, anything else a string.
fn cell_value(cell: &str) -> Result<Value, String> {
    match cell.trim().strip_prefix("JSON:") {
        Some(json) => serde_json::from_str(json.trim()).map_err(|e| e.to_string()),
        None => Ok(Value::String(cell.trim().to_owned())),
    }
}

fn configure(w: &mut World, p: &[String], t: Option<&Table>) -> Result<(), String> {
    let version = w.version;
    let row = fixtures::rows(t)?.into_iter().next().ok_or("empty table")?;
    let message = target(w, &p[0])?;
    if let Some(cell) = row.get("body") {
        message.contents = fixtures::body(cell, None)?;
    }
    if let Some(cell) = row.get("generators") {
        message.generators = fixtures::generators(cell, version)?;
    }
    if let Some(cell) = row.get("metadata") {
        let map: Map<String, Value> = serde_json::from_str(cell).map_err(|e| e.to_string())?;
        message.metadata.extend(map);
    }
    Ok(())
}

fn run(w: &mut World, failure: Option<String>) {
    let mut received = None;
    let outcome = builder(w).try_consume(|message| {
        received = Some(message.clone());
        match &failure {
            Some(error) => Err(error.clone()),
            None => Ok(()),
        }
    });
    w.messages.received = received;
    w.messages.outcome = Some(outcome.map(|_| ()));
}

fn received(w: &World) -> Result<&ReceivedMessage, String> {
    w.messages
        .received
        .as_ref()
        .ok_or_else(|| "no message was received".into())
}

/// What "the received message" means: the response of a synchronous
/// message, else the message.
fn received_main(w: &World) -> Result<Message, String> {
    let r = received(w)?;
    Ok(r.responses.first().unwrap_or(&r.message).clone())
}

fn received_part(w: &World, part: &str) -> Result<Message, String> {
    let r = received(w)?;
    match part.trim() {
        "response" => r.responses.first().cloned().ok_or("no response".into()),
        _ => Ok(r.message.clone()),
    }
}

fn same_type(message: &Message, expected: &str) -> Result<(), String> {
    let ct = content_type_of(message);
    ct.as_deref()
        .is_some_and(|c| c.starts_with(expected))
        .then_some(())
        .ok_or_else(|| format!("content type {ct:?}"))
}

fn same_metadata(message: &Message, key: &str, expected: &str) -> Result<(), String> {
    let expected = cell_value(expected)?;
    let actual = message.metadata.get(key);
    (actual == Some(&expected))
        .then_some(())
        .ok_or_else(|| format!("metadata {key} is {actual:?}"))
}

fn written(w: &mut World) -> Result<Contract, String> {
    let text = serde_json::to_string(&pact_json(w)?).map_err(|e| e.to_string())?;
    parse_contract(&text).map_err(|e| e.to_string())
}

/// The first interaction's message (the request of a synchronous one).
fn written_main(w: &mut World) -> Result<Message, String> {
    match written(w)?.interactions.into_iter().next().map(|i| i.kind) {
        Some(InteractionKind::AsyncMessage(message)) => Ok(message),
        Some(InteractionKind::SyncMessage { request, .. }) => Ok(request),
        _ => Err("no message interaction".into()),
    }
}

fn written_sync(w: &mut World) -> Result<(Message, Vec<Message>), String> {
    match written(w)?.interactions.into_iter().next().map(|i| i.kind) {
        Some(InteractionKind::SyncMessage { request, responses }) => Ok((request, responses)),
        _ => Err("no synchronous message interaction".into()),
    }
}

/// An integer, or text of one: generators keep a text example text (see
/// `treaty_core::generate::generate_value`), as the generator features
/// accept.
fn looks_like_integer(value: &Value) -> bool {
    value.is_i64()
        || value
            .as_str()
            .is_some_and(|s| s.trim_start_matches('-').parse::<u64>().is_ok())
}
