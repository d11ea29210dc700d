//! `Date`, `Time` and `DateTime` generators: the base date-time moved by
//! the expression, formatted with the Java pattern (ISO forms by default).

use chrono::{DateTime, FixedOffset};

use super::expression;
use super::GenerateError;
use crate::datetime::DatePattern;

/// Which of the three generators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateKind {
    /// `Date`: default `yyyy-MM-dd`.
    Date,
    /// `Time`: default `HH:mm:ss`; an expression without `@` is a time.
    Time,
    /// `DateTime`: default `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` (ISO 8601 with
    /// milliseconds and offset, e.g. `2024-05-01T09:30:00.000+02:00`).
    DateTime,
}

impl DateKind {
    fn default_format(self) -> &'static str {
        match self {
            DateKind::Date => "yyyy-MM-dd",
            DateKind::Time => "HH:mm:ss",
            DateKind::DateTime => "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
        }
    }
}

/// The formatted value of a date generator, relative to `now`.
pub(crate) fn generate(
    kind: DateKind,
    format: Option<&str>,
    expression: Option<&str>,
    now: DateTime<FixedOffset>,
) -> Result<String, GenerateError> {
    let format = format.unwrap_or(kind.default_format());
    let pattern = DatePattern::parse(format).map_err(|e| GenerateError::DateFormat {
        format: format.to_owned(),
        reason: e.to_string(),
    })?;
    let at = match expression {
        Some(text) => expression::evaluate(text, now, kind == DateKind::Time)?,
        None => now,
    };
    Ok(pattern.format(&at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2024-02-28T22:15:30.250+01:00").unwrap()
    }

    #[test]
    fn defaults_are_iso() {
        let g = |kind| generate(kind, None, None, now()).unwrap();
        assert_eq!(g(DateKind::Date), "2024-02-28");
        assert_eq!(g(DateKind::Time), "22:15:30");
        assert_eq!(g(DateKind::DateTime), "2024-02-28T22:15:30.250+01:00");
    }

    #[test]
    fn expressions_move_the_base() {
        let g = |kind, expr| generate(kind, None, Some(expr), now()).unwrap();
        assert_eq!(g(DateKind::Date, "+ 1 day"), "2024-02-29");
        assert_eq!(g(DateKind::Date, "today + 2 hours"), "2024-02-29");
        assert_eq!(g(DateKind::Time, "+ 2 hours"), "00:15:30");
        assert_eq!(g(DateKind::Time, "@ noon"), "12:00:00");
        assert_eq!(
            g(DateKind::DateTime, "tomorrow @ midnight"),
            "2024-02-29T00:00:00.000+01:00"
        );
    }

    #[test]
    fn formats_are_java_patterns() {
        let g = |kind, format| generate(kind, Some(format), None, now()).unwrap();
        assert_eq!(g(DateKind::Date, "dd/MM/yyyy"), "28/02/2024");
        assert_eq!(
            g(DateKind::DateTime, "yyyy-MM-dd'T'HH:mm:ss"),
            "2024-02-28T22:15:30"
        );
    }

    #[test]
    fn bad_formats_and_expressions_are_errors() {
        let err = generate(DateKind::Date, Some("yyyy 'x"), None, now()).unwrap_err();
        assert!(matches!(err, GenerateError::DateFormat { .. }), "{err}");
        let err = generate(DateKind::Date, None, Some("next blursday"), now()).unwrap_err();
        assert!(matches!(err, GenerateError::DateExpression { .. }), "{err}");
    }
}
