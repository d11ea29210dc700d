use proptest::prelude::*;
use regex::Regex;
use serde_json::json;

use super::*;
use crate::generate::GeneratorMode;
use crate::model::UuidFormat;

fn ctx() -> GeneratorContext {
    let now = DateTime::parse_from_rfc3339("2024-05-01T09:30:00.000+02:00").unwrap();
    GeneratorContext::new(GeneratorMode::Consumer)
        .with_seed(11)
        .with_now(now)
}

fn gen(generator: &Generator, current: Value) -> Value {
    generate_value(generator, &current, &ctx()).unwrap()
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not text: {value}"))
}

fn matches(pattern: &str, value: &str) -> bool {
    Regex::new(pattern).unwrap().is_match(value)
}

#[test]
fn random_int_keeps_the_example_kind() {
    let g = Generator::RandomInt { min: 5, max: 9 };
    let n = gen(&g, json!(1)).as_i64().unwrap();
    assert!((5..=9).contains(&n));
    assert!(matches("^[5-9]$", text(&gen(&g, json!("a")))));
    assert!(gen(&g, Value::Null).is_i64());
}

#[test]
fn random_decimal_text_or_number() {
    let g = Generator::RandomDecimal { digits: 6 };
    assert!(matches(r"^[1-9]\d*\.\d+$", text(&gen(&g, json!("a")))));
    let number = gen(&g, json!(1.5));
    assert!(number.is_f64(), "{number}");
    assert_eq!(number.to_string().replace('.', "").len(), 6, "{number}");
    assert!(gen(&Generator::RandomDecimal { digits: 1 }, json!(2)).is_i64());
    let err = generate_value(&Generator::RandomDecimal { digits: 0 }, &json!(1), &ctx());
    assert!(matches!(err, Err(GenerateError::InvalidGenerator { .. })));
}

#[test]
fn text_generators_give_text() {
    let hex = gen(&Generator::RandomHexadecimal { digits: 6 }, json!(1));
    assert!(matches("^[0-9a-f]{6}$", text(&hex)));
    let s = gen(&Generator::RandomString { size: 6 }, json!(1));
    assert!(matches("^[0-9A-Za-z]{6}$", text(&s)));
    let r = gen(
        &Generator::Regex {
            regex: r"\d{1,8}".into(),
        },
        json!(1),
    );
    assert!(matches(r"^\d{1,8}$", text(&r)));
}

#[test]
fn random_boolean_is_always_a_boolean() {
    assert!(gen(&Generator::RandomBoolean, json!(false)).is_boolean());
    assert!(gen(&Generator::RandomBoolean, json!("a")).is_boolean());
}

#[test]
fn uuids_in_each_format() {
    for (format, pattern) in [
        (UuidFormat::Simple, "^[0-9a-f]{32}$"),
        (
            UuidFormat::LowerCaseHyphenated,
            "^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$",
        ),
        (
            UuidFormat::UpperCaseHyphenated,
            "^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$",
        ),
        (
            UuidFormat::Urn,
            "^urn:uuid:[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$",
        ),
    ] {
        let id = gen(&Generator::Uuid { format }, json!(1));
        assert!(matches(pattern, text(&id)), "{format:?}: {id}");
    }
}

#[test]
fn dates_count_from_the_context_clock() {
    let date = |expression: Option<&str>| Generator::Date {
        format: None,
        expression: expression.map(str::to_owned),
    };
    assert_eq!(gen(&date(None), json!("x")), json!("2024-05-01"));
    assert_eq!(gen(&date(Some("+ 1 day")), json!("x")), json!("2024-05-02"));
    let time = Generator::Time {
        format: Some("HH:mm".into()),
        expression: Some("+ 2 hours".into()),
    };
    assert_eq!(gen(&time, json!("x")), json!("11:30"));
    let dt = Generator::DateTime {
        format: None,
        expression: Some("@ noon".into()),
    };
    assert_eq!(gen(&dt, json!("x")), json!("2024-05-01T12:00:00.000+02:00"));
    let java = Generator::Date {
        format: Some("EEE, d MMM yyyy".into()),
        expression: Some("next friday".into()),
    };
    assert_eq!(gen(&java, json!("x")), json!("Fri, 3 May 2024"));
}

#[test]
fn same_seed_same_values() {
    let g = Generator::RandomString { size: 20 };
    assert_eq!(gen(&g, json!("")), gen(&g, json!("")));
    let other = GeneratorContext {
        seed: Some(12),
        ..ctx()
    };
    assert_ne!(
        generate_value(&g, &json!(""), &other).unwrap(),
        gen(&g, json!(""))
    );
}

#[test]
fn provider_state_runs_only_for_the_provider() {
    let g = Generator::ProviderState {
        expression: "${id}".into(),
        data_type: None,
    };
    let mut provider = GeneratorContext::new(GeneratorMode::Provider);
    provider.provider_state.insert("id".into(), json!(1000));
    assert_eq!(
        generate_value(&g, &json!("a"), &provider).unwrap(),
        json!(1000)
    );
    assert_eq!(gen(&g, json!("a")), json!("a"));
    provider.provider_state.clear();
    let err = generate_value(&g, &json!("a"), &provider).unwrap_err();
    assert!(err.is_missing_input(), "{err}");
}

fn mock_url(example: &str, regex: &str) -> Generator {
    Generator::MockServerUrl {
        example: example.into(),
        regex: regex.into(),
    }
}

#[test]
fn mock_server_url_rewrites_the_base() {
    let consumer = ctx().with_mock_server_url("http://somewhere.world");
    let run = |g: &Generator, current: Value| generate_value(g, &current, &consumer).unwrap();
    let g = mock_url("http://1234:8080/a", ".*(/a)");
    assert_eq!(run(&g, json!("x")), json!("http://somewhere.world/a"));
    let g = mock_url("http://localhost:8080/orders/1234", r".*(\/orders\/\d+)$");
    let slash = ctx().with_mock_server_url("https://else:1234/sub/");
    assert_eq!(
        generate_value(&g, &json!("x"), &slash).unwrap(),
        json!("https://else:1234/sub/orders/1234")
    );
    let g = mock_url("nothing to see", r".*(/orders/\d+)$");
    let current = json!("http://old/orders/7");
    assert_eq!(run(&g, current), json!("http://somewhere.world/orders/7"));
}

#[test]
fn mock_server_url_failures() {
    let consumer = ctx().with_mock_server_url("http://m");
    let run = |g: &Generator| generate_value(g, &json!("x"), &consumer).unwrap_err();
    assert!(matches!(
        run(&mock_url("http://a/b", r"/c(/d)")),
        GenerateError::MockServerUrlNoMatch { .. }
    ));
    assert!(matches!(
        run(&mock_url("http://a/b", r".*/b")),
        GenerateError::Regex { .. }
    ));
    assert!(matches!(
        run(&mock_url("http://a/b", r"(")),
        GenerateError::Regex { .. }
    ));
    let missing = generate_value(&mock_url("http://a/b", ".*(/b)"), &json!("x"), &ctx());
    assert!(missing.unwrap_err().is_missing_input());
    let provider = GeneratorContext::new(GeneratorMode::Provider).with_mock_server_url("http://m");
    let kept = generate_value(&mock_url("http://a/b", ".*(/b)"), &json!("x"), &provider);
    assert_eq!(kept.unwrap(), json!("x"));
}

#[test]
fn bad_settings_are_errors_not_panics() {
    let err = generate_value(&Generator::RandomInt { min: 3, max: 1 }, &json!(1), &ctx());
    assert!(matches!(err, Err(GenerateError::InvalidGenerator { .. })));
    let huge = Generator::RandomString { size: usize::MAX };
    assert!(generate_value(&huge, &json!(""), &ctx()).is_err());
    let bad_regex = Generator::Regex { regex: "[".into() };
    assert!(generate_value(&bad_regex, &json!(""), &ctx()).is_err());
}

proptest! {
    #[test]
    fn random_int_stays_in_range(a: i64, b: i64, seed: u64) {
        let (min, max) = (a.min(b), a.max(b));
        let context = GeneratorContext { seed: Some(seed), ..ctx() };
        let g = Generator::RandomInt { min, max };
        let n = generate_value(&g, &json!(0), &context).unwrap().as_i64().unwrap();
        prop_assert!(min <= n && n <= max);
        let t = generate_value(&g, &json!(""), &context).unwrap();
        let parsed: i64 = t.as_str().unwrap().parse().unwrap();
        prop_assert!(min <= parsed && parsed <= max);
    }

    #[test]
    fn random_int_in_small_ranges(min in -5i64..5, width in 0i64..3, seed: u64) {
        let context = GeneratorContext { seed: Some(seed), ..ctx() };
        let g = Generator::RandomInt { min, max: min + width };
        let n = generate_value(&g, &json!(0), &context).unwrap().as_i64().unwrap();
        prop_assert!((min..=min + width).contains(&n));
    }
}
