//! The V4 JSON Schema, compiled once, and its errors turned into problems:
//! one problem per place, the most relevant one.

use std::collections::HashSet;
use std::sync::OnceLock;

use jsonschema::{Draft, Validator};
use serde_json::Value;

use super::wording;

const SCHEMA_TEXT: &str = include_str!("../../schema/pact-v4.schema.json");

struct Compiled {
    schema: Value,
    validator: Validator,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        // Both are checked by a unit test; a failure here is a build defect.
        let schema: Value =
            serde_json::from_str(SCHEMA_TEXT).expect("the embedded V4 schema is valid JSON");
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .build(&schema)
            .expect("the embedded V4 schema compiles");
        Compiled { schema, validator }
    })
}

/// What kind of schema failure a problem comes from, for choosing among
/// several at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Failure {
    /// The value has the wrong JSON type: anything else said about it is noise.
    Type,
    /// No branch of a `oneOf`/`anyOf` matched: vaguer than any other error.
    Alternatives,
    /// Any other keyword.
    Other,
}

/// A schema error in the reader's terms.
#[derive(Debug, Clone)]
pub(super) struct SchemaProblem {
    pub(super) pointer: String,
    pub(super) message: String,
    pub(super) hint: String,
    /// The offending value as plain text, when it is a scalar.
    pub(super) value: Option<String>,
    pub(super) failure: Failure,
}

/// Validates a document against the V4 schema.
pub(super) fn check(doc: &Value) -> Vec<SchemaProblem> {
    let compiled = compiled();
    let found = compiled
        .validator
        .iter_errors(doc)
        .flat_map(|error| wording::describe(&compiled.schema, &error))
        .collect();
    collapse(found)
}

/// Keeps the most relevant problem per place: a wrong type hides everything
/// else at and below it, a failed `oneOf` gives way to any more specific
/// error, and exact repeats go.
fn collapse(found: Vec<SchemaProblem>) -> Vec<SchemaProblem> {
    let typed: HashSet<&str> = found
        .iter()
        .filter(|p| p.failure == Failure::Type)
        .map(|p| p.pointer.as_str())
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for problem in &found {
        let under_type = ancestors(&problem.pointer).any(|a| typed.contains(a))
            || (problem.failure != Failure::Type && typed.contains(problem.pointer.as_str()));
        let vague = problem.failure == Failure::Alternatives
            && found.iter().any(|other| {
                other.failure != Failure::Alternatives
                    && is_within(&other.pointer, &problem.pointer)
            });
        if !under_type && !vague && seen.insert((&problem.pointer, &problem.message)) {
            out.push(problem.clone());
        }
    }
    out
}

/// The pointers strictly above `pointer`, nearest first (`/a/b` → `/a`, ``).
fn ancestors(pointer: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(pointer);
    std::iter::from_fn(move || {
        let (parent, _) = rest?.rsplit_once('/')?;
        rest = Some(parent);
        Some(parent)
    })
}

/// Whether `pointer` is `base` or below it.
pub(super) fn is_within(pointer: &str, base: &str) -> bool {
    pointer == base
        || pointer
            .strip_prefix(base)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_embedded_schema_compiles() {
        assert!(compiled().schema.is_object());
    }

    #[test]
    fn a_wrong_type_hides_what_is_below_it() {
        let problem = |pointer: &str, failure| SchemaProblem {
            pointer: pointer.to_owned(),
            message: format!("{failure:?} at {pointer}"),
            hint: String::new(),
            value: None,
            failure,
        };
        let kept = collapse(vec![
            problem("/a", Failure::Type),
            problem("/a", Failure::Other),
            problem("/a/b", Failure::Other),
            problem("/ab", Failure::Alternatives),
            problem("/c", Failure::Alternatives),
            problem("/c/0", Failure::Other),
        ]);
        let kept: Vec<_> = kept.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(kept, ["Type at /a", "Alternatives at /ab", "Other at /c/0"]);
    }

    #[test]
    fn a_document_of_the_wrong_type_gives_one_problem() {
        let problems = check(&json!([1, 2, 3]));
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].pointer, "");
    }
}
