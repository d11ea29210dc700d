//! Unit tests for [`super::matches_pattern`].

use super::*;
use crate::datetime::MAX_PATTERN_LEN;

fn ok(pattern: &str, value: &str) -> bool {
    DatePattern::parse(pattern).unwrap().matches(value)
}

fn accepts(pattern: &str, values: &[&str]) {
    for v in values {
        assert!(ok(pattern, v), "{pattern:?} should accept {v:?}");
    }
}

fn rejects(pattern: &str, values: &[&str]) {
    for v in values {
        assert!(!ok(pattern, v), "{pattern:?} should reject {v:?}");
    }
}

#[test]
fn dates() {
    accepts(
        "yyyy-MM-dd",
        &["2024-01-02", "2024-02-29", "2000-02-29", "0001-12-31"],
    );
    rejects(
        "yyyy-MM-dd",
        &[
            "2024-02-30",
            "2023-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-00-10",
        ],
    );
    rejects(
        "yyyy-MM-dd",
        &[
            "2024-04-31",
            "2024-01-00",
            "2024-1-02",
            "24-01-02",
            "0000-01-01",
        ],
    );
    rejects(
        "yyyy-MM-dd",
        &[
            "2024-01-02 ",
            " 2024-01-02",
            "2024-01-02x",
            "",
            "2024/01/02",
        ],
    );
    accepts("d/M/yyyy", &["2/1/2024", "02/01/2024", "31/12/1999"]);
    rejects("d/M/yyyy", &["123/1/2024", "/1/2024"]);
    accepts("MM-dd", &["02-29"]);
    rejects("MM-dd", &["02-30", "04-31"]);
}

#[test]
fn times() {
    accepts("HH:mm:ss", &["00:00:00", "23:59:59", "12:30:45"]);
    rejects(
        "HH:mm:ss",
        &["24:00:00", "23:60:00", "23:59:60", "1:02:03", "12:30"],
    );
    accepts("h:mm a", &["12:00 AM", "1:05 PM", "11:59 PM"]);
    rejects("h:mm a", &["0:00 AM", "13:00 PM", "1:05 pm", "1:05 XM"]);
    accepts("kk:mm", &["24:00", "01:00"]);
    rejects("kk:mm", &["00:00", "25:00"]);
    accepts("KK:mm a", &["00:15 AM", "11:15 PM"]);
    rejects("KK:mm a", &["12:15 PM"]);
    // AM/PM must agree with a 24-hour field.
    accepts("HH a", &["13 PM", "00 AM"]);
    rejects("HH a", &["13 AM", "01 PM"]);
}

#[test]
fn fraction_widths() {
    accepts("HH:mm:ss.S", &["10:11:12.1"]);
    accepts("HH:mm:ss.SSS", &["10:11:12.123", "10:11:12.000"]);
    rejects(
        "HH:mm:ss.SSS",
        &["10:11:12.12", "10:11:12.1234", "10:11:12.", "10:11:12"],
    );
    accepts("ss.SSSSSSSSS", &["00.123456789"]);
    accepts("HH:mm:ss[.SSS]", &["10:11:12", "10:11:12.123"]);
    rejects("HH:mm:ss[.SSS]", &["10:11:12.12"]);
    accepts("ss.n", &["01.5", "01.999999999"]);
    rejects("ss.n", &["01.1000000000"]);
}

#[test]
fn text_fields() {
    let rfc1123 = "EEE, dd MMM yyyy HH:mm:ss z";
    accepts(
        rfc1123,
        &[
            "Tue, 02 Jan 2024 10:11:12 GMT",
            "Mon, 01 Jan 2024 00:00:00 PST",
        ],
    );
    // 2024-01-02 is a Tuesday, not a Wednesday.
    rejects(
        rfc1123,
        &[
            "Wed, 02 Jan 2024 10:11:12 GMT",
            "Tue, 02 jan 2024 10:11:12 GMT",
        ],
    );
    rejects(
        rfc1123,
        &[
            "Tue, 02 Jan 2024 10:11:12 Mars",
            "Tue, 02 Jan 2024 10:11:12",
        ],
    );
    accepts("EEEE, MMMM d", &["Friday, February 29", "Monday, May 1"]);
    rejects("EEEE, MMMM d", &["Fri, February 29", "Friday, Feb 29"]);
    accepts("MMMMM", &["J", "D"]);
    rejects("MMMMM", &["X", "Jan"]);
    accepts("G yyyy", &["AD 2024", "BC 0044"]);
    accepts("GGGG y", &["Anno Domini 2024"]);
    accepts("QQQ yyyy", &["Q3 2024"]);
    accepts("QQQQ", &["4th quarter"]);
    rejects("QQQ MM", &["Q1 04"]);
}

#[test]
fn years() {
    accepts("yy-MM-dd", &["24-02-29", "00-02-29"]);
    // yy is 20yy, so 2023-02-29 is rejected.
    rejects("yy-MM-dd", &["23-02-29", "2024-02-29"]);
    accepts("y", &["1", "2024", "123456"]);
    rejects("y", &["0", "-5", "+5"]);
    accepts("uuuu", &["0000", "-0044", "+12345"]);
    rejects("uuuu", &["12345", "-44", "+1234"]);
    accepts("yyyyMMdd", &["20240229"]);
    rejects("yyyyMMdd", &["20230229"]);
    accepts("yMMdd", &["20240229"]);
    accepts("yyyy-DDD", &["2024-366", "2023-001"]);
    rejects("yyyy-DDD", &["2023-366", "2024-367", "2024-000"]);
    accepts("YYYY-'W'ww-e", &["2025-W01-1", "2020-W53-7"]);
    rejects("YYYY-'W'ww-e", &["2021-W53-1", "2025-W01-8"]);
}

#[test]
fn offsets_and_zones() {
    let p = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
    accepts(
        p,
        &[
            "2024-01-02T10:11:12.123Z",
            "2024-01-02T10:11:12.123+05:30",
            "2024-01-02T10:11:12.123-08:00",
        ],
    );
    rejects(
        p,
        &[
            "2024-01-02T10:11:12.123+0530",
            "2024-01-02T10:11:12.123z",
            "2024-01-02T10:11:12.123",
        ],
    );
    let p = "yyyy-MM-dd'T'HH:mm:ssZ";
    accepts(p, &["2024-01-02T10:11:12+0000", "2024-01-02T10:11:12-0130"]);
    rejects(
        p,
        &[
            "2024-01-02T10:11:12Z",
            "2024-01-02T10:11:12+01:30",
            "2024-01-02T10:11:12+2500",
        ],
    );
    accepts("HH:mmX", &["10:11Z", "10:11+01", "10:11+0130"]);
    accepts("HH:mmxx", &["10:11+0000"]);
    rejects("HH:mmxx", &["10:11Z"]);
    accepts("O", &["GMT", "GMT+8", "GMT-10:30"]);
    accepts("ZZZZ", &["GMT", "GMT+08:00"]);
    rejects("ZZZZ", &["GMT+8"]);
    accepts(
        "VV",
        &["Europe/Paris", "Z", "UTC", "+01:00", "America/New_York"],
    );
    rejects("VV", &["Paris", "Europe/"]);
    accepts("zzzz", &["Coordinated Universal Time", "UTC"]);
}

#[test]
fn literals_and_optional_sections() {
    accepts("h 'o''clock' a", &["5 o'clock PM"]);
    rejects("h 'o''clock' a", &["5 oclock PM", "5 o''clock PM"]);
    accepts("''yy''", &["'24'"]);
    accepts("HH[:mm[:ss]]", &["10", "10:11", "10:11:12"]);
    rejects("HH[:mm[:ss]]", &["10:", "10:11:", "10::12"]);
    accepts("yyyy年MM月dd日", &["2024年02月29日"]);
    rejects("yyyy年MM月dd日", &["2024年02月30日", "2024-02-29"]);
}

#[test]
fn odd_inputs_never_panic() {
    let patterns = [
        "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
        "EEE, dd MMM yyyy HH:mm:ss z",
        "y M d H m s S n A N",
        "[[[[y]]]]",
        "VV z O ZZZZ X x Z",
        "",
    ];
    let long_digits = "9".repeat(5000);
    let values = [
        "",
        "é",
        "２０２４-01-02",
        "2024-01-0２",
        "\u{0}",
        "日本語テキスト",
        "+",
        "-",
        "GMT+",
        "GMT+99",
        "Europe/",
        "9999999999999999999999",
        &long_digits,
        "🎉2024",
        "2024-01-02T10:11:12.123+",
    ];
    for p in patterns {
        let pattern = DatePattern::parse(p).unwrap();
        for v in &values {
            let _ = pattern.matches(v);
        }
    }
    assert!(DatePattern::parse("").unwrap().matches(""));
    assert!(!ok("yyyy-MM-dd", "２０２４-01-02"));
}

#[test]
fn ambiguous_patterns_backtrack_within_budget() {
    // Every field is variable width: the search must still terminate.
    let pattern = DatePattern::parse("ydMDHmsn").unwrap();
    let _ = pattern.matches(&"1".repeat(200));
    let many = DatePattern::parse(&"[d]".repeat(80)).unwrap();
    assert!(!many.matches(&"1".repeat(170)));
    assert!(many.matches("1"));
}

#[test]
fn longest_patterns_do_not_overflow_the_stack() {
    let flat = DatePattern::parse(&"d-".repeat(MAX_PATTERN_LEN / 2)).unwrap();
    assert!(flat.matches(&"1-".repeat(MAX_PATTERN_LEN / 2)));
    assert!(!flat.matches(&"1-".repeat(MAX_PATTERN_LEN / 2 - 1)));
    let nested = DatePattern::parse(&("[".repeat(MAX_PATTERN_LEN - 1) + "d")).unwrap();
    assert!(nested.matches("7") && nested.matches(""));
}
