//! The schema fixtures, and the checks JSON Schema cannot make.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::schema::is_within;
use super::*;

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/schema")
        .join(kind);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn listing(report: &FileReport) -> String {
    let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    lines.join("\n    ")
}

#[test]
fn valid_fixtures_have_no_problem() {
    let files = fixtures("valid");
    assert!(!files.is_empty());
    let failures: Vec<String> = files
        .iter()
        .map(|path| validate_file(path))
        .filter(|report| !report.is_valid())
        .map(|report| format!("{}:\n    {}", report.file.display(), listing(&report)))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_fixtures_have_problems_only_at_the_expected_pointer() {
    let files = fixtures("invalid");
    assert!(!files.is_empty());
    let mut failures = Vec::new();
    for path in files {
        let expect = fs::read_to_string(path.with_extension("expect"))
            .unwrap_or_else(|e| panic!("{}: no .expect file: {e}", path.display()));
        let expect = expect.trim();
        let report = validate_file(&path);
        let placed = report
            .problems
            .iter()
            .all(|p| is_within(&p.pointer, expect));
        if report.problems.is_empty() || !placed {
            failures.push(format!(
                "{}: expected problems at {expect}, got\n    {}",
                path.display(),
                listing(&report)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A V4 pact around the given interactions.
pub(super) fn v4(interactions: Value) -> Value {
    json!({
        "consumer": {"name": "web"},
        "provider": {"name": "api"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}}
    })
}

pub(super) fn http(description: &str) -> Value {
    json!({
        "type": "Synchronous/HTTP",
        "description": description,
        "request": {"method": "GET", "path": "/users/1"},
        "response": {"status": 200}
    })
}

fn problems(doc: &Value) -> Vec<Problem> {
    validate_value(doc, "pact.json").problems
}

#[test]
fn a_valid_v4_file_reports_its_version_and_interactions() {
    let report = validate_value(&v4(json!([http("a"), http("b")])), "pact.json");
    assert!(report.is_valid(), "{}", listing(&report));
    assert_eq!(report.version, Some(SpecVersion::V4));
    assert_eq!(report.interactions, 2);
}

#[test]
fn duplicate_descriptions_name_both_interactions() {
    let mut second = http("get user");
    second["request"]["path"] = json!("/users/2");
    let found = problems(&v4(json!([http("get user"), http("other"), second])));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].pointer, "/interactions/2/description");
    assert_eq!(found[0].interaction.as_deref(), Some("get user"));
    assert!(found[0].message.contains("interaction 0 and interaction 2"));
}

#[test]
fn same_description_with_other_provider_states_is_fine() {
    let mut second = http("get user");
    second["providerStates"] = json!([{"name": "user 1 exists"}]);
    assert_eq!(problems(&v4(json!([http("get user"), second]))), []);
}

#[test]
fn duplicate_v4_keys_are_reported() {
    let (mut a, mut b) = (http("a"), http("b"));
    a["key"] = json!("abc");
    b["key"] = json!("abc");
    let found = problems(&v4(json!([a, b])));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].pointer, "/interactions/1/key");
    assert!(found[0].message.contains("`abc`"));
}

#[test]
fn min_above_max_is_reported_where_the_matcher_is() {
    let mut interaction = http("list");
    interaction["response"]["matchingRules"] = json!({
        "body": {"$.items": {"matchers": [{"match": "type", "min": 5, "max": 2}]}}
    });
    let found = problems(&v4(json!([interaction])));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].pointer,
        "/interactions/0/response/matchingRules/body/$.items/matchers/0"
    );
    assert!(found[0]
        .message
        .contains("`min` (5) is greater than `max` (2)"));
}

#[test]
fn min_above_max_is_found_in_v2_rules_too() {
    let doc = json!({
        "consumer": {"name": "web"}, "provider": {"name": "api"},
        "interactions": [{
            "description": "list",
            "request": {"method": "GET", "path": "/"},
            "response": {"status": 200, "body": [1],
                "matchingRules": {"$.body": {"min": 3, "max": 1}}}
        }],
        "metadata": {"pactSpecification": {"version": "2.0.0"}}
    });
    let found = problems(&doc);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].pointer,
        "/interactions/0/response/matchingRules/$.body"
    );
}

#[test]
fn empty_names_are_reported_in_every_version() {
    let doc = json!({"consumer": {"name": ""}, "provider": {"name": " "}, "interactions": []});
    let found = problems(&doc);
    let at: Vec<&str> = found.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(at, ["/consumer/name", "/provider/name"]);
    let mut v4 = v4(json!([]));
    v4["provider"]["name"] = json!("");
    let found = problems(&v4);
    assert_eq!(found.len(), 1, "schema and check say the same: {found:?}");
    assert_eq!(found[0].message, "the provider name is empty");
}

#[test]
fn an_unknown_declared_version_is_reported() {
    let doc = json!({
        "consumer": {"name": "web"}, "provider": {"name": "api"}, "interactions": [],
        "metadata": {"pactSpecification": {"version": "7.1"}}
    });
    let found = problems(&doc);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].pointer, "/metadata/pactSpecification/version");
    assert!(found[0].message.contains("`7.1`"));
}

#[test]
fn schema_hints_come_from_the_schema_descriptions() {
    let mut interaction = http("no status");
    interaction["response"] = json!({});
    let found = problems(&v4(json!([interaction])));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].pointer, "/interactions/0/response/status");
    assert_eq!(found[0].message, "HTTP response is missing `status`");
    assert!(
        found[0].hint.contains("HTTP status code"),
        "{}",
        found[0].hint
    );
}

#[test]
fn messages_are_attributed_to_their_interaction() {
    let doc = json!({
        "consumer": {"name": "web"}, "provider": {"name": "api"},
        "messages": [{"description": "user created", "contents": {},
            "matchingRules": {"body": {"$.id": {"matchers": [{"match": "typo"}]}}}}],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    });
    let report = validate_value(&doc, "messages.json");
    assert_eq!(report.version, Some(SpecVersion::V3));
    assert_eq!(report.interactions, 1);
    assert_eq!(report.problems.len(), 1, "{}", listing(&report));
    let problem = &report.problems[0];
    assert_eq!(problem.interaction.as_deref(), Some("user created"));
    assert_eq!(problem.message, "unknown matcher `typo`");
}

#[test]
fn problems_are_sorted_by_pointer() {
    let mut bad = http("b");
    bad["response"]["status"] = json!("200");
    let mut interactions = vec![http("a"); 12];
    for (i, item) in interactions.iter_mut().enumerate() {
        item["description"] = json!(format!("i{i}"));
    }
    interactions[2] = bad.clone();
    interactions[11] = bad;
    interactions[11]["description"] = json!("c");
    let mut doc = v4(json!(interactions));
    doc["consumer"] = json!({});
    let found = problems(&doc);
    let at: Vec<&str> = found.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        at,
        [
            "/consumer/name",
            "/interactions/2/response/status",
            "/interactions/11/response/status"
        ]
    );
}

#[test]
fn byte_order_marks_and_encodings() {
    let text = v4(json!([])).to_string();
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    assert!(validate_bytes(&with_bom, "bom.json").is_valid());
    let utf16 = [b"\xFF\xFE".as_slice(), b"{\x00}\x00"].concat();
    let report = validate_bytes(&utf16, "utf16.json");
    assert!(report.problems[0].message.contains("UTF-16"));
    let report = validate_bytes(b"{\n  \"a\": \"\xC3\x28\"}", "latin.json");
    assert!(
        report.problems[0].message.contains("line 2 column 9"),
        "{}",
        report.problems[0].message
    );
}

#[test]
fn an_unreadable_file_is_not_a_problem_of_the_contract() {
    let report = validate_file(Path::new("/definitely/not/here.json"));
    assert!(report.unreadable.is_some());
    assert!(report.problems.is_empty());
    assert!(!report.is_valid());
}

#[test]
fn a_v3_file_declared_v4_gets_one_problem_per_interaction() {
    let untyped = |description: &str| {
        let mut interaction = http(description);
        interaction.as_object_mut().map(|o| o.remove("type"));
        interaction
    };
    let found = problems(&v4(json!([untyped("a"), untyped("b"), untyped("c")])));
    let at: Vec<&str> = found.iter().map(|p| p.pointer.as_str()).collect();
    assert_eq!(
        at,
        [
            "/interactions/0/type",
            "/interactions/1/type",
            "/interactions/2/type"
        ]
    );
    assert!(
        found[0].hint.contains("Synchronous/HTTP"),
        "{}",
        found[0].hint
    );
}
