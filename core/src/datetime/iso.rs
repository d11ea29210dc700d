//! Lenient ISO-8601 matching: Pact's behaviour when a date, time or
//! timestamp matcher has no `format`.
//!
//! Accepted shapes (all with an optional offset `Z`, `z`, `±HH`, `±HHMM`
//! or `±HH:MM`):
//! - date: `2024-01-02`
//! - time: `10:11`, `10:11:12`, `10:11:12.123456789` (`.` or `,`)
//! - date-time: a date and a time joined by `T`, `t` or a space.
//!
//! Values are range-checked (real calendar date, hour 0-23, minute and
//! second 0-59, offset at most 18 hours).

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::resolve::to_date;

const DATE: &str = r"([0-9]{4})-([0-9]{2})-([0-9]{2})";
const TIME: &str = r"([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]{1,9})?)?";
const OFFSET: &str = r"(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?)?";

/// Longer values cannot be ISO-8601 date-times.
const MAX_LEN: usize = 64;

static DATE_RE: LazyLock<Regex> = LazyLock::new(|| anchored(&[DATE, OFFSET]));
static TIME_RE: LazyLock<Regex> = LazyLock::new(|| anchored(&[TIME, OFFSET]));
static DATETIME_RE: LazyLock<Regex> = LazyLock::new(|| anchored(&[DATE, "[Tt ]", TIME, OFFSET]));

fn anchored(parts: &[&str]) -> Regex {
    Regex::new(&format!("^{}$", parts.concat())).expect("ISO regexes are valid")
}

/// Whether `value` is an ISO-8601 date such as `2024-01-02`.
pub fn matches_iso_date(value: &str) -> bool {
    captures(&DATE_RE, value).is_some_and(|c| valid_date(&c, 1) && valid_offset(&c, 4))
}

/// Whether `value` is an ISO-8601 time such as `10:11:12` or `10:11:12.5Z`.
pub fn matches_iso_time(value: &str) -> bool {
    captures(&TIME_RE, value).is_some_and(|c| valid_time(&c, 1) && valid_offset(&c, 4))
}

/// Whether `value` is an ISO-8601 date-time such as `2024-01-02T10:11:12Z`.
pub fn matches_iso_datetime(value: &str) -> bool {
    captures(&DATETIME_RE, value)
        .is_some_and(|c| valid_date(&c, 1) && valid_time(&c, 4) && valid_offset(&c, 7))
}

fn captures<'v>(re: &Regex, value: &'v str) -> Option<Captures<'v>> {
    if value.len() > MAX_LEN {
        return None;
    }
    re.captures(value)
}

/// The number in group `i`, if it participated.
fn num(caps: &Captures<'_>, i: usize) -> Option<i64> {
    caps.get(i)?.as_str().parse().ok()
}

fn valid_date(caps: &Captures<'_>, first: usize) -> bool {
    match (num(caps, first), num(caps, first + 1), num(caps, first + 2)) {
        (Some(y), Some(m), Some(d)) => to_date(y, m, d).is_some(),
        _ => false,
    }
}

fn valid_time(caps: &Captures<'_>, first: usize) -> bool {
    let hour = num(caps, first).is_some_and(|h| h < 24);
    let minute = num(caps, first + 1).is_some_and(|m| m < 60);
    hour && minute && num(caps, first + 2).is_none_or(|s| s < 60)
}

fn valid_offset(caps: &Captures<'_>, group: usize) -> bool {
    let Some(text) = caps.get(group).map(|m| m.as_str()) else {
        return true;
    };
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    match (digits.get(..2), digits.get(2..)) {
        (None, _) => true, // `Z` or `z`
        (Some(h), m) => {
            let h: u32 = h.parse().unwrap_or(99);
            let m: u32 = m
                .filter(|m| !m.is_empty())
                .map_or(0, |m| m.parse().unwrap_or(99));
            m < 60 && h * 60 + m <= 18 * 60
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        for v in [
            "2024-01-02",
            "2024-02-29",
            "2024-01-02Z",
            "2024-01-02+01:00",
        ] {
            assert!(matches_iso_date(v), "{v}");
        }
        for v in [
            "2024-02-30",
            "2023-02-29",
            "2024-1-2",
            "20240102",
            "2024-01-02T00:00",
            "",
        ] {
            assert!(!matches_iso_date(v), "{v}");
        }
    }

    #[test]
    fn iso_times() {
        for v in [
            "10:11",
            "10:11:12",
            "10:11:12.1",
            "10:11:12,123456789",
            "23:59:59Z",
            "10:11+0530",
        ] {
            assert!(matches_iso_time(v), "{v}");
        }
        for v in [
            "24:00",
            "24:00:00",
            "10:60",
            "10:11:60",
            "10:11:12.",
            "10:11:12.1234567890",
            "10:11+19:00",
            "10:11+01:60",
        ] {
            assert!(!matches_iso_time(v), "{v}");
        }
    }

    #[test]
    fn iso_datetimes() {
        let good = [
            "2024-01-02T10:11:12Z",
            "2024-01-02T10:11:12",
            "2024-01-02T10:11",
            "2024-01-02T10:11:12.123+05:30",
            "2024-01-02 10:11:12-08",
            "2024-01-02t10:11:12z",
            "2024-02-29T00:00:00.000000001Z",
        ];
        for v in good {
            assert!(matches_iso_datetime(v), "{v}");
        }
        let bad = [
            "2024-01-02",
            "2024-02-30T10:11:12Z",
            "2024-01-02T24:00:00Z",
            "2024-01-02X10:11:12",
            "2024-01-02T10:11:12Z ",
            "２０２４-01-02T10:11:12Z",
            "2024-01-02T10:11:12+05:30:00",
        ];
        for v in bad {
            assert!(!matches_iso_datetime(v), "{v}");
        }
        assert!(!matches_iso_datetime(&"9".repeat(100_000)));
    }
}
