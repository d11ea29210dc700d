//! Steps of the message verifier features (V3, V4 `message_provider`):
//! messages the stand-in generates, and message pacts to verify.

use gherkin::Table;
use serde_json::{json, Map, Value};
use treaty_core::model::{Interaction, InteractionKind, Message, ProviderState};
use treaty_core::read::read_message;

use super::fixtures;
use super::http_provider::comments;
use super::stand_in::StandInMessage;
use super::steps::Handler;
use super::verifier::add_pact;
use super::world::World;

/// `PREFIX "BODY" SUFFIX` as a step pattern (the body may hold `\"`).
macro_rules! with_body {
    ($prefix:literal, $suffix:literal $(,)?) => {
        concat!($prefix, r#""((?:[^"\\]|\\.)*)""#, $suffix)
    };
}

pub(crate) const STEPS: &[(&str, Handler)] = &[
    (
        with_body!(
            r#"a provider is started that can generate the "([^"]*)" message with "#,
            ""
        ),
        |w, p, _| generate(w, p, Map::new()),
    ),
    (
        with_body!(
            r#"a provider is started that can generate the "([^"]*)" message with "#,
            " and the following metadata:",
        ),
        |w, p, t| generate(w, p, metadata_table(t)?),
    ),
    (
        with_body!(r#"a Pact file for "([^"]*)":"#, " is to be verified"),
        |w, p, _| pact(w, &p[0], &p[1], |_| Ok(())),
    ),
    (
        with_body!(
            r#"a Pact file for "([^"]*)":"#,
            r#" is to be verified with provider state "([^"]*)""#,
        ),
        |w, p, _| {
            let state = p[2].clone();
            pact(w, &p[0], &p[1], |i| {
                i.provider_states.push(ProviderState::named(state));
                Ok(())
            })
        },
    ),
    (
        with_body!(
            r#"a Pact file for "([^"]*)":"#,
            " is to be verified with the following metadata:",
        ),
        |w, p, t| {
            let metadata = metadata_table(t)?;
            pact(w, &p[0], &p[1], |i| {
                message_of(i).metadata = metadata;
                Ok(())
            })
        },
    ),
    (
        with_body!(
            r#"a Pact file for "([^"]*)":"#,
            " is to be verified, but is marked pending"
        ),
        |w, p, _| {
            pact(w, &p[0], &p[1], |i| {
                i.pending = true;
                Ok(())
            })
        },
    ),
    (
        with_body!(
            r#"a Pact file for "([^"]*)":"#,
            " is to be verified with the following comments:",
        ),
        |w, p, t| {
            let comments = comments(t)?;
            pact(w, &p[0], &p[1], |i| {
                i.comments = comments;
                Ok(())
            })
        },
    ),
    (
        r#"a Pact file for "([^"]*)" is to be verified with the following:"#,
        with_the_following,
    ),
];

fn generate(w: &mut World, p: &[String], metadata: Map<String, Value>) -> Result<(), String> {
    let body = fixtures::body(&p[1], None)?;
    w.verify.stand_in.messages.push(StandInMessage {
        description: p[0].clone(),
        body,
        metadata,
    });
    Ok(())
}

fn message_of(interaction: &mut Interaction) -> &mut Message {
    match &mut interaction.kind {
        InteractionKind::AsyncMessage(message) => message,
        _ => unreachable!("message pacts hold async messages"),
    }
}

fn pact(
    w: &mut World,
    description: &str,
    body: &str,
    edit: impl FnOnce(&mut Interaction) -> Result<(), String>,
) -> Result<(), String> {
    let message = Message {
        contents: fixtures::body(body, None)?,
        ..Message::default()
    };
    let mut interaction = Interaction::new(description, InteractionKind::AsyncMessage(message));
    edit(&mut interaction)?;
    add_pact(w, interaction);
    Ok(())
}

/// `| key | value |` rows; a value starting `JSON:` is JSON.
fn metadata_table(t: Option<&Table>) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    for row in fixtures::rows(t)? {
        let key = row.get("key").ok_or("no key column")?.trim();
        out.insert(
            key.to_owned(),
            metadata_value(row.get("value").ok_or("no value")?)?,
        );
    }
    Ok(out)
}

fn metadata_value(cell: &str) -> Result<Value, String> {
    match cell.trim().strip_prefix("JSON:") {
        Some(text) => {
            serde_json::from_str(text.trim()).map_err(|e| format!("bad JSON {text}: {e}"))
        }
        None => Ok(json!(cell.trim())),
    }
}

/// A vertical table without header: `body`, `matching rules`, `metadata`
/// (`k=v; k2=JSON: ...`).
fn with_the_following(w: &mut World, p: &[String], t: Option<&Table>) -> Result<(), String> {
    let table = t.ok_or("the step needs a table")?;
    let mut message = Message::default();
    for row in &table.rows {
        let (key, cell) = (row[0].trim(), row.get(1).map_or("", |c| c.trim()));
        match key {
            "body" => message.contents = fixtures::body(cell, None)?,
            "matching rules" => {
                let rules = json!({"matchingRules": fixtures::fragment(cell)?});
                message.matching_rules = read_message(&rules, w.version)
                    .map_err(|e| e.to_string())?
                    .matching_rules;
            }
            "metadata" => {
                for pair in cell.split(';').filter(|p| !p.trim().is_empty()) {
                    let (k, v) = pair.split_once('=').ok_or("bad metadata pair")?;
                    message
                        .metadata
                        .insert(k.trim().to_owned(), metadata_value(v)?);
                }
            }
            other => return Err(format!("unknown row {other}")),
        }
    }
    let interaction = Interaction::new(p[0].clone(), InteractionKind::AsyncMessage(message));
    add_pact(w, interaction);
    Ok(())
}
