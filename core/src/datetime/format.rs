//! Formatting a date-time according to a pattern (used by generators).

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

use super::fields::{num_spec, text_spec, year_field};
use super::pattern::{DatePattern, Token};
use super::resolve::{week_of_month, Field};
use super::zone;

impl DatePattern {
    /// Formats `dt` according to this pattern, with English names.
    ///
    /// Optional sections are always printed. Zone names (`z`) print `UTC`
    /// for a zero offset and `GMT+hh:mm` otherwise, since only the offset
    /// is known.
    pub fn format(&self, dt: &DateTime<FixedOffset>) -> String {
        let mut out = String::new();
        write_tokens(self.tokens(), dt, &mut out);
        out
    }
}

fn write_tokens(tokens: &[Token], dt: &DateTime<FixedOffset>, out: &mut String) {
    for token in tokens {
        match token {
            Token::Field { letter, count } => write_field(*letter, *count, dt, out),
            Token::Literal(s) => out.push_str(s),
            Token::Optional(inner) => write_tokens(inner, dt, out),
        }
    }
}

fn write_field(letter: char, count: usize, dt: &DateTime<FixedOffset>, out: &mut String) {
    if let Some(spec) = text_spec(letter, count) {
        out.push_str(
            spec.name_of(field_value(spec.field, dt))
                .unwrap_or_default(),
        );
    } else if let Some(spec) = num_spec(letter, count) {
        let value = match (letter, field_value(spec.field, dt)) {
            ('k', 0) => 24,
            ('h', 0) => 12,
            (_, v) => v,
        };
        push_padded(out, value, count);
    } else if let Some((field, _, _)) = year_field(letter) {
        write_year(field_value(field, dt), count, out);
    } else {
        write_zone_or_fraction(letter, count, dt, out);
    }
}

fn write_zone_or_fraction(
    letter: char,
    count: usize,
    dt: &DateTime<FixedOffset>,
    out: &mut String,
) {
    let offset = dt.offset().local_minus_utc();
    let text = if let Some(style) = zone::offset_style(letter, count) {
        zone::format_offset(offset, style)
    } else {
        match letter {
            'S' => fraction(nanos(dt), count),
            'O' | 'Z' => zone::format_localized(offset, count == 4),
            'V' => zone::format_zone_id(offset),
            'z' => zone::format_zone_name(offset, count),
            _ => String::new(),
        }
    };
    out.push_str(&text);
}

/// Years as Java prints them: `yy` is the last two digits; four or more
/// letters print a `+` when the year needs more digits than letters.
fn write_year(value: i64, count: usize, out: &mut String) {
    if count == 2 {
        push_padded(out, value.rem_euclid(100), 2);
        return;
    }
    if value < 0 {
        out.push('-');
    } else if count >= 4 && value.to_string().len() > count {
        out.push('+');
    }
    push_padded(out, value.abs(), count);
}

/// The first `count` digits of the nanosecond fraction (truncated).
fn fraction(nanos: i64, count: usize) -> String {
    let scale = 10i64.pow(9u32.saturating_sub(count as u32));
    format!("{:0count$}", nanos / scale)
}

fn push_padded(out: &mut String, value: i64, width: usize) {
    out.push_str(&format!("{value:0width$}"));
}

/// Nanosecond of second, folding chrono's leap-second representation.
fn nanos(dt: &DateTime<FixedOffset>) -> i64 {
    i64::from(dt.nanosecond() % 1_000_000_000)
}

/// The value of `field` for `dt` in its own offset.
fn field_value(field: Field, dt: &DateTime<FixedOffset>) -> i64 {
    let year = i64::from(dt.year());
    let secs_of_day = i64::from(dt.num_seconds_from_midnight());
    match field {
        Field::Era => i64::from(year >= 1),
        Field::YearOfEra if year >= 1 => year,
        Field::YearOfEra => 1 - year,
        Field::Year => year,
        Field::WeekYear => i64::from(dt.iso_week().year()),
        Field::Month => i64::from(dt.month()),
        Field::Day => i64::from(dt.day()),
        Field::DayOfYear => i64::from(dt.ordinal()),
        Field::DayOfWeek => i64::from(dt.weekday().number_from_monday()),
        Field::Quarter => i64::from(dt.month0() / 3 + 1),
        Field::WeekOfYear => i64::from(dt.iso_week().week()),
        Field::WeekOfMonth => week_of_month(dt.date_naive()),
        Field::AlignedWeek => i64::from(dt.day0() / 7 + 1),
        Field::AmPm => i64::from(dt.hour() / 12),
        Field::HourOfDay => i64::from(dt.hour()),
        Field::HourOfAmPm => i64::from(dt.hour() % 12),
        Field::Minute => i64::from(dt.minute()),
        Field::Second => i64::from(dt.second()),
        Field::Nano => nanos(dt),
        Field::MilliOfDay => secs_of_day * 1000 + nanos(dt) / 1_000_000,
        Field::NanoOfDay => secs_of_day * 1_000_000_000 + nanos(dt),
        Field::Offset => i64::from(dt.offset().local_minus_utc()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn fmt(pattern: &str, value: &str) -> String {
        DatePattern::parse(pattern).unwrap().format(&dt(value))
    }

    fn fmt_ymd(pattern: &str, y: i32, m: u32, d: u32) -> String {
        let date = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let dt = date.and_hms_opt(0, 0, 0).unwrap().and_utc().fixed_offset();
        DatePattern::parse(pattern).unwrap().format(&dt)
    }

    #[test]
    fn common_patterns() {
        let v = "2024-03-05T14:07:09.123456789+05:30";
        assert_eq!(fmt("yyyy-MM-dd", v), "2024-03-05");
        assert_eq!(fmt("HH:mm:ss", v), "14:07:09");
        assert_eq!(
            fmt("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", v),
            "2024-03-05T14:07:09.123+05:30"
        );
        assert_eq!(fmt("yyyy-MM-dd'T'HH:mm:ssZ", v), "2024-03-05T14:07:09+0530");
        assert_eq!(
            fmt("EEE, dd MMM yyyy HH:mm:ss z", v),
            "Tue, 05 Mar 2024 14:07:09 GMT+05:30"
        );
        assert_eq!(fmt("EEEE d MMMM yy", v), "Tuesday 5 March 24");
        assert_eq!(fmt("h:mm a", v), "2:07 PM");
        assert_eq!(fmt("'Q'q QQQ QQQQ", v), "Q1 Q1 1st quarter");
        assert_eq!(fmt("G GGGG GGGGG", v), "AD Anno Domini A");
        assert_eq!(fmt("MMMMM EEEEE", v), "M T");
    }

    #[test]
    fn fractions_and_clock_hours() {
        let v = "2024-01-01T00:00:00.050Z";
        assert_eq!(
            fmt("S SS SSS SSSSSS SSSSSSSSS", v),
            "0 05 050 050000 050000000"
        );
        assert_eq!(fmt("k K h H a", v), "24 0 12 0 AM");
        assert_eq!(fmt("n A N", v), "50000000 50 50000000");
        assert_eq!(
            fmt("XXX xxx X Z ZZZZ O VV z zzzz", v),
            "Z +00:00 Z +0000 GMT GMT Z UTC Coordinated Universal Time"
        );
    }

    #[test]
    fn years_and_weeks() {
        assert_eq!(fmt_ymd("yyyy uuuu y G", 0, 6, 1), "0001 0000 1 BC");
        assert_eq!(fmt_ymd("uuuu u yy", -44, 3, 15), "-0044 -44 45");
        assert_eq!(fmt_ymd("yyyy uuuu", 12345, 1, 1), "+12345 +12345");
        // 2024-12-30 is in ISO week 1 of 2025.
        assert_eq!(fmt("YYYY-'W'ww-e", "2024-12-30T00:00:00Z"), "2025-W01-1");
        assert_eq!(fmt("D DDD W F", "2024-02-09T00:00:00Z"), "40 040 2 2");
        assert_eq!(fmt("[yyyy]'['", "2024-02-09T00:00:00Z"), "2024[");
    }
}
