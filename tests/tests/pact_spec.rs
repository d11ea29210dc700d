//! Conformance: every case of the Pact specification's own test suite
//! (`tests/data/pact-spec`, 803 request, response and message cases, V1 to
//! V4) must give the verdict the case states. Prints
//! `pact-spec: N passed, M failed`.
//!
//! Each case is also matched with its JSON bodies given as text (as the
//! verifier holds a provider's answer and a contract's response bodies),
//! which the engine reads into its compact document instead of using
//! serde_json's tree: the result must be the same, mismatch for mismatch.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use treaty_core::matching::{match_message, match_request, match_response, MatchResult};
use treaty_core::model::{Body, BodyContent, SpecVersion};
use treaty_core::read::{parse_json, read_message, read_request, read_response, ReadError};

fn suite_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pact-spec")
}

/// Runs one case; `Ok(())` when the verdict is right, else why not.
fn run_case(path: &Path, version: SpecVersion, kind: &str) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let case = parse_json(&text).map_err(|e| format!("cannot parse: {e}"))?;
    let expected_match = case["match"].as_bool().ok_or("no boolean `match`")?;
    let read = |textual| {
        compare(&case["expected"], &case["actual"], version, kind, textual)
            .map_err(|e| format!("reader rejected the case: {e}"))
    };
    let result = read(Textual::Neither)?;
    for textual in [Textual::Actual, Textual::Both] {
        let other = read(textual)?;
        if other != result {
            return Err(format!(
                "with {textual:?} bodies as text the result differs: {:?} against {:?}",
                other, result
            ));
        }
    }
    if result.is_match() == expected_match {
        return Ok(());
    }
    let found: Vec<String> = result.mismatches.iter().map(ToString::to_string).collect();
    Err(format!(
        "expected match={expected_match}, got mismatches {found:?}"
    ))
}

/// Which JSON bodies are turned into their text before matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Textual {
    Neither,
    Actual,
    Both,
}

/// A JSON body as its text (the content type stays).
fn as_text(body: &mut Body) {
    if let Body::Present { content, .. } = body {
        if let BodyContent::Json(value) = content {
            *content = BodyContent::Text(value.to_string());
        }
    }
}

fn compare(
    expected: &Value,
    actual: &Value,
    version: SpecVersion,
    kind: &str,
    textual: Textual,
) -> Result<MatchResult, ReadError> {
    let sides = (expected, actual, version, textual);
    Ok(match kind {
        "request" => {
            let (e, a) = read_both(sides, read_request, |r| &mut r.body)?;
            match_request(&e, &a)
        }
        "response" => {
            let (e, a) = read_both(sides, read_response, |r| &mut r.body)?;
            match_response(&e, &a)
        }
        _ => {
            let (e, a) = read_both(sides, read_message, |m| &mut m.contents)?;
            match_message(&e, &a)
        }
    })
}

/// Both sides read with `read`, the bodies `textual` names as text.
fn read_both<T>(
    (expected, actual, version, textual): (&Value, &Value, SpecVersion, Textual),
    read: impl Fn(&Value, SpecVersion) -> Result<T, ReadError>,
    body: impl Fn(&mut T) -> &mut Body,
) -> Result<(T, T), ReadError> {
    let (mut e, mut a) = (read(expected, version)?, read(actual, version)?);
    if textual == Textual::Both {
        as_text(body(&mut e));
    }
    if textual != Textual::Neither {
        as_text(body(&mut a));
    }
    Ok((e, a))
}

fn version_of(folder: &str) -> SpecVersion {
    match folder {
        "v1" => SpecVersion::V1,
        "v1_1" => SpecVersion::V1_1,
        "v2" => SpecVersion::V2,
        "v3" => SpecVersion::V3,
        _ => SpecVersion::V4,
    }
}

#[test]
fn pact_specification_cases() {
    let index = fs::read_to_string(suite_root().join("INDEX.tsv"))
        .expect("tests/data/pact-spec/INDEX.tsv is missing");
    let mut passed = 0;
    let mut failures = Vec::new();
    for line in index.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (folder, kind, rel) = (cols[0], cols[1], cols[2]);
        match run_case(&suite_root().join(rel), version_of(folder), kind) {
            Ok(()) => passed += 1,
            Err(why) => failures.push(format!("{rel}: {why}")),
        }
    }
    for failure in &failures {
        eprintln!("FAIL {failure}");
    }
    println!("pact-spec: {passed} passed, {} failed", failures.len());
    assert_eq!(passed, 803, "every case of the suite must run");
    assert!(
        failures.is_empty(),
        "{} pact-spec cases failed",
        failures.len()
    );
}
