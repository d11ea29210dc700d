//! `treaty validate` accepts what the specification calls a contract: the
//! `expected` side of every case in `tests/data/pact-spec`, wrapped into a
//! one-interaction pact of the case's version, validates with no problem.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};
use treaty_core::read::parse_json;
use treaty_core::validate::validate_value;

fn suite_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pact-spec")
}

fn version_string(folder: &str) -> &'static str {
    match folder {
        "v1" => "1.0.0",
        "v1_1" => "1.1.0",
        "v2" => "2.0.0",
        "v3" => "3.0.0",
        _ => "4.0",
    }
}

/// A fragment with defaults for what the case leaves out (readers default
/// the same way).
fn with_defaults(fragment: &Value, defaults: Value) -> Value {
    let mut out: Map<String, Value> = fragment.as_object().cloned().unwrap_or_default();
    if let Value::Object(defaults) = defaults {
        for (key, value) in defaults {
            out.entry(key).or_insert(value);
        }
    }
    Value::Object(out)
}

/// The case's `expected` side as a whole pact of the case's version.
fn wrap(expected: &Value, folder: &str, kind: &str) -> Value {
    let v4 = folder == "v4";
    let request = json!({"method": "GET", "path": "/"});
    let response = json!({"status": 200});
    let mut interaction = match kind {
        "request" => json!({
            "request": with_defaults(expected, request),
            "response": response,
        }),
        "response" => json!({
            "request": request,
            "response": with_defaults(expected, response),
        }),
        _ => expected.clone(),
    };
    interaction["description"] = json!("wrapped case");
    if v4 {
        interaction["type"] = json!(match kind {
            "message" => "Asynchronous/Messages",
            _ => "Synchronous/HTTP",
        });
    }
    let list = if kind == "message" && !v4 {
        "messages"
    } else {
        "interactions"
    };
    let mut pact = json!({
        "consumer": {"name": "consumer"},
        "provider": {"name": "provider"},
        "metadata": {"pactSpecification": {"version": version_string(folder)}},
    });
    pact[list] = json!([interaction]);
    pact
}

#[test]
fn every_expected_side_of_the_specification_validates_clean() {
    let index = fs::read_to_string(suite_root().join("INDEX.tsv"))
        .expect("tests/data/pact-spec/INDEX.tsv is missing");
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in index.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (folder, kind, rel) = (cols[0], cols[1], cols[2]);
        let text = fs::read_to_string(suite_root().join(rel)).expect("case file");
        let case = parse_json(&text).expect("case is JSON");
        let pact = wrap(&case["expected"], folder, kind);
        let report = validate_value(&pact, rel);
        checked += 1;
        let version = report.version.map(|v| v.as_str());
        if version != Some(version_string(folder)) {
            failures.push(format!("{rel}: read as version {version:?}"));
        }
        for problem in &report.problems {
            failures.push(format!("{rel}: {problem}"));
        }
    }
    for failure in &failures {
        eprintln!("FAIL {failure}");
    }
    assert_eq!(checked, 803, "every case of the suite must be checked");
    assert!(failures.is_empty(), "{} problems", failures.len());
}
