//! Steps of the mock server features (V1, V2 `http_consumer`): the
//! Background's interactions served by treaty's consumer mock server,
//! requests made to it with reqwest, its report and the written pact.

use gherkin::Table;
use serde_json::Value;
use treaty_core::consumer::{contract, MockFailure, MockReport, MockServer, Outcome};
use treaty_core::matching::{Mismatch, Part};
use treaty_core::model::{Body, Contract, HttpRequest, Interaction, InteractionKind, Query};
use treaty_core::read::parse_contract;

use super::fixtures;
use super::http_provider::{http, numbered};
use super::steps::Handler;
use super::wording;
use super::world::World;

/// The consumer side of a scenario.
#[derive(Default)]
pub(crate) struct ConsumerWorld {
    pub(crate) dir: Option<tempfile::TempDir>,
    mock: Option<MockServer>,
    response: Option<(u16, Option<String>, Vec<u8>)>,
    report: Option<MockReport>,
    finished: Option<Result<(), String>>,
}

impl Drop for ConsumerWorld {
    fn drop(&mut self) {
        if let Some(mock) = self.mock.take() {
            let _ = mock.finish();
        }
    }
}

impl ConsumerWorld {
    /// The scenario's own output directory.
    pub(crate) fn dir(&mut self) -> std::path::PathBuf {
        self.dir
            .get_or_insert_with(|| tempfile::tempdir().expect("a temp dir"))
            .path()
            .to_owned()
    }
}

pub(crate) const STEPS: &[(&str, Handler)] = &[
    (
        r"the mock server is started with interaction (\d+)",
        |w, p, _| start(w, &p[0], None),
    ),
    (
        r#"the mock server is started with interactions "([^"]*)""#,
        |w, p, _| start(w, &p[0], None),
    ),
    (
        r"the mock server is started with interaction (\d+) but with the following changes:",
        |w, p, t| start(w, &p[0], t),
    ),
    (r"request (\d+) is made to the mock server", |w, p, _| {
        send(w, &p[0], None)
    }),
    (
        r"request (\d+) is made to the mock server with the following changes:",
        |w, p, t| send(w, &p[0], t),
    ),
    (
        r"a (\d+) (?:success|error) response is returned",
        |w, p, _| {
            let status = w.consumer.response.as_ref().ok_or("no request made")?.0;
            (status.to_string() == p[0])
                .then_some(())
                .ok_or_else(|| format!("status was {status}"))
        },
    ),
    (
        r#"the payload will contain the "([^"]*)" JSON document"#,
        |w, p, _| {
            let body = &w.consumer.response.as_ref().ok_or("no request made")?.2;
            let actual: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
            same_json(&actual, &fixture_json(&format!("{}.json", p[0]))?)
        },
    ),
    (r#"the content type will be set as "([^"]*)""#, |w, p, _| {
        let ct = w
            .consumer
            .response
            .as_ref()
            .ok_or("no request made")?
            .1
            .clone();
        (ct.as_deref().is_some_and(|c| c.starts_with(p[0].as_str())))
            .then_some(())
            .ok_or_else(|| format!("content type was {ct:?}"))
    }),
    ("the pact test is done", done),
    ("the mock server status will be OK", |w, _, _| {
        match &w.consumer.finished {
            Some(Ok(())) => Ok(()),
            other => Err(format!("status: {other:?}")),
        }
    }),
    (
        "the mock server status will NOT be OK",
        |w, _, _| match &w.consumer.finished {
            Some(Err(_)) => Ok(()),
            other => Err(format!("status: {other:?}")),
        },
    ),
    (
        r"the mock server will write out a Pact file for the interactions? when done",
        |w, _, _| written(w).map(|_| ()),
    ),
    (
        r"the mock server will NOT write out a Pact file for the interactions? when done",
        |w, _, _| match written(w) {
            Ok(_) => Err("a pact file was written".into()),
            Err(_) => Ok(()),
        },
    ),
    (
        r"the mock server status will be an expected but not received error for interaction \{(\d+)\}",
        |w, p, _| {
            let missed = &report(w)?.missed;
            let name = format!("Interaction {}", p[0]);
            missed
                .iter()
                .any(|(d, _, _)| *d == name)
                .then_some(())
                .ok_or_else(|| format!("{missed:?}"))
        },
    ),
    (
        r#"the mock server status will be an unexpected "([^"]*)" request received error for interaction \{(\d+)\}"#,
        |w, p, _| {
            let (request, _) = http(numbered(w, &p[1])?);
            unexpected(w, &p[0], &request.path)
        },
    ),
    (
        r#"the mock server status will be an unexpected "([^"]*)" request received error for path "([^"]*)""#,
        |w, p, _| unexpected(w, &p[0], &p[1]),
    ),
    ("the mock server status will be mismatches", |w, _, _| {
        mismatches(w)?
            .is_empty()
            .then_some(())
            .map_or(Ok(()), |_| Err("no mismatches".into()))
    }),
    (
        r#"the mismatches will contain a "([^"]*)" mismatch with error "([^"]*)""#,
        |w, p, _| has_mismatch(w, &p[0], None, &p[1]),
    ),
    (
        r#"the mismatches will contain a "([^"]*)" mismatch with path "([^"]*)" with error "([^"]*)""#,
        |w, p, _| has_mismatch(w, &p[0], Some(&p[1]), &p[2]),
    ),
    (
        r"the pact file will contain \{(\d+)\} interactions?",
        |w, p, _| {
            let count = written(w)?.interactions.len();
            (count.to_string() == p[0])
                .then_some(())
                .ok_or_else(|| format!("{count} interactions"))
        },
    ),
    (
        r#"the \{first\} interaction request will be for a "([^"]*)""#,
        |w, p, _| {
            let method = first_request(w)?.method;
            (method == p[0])
                .then_some(())
                .ok_or_else(|| format!("method {method}"))
        },
    ),
    (
        r#"the \{first\} interaction response will contain the "([^"]*)" document"#,
        |w, p, _| {
            let contract = written(w)?;
            match contract.interactions.first().map(|i| &i.kind) {
                Some(InteractionKind::Http { response, .. }) => same_body(&response.body, &p[0]),
                _ => Err("no HTTP interaction".into()),
            }
        },
    ),
    (
        r#"the \{first\} interaction request query parameters will be "([^"]*)""#,
        |w, p, _| {
            let query = first_request(w)?.query;
            let mut expected = Query::parse(&p[0]);
            expected.raw = None;
            (query == expected)
                .then_some(())
                .ok_or_else(|| format!("{query:?}"))
        },
    ),
    (
        r#"the \{first\} interaction request will contain the header "([^"]*)" with value "([^"]*)""#,
        |w, p, _| {
            let request = first_request(w)?;
            let value = request.headers.first(&p[0]).map(str::to_owned);
            (value.as_deref() == Some(p[1].as_str()))
                .then_some(())
                .ok_or_else(|| format!("{value:?}"))
        },
    ),
    (
        r#"the \{first\} interaction request content type will be "([^"]*)""#,
        |w, p, _| {
            let request = first_request(w)?;
            let ct = request.body.content_type().map(|c| c.essence());
            (ct.as_deref() == Some(p[0].as_str()))
                .then_some(())
                .ok_or_else(|| format!("{ct:?}"))
        },
    ),
    (
        r#"the \{first\} interaction request will contain the "([^"]*)" document"#,
        |w, p, _| same_body(&first_request(w)?.body, &p[0]),
    ),
];

fn start(w: &mut World, list: &str, changes: Option<&Table>) -> Result<(), String> {
    let mut builder = contract("V1-consumer", "V1-provider").output_dir(w.consumer.dir());
    for n in list.split(',') {
        let mut interaction = numbered(w, n)?;
        if let InteractionKind::Http { request, .. } = &mut interaction.kind {
            if let Some(row) = first_row(changes)? {
                edit_request(request, &row)?;
            }
            // Parameters are matched one by one, as the mock servers of
            // every Pact version do, not as one string.
            request.query.raw = None;
        }
        builder = builder.with_interaction(interaction);
    }
    w.consumer.mock = Some(builder.try_start_mock_server().map_err(|e| e.to_string())?);
    Ok(())
}

fn first_row(
    t: Option<&Table>,
) -> Result<Option<std::collections::HashMap<String, String>>, String> {
    match t {
        None => Ok(None),
        Some(_) => Ok(fixtures::rows(t)?.into_iter().next()),
    }
}

fn edit_request(
    request: &mut HttpRequest,
    row: &std::collections::HashMap<String, String>,
) -> Result<(), String> {
    for (column, cell) in row {
        let cell = cell.trim();
        match column.as_str() {
            "method" => request.method = cell.to_owned(),
            "path" => request.path = cell.to_owned(),
            "query" => request.query = Query::parse(cell),
            "headers" | "raw headers" => request.headers = fixtures::headers(cell),
            "body" => {
                let literal = !["file:", "JSON:", "XML:"]
                    .iter()
                    .any(|p| cell.starts_with(p));
                let inherited = request.body.content_type().map(ToString::to_string);
                let ct = if literal { inherited.as_deref() } else { None };
                request.body = fixtures::body(cell, ct)?;
            }
            other => return Err(format!("unknown change column {other}")),
        }
    }
    Ok(())
}

fn send(w: &mut World, n: &str, changes: Option<&Table>) -> Result<(), String> {
    let (mut request, _) = http(numbered(w, n)?);
    if let Some(row) = first_row(changes)? {
        edit_request(&mut request, &row)?;
    }
    let mock = w
        .consumer
        .mock
        .as_ref()
        .ok_or("the mock server is not started")?;
    let mut url = mock.url(&request.path);
    if !request.query.is_empty() {
        url.push('?');
        url.push_str(&request.query.to_query_string());
    }
    let method =
        reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| e.to_string())?;
    let client = reqwest::blocking::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())?;
    let mut call = client.request(method, url);
    for (name, values) in request.headers.iter() {
        for value in values {
            call = call.header(name, value);
        }
    }
    if request.headers.first("content-type").is_none() {
        if let Some(ct) = request.body.content_type() {
            call = call.header("Content-Type", ct.to_string());
        }
    }
    if request.body.is_present() {
        call = call.body(request.body.to_bytes().into_owned());
    }
    let response = call.send().map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let ct = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bytes = response.bytes().map_err(|e| e.to_string())?.to_vec();
    w.consumer.response = Some((status, ct, bytes));
    Ok(())
}

fn done(w: &mut World, _: &[String], _: Option<&Table>) -> Result<(), String> {
    let mock = w
        .consumer
        .mock
        .take()
        .ok_or("the mock server is not started")?;
    w.consumer.report = Some(mock.report());
    w.consumer.finished = Some(mock.finish().map(|_| ()).map_err(|e| match e {
        MockFailure::Report(report) => report.to_string(),
        other => other.to_string(),
    }));
    Ok(())
}

/// The report: as of the end of the test, or now when it is running.
fn report(w: &World) -> Result<MockReport, String> {
    match (&w.consumer.report, &w.consumer.mock) {
        (Some(report), _) => Ok(report.clone()),
        (None, Some(mock)) => Ok(mock.report()),
        (None, None) => Err("the mock server is not started".into()),
    }
}

fn unexpected(w: &World, method: &str, path: &str) -> Result<(), String> {
    let report = report(w)?;
    let found = report.problems.iter().any(|e| {
        e.outcome == Outcome::Unexpected && e.request.method == method && e.request.path == path
    });
    found.then_some(()).ok_or_else(|| report.to_string())
}

fn mismatches(w: &World) -> Result<Vec<Mismatch>, String> {
    Ok(report(w)?
        .problems
        .into_iter()
        .filter_map(|e| match e.outcome {
            Outcome::Mismatched { result, .. } => Some(result.mismatches),
            _ => None,
        })
        .flatten()
        .collect())
}

fn has_mismatch(w: &World, kind: &str, path: Option<&str>, text: &str) -> Result<(), String> {
    let part = match kind {
        "query" => Part::Query,
        "header" => Part::Header,
        "body" => Part::Body,
        "body-content-type" => Part::BodyType,
        other => return Err(format!("unknown mismatch kind {other}")),
    };
    let all = mismatches(w)?;
    let wanted = wording::treaty_wording(text);
    let found = all
        .iter()
        .any(|m| m.part == part && path.is_none_or(|p| m.path == p) && m.message.contains(&wanted));
    found.then_some(()).ok_or_else(|| format!("{all:#?}"))
}

/// The pact file the scenario's mock server wrote.
pub(crate) fn written(w: &mut World) -> Result<Contract, String> {
    let dir = w.consumer.dir();
    let file = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .ok_or("no pact file was written")?;
    let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    parse_contract(&text).map_err(|e| e.to_string())
}

fn first_request(w: &mut World) -> Result<HttpRequest, String> {
    let first: Option<Interaction> = written(w)?.interactions.into_iter().next();
    match first.map(|i| i.kind) {
        Some(InteractionKind::Http { request, .. }) => Ok(request),
        _ => Err("no HTTP interaction".into()),
    }
}

pub(crate) fn fixture_json(name: &str) -> Result<Value, String> {
    fixtures::fragment(name)
}

pub(crate) fn same_json(actual: &Value, expected: &Value) -> Result<(), String> {
    (actual == expected)
        .then_some(())
        .ok_or_else(|| format!("{actual} is not {expected}"))
}

/// A body equals a fixture (`basic.json`, `file: basic.json`).
pub(crate) fn same_body(body: &Body, name: &str) -> Result<(), String> {
    let name = name.trim().trim_start_matches("file:").trim();
    let expected = fixtures::body(&format!("file: {name}"), None)?;
    match (body.content(), expected.content()) {
        (Some(a), Some(b)) if a == b => Ok(()),
        _ if body.to_bytes() == expected.to_bytes() => Ok(()),
        _ => Err(format!("{body:?} is not the fixture {name}")),
    }
}
