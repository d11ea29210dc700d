use serde_json::json;

use super::*;
use crate::model::{Body, Headers, HttpRequest, HttpResponse, Matcher};

fn root(term: &crate::consumer::Term) -> Vec<Matcher> {
    term.root_matchers()
}

#[test]
fn strings_become_regexes_when_they_look_like_ids_dates_and_emails() {
    let regex_of = |text: &str| match root(&infer_string(text)).as_slice() {
        [Matcher::Regex(p)] => Some(p.as_str().to_owned()),
        _ => None,
    };
    assert_eq!(
        regex_of("1b4e28ba-2fa1-11d2-883f-0016d3cca427").as_deref(),
        Some(UUID)
    );
    assert_eq!(regex_of("2026-11-02T10:15:30Z").as_deref(), Some(DATE_TIME));
    assert_eq!(
        regex_of("2026-11-02T10:15:30.123+01:00").as_deref(),
        Some(DATE_TIME)
    );
    assert_eq!(regex_of("2026-11-02").as_deref(), Some(DATE));
    assert_eq!(regex_of("10:15").as_deref(), Some(TIME));
    assert_eq!(regex_of("ada@example.com").as_deref(), Some(EMAIL));
    assert_eq!(regex_of("Ada"), None);
    assert_eq!(root(&infer_string("Ada")), [Matcher::Type]);
}

#[test]
fn scalars_by_type_homogeneous_arrays_each_like_mixed_arrays_by_position() {
    assert_eq!(root(&infer_value(&json!(3))), [Matcher::Integer]);
    assert_eq!(root(&infer_value(&json!(2.5))), [Matcher::Number]);
    assert_eq!(root(&infer_value(&json!(true))), [Matcher::Boolean]);
    assert!(root(&infer_value(&json!(null))).is_empty());
    let lines = infer_value(&json!([{"sku": "A", "n": 1}, {"sku": "B", "n": 2}]));
    assert_eq!(root(&lines), [Matcher::MinType(1)]);
    assert_eq!(lines.example(), &json!([{"sku": "A", "n": 1}]));
    let mixed = infer_value(&json!([1, "a"]));
    assert!(root(&mixed).is_empty());
    assert_eq!(mixed.example(), &json!([1, "a"]));
}

fn exchange(method: &str, path: &str, body: serde_json::Value) -> Recorded {
    let mut headers = Headers::new();
    headers.append("Authorization", "Bearer secret");
    headers.append("User-Agent", "curl");
    let mut response_headers = Headers::new();
    for (name, value) in [
        ("Date", "Sun, 29 Nov 2026 11:00:00 GMT"),
        ("X-Request-Id", "abc"),
        ("Content-Type", "application/json"),
        ("Set-Cookie", "session=xyz"),
    ] {
        response_headers.append(name, value);
    }
    Recorded {
        request: HttpRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            headers,
            body: if body.is_null() {
                Body::Missing
            } else {
                Body::json(body)
            },
            ..HttpRequest::default()
        },
        response: HttpResponse {
            status: 200,
            headers: response_headers,
            body: Body::json(json!({"ok": true})),
            ..HttpResponse::default()
        },
    }
}

#[test]
fn one_interaction_per_distinct_exchange_with_varying_headers_dropped_and_secrets_redacted() {
    let exchanges = [
        exchange("POST", "/orders", json!({"sku": "A"})),
        exchange("POST", "/orders", json!({"sku": "B"})),
        exchange("POST", "/orders", json!({"sku": "A", "note": "gift"})),
        exchange("GET", "/orders", json!(null)),
    ];
    let contract = infer_contract("web", "orders", &exchanges);
    let descriptions: Vec<&str> = contract
        .interactions
        .iter()
        .map(|i| i.description.as_str())
        .collect();
    assert_eq!(
        descriptions,
        [
            "POST /orders -> 200",
            "POST /orders -> 200 (2)",
            "GET /orders -> 200"
        ]
    );
    let crate::model::InteractionKind::Http { request, response } = &contract.interactions[0].kind
    else {
        panic!("an HTTP interaction");
    };
    assert_eq!(request.headers.first("authorization"), Some(REDACTED));
    assert_eq!(request.headers.first("user-agent"), None);
    assert_eq!(response.headers.first("set-cookie"), Some(REDACTED));
    assert_eq!(response.headers.first("date"), None);
    assert_eq!(response.headers.first("x-request-id"), None);
    assert_eq!(
        response.headers.first("content-type"),
        Some("application/json")
    );
}
