//! Applying one matcher to one value.

use serde_json::Value;

use super::mismatch::{show, show_typed};
use super::sniff;
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
pub(crate) fn apply_rules(
    rules: &RuleList,
    expected: &Value,
    actual: &Value,
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
pub(crate) fn apply(
    matcher: &Matcher,
    expected: &Value,
    actual: &Value,
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
        Matcher::Null => check(actual.is_null(), actual, "be a null value"),
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
        Matcher::EachKey(_) | Matcher::EachValue(_) => match actual {
            Value::Object(_) | Value::Array(_) => Ok(()),
            _ => Err(format!(
                "Expected {} to be a map or list",
                show_typed(actual)
            )),
        },
        Matcher::ArrayContains(_) => match actual {
            Value::Array(_) => Ok(()),
            _ => Err(format!("Expected {} to be a list", show_typed(actual))),
        },
        Matcher::Semver => match as_text(actual) {
            Some(text) if semver::Version::parse(&text).is_ok() => Ok(()),
            _ => Err(format!("{} is not a valid semantic version", show(actual))),
        },
        Matcher::StatusCode(class) => match actual.as_u64().and_then(|s| u16::try_from(s).ok()) {
            Some(status) if class.contains(status) => Ok(()),
            _ => Err(format!(
                "Expected status code {actual} to be {}",
                class.describe()
            )),
        },
        Matcher::NotEmpty => same_type(expected, actual).and_then(|()| not_empty(actual)),
    }
}

fn check(ok: bool, actual: &Value, what: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("Expected {} to {what}", show_typed(actual)))
    }
}

/// Equality. For objects and arrays only the shape is checked here (the
/// same keys, the same length): their children inherit the rule and are
/// compared one by one, so a difference is reported once, where it is.
fn equality(expected: &Value, actual: &Value) -> Result<(), String> {
    let same = match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            e.len() == a.len() && e.keys().all(|k| a.contains_key(k))
        }
        (Value::Array(e), Value::Array(a)) => e.len() == a.len(),
        _ => values_equal(expected, actual),
    };
    if same {
        return Ok(());
    }
    Err(match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => format!(
            "Expected an object with keys {:?} but received keys {:?}",
            e.keys().collect::<Vec<_>>(),
            a.keys().collect::<Vec<_>>()
        ),
        (Value::Array(e), Value::Array(a)) => {
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
pub(crate) fn values_equal(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => match (integer(a), integer(b)) {
            (Some(x), Some(y)) => x == y,
            (Some(x), None) => float_is_integer(b.as_f64(), x),
            (None, Some(y)) => float_is_integer(a.as_f64(), y),
            (None, None) => a.as_f64() == b.as_f64(),
        },
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| values_equal(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| values_equal(v, w)))
        }
        _ => expected == actual,
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
pub(crate) fn same_type(expected: &Value, actual: &Value) -> Result<(), String> {
    let same = matches!(
        (expected, actual),
        (Value::Null, Value::Null)
            | (Value::Bool(_), Value::Bool(_))
            | (Value::Number(_), Value::Number(_))
            | (Value::String(_), Value::String(_))
            | (Value::Array(_), Value::Array(_))
            | (Value::Object(_), Value::Object(_))
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

fn min_size(actual: &Value, min: usize, exact: bool) -> Result<(), String> {
    match actual {
        Value::Array(items) if exact && items.len() < min => Err(format!(
            "Expected {} (size {}) to have minimum size of {min}",
            show(actual),
            items.len()
        )),
        _ => Ok(()),
    }
}

fn max_size(actual: &Value, max: usize, exact: bool) -> Result<(), String> {
    match actual {
        Value::Array(items) if exact && items.len() > max => Err(format!(
            "Expected {} (size {}) to have maximum size of {max}",
            show(actual),
            items.len()
        )),
        _ => Ok(()),
    }
}

fn not_empty(actual: &Value) -> Result<(), String> {
    let empty = match actual {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
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
pub(crate) fn as_text(value: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match value {
        Value::String(s) => Some(s.as_str().into()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string().into()),
        _ => None,
    }
}

fn is_integer(value: &Value, coerce: bool) -> bool {
    match value {
        Value::Number(n) => n.is_i64() || n.is_u64(),
        Value::String(s) if coerce => {
            let digits = s.strip_prefix('-').unwrap_or(s);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

fn is_decimal(value: &Value, coerce: bool) -> bool {
    match value {
        Value::Number(n) => n.is_f64(),
        Value::String(s) if coerce => s.contains('.') && s.parse::<f64>().is_ok_and(f64::is_finite),
        _ => false,
    }
}

fn is_number(value: &Value, coerce: bool) -> bool {
    match value {
        Value::Number(_) => true,
        Value::String(s) if coerce => s.parse::<f64>().is_ok_and(f64::is_finite),
        _ => false,
    }
}

fn is_boolean(value: &Value, coerce: bool) -> bool {
    match value {
        Value::Bool(_) => true,
        Value::String(s) if coerce => s == "true" || s == "false",
        _ => false,
    }
}

fn content_type(actual: &Value, expected_type: &str) -> Result<(), String> {
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

fn date_like(actual: &Value, format: Option<&DatePattern>, kind: DateKind) -> Result<(), String> {
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
    use serde_json::json;

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
