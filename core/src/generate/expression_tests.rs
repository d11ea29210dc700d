use super::*;

const BASE: &str = "2000-01-01T10:00:00+00:00";

fn eval(expression: &str) -> String {
    let base = DateTime::parse_from_rfc3339(BASE).unwrap();
    let dt = evaluate(expression, base, false).unwrap();
    dt.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()
}

fn time(expression: &str) -> String {
    let base = DateTime::parse_from_rfc3339(BASE).unwrap();
    evaluate(expression, base, true)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%S%.3f")
        .to_string()
}

#[test]
fn date_expressions_follow_pacts_table() {
    for (expression, expected) in [
        ("", "2000-01-01T10:00:00.000"),
        ("now", "2000-01-01T10:00:00.000"),
        ("today", "2000-01-01T10:00:00.000"),
        ("yesterday", "1999-12-31T10:00:00.000"),
        ("tomorrow", "2000-01-02T10:00:00.000"),
        ("+ 1 day", "2000-01-02T10:00:00.000"),
        ("+ 1 week", "2000-01-08T10:00:00.000"),
        ("- 2 weeks", "1999-12-18T10:00:00.000"),
        ("+ 4 years", "2004-01-01T10:00:00.000"),
        ("tomorrow+ 4 years", "2004-01-02T10:00:00.000"),
        ("next week", "2000-01-08T10:00:00.000"),
        ("last month", "1999-12-01T10:00:00.000"),
        ("next fortnight", "2000-01-15T10:00:00.000"),
        ("next monday", "2000-01-03T10:00:00.000"),
        ("last wednesday", "1999-12-29T10:00:00.000"),
        ("next mon", "2000-01-03T10:00:00.000"),
        ("last december", "1999-12-01T10:00:00.000"),
        ("next jan", "2001-01-01T10:00:00.000"),
        ("next june + 2 weeks", "2000-06-15T10:00:00.000"),
        ("+ 1 day - 2 weeks", "1999-12-19T10:00:00.000"),
        (
            "last december + 2 weeks + 4 days",
            "1999-12-19T10:00:00.000",
        ),
    ] {
        assert_eq!(eval(expression), expected, "{expression}");
    }
}

#[test]
fn time_parts_after_at() {
    for (expression, expected) in [
        ("@ now", "2000-01-01T10:00:00.000"),
        ("@ midnight", "2000-01-01T00:00:00.000"),
        ("@ noon", "2000-01-01T12:00:00.000"),
        ("today @ 09:30", "2000-01-01T09:30:00.000"),
        ("tomorrow @ 23:59:58", "2000-01-02T23:59:58.000"),
        ("@ + 1 hour", "2000-01-01T11:00:00.000"),
        ("@ next hour", "2000-01-01T11:00:00.000"),
        ("+ 1 day @ noon + 30 minutes", "2000-01-02T12:30:00.000"),
        ("@ - 1 millisecond", "2000-01-01T09:59:59.999"),
        ("TODAY + 2 HOURS", "2000-01-01T12:00:00.000"),
        ("+1 month-1day", "2000-01-31T10:00:00.000"),
    ] {
        assert_eq!(eval(expression), expected, "{expression}");
    }
}

#[test]
fn time_generator_expressions_need_no_at() {
    assert_eq!(time("+ 1 hour"), "2000-01-01T11:00:00.000");
    assert_eq!(time("noon"), "2000-01-01T12:00:00.000");
    assert_eq!(time("@ midnight + 2 seconds"), "2000-01-01T00:00:02.000");
}

#[test]
fn month_arithmetic_clamps_to_the_month_end() {
    let base = DateTime::parse_from_rfc3339("2000-01-31T10:00:00+00:00").unwrap();
    let dt = evaluate("+ 1 month", base, false).unwrap();
    assert_eq!(dt.format("%Y-%m-%d").to_string(), "2000-02-29");
}

#[test]
fn bad_expressions_report_where() {
    let base = DateTime::parse_from_rfc3339(BASE).unwrap();
    for (bad, position) in [
        ("soon", 0),
        ("+ day", 2),
        ("+ 1 fortnite", 4),
        ("today tomorrow", 6),
        ("@ 25:00", 2),
        ("@ 2 o'clock", 2),
        ("today # 1", 6),
        ("+ 99999999999999999999 days", 2),
        ("+ 9999999999 years", 0),
        ("@ tomorrow", 2),
    ] {
        match evaluate(bad, base, false) {
            Err(GenerateError::DateExpression { position: p, .. }) => {
                assert_eq!(p, position, "{bad}")
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
}
