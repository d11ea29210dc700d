//! Cross-module tests: format-then-match round trips and robustness.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use proptest::prelude::*;

use super::*;

/// Patterns whose output must always match themselves, for years 1..=9999.
const ROUND_TRIP: &[&str] = &[
    DEFAULT_DATE_FORMAT,
    DEFAULT_TIME_FORMAT,
    DEFAULT_DATETIME_FORMAT,
    "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    "yyyy-MM-dd'T'HH:mm:ssZ",
    "EEE, dd MMM yyyy HH:mm:ss z",
    "EEEE, MMMM d, yyyy h:mm:ss a zzzz",
    "yy-M-d H:m:s.SSSSSSSSS x",
    "yyyyMMddHHmmssSSS",
    "yMMdd",
    "yyyy-DDD'T'kk:mm O",
    "YYYY-'W'ww-e",
    "G yyyy MMMMM QQQ qqqq W F",
    "EEEEE LLL cccc e",
    "h 'o''clock' a, K:mm, ZZZZ",
    "[yyyy-MM-dd][ HH:mm:ss]XXXXX",
    "ss.SSSSSSSSS n A N",
    "xxxx XXXX ZZZZZ OOOO",
    "X xx xxx XX XXX Z",
    "yyyy年MM月dd日 HH時",
];

/// Patterns that also round-trip for negative and five-digit years.
const WIDE_YEARS: &[&str] = &[
    "uuuu-MM-dd",
    "G yyyy-MM-dd EEE",
    "u-M-d",
    "uuuu-MM-dd'T'HH:mm VV",
];

fn datetime(year: i32, ordinal: u32, secs: u32, nanos: u32, offset: i32) -> DateTime<FixedOffset> {
    let date = NaiveDate::from_yo_opt(year, ordinal)
        .or_else(|| NaiveDate::from_yo_opt(year, 365))
        .unwrap();
    let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos).unwrap();
    let tz = FixedOffset::east_opt(offset).unwrap();
    tz.from_local_datetime(&date.and_time(time)).unwrap()
}

fn arb_datetime(
    years: std::ops::RangeInclusive<i32>,
) -> impl Strategy<Value = DateTime<FixedOffset>> {
    let offset = prop_oneof![
        Just(0),
        (-18 * 60..=18 * 60).prop_map(|m| m * 60),
        -18 * 3600..=18 * 3600,
    ];
    (years, 1u32..=366, 0u32..86_400, 0u32..1_000_000_000, offset)
        .prop_map(|(y, o, s, n, off)| datetime(y, o, s, n, off))
}

fn assert_round_trip(patterns: &[&str], dt: &DateTime<FixedOffset>) -> Result<(), TestCaseError> {
    for p in patterns {
        let pattern = DatePattern::parse(p).unwrap();
        let text = pattern.format(dt);
        prop_assert!(pattern.matches(&text), "{p:?} formatted {dt} as {text:?}");
    }
    Ok(())
}

proptest! {
    #[test]
    fn format_then_match_round_trips(dt in arb_datetime(1..=9999)) {
        assert_round_trip(ROUND_TRIP, &dt)?;
    }

    #[test]
    fn wide_years_round_trip(dt in arb_datetime(-99_999..=99_999)) {
        assert_round_trip(WIDE_YEARS, &dt)?;
    }

    #[test]
    fn iso_matchers_accept_rfc3339(dt in arb_datetime(1..=9999)) {
        let dt = dt.with_timezone(&FixedOffset::east_opt(dt.offset().local_minus_utc() / 60 * 60).unwrap());
        let text = dt.to_rfc3339();
        prop_assert!(matches_iso_datetime(&text), "{}", text);
        prop_assert!(matches_iso_date(&text[..10]));
        prop_assert!(matches_iso_time(&text[11..]));
    }

    #[test]
    fn arbitrary_values_never_panic(value in any::<String>()) {
        for p in ROUND_TRIP.iter().chain(WIDE_YEARS) {
            let _ = DatePattern::parse(p).unwrap().matches(&value);
        }
        let _ = (matches_iso_date(&value), matches_iso_time(&value), matches_iso_datetime(&value));
    }

    #[test]
    fn arbitrary_patterns_never_panic(pattern in any::<String>(), value in "[0-9A-Za-z:+ -]{0,40}") {
        if let Ok(p) = DatePattern::parse(&pattern) {
            let _ = p.matches(&value);
            let _ = p.format(&datetime(2024, 60, 3600, 5, 3600));
        }
    }

    #[test]
    fn letter_soup_patterns_never_panic(pattern in "[GyuYMLdDQqEecahHkKmsSnNAwWFzZXxOV\\[\\]' -]{0,30}") {
        if let Ok(p) = DatePattern::parse(&pattern) {
            let text = p.format(&datetime(-5, 1, 0, 0, -3600));
            let _ = p.matches(&text);
        }
    }
}

#[test]
fn defaults() {
    let dt = datetime(2024, 60, 3600 + 62, 0, 0);
    assert_eq!(DatePattern::default_date().format(&dt), "2024-02-29");
    assert_eq!(DatePattern::default_time().format(&dt), "01:01:02");
    assert_eq!(
        DatePattern::default_datetime().format(&dt),
        "2024-02-29T01:01:02"
    );
    assert_eq!(
        DatePattern::default_datetime().source(),
        DEFAULT_DATETIME_FORMAT
    );
}

#[test]
fn matches_pattern_free_function() {
    let p = DatePattern::parse("HH:mm").unwrap();
    assert!(matches_pattern(&p, "23:59"));
    assert!(!matches_pattern(&p, "24:00"));
}
