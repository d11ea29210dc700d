//! Steps of the matching features: requests and responses compared with
//! expected ones under matching rules.

use std::collections::HashMap;

use gherkin::Table;
use regex::Regex;
use treaty_core::matching::{match_request, match_response, Mismatch, Part};
use treaty_core::model::{DocPath, HttpRequest, PathToken, Query, SpecVersion};

use super::fixtures;
use super::steps::Handler;
use super::world::World;

pub(crate) const STEPS: &[(&str, Handler)] = &[
    (
        "an expected request configured with the following:",
        expected_request,
    ),
    ("a request is received with the following:", received_one),
    ("the following requests are received:", received_many),
    (
        r#"an expected request with an? "([^"]*)" header of "([^"]*)""#,
        expected_header,
    ),
    (
        r#"a request is received with an? "([^"]*)" header of "([^"]*)""#,
        received_header,
    ),
    (
        "the requests? (?:is|are) compared to the expected one",
        compare_requests,
    ),
    ("the comparison should be OK", comparison_ok),
    ("the comparison should NOT be OK", comparison_not_ok),
    (
        r#"the mismatches will contain a mismatch with error "((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)""#,
        has_mismatch,
    ),
    (
        "an expected response configured with the following:",
        expected_response,
    ),
    (r"a status (\d+) response is received", status_received),
    (
        "the response is compared to the expected one",
        compare_response,
    ),
    ("the response comparison should be OK", response_ok),
    ("the response comparison should NOT be OK", response_not_ok),
    (
        r#"the response mismatches will contain a "([^"]*)" mismatch with error "(.*)""#,
        response_has_mismatch,
    ),
];

/// Builds a request from a table row (body, content type, query, headers,
/// matching rules, method, path).
pub(crate) fn request_from_row(
    row: &HashMap<String, String>,
    version: SpecVersion,
) -> Result<HttpRequest, String> {
    let mut request = HttpRequest::default();
    let cell = |name: &str| {
        row.get(name)
            .map(String::as_str)
            .filter(|c| !c.trim().is_empty())
    };
    if let Some(method) = cell("method") {
        request.method = method.to_owned();
    }
    if let Some(path) = cell("path") {
        request.path = path.to_owned();
    }
    if let Some(query) = cell("query") {
        request.query = Query::parse(query);
        request.query.raw = None;
    }
    for column in ["headers", "raw headers"] {
        if let Some(headers) = cell(column) {
            for (name, values) in fixtures::headers(headers).iter() {
                for value in values {
                    request.headers.append(name, value.clone());
                }
            }
        }
    }
    if let Some(body) = cell("body") {
        request.body = fixtures::body(body, cell("content type"))?;
    }
    if let Some(rules) = cell("matching rules") {
        request.matching_rules = fixtures::rules(rules, version)?;
    }
    Ok(request)
}

fn expected_request(world: &mut World, _: &[String], table: Option<&Table>) -> Result<(), String> {
    let rows = fixtures::rows(table)?;
    world.expected_request = request_from_row(rows.first().ok_or("no row")?, world.version)?;
    Ok(())
}

fn received_one(world: &mut World, _: &[String], table: Option<&Table>) -> Result<(), String> {
    let rows = fixtures::rows(table)?;
    world.received = vec![request_from_row(
        rows.first().ok_or("no row")?,
        world.version,
    )?];
    Ok(())
}

fn received_many(world: &mut World, _: &[String], table: Option<&Table>) -> Result<(), String> {
    world.received = fixtures::rows(table)?
        .iter()
        .map(|row| request_from_row(row, world.version))
        .collect::<Result<_, _>>()?;
    Ok(())
}

fn expected_header(world: &mut World, params: &[String], _: Option<&Table>) -> Result<(), String> {
    world
        .expected_request
        .headers
        .append(params[0].clone(), params[1].clone());
    Ok(())
}

fn received_header(world: &mut World, params: &[String], _: Option<&Table>) -> Result<(), String> {
    let mut request = HttpRequest::default();
    request.headers.append(params[0].clone(), params[1].clone());
    world.received = vec![request];
    Ok(())
}

fn compare_requests(world: &mut World, _: &[String], _: Option<&Table>) -> Result<(), String> {
    world.results = world
        .received
        .iter()
        .map(|actual| match_request(&world.expected_request, actual))
        .collect();
    Ok(())
}

fn all_mismatches(world: &World) -> Vec<&Mismatch> {
    world.results.iter().flat_map(|r| &r.mismatches).collect()
}

fn comparison_ok(world: &mut World, _: &[String], _: Option<&Table>) -> Result<(), String> {
    match all_mismatches(world).as_slice() {
        [] => Ok(()),
        found => Err(format!("expected no mismatches, got {}", describe(found))),
    }
}

fn comparison_not_ok(world: &mut World, _: &[String], _: Option<&Table>) -> Result<(), String> {
    if world.results.iter().all(|r| !r.is_match()) {
        Ok(())
    } else {
        Err("expected every comparison to fail, but one matched".into())
    }
}

fn has_mismatch(world: &mut World, params: &[String], _: Option<&Table>) -> Result<(), String> {
    let found = all_mismatches(world);
    if found
        .iter()
        .any(|m| same_path(&m.path, &params[0]) && message_matches(&m.message, &params[1]))
    {
        Ok(())
    } else {
        Err(format!(
            "no mismatch at {} saying {:?}; got {}",
            params[0],
            params[1],
            describe(&found)
        ))
    }
}

fn describe(found: &[&Mismatch]) -> String {
    let lines: Vec<String> = found
        .iter()
        .map(|m| format!("[{}] {}", m.path, m.message))
        .collect();
    format!("{lines:?}")
}

/// The suite writes messages as text that may contain regex parts (`\s*`).
fn message_matches(actual: &str, expected: &str) -> bool {
    actual.contains(expected) || Regex::new(expected).is_ok_and(|re| re.is_match(actual))
}

/// Paths are equal when they name the same place: `$[100]` and `$['100']`
/// both name key "100"; header names compare case-insensitively.
fn same_path(actual: &str, expected: &str) -> bool {
    if actual.eq_ignore_ascii_case(expected) {
        return true;
    }
    let norm = |p: &str| -> Option<Vec<String>> {
        let path = DocPath::parse(p).ok()?;
        Some(
            path.tokens()
                .iter()
                .map(|t| match t {
                    PathToken::Field(f) => f.clone(),
                    PathToken::Index(i) => i.to_string(),
                    other => format!("{other:?}"),
                })
                .collect(),
        )
    };
    matches!((norm(actual), norm(expected)), (Some(a), Some(e)) if a == e)
}

fn expected_response(world: &mut World, _: &[String], table: Option<&Table>) -> Result<(), String> {
    let rows = fixtures::rows(table)?;
    let row = rows.first().ok_or("no row")?;
    if let Some(status) = row.get("status") {
        world.expected_response.status = status
            .trim()
            .parse()
            .map_err(|e| format!("bad status: {e}"))?;
    }
    if let Some(rules) = row.get("matching rules").filter(|c| !c.trim().is_empty()) {
        world.expected_response.matching_rules = fixtures::rules(rules, world.version)?;
    }
    if let Some(body) = row.get("body") {
        world.expected_response.body =
            fixtures::body(body, row.get("content type").map(String::as_str))?;
    }
    Ok(())
}

fn status_received(world: &mut World, params: &[String], _: Option<&Table>) -> Result<(), String> {
    world.actual_response.status = params[0].parse().map_err(|e| format!("bad status: {e}"))?;
    Ok(())
}

fn compare_response(world: &mut World, _: &[String], _: Option<&Table>) -> Result<(), String> {
    world.response_result = Some(match_response(
        &world.expected_response,
        &world.actual_response,
    ));
    Ok(())
}

fn response_ok(world: &mut World, _: &[String], _: Option<&Table>) -> Result<(), String> {
    match &world.response_result {
        Some(r) if r.is_match() => Ok(()),
        Some(r) => Err(format!("expected a match, got {:?}", r.mismatches)),
        None => Err("the response was not compared".into()),
    }
}

fn response_not_ok(world: &mut World, _: &[String], _: Option<&Table>) -> Result<(), String> {
    match &world.response_result {
        Some(r) if !r.is_match() => Ok(()),
        _ => Err("expected the response comparison to fail".into()),
    }
}

fn response_has_mismatch(
    world: &mut World,
    params: &[String],
    _: Option<&Table>,
) -> Result<(), String> {
    let result = world
        .response_result
        .as_ref()
        .ok_or("the response was not compared")?;
    let part = match params[0].as_str() {
        "status" => Part::Status,
        "header" | "headers" => Part::Header,
        _ => Part::Body,
    };
    if result
        .mismatches
        .iter()
        .any(|m| m.part == part && message_matches(&m.message, &params[1]))
    {
        Ok(())
    } else {
        Err(format!(
            "no {} mismatch saying {:?}; got {:?}",
            params[0], params[1], result.mismatches
        ))
    }
}
