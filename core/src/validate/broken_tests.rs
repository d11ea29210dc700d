//! Broken contracts: each gives the right problem, none panics, and large
//! or deep inputs (generated here, never committed) stay cheap.

use serde_json::{json, Value};

use super::tests::{http, v4};
use super::*;

/// Validates and expects exactly one problem, returned.
fn single(text: &str) -> Problem {
    let report = validate_str(text, "broken.json");
    assert_eq!(report.problems.len(), 1, "{:#?}", report.problems);
    report.problems.into_iter().next().expect("one problem")
}

/// A V3 pact around a V4-style interaction (its `type` dropped).
fn v3(mut interaction: Value) -> Value {
    if let Some(obj) = interaction.as_object_mut() {
        obj.remove("type");
    }
    json!({
        "consumer": {"name": "web"},
        "provider": {"name": "api"},
        "interactions": [interaction],
        "metadata": {"pactSpecification": {"version": "3.0.0"}}
    })
}

fn with_body_rule(matcher: Value) -> Value {
    let mut interaction = http("get user");
    interaction["response"]["matchingRules"] = json!({"body": {"$.id": {"matchers": [matcher]}}});
    interaction
}

const RULE: &str = "/interactions/0/response/matchingRules/body/$.id/matchers/0";

#[test]
fn malformed_json_is_located_by_line_and_column() {
    let problem = single("{\n  \"consumer\": {\"name\": \"web\"},\n  \"provider\": \n}");
    assert_eq!(problem.pointer, "");
    assert!(
        problem.message.contains("line 4 column 1"),
        "{}",
        problem.message
    );
    let problem = single("");
    assert!(problem.message.starts_with("invalid JSON"));
}

#[test]
fn wrong_types_are_reported_once() {
    let mut interaction = http("get user");
    interaction["response"]["status"] = json!("200");
    let problem = single(&v4(json!([interaction.clone()])).to_string());
    assert_eq!(problem.pointer, "/interactions/0/response/status");
    assert_eq!(problem.interaction.as_deref(), Some("get user"));
    let problem = single(&v3(interaction).to_string());
    assert_eq!(problem.pointer, "/interactions/0/response/status");
    let problem = single(r#"{"consumer": "web", "provider": {"name": "api"}, "interactions": []}"#);
    assert_eq!(problem.pointer, "/consumer");
}

#[test]
fn an_unknown_matcher_names_the_known_ones() {
    let interaction = with_body_rule(json!({"match": "typo"}));
    let problem = single(&v4(json!([interaction.clone()])).to_string());
    assert_eq!(problem.pointer, format!("{RULE}/match"));
    assert_eq!(problem.message, "unknown matcher `typo`");
    assert!(problem.hint.starts_with("use one of: equality, regex"));
    let problem = single(&v3(interaction).to_string());
    assert_eq!(problem.pointer, RULE);
}

#[test]
fn an_invalid_regex_is_reported() {
    let interaction = with_body_rule(json!({"match": "regex", "regex": "(unclosed"}));
    let problem = single(&v4(json!([interaction])).to_string());
    assert_eq!(problem.pointer, RULE);
    assert!(
        problem.message.contains("does not compile"),
        "{}",
        problem.message
    );
}

#[test]
fn an_invalid_date_format_is_reported() {
    let interaction = with_body_rule(json!({"match": "date", "format": "yyyy-MM-dd'T"}));
    let problem = single(&v4(json!([interaction])).to_string());
    assert_eq!(problem.pointer, RULE);
    assert!(
        problem.message.contains("date format"),
        "{}",
        problem.message
    );
}

#[test]
fn a_malformed_matcher_path_is_reported_at_its_key() {
    let mut interaction = http("get user");
    interaction["response"]["matchingRules"] =
        json!({"body": {"$.a[": {"matchers": [{"match": "type"}]}}});
    let problem = single(&v4(json!([interaction])).to_string());
    assert_eq!(
        problem.pointer,
        "/interactions/0/response/matchingRules/body/$.a["
    );
    assert!(problem.message.contains("$.a["), "{}", problem.message);
}

#[test]
fn an_unknown_generator_is_reported() {
    let mut interaction = http("get user");
    interaction["response"]["generators"] = json!({"body": {"$.id": {"type": "RandomUUID"}}});
    let problem = single(&v4(json!([interaction.clone()])).to_string());
    assert_eq!(
        problem.pointer,
        "/interactions/0/response/generators/body/$.id/type"
    );
    assert!(
        problem.message.contains("`RandomUUID`"),
        "{}",
        problem.message
    );
    let problem = single(&v3(interaction).to_string());
    assert_eq!(
        problem.pointer,
        "/interactions/0/response/generators/body/$.id"
    );
}

#[test]
fn ten_thousand_levels_of_nesting_give_one_problem() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let problem = single(&deep);
    assert!(problem.hint.contains("nests deeper"), "{}", problem.hint);
    let body = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let text = v4(json!([http("deep")]))
        .to_string()
        .replace("\"status\":200", &format!("\"status\":200,\"body\":{body}"));
    let problem = single(&text);
    assert!(
        problem.message.contains("recursion limit"),
        "{}",
        problem.message
    );
}

#[test]
fn a_50_mb_body_is_validated_and_never_quoted_whole() {
    let big = "x".repeat(50 << 20);
    let mut interaction = with_body_rule(json!({"match": "typo"}));
    interaction["response"]["body"] = json!({"contentType": "text/plain", "content": big});
    let problem = single(&v4(json!([interaction.clone()])).to_string());
    assert_eq!(problem.message, "unknown matcher `typo`");
    // Unwrapped, the body itself is the problem; the message stays short.
    interaction["response"]["body"] = json!(big);
    drop(big);
    let report = validate_str(&v4(json!([interaction])).to_string(), "big.json");
    let body = report
        .problems
        .iter()
        .find(|p| p.pointer == "/interactions/0/response/body")
        .unwrap_or_else(|| panic!("{:#?}", report.problems));
    assert!(body.message.len() < 400, "{}", body.message.len());
}

/// Nodes of every valid fixture replaced by values of other types: never a
/// panic, and every problem has a JSON pointer. (Every node with every
/// replacement also passes; that takes too long to run each time.)
#[test]
fn mutated_fixtures_never_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/schema/valid");
    let replacements = [
        json!(null),
        json!(-1),
        json!("x"),
        json!([{}]),
        json!({"a": []}),
    ];
    let mut runs = 0;
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("fixture");
        let doc: Value = serde_json::from_str(&text).expect("fixture JSON");
        let mut pointers = Vec::new();
        collect_pointers(&doc, String::new(), &mut pointers);
        // Every third node, each time with the next kind of replacement.
        for (n, pointer) in pointers.iter().enumerate().step_by(3) {
            let mut mutated = doc.clone();
            *mutated.pointer_mut(pointer).expect("pointer") = replacements[n % 5].clone();
            let report = validate_value(&mutated, "mutated.json");
            runs += 1;
            for problem in &report.problems {
                assert!(
                    problem.pointer.is_empty() || problem.pointer.starts_with('/'),
                    "{pointer}: {problem}"
                );
            }
        }
    }
    assert!(runs > 100, "{runs}");
}

fn collect_pointers(value: &Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match value {
        Value::Object(obj) => obj
            .iter()
            .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
            .collect(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (token, child) in children {
        let pointer = format!("{at}/{token}");
        out.push(pointer.clone());
        collect_pointers(child, pointer, out);
    }
}
