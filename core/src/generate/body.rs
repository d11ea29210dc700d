//! Body generators: every JSON value a path selects, form fields by name,
//! and whole-body generators for text (XML, plain text, ...).

use serde_json::Value;

use super::error::keep_on_missing;
use super::provider_state::as_text;
use super::value::Session;
use super::GenerateError;
use crate::model::{Body, BodyContent, ContentType, DocPath, Generator, PathToken, Query};

/// Applies body generators (already ordered and filtered by mode). Absent,
/// null and empty bodies are left alone.
pub(crate) fn apply(
    session: &mut Session<'_>,
    body: &mut Body,
    gens: &[(&DocPath, &Generator)],
) -> Result<(), GenerateError> {
    let Body::Present {
        content_type,
        content,
    } = body
    else {
        return Ok(());
    };
    let is_form = content_type.as_ref().is_some_and(ContentType::is_form);
    for &(path, generator) in gens {
        let result = match content {
            BodyContent::Json(value) => json(session, value, path, generator),
            BodyContent::Text(text) if is_form => form(session, text, path, generator),
            BodyContent::Text(text) if is_whole(path) => whole_text(session, text, generator),
            _ => Err(unsupported(path, content_type.as_ref())),
        };
        result.map_err(|e| e.at("body", path.as_str()))?;
    }
    Ok(())
}

fn is_whole(path: &DocPath) -> bool {
    path.tokens().len() <= 1
}

fn unsupported(path: &DocPath, content_type: Option<&ContentType>) -> GenerateError {
    GenerateError::UnsupportedBody {
        path: path.as_str().to_owned(),
        content_type: content_type.map_or_else(|| "unknown".to_owned(), ContentType::essence),
    }
}

fn json(
    session: &mut Session<'_>,
    value: &mut Value,
    path: &DocPath,
    generator: &Generator,
) -> Result<(), GenerateError> {
    visit(value, path.tokens(), &mut |node| {
        if let Some(generated) = keep_on_missing(session.value(generator, node))? {
            *node = generated;
        }
        Ok(())
    })
}

type Visitor<'f> = dyn FnMut(&mut Value) -> Result<(), GenerateError> + 'f;

/// Calls `f` on every value the path tokens select.
fn visit(
    value: &mut Value,
    tokens: &[PathToken],
    f: &mut Visitor<'_>,
) -> Result<(), GenerateError> {
    let Some((first, rest)) = tokens.split_first() else {
        return f(value);
    };
    match (first, value) {
        (PathToken::Root, value) => visit(value, rest, f),
        (PathToken::Field(name), Value::Object(map)) => match map.get_mut(name) {
            Some(child) => visit(child, rest, f),
            None => Ok(()),
        },
        (PathToken::Index(i), Value::Array(items)) => match items.get_mut(*i) {
            Some(child) => visit(child, rest, f),
            None => Ok(()),
        },
        (PathToken::StarIndex | PathToken::Star, Value::Array(items)) => {
            items.iter_mut().try_for_each(|child| visit(child, rest, f))
        }
        (PathToken::Star, Value::Object(map)) => {
            map.values_mut().try_for_each(|child| visit(child, rest, f))
        }
        _ => Ok(()),
    }
}

fn whole_text(
    session: &mut Session<'_>,
    text: &mut String,
    generator: &Generator,
) -> Result<(), GenerateError> {
    let current = Value::String(text.clone());
    if let Some(generated) = keep_on_missing(session.value(generator, &current))? {
        *text = as_text(&generated);
    }
    Ok(())
}

/// `$.name` (every value of the field), `$.name[2]` or `$.name[*]` in an
/// `application/x-www-form-urlencoded` body.
fn form(
    session: &mut Session<'_>,
    text: &mut String,
    path: &DocPath,
    generator: &Generator,
) -> Result<(), GenerateError> {
    let (name, index) = match path.tokens() {
        [PathToken::Root] => return whole_text(session, text, generator),
        [PathToken::Root, PathToken::Field(name)] => (name, None),
        [PathToken::Root, PathToken::Field(name), PathToken::StarIndex] => (name, None),
        [PathToken::Root, PathToken::Field(name), PathToken::Index(i)] => (name, Some(*i)),
        _ => {
            let form = ContentType::parse("application/x-www-form-urlencoded");
            return Err(unsupported(path, form.as_ref()));
        }
    };
    let mut query = Query::parse(text);
    let Some((_, values)) = query.params.iter_mut().find(|(k, _)| k == name) else {
        return Ok(());
    };
    let mut changed = false;
    for (i, value) in values.iter_mut().enumerate() {
        if index.is_some_and(|wanted| wanted != i) {
            continue;
        }
        let current = Value::String(value.clone());
        if let Some(generated) = keep_on_missing(session.value(generator, &current))? {
            *value = as_text(&generated);
            changed = true;
        }
    }
    if changed {
        *text = query.to_query_string();
    }
    Ok(())
}
