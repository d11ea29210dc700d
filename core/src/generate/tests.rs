//! Generators applied to whole requests, responses and messages, including
//! the Pact compatibility-suite scenarios (V3 `generators`,
//! `http_generators`, V4 `generators`) with their fixtures inlined.

use regex::Regex;
use serde_json::{json, Value};

use super::*;
use crate::model::{Body, BodyContent, HttpRequest, HttpResponse, Message, SpecVersion};
use crate::read::{read_message, read_request, read_response};

fn request(def: Value) -> HttpRequest {
    read_request(&def, SpecVersion::V4).unwrap()
}

fn response(def: Value) -> HttpResponse {
    read_response(&def, SpecVersion::V4).unwrap()
}

/// The compatibility suite's request: path `/path/one`, body `basic.json`.
fn basic_request(body_generators: Value) -> HttpRequest {
    request(json!({
        "method": "GET",
        "path": "/path/one",
        "body": {"one": "a", "two": "b"},
        "generators": {"body": body_generators},
    }))
}

fn consumer() -> GeneratorContext {
    GeneratorContext::new(GeneratorMode::Consumer).with_seed(5)
}

fn provider(state: Value) -> GeneratorContext {
    let state = state.as_object().cloned().unwrap_or_default();
    GeneratorContext::new(GeneratorMode::Provider)
        .with_seed(5)
        .with_provider_state(state)
}

fn json_body(body: &Body) -> &Value {
    match body.content() {
        Some(BodyContent::Json(value)) => value,
        other => panic!("not a JSON body: {other:?}"),
    }
}

fn one_after(generator: Value, ctx: &GeneratorContext) -> Value {
    let req = basic_request(json!({ "$.one": generator }));
    let out = generate_request(&req, ctx).unwrap();
    let body = json_body(&out.body);
    assert_eq!(body["two"], json!("b"), "untouched field changed");
    body["one"].clone()
}

fn assert_replaced(generator: Value, pattern: &str) {
    let value = one_after(generator.clone(), &consumer());
    assert_ne!(value, json!("a"), "{generator}");
    let text = provider_state::as_text(&value);
    assert!(
        Regex::new(pattern).unwrap().is_match(&text),
        "{generator} gave {value}"
    );
}

#[test]
fn v3_body_generator_scenarios() {
    let date = r"^\d{4}-\d{2}-\d{2}$";
    let time = r"^\d{2}:\d{2}:\d{2}$";
    let date_time = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$";
    let uuid = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
    for (generator, pattern) in [
        (
            json!({"type": "RandomInt", "min": 0, "max": 1000}),
            r"^\d+$",
        ),
        (json!({"type": "RandomDecimal", "digits": 6}), r"^\d+\.\d+$"),
        (
            json!({"type": "RandomHexadecimal", "digits": 6}),
            "^[0-9a-fA-F]{6}$",
        ),
        (
            json!({"type": "RandomString", "size": 6}),
            "^[0-9A-Za-z]{6}$",
        ),
        (json!({"type": "Regex", "regex": "\\d{1,8}"}), r"^\d{1,8}$"),
        (json!({"type": "Date"}), date),
        (json!({"type": "Time"}), time),
        (json!({"type": "DateTime"}), date_time),
        (json!({"type": "Uuid"}), uuid),
        (json!({"type": "RandomBoolean"}), "^(true|false)$"),
    ] {
        assert_replaced(generator, pattern);
    }
}

#[test]
fn v4_uuid_format_scenarios() {
    let hex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    let upper = "[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}";
    for (format, pattern) in [
        ("simple", "^[0-9a-f]{32}$".to_owned()),
        ("lower-case-hyphenated", format!("^{hex}$")),
        ("upper-case-hyphenated", format!("^{upper}$")),
        ("URN", format!("^urn:uuid:{hex}$")),
    ] {
        assert_replaced(json!({"type": "Uuid", "format": format}), &pattern);
    }
}

#[test]
fn v4_provider_state_scenario() {
    let g = json!({"type": "ProviderState", "expression": "${id}"});
    assert_eq!(
        one_after(g.clone(), &provider(json!({"id": 1000}))),
        json!(1000)
    );
    // Consumer mode, or no value supplied: the example stays.
    assert_eq!(one_after(g.clone(), &consumer()), json!("a"));
    assert_eq!(one_after(g, &provider(json!({}))), json!("a"));
}

#[test]
fn v4_mock_server_url_scenario() {
    let g = json!({"type": "MockServerURL", "regex": ".*(/a)", "example": "http://1234:8080/a"});
    let ctx = consumer().with_mock_server_url("http://somewhere.world");
    assert_eq!(
        one_after(g.clone(), &ctx),
        json!("http://somewhere.world/a")
    );
    assert_eq!(one_after(g.clone(), &consumer()), json!("a"));
    let provider_side = provider(json!({})).with_mock_server_url("http://somewhere.world");
    assert_eq!(one_after(g, &provider_side), json!("a"));
}

#[test]
fn request_path_from_provider_state() {
    let req = request(json!({
        "method": "GET",
        "path": "/path/one",
        "generators": {"path": {"type": "ProviderState", "expression": "/path/${id}"}},
    }));
    let out = generate_request(&req, &provider(json!({"id": 1000}))).unwrap();
    assert_eq!(out.path, "/path/1000");
    assert_eq!(
        generate_request(&req, &consumer()).unwrap().path,
        "/path/one"
    );
    assert_eq!(
        generate_request(&req, &provider(json!({}))).unwrap().path,
        "/path/one"
    );
}

#[test]
fn request_headers_and_query_are_generated_or_added() {
    let int = json!({"type": "RandomInt", "min": 1, "max": 10});
    let req = request(json!({
        "method": "GET",
        "path": "/",
        "headers": {"X-Kept": "k", "X-Twice": ["1", "2"]},
        "query": {"v2": ["x", "y"]},
        "generators": {
            "header": {"X-TEST": int, "x-twice": int},
            "query": {"v1": int, "v2": int},
        },
    }));
    let out = generate_request(&req, &consumer()).unwrap();
    let digits = Regex::new(r"^\d+$").unwrap();
    let all_digits = |values: &[String]| values.iter().all(|v| digits.is_match(v));
    assert!(all_digits(out.headers.get("X-TEST").unwrap()));
    assert_eq!(out.headers.get("X-Twice").unwrap().len(), 2);
    assert!(all_digits(out.headers.get("X-Twice").unwrap()));
    assert_eq!(out.headers.first("X-Kept"), Some("k"));
    assert!(all_digits(out.query.get("v1").unwrap()));
    assert_eq!(out.query.get("v2").unwrap().len(), 2);
    assert!(all_digits(out.query.get("v2").unwrap()));
    assert_eq!(out.query.raw, None);
}

#[test]
fn missing_provider_state_adds_no_header() {
    let req = request(json!({
        "method": "GET",
        "path": "/",
        "generators": {"header": {"X-Id": {"type": "ProviderState", "expression": "${id}"}}},
    }));
    let out = generate_request(&req, &provider(json!({}))).unwrap();
    assert!(out.headers.get("X-Id").is_none());
    let out = generate_request(&req, &provider(json!({"id": 7}))).unwrap();
    assert_eq!(out.headers.first("X-Id"), Some("7"));
}

#[test]
fn response_status_headers_and_body() {
    let resp = response(json!({
        "status": 200,
        "body": {"one": "a"},
        "generators": {
            "status": {"type": "RandomInt", "min": 201, "max": 599},
            "header": {"X-TEST": {"type": "RandomInt", "min": 1, "max": 10}},
            "body": {"$.one": {"type": "RandomInt", "min": 0, "max": 1000}},
        },
    }));
    let digits = Regex::new(r"^\d+$").unwrap();
    for seed in 0..20 {
        let out = generate_response(&resp, &consumer().with_seed(seed)).unwrap();
        assert!((201..=599).contains(&out.status));
        assert!(digits.is_match(out.headers.first("X-TEST").unwrap()));
        assert!(json_body(&out.body)["one"]
            .as_str()
            .unwrap()
            .parse::<u32>()
            .is_ok());
    }
}

#[test]
fn unusable_status_is_an_error() {
    let resp = response(json!({
        "status": 200,
        "generators": {"status": {"type": "RandomString", "size": 3}},
    }));
    let err = generate_response(&resp, &consumer()).unwrap_err();
    assert!(
        matches!(
            err,
            GenerateError::At {
                category: "status",
                ..
            }
        ),
        "{err}"
    );
    assert!(matches!(
        err.root(),
        GenerateError::InvalidPart { part: "status", .. }
    ));
}

#[test]
fn body_wildcards_reach_every_selected_value() {
    let req = request(json!({
        "method": "POST",
        "path": "/",
        "body": {"items": [{"id": 1, "n": "x"}, {"id": 2, "n": "y"}], "meta": {"a": "1", "b": "2"}},
        "generators": {"body": {
            "$.items[*].id": {"type": "RandomInt", "min": 100, "max": 199},
            "$.meta.*": {"type": "Regex", "regex": "z{3}"},
            "$.items[1].n": {"type": "RandomString", "size": 4},
            "$.nothing.here": {"type": "RandomBoolean"},
        }},
    }));
    let out = generate_request(&req, &consumer()).unwrap();
    let body = json_body(&out.body);
    for item in body["items"].as_array().unwrap() {
        assert!(
            (100..=199).contains(&item["id"].as_i64().unwrap()),
            "{item}"
        );
    }
    assert_eq!(body["items"][0]["n"], json!("x"));
    assert_eq!(body["items"][1]["n"].as_str().unwrap().len(), 4);
    assert_eq!(body["meta"], json!({"a": "zzz", "b": "zzz"}));
    assert!(body.get("nothing").is_none());
}

#[test]
fn whole_body_generators_for_text_and_json() {
    let req = request(json!({
        "method": "POST",
        "path": "/",
        "headers": {"Content-Type": "text/plain"},
        "body": "hello",
        "generators": {"body": {"$": {"type": "Regex", "regex": "bye-[0-9]{3}"}}},
    }));
    let out = generate_request(&req, &consumer()).unwrap();
    let text = out.body.content().unwrap().as_text().unwrap().into_owned();
    assert!(
        Regex::new("^bye-[0-9]{3}$").unwrap().is_match(&text),
        "{text}"
    );
    let json_root = basic_request(json!({"$": {"type": "RandomInt", "min": 3, "max": 3}}));
    let out = generate_request(&json_root, &consumer()).unwrap();
    assert_eq!(json_body(&out.body), &json!(3));
}

#[test]
fn paths_into_text_and_xml_bodies_are_errors() {
    for (content_type, body) in [("application/xml", "<a><b>1</b></a>"), ("text/plain", "x")] {
        let req = request(json!({
            "method": "POST",
            "path": "/",
            "headers": {"Content-Type": content_type},
            "body": body,
            "generators": {"body": {"$.a.b": {"type": "RandomInt"}}},
        }));
        let err = generate_request(&req, &consumer()).unwrap_err();
        assert!(
            matches!(err.root(), GenerateError::UnsupportedBody { .. }),
            "{err}"
        );
        assert!(
            matches!(err, GenerateError::At { category: "body", ref key, .. } if key == "$.a.b")
        );
    }
}

#[test]
fn form_bodies_take_field_paths() {
    let req = request(json!({
        "method": "POST",
        "path": "/",
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        "body": "a=1&b=x&a=2",
        "generators": {"body": {"$.a": {"type": "RandomInt", "min": 7, "max": 7}}},
    }));
    let out = generate_request(&req, &consumer()).unwrap();
    assert_eq!(
        out.body.content().unwrap().as_text().unwrap(),
        "a=7&a=7&b=x"
    );
}

#[test]
fn absent_bodies_are_left_alone() {
    let req = request(json!({
        "method": "GET",
        "path": "/",
        "generators": {"body": {"$.a": {"type": "RandomInt"}}},
    }));
    assert_eq!(
        generate_request(&req, &consumer()).unwrap().body,
        Body::Missing
    );
}

#[test]
fn message_contents_and_metadata() {
    let msg: Message = read_message(
        &json!({
            "contents": {"id": 1},
            "metadata": {"contentType": "application/json", "key": "k"},
            "generators": {
                "body": {"$.id": {"type": "ProviderState", "expression": "${id}"}},
                "metadata": {
                    "key": {"type": "Regex", "regex": "k-[a-z]{2}"},
                    "added": {"type": "RandomBoolean"},
                },
            },
        }),
        SpecVersion::V3,
    )
    .unwrap();
    let out = generate_message(&msg, &provider(json!({"id": 42}))).unwrap();
    assert_eq!(json_body(&out.contents), &json!({"id": 42}));
    let key = out.metadata["key"].as_str().unwrap();
    assert!(Regex::new("^k-[a-z]{2}$").unwrap().is_match(key), "{key}");
    assert!(out.metadata["added"].is_boolean());
    assert_eq!(out.metadata["contentType"], json!("application/json"));
}

#[test]
fn errors_name_their_generator() {
    let req = basic_request(json!({"$.one": {"type": "Date", "expression": "next blursday"}}));
    let err = generate_request(&req, &consumer()).unwrap_err();
    assert_eq!(err.to_string(), "body generator at `$.one` failed");
    assert!(matches!(
        err.root(),
        GenerateError::DateExpression { position: 5, .. }
    ));
    let source = std::error::Error::source(&err).unwrap().to_string();
    assert!(source.contains("next blursday"), "{source}");
}

#[test]
fn a_seed_makes_whole_requests_reproducible() {
    let req = basic_request(json!({
        "$.one": {"type": "RandomString", "size": 12},
        "$.two": {"type": "Uuid"},
    }));
    let a = generate_request(&req, &consumer()).unwrap();
    let b = generate_request(&req, &consumer()).unwrap();
    assert_eq!(a, b);
    let c = generate_request(&req, &consumer().with_seed(6)).unwrap();
    assert_ne!(a.body, c.body);
}
