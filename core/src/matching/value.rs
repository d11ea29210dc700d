//! Applying one matcher to one value.

use super::mismatch::{show, show_typed};
use super::sniff;
use super::view::{Json, View};
use crate::datetime::{self, DatePattern};
use crate::model::{Combine, Matcher, RuleList};

/// How strings are taken: header, query, path and metadata values are
/// always text, so number and boolean matchers accept their text forms
/// there (`"100"` is an integer in a query), but not in JSON bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strings {
    /// A string is a string (JSON bodies).
    Strict,
    /// A string may stand for a number or boolean (headers, query ...).
    Coerce,
}

/// Applies a rule list (its matchers combined with AND or OR) to a value.
/// `exact` is false when the rules were inherited from an ancestor: then
/// only the rules that make sense for a descendant apply.
pub(crate) fn apply_rules<'e, 'a>(
    rules: &RuleList,
    expected: impl Json<'e>,
    actual: impl Json<'a>,
    exact: bool,
    strings: Strings,
) -> Vec<String> {
    let mut failures = Vec::new();
    for matcher in &rules.matchers {
        match apply(matcher, expected, actual, exact, strings) {
            Ok(()) if rules.combine == Combine::Or => return Vec::new(),
            Ok(()) => {}
            Err(message) => failures.push(message),
        }
    }
    failures
}

/// Applies one matcher; `Err` holds the mismatch sentence.
pub(crate) fn apply<'e, 'a>(
    matcher: &Matcher,
    expected: impl Json<'e>,
    actual: impl Json<'a>,
    exact: bool,
    strings: Strings,
) -> Result<(), String> {
    let coerce = strings == Strings::Coerce;
    match matcher {
        Matcher::Equality => equality(expected, actual),
        Matcher::Regex(pattern) => {
            let text = as_text(actual);
            match text {
                Some(text) if pattern.is_match(&text) => Ok(()),
                _ => Err(format!(
                    "Expected {} to match '{}'",
                    show(actual),
                    pattern.as_str()
                )),
            }
        }
        Matcher::Type => same_type(expected, actual),
        Matcher::MinType(min) => {
            same_type(expected, actual).and_then(|()| min_size(actual, *min, exact))
        }
        Matcher::MaxType(max) => {
            same_type(expected, actual).and_then(|()| max_size(actual, *max, exact))
        }
        Matcher::MinMaxType(min, max) => same_type(expected, actual)
            .and_then(|()| min_size(actual, *min, exact))
            .and_then(|()| max_size(actual, *max, exact)),
        Matcher::Include(needle) => match as_text(actual) {
            Some(text) if text.contains(needle.as_str()) => Ok(()),
            _ => Err(format!("Expected {} to include '{needle}'", show(actual))),
        },
        Matcher::Integer => check(is_integer(actual, coerce), actual, "be an integer"),
        Matcher::Decimal => check(is_decimal(actual, coerce), actual, "be a decimal number"),
        Matcher::Number => check(is_number(actual, coerce), actual, "be a number"),
        Matcher::Boolean => check(is_boolean(actual, coerce), actual, "match a boolean"),
        Matcher::Null => check(
            matches!(actual.view(), View::Null),
            actual,
            "be a null value",
        ),
        Matcher::Date(format) => date_like(actual, format.as_ref(), DateKind::Date),
        Matcher::Time(format) => date_like(actual, format.as_ref(), DateKind::Time),
        Matcher::Timestamp(format) => date_like(actual, format.as_ref(), DateKind::DateTime),
        Matcher::ContentType(expected_type) => content_type(actual, expected_type),
        Matcher::Values => same_type(expected, actual),
        Matcher::EachKey(_) | Matcher::ArrayContains(_) if !exact => Ok(()),
        Matcher::EachValue(each) if !exact => each
            .rules
            .iter()
            .try_for_each(|m| apply(m, expected, actual, true, strings)),
        Matcher::EachKey(_) | Matcher::EachValue(_) => match actual.view() {
            View::Object(_) | View::Array(_) => Ok(()),
            _ => Err(format!(
                "Expected {} to be a map or list",
                show_typed(actual)
            )),
        },
        Matcher::ArrayContains(_) => match actual.view() {
            View::Array(_) => Ok(()),
            _ => Err(format!("Expected {} to be a list", show_typed(actual))),
        },
        Matcher::Semver => match as_text(actual) {
            Some(text) if semver::Version::parse(&text).is_ok() => Ok(()),
            _ => Err(format!("{} is not a valid semantic version", show(actual))),
        },
        Matcher::StatusCode(class) => {
            let status = match actual.view() {
                View::Number(n) => n.as_u64().and_then(|s| u16::try_from(s).ok()),
                _ => None,
            };
            match status {
                Some(status) if class.contains(status) => Ok(()),
                _ => Err(format!(
                    "Expected status code {} to be {}",
                    actual.to_value(),
                    class.describe()
                )),
            }
        }
        Matcher::NotEmpty => same_type(expected, actual).and_then(|()| not_empty(actual)),
    }
}

fn check<'a>(ok: bool, actual: impl Json<'a>, what: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("Expected {} to {what}", show_typed(actual)))
    }
}

/// Equality. For objects and arrays only the shape is checked here (the
/// same keys, the same length): their children inherit the rule and are
/// compared one by one, so a difference is reported once, where it is.
fn equality<'e, 'a>(expected: impl Json<'e>, actual: impl Json<'a>) -> Result<(), String> {
    let same = match (expected.view(), actual.view()) {
        (View::Object(e), View::Object(a)) => {
            e.len() == a.len() && e.entries().all(|(k, _)| a.get(k).is_some())
        }
        (View::Array(e), View::Array(a)) => e.len() == a.len(),
        _ => values_equal(expected, actual),
    };
    if same {
        return Ok(());
    }
    Err(match (expected.view(), actual.view()) {
        (View::Object(e), View::Object(a)) => format!(
            "Expected an object with keys {:?} but received keys {:?}",
            e.entries().map(|(k, _)| k).collect::<Vec<_>>(),
            a.entries().map(|(k, _)| k).collect::<Vec<_>>()
        ),
        (View::Array(e), View::Array(a)) => {
            format!(
                "Expected a list of {} elements but received {}",
                e.len(),
                a.len()
            )
        }
        _ => format!(
            "Expected {} to be equal to {}",
            show_typed(actual),
            show_typed(expected)
        ),
    })
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
pub(crate) fn values_equal<'e, 'a>(expected: impl Json<'e>, actual: impl Json<'a>) -> bool {
    match (expected.view(), actual.view()) {
        (View::Number(a), View::Number(b)) => match (integer(a), integer(b)) {
            (Some(x), Some(y)) => x == y,
            (Some(x), None) => float_is_integer(b.as_f64(), x),
            (None, Some(y)) => float_is_integer(a.as_f64(), y),
            (None, None) => a.as_f64() == b.as_f64(),
        },
        (View::Array(a), View::Array(b)) => {
            a.len() == b.len()
                && a.elements()
                    .zip(b.elements())
                    .all(|(x, y)| values_equal(x, y))
        }
        (View::Object(a), View::Object(b)) => {
            a.len() == b.len()
                && a.entries()
                    .all(|(k, v)| b.get(k).is_some_and(|w| values_equal(v, w)))
        }
        (View::Null, View::Null) => true,
        (View::Bool(a), View::Bool(b)) => a == b,
        (View::String(a), View::String(b)) => a == b,
        _ => false,
    }
}

/// A JSON integer (i64 or u64) widened so both kinds compare.
fn integer(n: &serde_json::Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

/// True when a float is exactly the integer `n`: converting `n` to f64
/// would round (2^53 + 1 would equal 2^53), so the float is converted
/// instead, which is exact for whole floats of this range.
fn float_is_integer(float: Option<f64>, n: i128) -> bool {
    // Every i64 and u64 lies in [-2^63, 2^64).
    const RANGE: std::ops::Range<f64> = -9_223_372_036_854_775_808.0..18_446_744_073_709_551_616.0;
    float.is_some_and(|f| f.fract() == 0.0 && RANGE.contains(&f) && f as i128 == n)
}

/// Same JSON type; all numbers are one type.
pub(crate) fn same_type<'e, 'a>(
    expected: impl Json<'e>,
    actual: impl Json<'a>,
) -> Result<(), String> {
    let same = matches!(
        (expected.view(), actual.view()),
        (View::Null, View::Null)
            | (View::Bool(_), View::Bool(_))
            | (View::Number(_), View::Number(_))
            | (View::String(_), View::String(_))
            | (View::Array(_), View::Array(_))
            | (View::Object(_), View::Object(_))
    );
    if same {
        Ok(())
    } else {
        Err(format!(
            "Type mismatch: Expected {} to be the same type as {}",
            show_typed(actual),
            show_typed(expected)
        ))
    }
}

fn min_size<'a>(actual: impl Json<'a>, min: usize, exact: bool) -> Result<(), String> {
    match actual.view() {
        View::Array(items) if exact && items.len() < min => Err(format!(
            "Expected {} (size {}) to have minimum size of {min}",
            show(actual),
            items.len()
        )),
        _ => Ok(()),
    }
}

fn max_size<'a>(actual: impl Json<'a>, max: usize, exact: bool) -> Result<(), String> {
    match actual.view() {
        View::Array(items) if exact && items.len() > max => Err(format!(
            "Expected {} (size {}) to have maximum size of {max}",
            show(actual),
            items.len()
        )),
        _ => Ok(()),
    }
}

fn not_empty<'a>(actual: impl Json<'a>) -> Result<(), String> {
    let empty = match actual.view() {
        View::Null => true,
        View::String(s) => s.is_empty(),
        View::Array(c) | View::Object(c) => c.len() == 0,
        _ => false,
    };
    if empty {
        Err(format!("Expected {} to not be empty", show_typed(actual)))
    } else {
        Ok(())
    }
}

/// The value as text for regex-like matchers: strings as they are, numbers
/// and booleans printed, containers and null not at all.
pub(crate) fn as_text<'a>(value: impl Json<'a>) -> Option<std::borrow::Cow<'a, str>> {
    match value.view() {
        View::String(s) => Some(s.into()),
        View::Number(n) => Some(n.to_string().into()),
        View::Bool(b) => Some(b.to_string().into()),
        _ => None,
    }
}

fn is_integer<'a>(value: impl Json<'a>, coerce: bool) -> bool {
    match value.view() {
        View::Number(n) => n.is_i64() || n.is_u64(),
        View::String(s) if coerce => {
            let digits = s.strip_prefix('-').unwrap_or(s);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

fn is_decimal<'a>(value: impl Json<'a>, coerce: bool) -> bool {
    match value.view() {
        View::Number(n) => n.is_f64(),
        View::String(s) if coerce => s.contains('.') && s.parse::<f64>().is_ok_and(f64::is_finite),
        _ => false,
    }
}

fn is_number<'a>(value: impl Json<'a>, coerce: bool) -> bool {
    match value.view() {
        View::Number(_) => true,
        View::String(s) if coerce => s.parse::<f64>().is_ok_and(f64::is_finite),
        _ => false,
    }
}

fn is_boolean<'a>(value: impl Json<'a>, coerce: bool) -> bool {
    match value.view() {
        View::Bool(_) => true,
        View::String(s) if coerce => s == "true" || s == "false",
        _ => false,
    }
}

fn content_type<'a>(actual: impl Json<'a>, expected_type: &str) -> Result<(), String> {
    let text = as_text(actual).unwrap_or_default();
    let detected = sniff::detect(text.as_bytes());
    if sniff::same_essence(detected, expected_type) {
        Ok(())
    } else {
        Err(format!(
            "Expected binary contents to have content type '{expected_type}' but detected contents was '{detected}'"
        ))
    }
}

#[derive(Debug, Clone, Copy)]
enum DateKind {
    Date,
    Time,
    DateTime,
}

fn date_like<'a>(
    actual: impl Json<'a>,
    format: Option<&DatePattern>,
    kind: DateKind,
) -> Result<(), String> {
    let text = as_text(actual).unwrap_or_default();
    let ok = match (format, kind) {
        (Some(pattern), _) => pattern.matches(&text),
        (None, DateKind::Date) => datetime::matches_iso_date(&text),
        (None, DateKind::Time) => datetime::matches_iso_time(&text),
        (None, DateKind::DateTime) => datetime::matches_iso_datetime(&text),
    };
    if ok {
        return Ok(());
    }
    let what = match kind {
        DateKind::Date => "date",
        DateKind::Time => "time",
        DateKind::DateTime => "datetime",
    };
    Err(match format {
        Some(format) => format!(
            "Expected {} to match a {what} pattern of '{}'",
            show(actual),
            format.source()
        ),
        None => format!("Expected {} to be an ISO-8601 {what}", show(actual)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn ok(m: Matcher, e: Value, a: Value) -> bool {
        apply(&m, &e, &a, true, Strings::Strict).is_ok()
    }

    #[test]
    fn numbers_and_their_text_forms() {
        assert!(ok(Matcher::Integer, json!(1), json!(-5)));
        assert!(!ok(Matcher::Integer, json!(1), json!(1.5)));
        assert!(!ok(Matcher::Integer, json!(1), json!("100")));
        assert!(apply(
            &Matcher::Integer,
            &json!(1),
            &json!("100"),
            true,
            Strings::Coerce
        )
        .is_ok());
        assert!(ok(Matcher::Decimal, json!(1.5), json!(100.25)));
        assert!(!ok(Matcher::Decimal, json!(1.5), json!(100)));
        assert!(ok(
            Matcher::Number,
            json!(1),
            json!(18446744073709551615u64)
        ));
        assert_eq!(
            apply(
                &Matcher::Number,
                &json!(1),
                &json!(true),
                true,
                Strings::Strict
            )
            .unwrap_err(),
            "Expected true (Boolean) to be a number"
        );
    }

    #[test]
    fn sizes_only_checked_where_written() {
        assert!(!ok(Matcher::MinType(2), json!([1]), json!([1])));
        assert!(apply(
            &Matcher::MinType(2),
            &json!([1]),
            &json!([1]),
            false,
            Strings::Strict
        )
        .is_ok());
        assert_eq!(
            apply(
                &Matcher::MaxType(1),
                &json!([1]),
                &json!([1, 2]),
                true,
                Strings::Strict
            )
            .unwrap_err(),
            "Expected [1, 2] (size 2) to have maximum size of 1"
        );
    }

    #[test]
    fn equality_treats_numbers_by_value() {
        assert!(values_equal(
            &json!({"a": [1, 2.0]}),
            &json!({"a": [1.0, 2]})
        ));
        assert!(!values_equal(&json!(1), &json!("1")));
    }

    #[test]
    fn regex_and_include_use_text() {
        let re = Matcher::Regex(crate::model::Pattern::new("\\d+").unwrap());
        assert!(ok(re.clone(), json!("1"), json!(123)));
        assert!(!ok(re, json!("1"), json!(null)));
        assert!(ok(Matcher::Include("a".into()), json!(""), json!("cat")));
    }
}
