//! Date, time and date-time checks for the date matchers.
//!
//! Interim: supports the ISO-8601 defaults and the common Java pattern
//! letters; replaced by the full Java pattern engine in `crate::datetime`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::value::DateKind;

/// True when `text` is a date/time of `kind` in `format` (Java pattern), or
/// in ISO-8601 when there is no format.
pub(crate) fn matches(kind: DateKind, format: Option<&str>, text: &str) -> bool {
    match format {
        Some(format) => {
            let f = translate(format);
            match kind {
                DateKind::Date => NaiveDate::parse_from_str(text, &f).is_ok(),
                DateKind::Time => NaiveTime::parse_from_str(text, &f).is_ok(),
                DateKind::DateTime => {
                    NaiveDateTime::parse_from_str(text, &f).is_ok()
                        || chrono::DateTime::parse_from_str(text, &f).is_ok()
                }
            }
        }
        None => match kind {
            DateKind::Date => NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
            DateKind::Time => NaiveTime::parse_from_str(text, "%H:%M:%S%.f").is_ok(),
            DateKind::DateTime => {
                chrono::DateTime::parse_from_rfc3339(text).is_ok()
                    || NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
            }
        },
    }
}

fn translate(java: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = java.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut n = 1;
        while i + n < chars.len() && chars[i + n] == c && c.is_ascii_alphabetic() {
            n += 1;
        }
        let piece = match (c, n) {
            ('y', 2) => "%y".to_owned(),
            ('y', _) | ('u', _) => "%Y".to_owned(),
            ('M', 1 | 2) => "%m".to_owned(),
            ('M', 3) => "%b".to_owned(),
            ('M', _) => "%B".to_owned(),
            ('d', _) => "%d".to_owned(),
            ('H', _) => "%H".to_owned(),
            ('h', _) => "%I".to_owned(),
            ('m', _) => "%M".to_owned(),
            ('s', _) => "%S".to_owned(),
            ('S', _) => "%f".to_owned(),
            ('a', _) => "%p".to_owned(),
            ('E', 1..=3) => "%a".to_owned(),
            ('E', _) => "%A".to_owned(),
            ('X' | 'x', _) => "%:z".to_owned(),
            ('Z', _) => "%z".to_owned(),
            ('\'', _) => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&q| q == '\'')
                    .map_or(chars.len(), |p| i + 1 + p);
                let literal: String = chars[i + 1..end].iter().collect();
                i = end + 1;
                out.push_str(&literal.replace('%', "%%"));
                continue;
            }
            ('%', _) => "%%".to_owned(),
            (c, n) => c.to_string().repeat(n),
        };
        out.push_str(&piece);
        i += n;
    }
    out
}
