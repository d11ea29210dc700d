//! Generators applied to the parts of requests, responses and messages.

use serde_json::{Map, Value};

use super::body;
use super::error::keep_on_missing;
use super::provider_state::as_text;
use super::value::Session;
use super::{GenerateError, GeneratorContext};
use crate::model::{
    Category, DocPath, Generator, Generators, Headers, HttpRequest, HttpResponse, Message,
    PathToken, Query,
};

/// A copy of the request with its generators applied to the path,
/// headers, query and body (see the [module docs](super) for the rules).
pub fn generate_request(
    request: &HttpRequest,
    ctx: &GeneratorContext,
) -> Result<HttpRequest, GenerateError> {
    let mut session = Session::new(ctx);
    let mut out = request.clone();
    let gens = &request.generators;
    path(&mut session, gens, &mut out.path)?;
    headers(&mut session, gens, &mut out.headers)?;
    query(&mut session, gens, &mut out.query)?;
    let body_gens = ordered(gens, Category::Body, &session);
    body::apply(&mut session, &mut out.body, &body_gens)?;
    Ok(out)
}

/// A copy of the response with its generators applied to the status,
/// headers and body.
pub fn generate_response(
    response: &HttpResponse,
    ctx: &GeneratorContext,
) -> Result<HttpResponse, GenerateError> {
    let mut session = Session::new(ctx);
    let mut out = response.clone();
    let gens = &response.generators;
    status(&mut session, gens, &mut out.status)?;
    headers(&mut session, gens, &mut out.headers)?;
    let body_gens = ordered(gens, Category::Body, &session);
    body::apply(&mut session, &mut out.body, &body_gens)?;
    Ok(out)
}

/// A copy of the message with its generators applied to the metadata and
/// contents.
pub fn generate_message(
    message: &Message,
    ctx: &GeneratorContext,
) -> Result<Message, GenerateError> {
    let mut session = Session::new(ctx);
    let mut out = message.clone();
    let gens = &message.generators;
    metadata(&mut session, gens, &mut out.metadata)?;
    let body_gens = ordered(gens, Category::Body, &session);
    body::apply(&mut session, &mut out.contents, &body_gens)?;
    Ok(out)
}

/// The generators of a category that run in the session's mode, shallowest
/// key first (key order within a depth).
fn ordered<'g>(
    gens: &'g Generators,
    category: Category,
    session: &Session<'_>,
) -> Vec<(&'g DocPath, &'g Generator)> {
    let mut list: Vec<_> = gens
        .category(category)
        .into_iter()
        .flatten()
        .filter(|(_, g)| session.applies(g))
        .collect();
    list.sort_by_key(|(key, _)| key.tokens().len());
    list
}

fn located<T>(
    result: Result<T, GenerateError>,
    category: Category,
    key: &DocPath,
) -> Result<T, GenerateError> {
    result.map_err(|e| e.at(category.as_str(), key.as_str()))
}

/// The name a header, query or metadata key stands for.
fn key_name(key: &DocPath) -> &str {
    match key.tokens().get(1) {
        Some(PathToken::Field(name)) => name,
        _ => key.as_str(),
    }
}

/// A generated scalar as text for a path, header or query value.
fn text_of(value: &Value, part: &'static str) -> Result<String, GenerateError> {
    match value {
        Value::Array(_) | Value::Object(_) | Value::Null => Err(GenerateError::InvalidPart {
            part,
            value: value.to_string(),
            reason: "it must be text, a number or a boolean",
        }),
        scalar => Ok(as_text(scalar)),
    }
}

/// Each value generated anew; `None` when the generator lacked input.
fn texts(
    session: &mut Session<'_>,
    generator: &Generator,
    current: &[String],
    part: &'static str,
) -> Result<Option<Vec<String>>, GenerateError> {
    let mut out = Vec::with_capacity(current.len());
    for value in current {
        match keep_on_missing(session.value(generator, &Value::String(value.clone())))? {
            Some(generated) => out.push(text_of(&generated, part)?),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

fn path(
    session: &mut Session<'_>,
    gens: &Generators,
    path: &mut String,
) -> Result<(), GenerateError> {
    for (key, generator) in ordered(gens, Category::Path, session) {
        let current = [path.clone()];
        let generated = texts(session, generator, &current, "path");
        if let Some(mut values) = located(generated, Category::Path, key)? {
            *path = values.pop().unwrap_or_default();
        }
    }
    Ok(())
}

fn status(
    session: &mut Session<'_>,
    gens: &Generators,
    status: &mut u16,
) -> Result<(), GenerateError> {
    for (key, generator) in ordered(gens, Category::Status, session) {
        let generated = keep_on_missing(session.value(generator, &Value::from(*status)));
        if let Some(value) = located(generated, Category::Status, key)? {
            *status = located(status_of(&value), Category::Status, key)?;
        }
    }
    Ok(())
}

fn status_of(value: &Value) -> Result<u16, GenerateError> {
    let code = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    };
    code.filter(|c| (100..=999).contains(c))
        .map(|c| c as u16)
        .ok_or_else(|| GenerateError::InvalidPart {
            part: "status",
            value: value.to_string(),
            reason: "a status must be an integer from 100 to 999",
        })
}

fn headers(
    session: &mut Session<'_>,
    gens: &Generators,
    headers: &mut Headers,
) -> Result<(), GenerateError> {
    for (key, generator) in ordered(gens, Category::Header, session) {
        let name = key_name(key);
        let current = headers
            .get(name)
            .map_or_else(|| vec![String::new()], <[_]>::to_vec);
        let generated = texts(session, generator, &current, "header");
        if let Some(values) = located(generated, Category::Header, key)? {
            headers.insert(name, values);
        }
    }
    Ok(())
}

fn query(
    session: &mut Session<'_>,
    gens: &Generators,
    query: &mut Query,
) -> Result<(), GenerateError> {
    for (key, generator) in ordered(gens, Category::Query, session) {
        let name = key_name(key);
        let current = query
            .get(name)
            .map_or_else(|| vec![String::new()], <[_]>::to_vec);
        let generated = texts(session, generator, &current, "query parameter");
        let Some(values) = located(generated, Category::Query, key)? else {
            continue;
        };
        match query.params.iter_mut().find(|(k, _)| k == name) {
            Some((_, existing)) => *existing = values,
            None => query.params.push((name.to_owned(), values)),
        }
        query.raw = None;
    }
    Ok(())
}

fn metadata(
    session: &mut Session<'_>,
    gens: &Generators,
    metadata: &mut Map<String, Value>,
) -> Result<(), GenerateError> {
    for (key, generator) in ordered(gens, Category::Metadata, session) {
        let name = key_name(key);
        let current = metadata.get(name).cloned().unwrap_or(Value::Null);
        let generated = keep_on_missing(session.value(generator, &current));
        if let Some(value) = located(generated, Category::Metadata, key)? {
            metadata.insert(name.to_owned(), value);
        }
    }
    Ok(())
}
