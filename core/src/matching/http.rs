//! Matching the non-body parts of HTTP requests and responses: method,
//! path, query, headers and status.

use serde_json::Value;

use super::mismatch::{Mismatch, Part};
use super::select::{select, Seg};
use super::value::{apply_rules, Strings};
use crate::model::{Category, ContentType, Headers, MatchingRules, Query, RuleList};

pub(crate) fn method(expected: &str, actual: &str) -> Option<Mismatch> {
    (!expected.eq_ignore_ascii_case(actual)).then(|| {
        Mismatch::new(
            Part::Method,
            "",
            Some(expected.into()),
            Some(actual.into()),
            format!(
                "Expected method '{}' but received '{}'",
                expected.to_uppercase(),
                actual.to_uppercase()
            ),
        )
    })
}

pub(crate) fn path(expected: &str, actual: &str, rules: &MatchingRules) -> Vec<Mismatch> {
    whole_value(
        Part::Path,
        Value::from(expected),
        Value::from(actual),
        whole(rules, Category::Path),
        || format!("Expected path '{expected}' but received '{actual}'"),
    )
}

pub(crate) fn status(expected: u16, actual: u16, rules: &MatchingRules) -> Vec<Mismatch> {
    whole_value(
        Part::Status,
        Value::from(expected),
        Value::from(actual),
        whole(rules, Category::Status),
        || format!("Expected status {expected} but received {actual}"),
    )
}

/// A part that is one value (path, status): its rules when it has some,
/// else equality.
fn whole_value(
    part: Part,
    e: Value,
    a: Value,
    rules: Option<&RuleList>,
    unequal: impl FnOnce() -> String,
) -> Vec<Mismatch> {
    let messages = match rules {
        Some(list) => apply_rules(list, &e, &a, true, Strings::Coerce),
        None if e == a => Vec::new(),
        None => vec![unequal()],
    };
    messages
        .into_iter()
        .map(|message| Mismatch::new(part, "", Some(e.clone()), Some(a.clone()), message))
        .collect()
}

fn whole(rules: &MatchingRules, category: Category) -> Option<&RuleList> {
    rules.category(category)?.rules.values().next()
}

pub(crate) fn query(expected: &Query, actual: &Query, rules: &MatchingRules) -> Vec<Mismatch> {
    if let (Some(e), Some(a)) = (&expected.raw, &actual.raw) {
        return if raw_pairs(e) == raw_pairs(a) {
            Vec::new()
        } else {
            vec![Mismatch::new(
                Part::Query,
                "",
                Some(e.as_str().into()),
                Some(a.as_str().into()),
                format!("Expected query string '{e}' but received '{a}'"),
            )]
        };
    }
    let category = rules.category(Category::Query);
    let mut out = Vec::new();
    for (name, e_values) in &expected.params {
        let Some(a_values) = actual.get(name) else {
            out.push(Mismatch::new(
                Part::Query,
                name.as_str(),
                Some(Value::from(e_values.clone())),
                None,
                format!("Expected query parameter '{name}' but was missing"),
            ));
            continue;
        };
        let selected = select(category, &[Seg::Key(name)]).filter(|s| s.exact);
        match selected {
            Some(s) => out.extend(values_with_rules(
                Part::Query,
                name,
                s.rules,
                e_values,
                a_values,
            )),
            None => out.extend(values_equal(
                Part::Query,
                "query parameter",
                name,
                e_values,
                a_values,
            )),
        }
    }
    for (name, values) in actual
        .params
        .iter()
        .filter(|(n, _)| expected.get(n).is_none())
    {
        out.push(Mismatch::new(
            Part::Query,
            name.as_str(),
            None,
            Some(Value::from(values.clone())),
            format!("Unexpected query parameter '{name}' received with {values:?}"),
        ));
    }
    out
}

/// A V1 query string as its `&`-separated pairs, each name and value
/// decoded on its own: the text compares as written (order, empty pairs
/// and a missing `=` count), but `%26` stays data, not a separator.
fn raw_pairs(raw: &str) -> Vec<(String, Option<String>)> {
    raw.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (Query::decode(name), Some(Query::decode(value))),
            None => (Query::decode(pair), None),
        })
        .collect()
}

pub(crate) fn headers(
    expected: &Headers,
    actual: &Headers,
    rules: &MatchingRules,
) -> Vec<Mismatch> {
    let category = rules.category(Category::Header);
    let mut out = Vec::new();
    for (name, e_values) in expected.iter() {
        let Some(a_raw) = actual.get(name) else {
            out.push(Mismatch::new(
                Part::Header,
                name,
                Some(Value::from(e_values.to_vec())),
                None,
                format!("Expected header '{name}' but was missing"),
            ));
            continue;
        };
        if let Some(list) = category.and_then(|c| c.for_name(name, true)) {
            out.extend(values_with_rules(Part::Header, name, list, e_values, a_raw));
            continue;
        }
        if name.eq_ignore_ascii_case("content-type") {
            out.extend(content_type(name, &e_values.join(", "), &a_raw.join(", ")));
            continue;
        }
        let e_list = expected.values_for_matching(name).unwrap_or_default();
        let a_list = actual.values_for_matching(name).unwrap_or_default();
        let media = name.eq_ignore_ascii_case("accept");
        let same = e_list.len() == a_list.len()
            && e_list
                .iter()
                .zip(&a_list)
                .all(|(e, a)| e == a || media && same_media_type(e, a));
        if !same {
            out.push(Mismatch::new(
                Part::Header,
                name,
                Some(Value::from(e_values.join(", "))),
                Some(Value::from(a_raw.join(", "))),
                format!(
                    "Expected header '{name}' to have value '{}' but was '{}'",
                    e_values.join(", "),
                    a_raw.join(", ")
                ),
            ));
        }
    }
    out
}

/// Media types compare by type/subtype and the expected parameters
/// (values case-insensitively, as charsets are).
fn same_media_type(expected: &str, actual: &str) -> bool {
    match (ContentType::parse(expected), ContentType::parse(actual)) {
        (Some(e), Some(a)) => {
            e.essence() == a.essence()
                && e.params
                    .iter()
                    .all(|(k, v)| a.param(k).is_some_and(|av| av.eq_ignore_ascii_case(v)))
        }
        _ => expected.trim() == actual.trim(),
    }
}

fn content_type(name: &str, expected: &str, actual: &str) -> Option<Mismatch> {
    let same = same_media_type(expected, actual);
    (!same).then(|| {
        Mismatch::new(
            Part::Header,
            name,
            Some(expected.into()),
            Some(actual.into()),
            format!("Expected header '{name}' to have value '{expected}' but was '{actual}'"),
        )
    })
}

/// Header and query values under rules: size rules count the values, the
/// other rules apply to each value.
fn values_with_rules(
    part: Part,
    name: &str,
    rules: &RuleList,
    expected: &[String],
    actual: &[String],
) -> Vec<Mismatch> {
    let template = Value::String(expected.first().cloned().unwrap_or_default());
    let mut out = Vec::new();
    let sizes = RuleList {
        matchers: rules
            .matchers
            .iter()
            .filter(|m| m.is_type_matcher())
            .cloned()
            .collect(),
        combine: rules.combine,
    };
    if !sizes.matchers.is_empty() {
        let (e, a) = (Value::from(expected.to_vec()), Value::from(actual.to_vec()));
        for message in apply_rules(&sizes, &e, &a, true, Strings::Coerce) {
            out.push(Mismatch::new(
                part,
                name,
                Some(e.clone()),
                Some(a.clone()),
                message,
            ));
        }
    }
    for value in actual {
        let a = Value::String(value.clone());
        for message in apply_rules(rules, &template, &a, false, Strings::Coerce) {
            out.push(Mismatch::new(
                part,
                name,
                Some(template.clone()),
                Some(a.clone()),
                message,
            ));
        }
    }
    out
}

fn values_equal(
    part: Part,
    what: &str,
    name: &str,
    expected: &[String],
    actual: &[String],
) -> Vec<Mismatch> {
    if expected == actual {
        return Vec::new();
    }
    let message = if expected.len() != actual.len() {
        format!("Expected {what} '{name}' to have values {expected:?} but received {actual:?}")
    } else {
        let (e, a) = expected
            .iter()
            .zip(actual)
            .find(|(e, a)| e != a)
            .unwrap_or((&expected[0], &actual[0]));
        format!("Expected {what} '{name}' to have value '{e}' but received '{a}'")
    };
    vec![Mismatch::new(
        part,
        name,
        Some(Value::from(expected.to_vec())),
        Some(Value::from(actual.to_vec())),
        message,
    )]
}
