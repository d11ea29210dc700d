//! Steps of the generator features: requests and responses prepared for
//! use, and checks on what the generators produced.

use gherkin::Table;
use regex::Regex;
use serde_json::Value;
use treaty_core::datetime::{self, DatePattern};
use treaty_core::generate::{generate_request, generate_response, GeneratorContext, GeneratorMode};
use treaty_core::model::{
    BodyContent, Category, DocPath, Generator, HttpRequest, HttpResponse, PathToken,
};

use super::fixtures;
use super::steps::Handler;
use super::world::World;

pub(crate) const STEPS: &[(&str, Handler)] = &[
    (
        "a request configured with the following generators:",
        request_with_generators,
    ),
    (
        "a response configured with the following generators:",
        response_with_generators,
    ),
    (
        r#"the generator test mode is set as "(Consumer|Provider)""#,
        set_mode,
    ),
    ("the request is prepared for use", prepare_request),
    (
        r#"the request is prepared for use with a "(providerState|mockServer)" context:"#,
        prepare_request_with_context,
    ),
    ("the response is prepared for use", prepare_response),
    (
        r#"the body value for "([^"]*)" will have been replaced with an? "([^"]*)""#,
        replaced_with_kind,
    ),
    (
        r#"the body value for "([^"]*)" will have been replaced with "([^"]*)""#,
        replaced_with_value,
    ),
    (
        r#"the request "([^"]*)" will be set as "([^"]*)""#,
        request_part_is,
    ),
    (
        r#"the request "([^"]*)" will match "([^"]*)""#,
        request_part_matches,
    ),
    (
        r#"the response "([^"]*)" will not be "([^"]*)""#,
        response_part_is_not,
    ),
    (
        r#"the response "([^"]*)" will match "([^"]*)""#,
        response_part_matches,
    ),
];

fn request_with_generators(
    world: &mut World,
    _: &[String],
    table: Option<&Table>,
) -> Result<(), String> {
    let rows = fixtures::rows(table)?;
    let row = rows.first().ok_or("no row")?;
    let mut request = super::matching::request_from_row(row, world.version)?;
    request.path = "/path/one".into();
    request.generators = fixtures::generators(
        row.get("generators").ok_or("no generators column")?,
        world.version,
    )?;
    world.original_request = request;
    Ok(())
}

fn response_with_generators(
    world: &mut World,
    _: &[String],
    table: Option<&Table>,
) -> Result<(), String> {
    let rows = fixtures::rows(table)?;
    let row = rows.first().ok_or("no row")?;
    let mut response = HttpResponse::default();
    if let Some(body) = row.get("body") {
        response.body = fixtures::body(body, None)?;
    }
    response.generators = fixtures::generators(
        row.get("generators").ok_or("no generators column")?,
        world.version,
    )?;
    world.original_response = response;
    Ok(())
}

fn set_mode(world: &mut World, params: &[String], _: Option<&Table>) -> Result<(), String> {
    world.provider_mode = params[0] == "Provider";
    Ok(())
}

fn context(world: &World) -> GeneratorContext {
    let mode = if world.provider_mode {
        GeneratorMode::Provider
    } else {
        GeneratorMode::Consumer
    };
    let mut ctx = GeneratorContext::new(mode).with_provider_state(world.context.clone());
    if let Some(url) = world.context.get("href").and_then(Value::as_str) {
        ctx = ctx.with_mock_server_url(url);
    }
    ctx
}

fn prepare_request(world: &mut World, _: &[String], _: Option<&Table>) -> Result<(), String> {
    let generated =
        generate_request(&world.original_request, &context(world)).map_err(|e| e.to_string())?;
    world.generated_request = Some(generated);
    Ok(())
}

fn prepare_request_with_context(
    world: &mut World,
    _: &[String],
    table: Option<&Table>,
) -> Result<(), String> {
    match fixtures::single_cell_json(table)? {
        Value::Object(map) => world.context = map,
        other => return Err(format!("context must be an object, got {other}")),
    }
    prepare_request(world, &[], None)
}

fn prepare_response(world: &mut World, _: &[String], _: Option<&Table>) -> Result<(), String> {
    let generated =
        generate_response(&world.original_response, &context(world)).map_err(|e| e.to_string())?;
    world.generated_response = Some(generated);
    Ok(())
}

/// The generated body and the original, whichever side was prepared.
fn bodies(world: &World) -> Result<(Value, Value), String> {
    let json = |content: Option<&BodyContent>| match content {
        Some(BodyContent::Json(v)) => Ok(v.clone()),
        other => Err(format!("expected a JSON body, got {other:?}")),
    };
    match (&world.generated_request, &world.generated_response) {
        (Some(req), _) => Ok((
            json(req.body.content())?,
            json(world.original_request.body.content())?,
        )),
        (None, Some(res)) => Ok((
            json(res.body.content())?,
            json(world.original_response.body.content())?,
        )),
        _ => Err("nothing was prepared for use".into()),
    }
}

fn at<'v>(value: &'v Value, path: &str) -> Result<&'v Value, String> {
    let path = DocPath::parse(path).map_err(|e| e.to_string())?;
    path.tokens()
        .iter()
        .skip(1)
        .try_fold(value, |v, token| match token {
            PathToken::Field(f) => v.get(f),
            PathToken::Index(i) => v.get(i),
            _ => None,
        })
        .ok_or_else(|| format!("nothing at {path} in {value}"))
}

/// The generator the scenario put at a body path (for its regex or format).
fn body_generator<'w>(world: &'w World, path: &str) -> Option<&'w Generator> {
    let generators = if world.generated_request.is_some() {
        &world.original_request.generators
    } else {
        &world.original_response.generators
    };
    let path = DocPath::parse(path).ok()?;
    generators.category(Category::Body)?.get(&path)
}

fn replaced_with_kind(
    world: &mut World,
    params: &[String],
    _: Option<&Table>,
) -> Result<(), String> {
    let (generated, original) = bodies(world)?;
    let (new, old) = (at(&generated, &params[0])?, at(&original, &params[0])?);
    if new == old {
        return Err(format!("{} still holds the example {old}", params[0]));
    }
    let text = match new {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let full = |re: &str| Regex::new(&format!("^(?:{re})$")).is_ok_and(|re| re.is_match(&text));
    let format = |g: Option<&Generator>| match g {
        Some(
            Generator::Date { format, .. }
            | Generator::Time { format, .. }
            | Generator::DateTime { format, .. },
        ) => format.as_deref().map(DatePattern::parse),
        _ => None,
    };
    let generator = body_generator(world, &params[0]);
    let ok = match params[1].as_str() {
        "integer" => new.is_i64() || full(r"-?\d+"),
        "decimal number" => new.is_f64() || full(r"-?\d+\.\d+"),
        "hexadecimal number" => full("[0-9a-fA-F]+"),
        "random string" => new.is_string() && !text.is_empty(),
        "string from the regex" => match generator {
            Some(Generator::Regex { regex }) => full(regex),
            other => return Err(format!("no regex generator at {}: {other:?}", params[0])),
        },
        "date" | "time" | "date-time" => match format(generator) {
            Some(Ok(pattern)) => pattern.matches(&text),
            Some(Err(e)) => return Err(e.to_string()),
            None if params[1] == "date" => datetime::matches_iso_date(&text),
            None if params[1] == "time" => datetime::matches_iso_time(&text),
            None => datetime::matches_iso_datetime(&text),
        },
        "UUID" | "lower-case-hyphenated UUID" => {
            full("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
        }
        "simple UUID" => full("[0-9a-f]{32}"),
        "upper-case-hyphenated UUID" => {
            full("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}")
        }
        "URN UUID" => full("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        "boolean" => new.is_boolean(),
        other => return Err(format!("unknown kind {other}")),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{} is {new}, not a(n) {}", params[0], params[1]))
    }
}

fn replaced_with_value(
    world: &mut World,
    params: &[String],
    _: Option<&Table>,
) -> Result<(), String> {
    let (generated, _) = bodies(world)?;
    let new = at(&generated, &params[0])?;
    let text = match new {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text == params[1] {
        Ok(())
    } else {
        Err(format!("{} is {new}, expected {}", params[0], params[1]))
    }
}

/// `path`, `header[X]`, `queryParameter[x]` of a generated request.
fn request_part(request: &HttpRequest, part: &str) -> Result<Vec<String>, String> {
    if part == "path" {
        return Ok(vec![request.path.clone()]);
    }
    if let Some(name) = part
        .strip_prefix("header[")
        .and_then(|p| p.strip_suffix(']'))
    {
        return Ok(request
            .headers
            .get(name)
            .map(<[String]>::to_vec)
            .unwrap_or_default());
    }
    if let Some(name) = part
        .strip_prefix("queryParameter[")
        .and_then(|p| p.strip_suffix(']'))
    {
        return Ok(request
            .query
            .get(name)
            .map(<[String]>::to_vec)
            .unwrap_or_default());
    }
    Err(format!("unknown request part {part}"))
}

fn response_part(response: &HttpResponse, part: &str) -> Result<Vec<String>, String> {
    if part == "status" {
        return Ok(vec![response.status.to_string()]);
    }
    if let Some(name) = part
        .strip_prefix("header[")
        .and_then(|p| p.strip_suffix(']'))
    {
        return Ok(response
            .headers
            .get(name)
            .map(<[String]>::to_vec)
            .unwrap_or_default());
    }
    Err(format!("unknown response part {part}"))
}

fn all_match(values: &[String], pattern: &str) -> Result<(), String> {
    let re = Regex::new(pattern).map_err(|e| e.to_string())?;
    if !values.is_empty() && values.iter().all(|v| re.is_match(v)) {
        Ok(())
    } else {
        Err(format!("{values:?} does not match {pattern}"))
    }
}

fn generated_request(world: &World) -> Result<&HttpRequest, String> {
    world
        .generated_request
        .as_ref()
        .ok_or_else(|| "the request was not prepared".into())
}

fn generated_response(world: &World) -> Result<&HttpResponse, String> {
    world
        .generated_response
        .as_ref()
        .ok_or_else(|| "the response was not prepared".into())
}

fn request_part_is(world: &mut World, params: &[String], _: Option<&Table>) -> Result<(), String> {
    let values = request_part(generated_request(world)?, &params[0])?;
    if values == [params[1].clone()] {
        Ok(())
    } else {
        Err(format!(
            "{} is {values:?}, expected {}",
            params[0], params[1]
        ))
    }
}

fn request_part_matches(
    world: &mut World,
    params: &[String],
    _: Option<&Table>,
) -> Result<(), String> {
    all_match(
        &request_part(generated_request(world)?, &params[0])?,
        &params[1],
    )
}

fn response_part_is_not(
    world: &mut World,
    params: &[String],
    _: Option<&Table>,
) -> Result<(), String> {
    let values = response_part(generated_response(world)?, &params[0])?;
    if values.iter().any(|v| *v == params[1]) {
        Err(format!("{} is still {}", params[0], params[1]))
    } else {
        Ok(())
    }
}

fn response_part_matches(
    world: &mut World,
    params: &[String],
    _: Option<&Table>,
) -> Result<(), String> {
    all_match(
        &response_part(generated_response(world)?, &params[0])?,
        &params[1],
    )
}
