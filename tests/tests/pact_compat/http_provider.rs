//! Steps of the HTTP verifier features (V1-V4 `http_provider`): the
//! interaction table, the stand-in's answers, the pacts to verify.

use gherkin::Table;
use serde_json::{json, Value};
use treaty_core::model::{
    HttpRequest, HttpResponse, Interaction, InteractionKind, MatchingRules, ProviderState, Query,
};

use super::fixtures;
use super::steps::Handler;
use super::verifier::{add_pact, stand_in};
use super::world::World;

pub(crate) const STEPS: &[(&str, Handler)] = &[
    ("the following HTTP interactions have been defined:", table),
    (
        r"a provider is started that returns the response from interaction (\d+)",
        |w, p, _| serve(w, &p[0], None),
    ),
    (
        r#"a provider is started that returns the responses from interactions "([^"]*)""#,
        |w, p, _| serve(w, &p[0], None),
    ),
    (
        r"a provider is started that returns the response from interaction (\d+), with the following changes:",
        |w, p, t| serve(w, &p[0], t),
    ),
    (
        r"a Pact file for interaction (\d+) is to be verified",
        |w, p, _| pact(w, &p[0], |_| Ok(())),
    ),
    (
        r#"a Pact file for interaction (\d+) is to be verified with a provider state "([^"]*)" defined"#,
        |w, p, _| {
            let state = p[1].clone();
            pact(w, &p[0], move |i| {
                i.provider_states.push(ProviderState::named(state));
                Ok(())
            })
        },
    ),
    (
        r"a Pact file for interaction (\d+) is to be verified with the following provider states defined:",
        |w, p, t| {
            let states = states(t)?;
            pact(w, &p[0], move |i| {
                i.provider_states = states;
                Ok(())
            })
        },
    ),
    (
        r"a Pact file for interaction (\d+) is to be verified, but is marked pending",
        |w, p, _| {
            pact(w, &p[0], |i| {
                i.pending = true;
                Ok(())
            })
        },
    ),
    (
        r"a Pact file for interaction (\d+) is to be verified with the following comments:",
        |w, p, t| {
            let comments = comments(t)?;
            pact(w, &p[0], move |i| {
                i.comments = comments;
                Ok(())
            })
        },
    ),
    (
        "a request filter is configured to make the following changes:",
        |w, _, t| {
            for row in fixtures::rows(t)? {
                let headers = fixtures::headers(row.get("headers").ok_or("no headers column")?);
                for (name, values) in headers.iter() {
                    for value in values {
                        w.verify.headers.push((name.to_owned(), value.clone()));
                    }
                }
            }
            Ok(())
        },
    ),
    (
        r#"the request to the provider will contain the header "([^"]*)""#,
        |w, p, _| {
            let (name, value) = p[0].split_once(':').ok_or("not a header")?;
            let seen = stand_in(w)?.headers.lock().unwrap().clone();
            let all = !seen.is_empty()
                && seen
                    .iter()
                    .all(|h| h.get(name.trim()).is_some_and(|v| v == value.trim()));
            all.then_some(())
                .ok_or_else(|| format!("header missing in {seen:?}"))
        },
    ),
];

fn table(w: &mut World, _: &[String], t: Option<&Table>) -> Result<(), String> {
    for row in fixtures::rows(t)? {
        let cell = |name: &str| row.get(name).map(String::as_str).unwrap_or("").trim();
        let request = HttpRequest {
            method: cell("method").to_owned(),
            path: cell("path").to_owned(),
            query: if cell("query").is_empty() {
                Query::default()
            } else {
                Query::parse(cell("query"))
            },
            headers: fixtures::headers(cell("headers")),
            body: fixtures::body(cell("body"), None)?,
            matching_rules: rules(w, cell("matching rules"))?,
            ..HttpRequest::default()
        };
        let response = HttpResponse {
            status: cell("response").parse().unwrap_or(200),
            headers: fixtures::headers(cell("response headers")),
            body: fixtures::body(cell("response body"), None)?,
            matching_rules: rules(w, cell("response matching rules"))?,
            ..HttpResponse::default()
        };
        let n = w.verify.table.len() + 1;
        w.verify.table.push(Interaction::new(
            format!("Interaction {n}"),
            InteractionKind::Http { request, response },
        ));
    }
    Ok(())
}

fn rules(w: &World, cell: &str) -> Result<MatchingRules, String> {
    if cell.is_empty() {
        Ok(MatchingRules::default())
    } else {
        fixtures::rules(cell, w.version)
    }
}

pub(crate) fn numbered(w: &World, n: &str) -> Result<Interaction, String> {
    let n: usize = n.trim().parse().map_err(|_| format!("bad number {n}"))?;
    w.verify
        .table
        .get(n.wrapping_sub(1))
        .cloned()
        .ok_or_else(|| format!("no interaction {n}"))
}

pub(crate) fn http(interaction: Interaction) -> (HttpRequest, HttpResponse) {
    match interaction.kind {
        InteractionKind::Http { request, response } => (request, response),
        _ => unreachable!("the table holds HTTP interactions"),
    }
}

/// The stand-in answers the interactions (a comma list), edited by the
/// changes table (`response`, `response headers` added, `response body`).
fn serve(w: &mut World, list: &str, changes: Option<&Table>) -> Result<(), String> {
    for n in list.split(',') {
        let (request, mut response) = http(numbered(w, n)?);
        if let Some(table) = changes {
            let rows = fixtures::rows(Some(table))?;
            let row = rows.first().ok_or("empty changes table")?;
            if let Some(status) = row.get("response") {
                response.status = status.trim().parse().map_err(|_| "bad status")?;
            }
            if let Some(cell) = row.get("response headers") {
                for (name, values) in fixtures::headers(cell).iter() {
                    for value in values {
                        response.headers.append(name, value.clone());
                    }
                }
            }
            if let Some(cell) = row.get("response body") {
                let literal = !["file:", "JSON:", "XML:"]
                    .iter()
                    .any(|p| cell.trim().starts_with(p));
                let inherited = response.body.content_type().map(ToString::to_string);
                let ct = if literal { inherited.as_deref() } else { None };
                response.body = fixtures::body(cell, ct)?;
            }
        }
        w.verify.stand_in.answers.push((request, response));
    }
    Ok(())
}

fn pact(
    w: &mut World,
    n: &str,
    edit: impl FnOnce(&mut Interaction) -> Result<(), String>,
) -> Result<(), String> {
    let mut interaction = numbered(w, n)?;
    edit(&mut interaction)?;
    add_pact(w, interaction);
    Ok(())
}

/// `| State Name | Parameters |` rows.
pub(crate) fn states(t: Option<&Table>) -> Result<Vec<ProviderState>, String> {
    let mut out = Vec::new();
    for row in fixtures::rows(t)? {
        let mut state = ProviderState::named(row.get("State Name").ok_or("no State Name")?.trim());
        if let Some(params) = row.get("Parameters").filter(|p| !p.trim().is_empty()) {
            match serde_json::from_str(params) {
                Ok(Value::Object(map)) => state.params = map,
                _ => return Err(format!("bad parameters {params}")),
            }
        }
        out.push(state);
    }
    Ok(out)
}

/// `| comment | type |` rows: `text` entries and the `testname`.
pub(crate) fn comments(t: Option<&Table>) -> Result<serde_json::Map<String, Value>, String> {
    let mut text = Vec::new();
    let mut out = serde_json::Map::new();
    for row in fixtures::rows(t)? {
        let comment = row.get("comment").ok_or("no comment column")?.trim();
        match row.get("type").map(|t| t.trim()) {
            Some("testname") => {
                out.insert("testname".into(), json!(comment));
            }
            _ => text.push(json!(comment)),
        }
    }
    out.insert("text".into(), Value::Array(text));
    Ok(out)
}
