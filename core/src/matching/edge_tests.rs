//! Edge cases the Pact specification cases leave out: unicode everywhere,
//! numbers at the limits of their types, nesting at and past the depth
//! limit, array bounds, regex anchoring, `OR`, matchers nested in arrays,
//! header lists, V1 raw queries, and empty, missing and null bodies.

use serde_json::{json, Value};

use super::{match_message, match_request, match_response, Mismatch};
use crate::model::{
    ArrayVariant, Body, Category, Combine, DocPath, EachRules, Headers, HttpRequest, HttpResponse,
    Matcher, Message, Pattern, Query, RuleCategory, RuleList,
};
use crate::read::{parse_json, read_request, read_response};

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------

fn request(body: Body) -> HttpRequest {
    HttpRequest {
        method: "POST".into(),
        body,
        ..HttpRequest::default()
    }
}

fn json_request(body: Value) -> HttpRequest {
    request(Body::json(body))
}

fn regex(source: &str) -> Matcher {
    Matcher::Regex(Pattern::new(source).unwrap())
}

/// Adds a body rule list at `path`.
fn with_rules(
    mut r: HttpRequest,
    path: &str,
    matchers: Vec<Matcher>,
    combine: Combine,
) -> HttpRequest {
    let list = RuleList { matchers, combine };
    r.matching_rules
        .category_mut(Category::Body)
        .rules
        .insert(DocPath::parse(path).unwrap(), list);
    r
}

fn with_rule(r: HttpRequest, path: &str, matcher: Matcher) -> HttpRequest {
    with_rules(r, path, vec![matcher], Combine::And)
}

/// `location: message` of each mismatch.
fn shown(mismatches: &[Mismatch]) -> Vec<String> {
    mismatches.iter().map(ToString::to_string).collect()
}

/// Matches `actual` (a body) against `expected` (a request with rules).
fn check(expected: &HttpRequest, actual: Value) -> Vec<String> {
    let mut received = expected.clone();
    received.body = Body::json(actual);
    shown(&match_request(expected, &received).mismatches)
}

fn headers(pairs: &[(&str, &str)]) -> Headers {
    pairs.iter().copied().collect()
}

fn with_headers(pairs: &[(&str, &str)]) -> HttpRequest {
    HttpRequest {
        headers: headers(pairs),
        ..HttpRequest::default()
    }
}

// ---------------------------------------------------------------------------
// Unicode.
// ---------------------------------------------------------------------------

#[test]
fn unicode_keys_and_values_in_bodies() {
    let body = json!({
        "😀": "e\u{301}",
        "שלום": ["مرحبا", "\u{202e}abc"],
        "👩‍👩‍👧": {"ünï": "𝄞"},
    });
    let expected = json_request(body.clone());
    assert!(check(&expected, body).is_empty());
    // Precomposed é is not e + combining acute: no normalisation.
    let changed = json!({
        "😀": "\u{e9}",
        "שלום": ["مرحبا", "\u{202e}abc"],
        "👩‍👩‍👧": {"ünï": "𝄞"},
    });
    assert_eq!(
        check(&expected, changed),
        ["$.body['😀']: Expected '\u{e9}' (String) to be equal to 'e\u{301}' (String)"]
    );
    let rtl = json!({
        "😀": "e\u{301}",
        "שלום": ["مرحبا", "abc"],
        "👩‍👩‍👧": {"ünï": "𝄞"},
    });
    let found = check(&expected, rtl);
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("$.body.שלום[1]: "), "{found:?}");
    let nested = json!({
        "😀": "e\u{301}",
        "שלום": ["مرحبا", "\u{202e}abc"],
        "👩‍👩‍👧": {"ünï": "G"},
    });
    let found = check(&expected, nested);
    assert!(found[0].starts_with("$.body['👩‍👩‍👧'].ünï: "), "{found:?}");
}

#[test]
fn odd_keys_render_as_paths_that_parse_back() {
    for key in ["a\\", "it's", "a\\'b", "a.b", "a b", "[0]", "", "100", "😀"] {
        let mut body = serde_json::Map::new();
        body.insert(key.to_owned(), json!(1));
        let expected = json_request(Value::Object(body.clone()));
        body.insert(key.to_owned(), json!(2));
        let found = match_request(&expected, &request(Body::json(Value::Object(body))));
        let path = &found.mismatches[0].path;
        let tokens = DocPath::parse(path).unwrap().tokens().to_vec();
        assert_eq!(
            tokens,
            DocPath::root().join(key).tokens(),
            "{key:?} as {path}"
        );
    }
}

#[test]
fn unicode_under_regex_type_and_include() {
    let expected = with_rule(json_request(json!({"name": "Zoë"})), "$.name", regex("Zo."));
    assert!(check(&expected, json!({"name": "Zoë"})).is_empty());
    // `.` is one code point: a decomposed ë is two.
    assert_eq!(check(&expected, json!({"name": "Zoe\u{308}"})).len(), 1);
    let emoji = with_rule(json_request(json!({"e": "😀"})), "$.e", regex("😀+"));
    assert!(check(&emoji, json!({"e": "😀😀😀"})).is_empty());
    assert_eq!(check(&emoji, json!({"e": "😀🙂"})).len(), 1);
    let letters = with_rule(
        json_request(json!({"w": "שלום"})),
        "$.w",
        regex("\\p{Hebrew}+"),
    );
    assert!(check(&letters, json!({"w": "עולם"})).is_empty());
    let typed = with_rule(json_request(json!({"😀": "x"})), "$['😀']", Matcher::Type);
    assert!(check(&typed, json!({"😀": "مرحبا"})).is_empty());
    let include = with_rule(
        json_request(json!({"t": "e\u{301}"})),
        "$.t",
        Matcher::Include("\u{301}".into()),
    );
    assert!(check(&include, json!({"t": "cafe\u{301}!"})).is_empty());
}

#[test]
fn unicode_in_headers() {
    let expected = with_headers(&[("X-Name", "Zoë 😀"), ("X-Rtl", "\u{202e}שלום")]);
    let actual = with_headers(&[("x-name", "Zoë 😀"), ("X-RTL", "\u{202e}שלום")]);
    assert!(match_request(&expected, &actual).is_match());
    let other = with_headers(&[("X-Name", "Zoe 😀"), ("X-Rtl", "\u{202e}שלום")]);
    assert_eq!(
        shown(&match_request(&expected, &other).mismatches),
        ["$.headers.X-Name: Expected header 'X-Name' to have value 'Zoë 😀' but was 'Zoe 😀'"]
    );
    let mut ruled = expected.clone();
    ruled.matching_rules.add(
        Category::Header,
        DocPath::name("x-name"),
        regex("\\p{L}+ \\p{So}"),
    );
    assert!(match_request(&ruled, &other).is_match());
}

#[test]
fn unicode_in_queries() {
    let mut expected = HttpRequest::default();
    expected.query.append("q", "café 😀");
    expected.query.append("名前", "e\u{301}&=+");
    let wire = Query::parse(&expected.query.to_query_string());
    let actual = HttpRequest {
        query: wire,
        ..HttpRequest::default()
    };
    assert!(match_request(&expected, &actual).is_match());
    let mut ruled = expected.clone();
    ruled.matching_rules.add(
        Category::Query,
        DocPath::name("名前"),
        regex("\\p{L}\\p{M}*[&=+]*"),
    );
    let mut other = HttpRequest::default();
    other.query.append("q", "café 😀");
    other.query.append("名前", "ü&");
    assert!(match_request(&ruled, &other).is_match());
}

// ---------------------------------------------------------------------------
// Numbers at their limits.
// ---------------------------------------------------------------------------

/// Matches body `{"n": actual}` against `{"n": expected}` with `matcher`
/// (or none) at `$.n`.
fn number_check(matcher: Option<Matcher>, expected: Value, actual: Value) -> Vec<String> {
    let mut e = json_request(json!({ "n": expected }));
    if let Some(m) = matcher {
        e = with_rule(e, "$.n", m);
    }
    check(&e, json!({ "n": actual }))
}

#[test]
fn huge_numbers_under_equality() {
    for matcher in [None, Some(Matcher::Equality)] {
        let same = |e: Value, a: Value| number_check(matcher.clone(), e, a).is_empty();
        assert!(same(json!(u64::MAX), json!(u64::MAX)));
        assert!(!same(json!(u64::MAX), json!(u64::MAX - 1)));
        assert!(same(json!(i64::MIN), json!(i64::MIN)));
        assert!(!same(json!(i64::MIN), json!(i64::MIN + 1)));
        assert!(!same(json!(i64::MIN), json!(u64::MAX)));
        assert!(same(json!(1e308), json!(1e308)));
        assert!(!same(json!(1e308), json!(-1e308)));
        assert!(same(json!(1), json!(1.0)));
        assert!(same(json!(-0.0), json!(0)));
        assert!(!same(json!(1), json!(1.5)));
        // Integers compare exactly with floats: 2^53 + 1 is no f64, and
        // u64::MAX is not 2^64, however close the nearest f64 is.
        assert!(!same(
            json!(9_007_199_254_740_993u64),
            json!(9_007_199_254_740_992.0)
        ));
        assert!(same(
            json!(9_007_199_254_740_992u64),
            json!(9_007_199_254_740_992.0)
        ));
        assert!(!same(json!(u64::MAX), json!(18_446_744_073_709_551_616.0)));
        assert!(!same(json!(i64::MIN), json!(-9_223_372_036_854_777_856.0)));
        assert!(same(json!(i64::MIN), json!(-9_223_372_036_854_775_808.0)));
    }
}

#[test]
fn huge_numbers_under_number_matchers() {
    let ok = |m: Matcher, a: Value| number_check(Some(m), json!(1), a).is_empty();
    for n in [json!(u64::MAX), json!(i64::MIN), json!(0)] {
        assert!(ok(Matcher::Integer, n.clone()), "{n}");
        assert!(!ok(Matcher::Decimal, n.clone()), "{n}");
        assert!(ok(Matcher::Number, n.clone()), "{n}");
        assert!(ok(Matcher::Type, n), "type");
    }
    // A number written with a fraction or exponent is a decimal in JSON,
    // even when its value is whole (as pact-reference reads it).
    for n in [json!(1e308), json!(1.0), json!(-1e-308), json!(5e-324)] {
        assert!(!ok(Matcher::Integer, n.clone()), "{n}");
        assert!(ok(Matcher::Decimal, n.clone()), "{n}");
        assert!(ok(Matcher::Number, n.clone()), "{n}");
        assert!(ok(Matcher::Type, n), "type");
    }
    assert!(!ok(Matcher::Number, json!("1")));
    assert!(!ok(Matcher::Type, json!("1")));
    // Numbers read from text keep their JSON form.
    let text =
        parse_json(r#"{"n": [18446744073709551615, -9223372036854775808, 1.0, 1e308]}"#).unwrap();
    assert!(text["n"][0].is_u64() && text["n"][1].is_i64());
    assert!(text["n"][2].is_f64() && text["n"][3].is_f64());
}

#[test]
fn numbers_too_big_for_json_are_a_read_error() {
    let err = parse_json(r#"{"n": 1e400}"#).unwrap_err();
    assert!(err.to_string().contains("invalid JSON"), "{err}");
    // Big integers beyond u64 are read as floats.
    let v = parse_json(r#"{"n": 184467440737095516150}"#).unwrap();
    assert!(v["n"].is_f64());
}

// ---------------------------------------------------------------------------
// Nesting at and beyond the depth limit.
// ---------------------------------------------------------------------------

fn nested(depth: usize, leaf: Value) -> Value {
    // Built by hand: `json!` would serialise `inner` again at every level.
    (0..depth).fold(leaf, |inner, i| {
        if i % 2 == 0 {
            Value::Array(vec![inner])
        } else {
            Value::Object([("k".to_owned(), inner)].into_iter().collect())
        }
    })
}

/// Runs `f` on a thread with the default 2 MiB stack, as test harnesses
/// and servers do. (`serde_json` itself clones, prints and drops values
/// recursively: in a debug build a 2,000-deep value overflows such a stack
/// before matching starts, so 1,000 levels is as deep as these tests go;
/// documents read from JSON text stop at 128.)
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no stack overflow")
}

#[test]
fn documents_the_reader_accepts_are_compared_in_full() {
    let deepest = (100..200)
        .take_while(|&n| {
            let text = format!("{}1{}", "[".repeat(n), "]".repeat(n));
            parse_json(&text).is_ok()
        })
        .last()
        .unwrap();
    let text = format!("{}1{}", "[".repeat(deepest), "]".repeat(deepest));
    let doc = parse_json(&text).unwrap();
    let expected = json_request(doc.clone());
    assert!(check(&expected, doc).is_empty(), "depth {deepest}");
    let changed = parse_json(&text.replace('1', "2")).unwrap();
    let found = check(&expected, changed);
    assert_eq!(found.len(), 1);
    assert!(found[0].contains("to be equal to 1"), "{found:?}");
}

#[test]
fn nesting_past_the_limit_is_a_clear_mismatch() {
    let found = on_small_stack(|| {
        let mut all = Vec::new();
        for depth in [127, 128, 129, 130, 1000] {
            let doc = nested(depth, json!(1));
            for rule in [None, Some(Matcher::Type), Some(Matcher::Equality)] {
                let mut expected = json_request(doc.clone());
                if let Some(rule) = rule.clone() {
                    expected = with_rule(expected, "$", rule);
                }
                let mut received = expected.clone();
                received.body = Body::json(nested(depth, json!(2)));
                let result = match_request(&expected, &received);
                all.push((depth, rule, shown(&result.mismatches)));
            }
        }
        all
    });
    for (depth, rule, mismatches) in found {
        // Under a type rule 1 and 2 agree; only the depth can fail.
        let leaf_differs = rule != Some(Matcher::Type);
        assert_eq!(
            !mismatches.is_empty(),
            leaf_differs || depth > 128,
            "{depth} {rule:?}"
        );
        let deep = mismatches
            .iter()
            .any(|m| m.contains("nests deeper than 128"));
        assert_eq!(deep, depth > 128, "{depth} {rule:?}: {mismatches:?}");
    }
}

#[test]
fn deep_actual_against_a_shallow_expectation() {
    let found = on_small_stack(|| {
        let expected = with_rule(json_request(json!({"a": 1})), "$", Matcher::Type);
        let mut received = expected.clone();
        let deep = nested(1000, json!(1));
        received.body = Body::json(Value::Object(
            [("a".to_owned(), deep)].into_iter().collect(),
        ));
        shown(&match_request(&expected, &received).mismatches)
    });
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("$.body.a: Type mismatch"),
        "{}",
        &found[0][..80]
    );
}

#[test]
fn deep_xml_is_a_clear_mismatch() {
    let found = on_small_stack(|| {
        let xml = |depth: usize, leaf: &str| {
            format!("{}{leaf}{}", "<a>".repeat(depth), "</a>".repeat(depth))
        };
        let mut out = Vec::new();
        for depth in [100, 200, 5000] {
            let expected = request(Body::text(xml(depth, "1"), "application/xml"));
            let actual = request(Body::text(xml(depth, "2"), "application/xml"));
            out.push((depth, shown(&match_request(&expected, &actual).mismatches)));
        }
        out
    });
    for (depth, mismatches) in found {
        assert!(!mismatches.is_empty(), "{depth}");
        if depth > 128 {
            assert!(
                mismatches
                    .iter()
                    .any(|m| m.contains("deeper than") || m.contains("could not be parsed")),
                "{depth}: {mismatches:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Array bounds.
// ---------------------------------------------------------------------------

#[test]
fn empty_arrays_against_min_bounds() {
    let zero = with_rule(
        json_request(json!({"items": [1]})),
        "$.items",
        Matcher::MinType(0),
    );
    assert!(check(&zero, json!({"items": []})).is_empty());
    assert!(check(&zero, json!({"items": [5, 6, 7]})).is_empty());
    assert_eq!(
        check(&zero, json!({"items": [5, "x"]})),
        ["$.body.items[1]: Type mismatch: Expected 'x' (String) to be the same type as 1 (Integer)"]
    );
    let one = with_rule(
        json_request(json!({"items": [1]})),
        "$.items",
        Matcher::MinType(1),
    );
    assert_eq!(
        check(&one, json!({"items": []})),
        ["$.body.items: Expected [] (size 0) to have minimum size of 1"]
    );
    assert_eq!(
        check(&one, json!({"items": {}})),
        ["$.body.items: Type mismatch: Expected {} (Object) to be the same type as [1] (Array)"]
    );
    // An empty example has no template: any elements are accepted.
    let empty = with_rule(
        json_request(json!({"items": []})),
        "$.items",
        Matcher::MinType(0),
    );
    assert!(check(&empty, json!({"items": []})).is_empty());
    assert!(check(&empty, json!({"items": [1, "x", null]})).is_empty());
    // Without a rule, sizes must agree.
    let plain = json_request(json!({"items": []}));
    assert_eq!(
        check(&plain, json!({"items": [1]})),
        ["$.body.items: Expected a list of 0 elements but received 1 element"]
    );
}

#[test]
fn max_bounds() {
    let max = with_rule(json_request(json!({"a": [1]})), "$.a", Matcher::MaxType(2));
    assert!(check(&max, json!({"a": []})).is_empty());
    assert!(check(&max, json!({"a": [1, 2]})).is_empty());
    assert_eq!(
        check(&max, json!({"a": [1, 2, 3]})),
        ["$.body.a: Expected [1, 2, 3] (size 3) to have maximum size of 2"]
    );
    let both = with_rule(
        json_request(json!({"a": [1]})),
        "$.a",
        Matcher::MinMaxType(1, 2),
    );
    assert_eq!(check(&both, json!({"a": []})).len(), 1);
    assert_eq!(check(&both, json!({"a": [1, 2, 3]})).len(), 1);
    // Bounds on each inner array, checked where the rule names them.
    let rows = json_request(json!({"rows": [[1]]}));
    let inner = with_rule(
        with_rule(rows, "$.rows", Matcher::Type),
        "$.rows[*]",
        Matcher::MaxType(1),
    );
    assert_eq!(
        check(&inner, json!({"rows": [[1], [1, 2]]})),
        ["$.body.rows[1]: Expected [1, 2] (size 2) to have maximum size of 1"]
    );
    // Without a rule on the outer list, its size is fixed by the example.
    let fixed = with_rule(
        json_request(json!({"rows": [[1]]})),
        "$.rows[*]",
        Matcher::MaxType(1),
    );
    assert_eq!(
        check(&fixed, json!({"rows": [[1], [1]]})),
        ["$.body.rows: Expected a list of 1 element but received 2 elements"]
    );
    let zero = with_rule(json_request(json!({"a": [1]})), "$.a", Matcher::MaxType(0));
    assert!(check(&zero, json!({"a": []})).is_empty());
    assert_eq!(check(&zero, json!({"a": [1]})).len(), 1);
}

// ---------------------------------------------------------------------------
// Regexes.
// ---------------------------------------------------------------------------

fn regex_ok(source: &str, actual: Value) -> bool {
    let expected = with_rule(json_request(json!({"v": "x"})), "$.v", regex(source));
    check(&expected, json!({ "v": actual })).is_empty()
}

#[test]
fn regexes_match_the_whole_value() {
    assert!(regex_ok("\\d+", json!("12")));
    assert!(!regex_ok("\\d+", json!("a1")));
    assert!(!regex_ok("\\d+", json!("1a")));
    assert!(!regex_ok("\\d+", json!("12\n")));
    assert!(regex_ok("a|b", json!("a")));
    assert!(regex_ok("a|b", json!("b")));
    assert!(!regex_ok("a|b", json!("ab")));
    assert!(regex_ok("^a$", json!("a")));
    assert!(!regex_ok("(?m)^\\d+$", json!("1\n2")));
    assert!(regex_ok("\\Q1.5\\E", json!("1.5")));
    assert!(!regex_ok("\\Q1.5\\E", json!("105")));
    assert!(!regex_ok("", json!("a")));
    assert!(regex_ok("", json!("")));
}

#[test]
fn regexes_that_do_not_compile_alone_are_rejected() {
    // Wrapped as `^(?:a)|(b)$` these would compile and match "axxx".
    for bad in ["a)|(b", "a)(b", ")", "(a", "[a"] {
        assert!(Pattern::new(bad).is_err(), "{bad}");
    }
    let contract = json!({
        "method": "GET",
        "path": "/",
        "matchingRules": {"path": {"matchers": [{"match": "regex", "regex": "/a)|(/b"}]}},
    });
    let err = read_request(&contract, crate::model::SpecVersion::V3).unwrap_err();
    assert_eq!(err.problems[0].pointer, "/matchingRules/path/matchers/0");
}

#[test]
fn regexes_on_numbers_booleans_and_null() {
    assert!(regex_ok("\\d+", json!(123)));
    assert!(!regex_ok("\\d+", json!(-5)));
    assert!(regex_ok("-?\\d+", json!(-5)));
    assert!(regex_ok("\\d+", json!(u64::MAX)));
    assert!(regex_ok("-\\d+", json!(i64::MIN)));
    assert!(regex_ok("\\d+\\.\\d+", json!(1.5)));
    // Numbers are matched as they are written out: 1.0 keeps its fraction,
    // 1e308 is `1e+308`.
    assert!(regex_ok("\\d+\\.\\d+", json!(1.0)));
    assert!(!regex_ok("\\d+", json!(1.0)));
    assert!(regex_ok("1e\\+308", json!(1e308)));
    assert!(regex_ok("true|false", json!(true)));
    assert!(!regex_ok("true", json!(false)));
    assert!(!regex_ok("null", json!(null)));
    assert!(!regex_ok(".*", json!(null)));
    assert!(!regex_ok(".*", json!([])));
    assert!(!regex_ok(".*", json!({})));
}

// ---------------------------------------------------------------------------
// combine: OR.
// ---------------------------------------------------------------------------

#[test]
fn combine_or_needs_one_matcher() {
    let or = with_rules(
        json_request(json!({"a": "12"})),
        "$.a",
        vec![regex("\\d+"), Matcher::Null],
        Combine::Or,
    );
    assert!(check(&or, json!({"a": "34"})).is_empty());
    assert!(check(&or, json!({"a": null})).is_empty());
    assert_eq!(check(&or, json!({"a": "x"})).len(), 2);
    let and = with_rules(
        json_request(json!({"a": "12"})),
        "$.a",
        vec![regex("\\d+"), Matcher::Null],
        Combine::And,
    );
    assert_eq!(check(&and, json!({"a": "34"})).len(), 1);
    // OR of a size rule and null: an array of the right size, or null.
    let list = with_rules(
        json_request(json!({"a": [1]})),
        "$.a",
        vec![Matcher::Null, Matcher::MinType(1)],
        Combine::Or,
    );
    assert!(check(&list, json!({"a": null})).is_empty());
    assert!(check(&list, json!({"a": [1, 2]})).is_empty());
    assert_eq!(check(&list, json!({"a": []})).len(), 2);
}

// ---------------------------------------------------------------------------
// values, eachKey, eachValue, arrayContains inside arrays.
// ---------------------------------------------------------------------------

#[test]
fn values_inside_arrays() {
    let e = with_rule(
        with_rule(
            json_request(json!({"maps": [{"x": {"id": 1}}]})),
            "$.maps",
            Matcher::Type,
        ),
        "$.maps[*]",
        Matcher::Values,
    );
    assert!(check(
        &e,
        json!({"maps": [{"a": {"id": 2}, "b": {"id": 3}}, {"c": {"id": 4}}]})
    )
    .is_empty());
    assert_eq!(
        check(&e, json!({"maps": [{"a": {"id": 2}}, {"c": {"id": "x"}}]})),
        ["$.body.maps[1].c.id: Type mismatch: Expected 'x' (String) to be the same type as 1 (Integer)"]
    );
}

#[test]
fn each_key_and_each_value_inside_arrays() {
    let keys = with_rule(
        with_rule(
            json_request(json!({"maps": [{"a": 1}]})),
            "$.maps",
            Matcher::Type,
        ),
        "$.maps[*]",
        Matcher::EachKey(EachRules {
            rules: vec![regex("[a-z]+")],
            example: None,
        }),
    );
    assert!(check(&keys, json!({"maps": [{"b": 1}, {"zz": 2}]})).is_empty());
    assert_eq!(
        check(&keys, json!({"maps": [{"b": 1}, {"C": 1}]})),
        ["$.body.maps[1].C: Expected 'C' to match '[a-z]+'"]
    );
    let values = with_rule(
        with_rule(
            json_request(json!({"rows": [{"a": "1"}]})),
            "$.rows",
            Matcher::Type,
        ),
        "$.rows[*]",
        Matcher::EachValue(EachRules {
            rules: vec![regex("\\d+")],
            example: None,
        }),
    );
    assert!(check(&values, json!({"rows": [{"x": "2", "y": "3"}, {}]})).is_empty());
    assert_eq!(
        check(&values, json!({"rows": [{"x": "2"}, {"x": "2", "y": "z"}]})),
        ["$.body.rows[1].y: Expected 'z' to match '\\d+'"]
    );
    assert_eq!(
        check(&values, json!({"rows": ["1"]})),
        ["$.body.rows[0]: Expected '1' (String) to be a map or list"]
    );
}

#[test]
fn array_contains_inside_arrays() {
    let mut variant_rules = RuleCategory::default();
    variant_rules.add(DocPath::parse("$.id").unwrap(), Matcher::Integer);
    let contains = Matcher::ArrayContains(vec![ArrayVariant {
        index: 0,
        rules: variant_rules,
        generators: Vec::new(),
    }]);
    let e = with_rule(
        with_rule(
            json_request(json!({"groups": [[{"id": 1}]]})),
            "$.groups",
            Matcher::Type,
        ),
        "$.groups[*]",
        contains,
    );
    assert!(check(&e, json!({"groups": [[{"x": 0}, {"id": 5}], [{"id": 9}]]})).is_empty());
    let found = check(
        &e,
        json!({"groups": [[{"id": 5}], [{"id": "no"}, {"x": 1}]]}),
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("$.body.groups[1]: Variant at index 0"),
        "{found:?}"
    );
    assert_eq!(
        check(&e, json!({"groups": [{"id": 5}]})),
        ["$.body.groups[0]: Expected {\"id\":5} (Object) to be a list"]
    );
}

// ---------------------------------------------------------------------------
// Headers.
// ---------------------------------------------------------------------------

fn header_mismatches(expected: &[(&str, &str)], actual: &[(&str, &str)]) -> Vec<String> {
    shown(&match_request(&with_headers(expected), &with_headers(actual)).mismatches)
}

#[test]
fn header_names_are_case_insensitive() {
    assert!(header_mismatches(
        &[("X-Request-Id", "1"), ("content-type", "application/json")],
        &[("x-request-ID", "1"), ("CONTENT-TYPE", "application/json")],
    )
    .is_empty());
    let mut ruled = with_headers(&[("X-Id", "1")]);
    ruled
        .matching_rules
        .add(Category::Header, DocPath::name("x-id"), regex("\\d+"));
    assert!(match_request(&ruled, &with_headers(&[("X-ID", "42")])).is_match());
    assert!(!match_request(&ruled, &with_headers(&[("X-ID", "x")])).is_match());
}

#[test]
fn dates_and_custom_headers_are_never_split() {
    let date = "Tue, 15 Nov 1994 08:12:31 GMT";
    for name in ["Date", "Expires", "Last-Modified", "If-Modified-Since"] {
        assert!(header_mismatches(&[(name, date)], &[(name, date)]).is_empty());
        // Split on commas, these would be equal; as one value they are not.
        assert_eq!(
            header_mismatches(&[(name, date)], &[(name, "Tue,15 Nov 1994 08:12:31 GMT")]).len(),
            1,
            "{name}"
        );
    }
    let json_header = r#"{"a": 1, "b": [2, 3]}"#;
    assert!(header_mismatches(&[("X-Json", json_header)], &[("X-Json", json_header)]).is_empty());
    assert_eq!(
        header_mismatches(
            &[("X-Json", json_header)],
            &[("X-Json", r#"{"a": 1,"b": [2,3]}"#)]
        )
        .len(),
        1
    );
    // A rule sees the whole value, commas and all.
    let mut ruled = with_headers(&[("Date", date)]);
    ruled.matching_rules.add(
        Category::Header,
        DocPath::name("Date"),
        regex("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"),
    );
    let other = with_headers(&[("date", "Wed, 16 Nov 1994 09:00:00 GMT")]);
    assert!(match_request(&ruled, &other).is_match());
}

#[test]
fn list_headers_are_split_on_commas() {
    for name in ["Accept", "Cache-Control", "accept-encoding", "Vary"] {
        assert!(
            header_mismatches(&[(name, "a/b, c/d")], &[(name, "a/b,c/d")]).is_empty(),
            "{name}"
        );
        assert!(
            header_mismatches(&[(name, "a/b, c/d")], &[(name, " a/b ,  c/d ")]).is_empty(),
            "{name}"
        );
        // Order still matters.
        assert_eq!(
            header_mismatches(&[(name, "a/b, c/d")], &[(name, "c/d, a/b")]).len(),
            1
        );
    }
    // Values are case-sensitive, but media types are not.
    assert_eq!(
        header_mismatches(&[("Vary", "a/b")], &[("Vary", "A/B")]).len(),
        1
    );
    assert!(header_mismatches(&[("Accept", "a/b")], &[("Accept", "A/B")]).is_empty());
    // Several header lines are one list.
    let mut expected = HttpRequest::default();
    expected
        .headers
        .append("Cache-Control", "no-cache, no-store");
    let mut actual = HttpRequest::default();
    actual.headers.append("cache-control", "no-cache");
    actual.headers.append("cache-control", "no-store");
    assert!(match_request(&expected, &actual).is_match());
    // Accept compares media types, charsets case-insensitively.
    assert!(header_mismatches(
        &[("Accept", "application/json;charset=utf-8, text/plain")],
        &[("Accept", "application/json; charset=UTF-8,text/plain")],
    )
    .is_empty());
}

// ---------------------------------------------------------------------------
// Queries: V1 raw strings and V3 parameters.
// ---------------------------------------------------------------------------

fn raw_query(raw: &str) -> HttpRequest {
    HttpRequest {
        query: Query::parse(raw),
        ..HttpRequest::default()
    }
}

fn params_query(raw: &str) -> HttpRequest {
    let mut r = raw_query(raw);
    r.query.raw = None;
    r
}

#[test]
fn v1_raw_queries_compare_as_text_after_decoding() {
    let same = |e: &str, a: &str| match_request(&raw_query(e), &raw_query(a)).is_match();
    assert!(same("a=1&b=2", "a=1&b=2"));
    assert!(!same("a=1&b=2", "b=2&a=1"));
    assert!(!same("a=1&b=2", "a=1&b=2&"));
    assert!(same("a=x%20y", "a=x+y"));
    assert!(same("q=caf%C3%A9", "q=café"));
    assert!(same("o=x=1", "o=x%3D1"));
    // An encoded `&` or `=` is data, not a separator.
    assert!(!same("a=1%26b", "a=1&b"));
    assert!(!same("a%3D1", "a=1"));
    assert!(!same("a", "a="));
}

#[test]
fn v3_query_params() {
    let same = |e: &str, a: &str| match_request(&params_query(e), &params_query(a)).is_match();
    assert!(same("a=1&b=2", "b=2&a=1"));
    assert!(!same("a=1&a=2", "a=2&a=1"));
    assert!(same("a=1&b=2", "a=1&b=2&"));
    assert!(!same("a=1%26b", "a=1&b"));
    assert!(!same("a=1", "a=1&b=2"));
    assert!(!same("a=1&b=2", "a=1"));
    // A V1 expectation against parameters (no raw text on one side)
    // compares the parameters.
    assert!(match_request(&raw_query("a=1&b=2"), &params_query("b=2&a=1")).is_match());
}

// ---------------------------------------------------------------------------
// Empty, missing and null bodies.
// ---------------------------------------------------------------------------

fn bodies() -> Vec<(&'static str, Body)> {
    vec![
        ("missing", Body::Missing),
        ("null", Body::Null),
        ("empty", Body::Empty),
        ("json", Body::json(json!({"a": 1}))),
        ("json null", Body::json(Value::Null)),
        ("json {}", Body::json(json!({}))),
        ("text", Body::text("hello", "text/plain")),
    ]
}

/// The verdict for each expected/actual pair of bodies; `extra_keys` when
/// unexpected keys are allowed (responses and messages).
fn verdict(expected: &str, actual: &str, extra_keys: bool) -> bool {
    match (expected, actual) {
        ("missing", _) => true,
        ("null" | "empty", "missing" | "null" | "empty") => true,
        ("null" | "empty", _) => false,
        ("json {}", "json") => extra_keys,
        (e, a) => e == a,
    }
}

#[test]
fn empty_missing_and_null_bodies_in_every_direction() {
    for (e_name, e_body) in bodies() {
        for (a_name, a_body) in bodies() {
            let want = verdict(e_name, a_name, false);
            let e_req = request(e_body.clone());
            let a_req = request(a_body.clone());
            let got = match_request(&e_req, &a_req);
            assert_eq!(
                got.is_match(),
                want,
                "request {e_name} vs {a_name}: {got:?}"
            );
            let e_res = HttpResponse {
                body: e_body.clone(),
                ..HttpResponse::default()
            };
            let a_res = HttpResponse {
                body: a_body.clone(),
                ..HttpResponse::default()
            };
            let want = verdict(e_name, a_name, true);
            let got = match_response(&e_res, &a_res);
            assert_eq!(
                got.is_match(),
                want,
                "response {e_name} vs {a_name}: {got:?}"
            );
            let e_msg = Message {
                contents: e_body.clone(),
                ..Message::default()
            };
            let a_msg = Message {
                contents: a_body,
                ..Message::default()
            };
            let got = match_message(&e_msg, &a_msg);
            assert_eq!(
                got.is_match(),
                want,
                "message {e_name} vs {a_name}: {got:?}"
            );
        }
    }
}

#[test]
fn bodies_read_from_files_and_from_the_wire_agree() {
    let expected = read_response(
        &json!({"status": 200, "headers": {"Content-Type": "application/json"}, "body": null}),
        crate::model::SpecVersion::V3,
    )
    .unwrap();
    for wire in [b"".to_vec(), b"{}".to_vec(), b"null".to_vec()] {
        let actual = HttpResponse {
            headers: headers(&[("Content-Type", "application/json")]),
            body: Body::from_bytes(
                wire.clone(),
                crate::model::ContentType::parse("application/json"),
            ),
            ..HttpResponse::default()
        };
        let matched = match_response(&expected, &actual).is_match();
        assert_eq!(
            matched,
            wire.is_empty(),
            "{}",
            String::from_utf8_lossy(&wire)
        );
    }
}

#[test]
fn an_equality_rule_reports_a_difference_once_where_it_is() {
    let mut rules = crate::model::RuleCategory::default();
    rules.add(
        crate::model::DocPath::root(),
        crate::model::Matcher::Equality,
    );
    let (e, a) = (
        json!({"a": {"b": [1, 2], "c": "x"}}),
        json!({"a": {"b": [1, 3], "c": "x"}}),
    );
    let found = super::json::JsonComparison::new(
        Some(&rules),
        super::json::ExtraKeys::Allowed,
        super::Part::Body,
    )
    .run(&e, &a);
    let paths: Vec<&str> = found.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["$.a.b[1]"], "{found:?}");
    let extra = json!({"a": {"b": [1, 2], "c": "x", "d": true}});
    let found = super::json::JsonComparison::new(
        Some(&rules),
        super::json::ExtraKeys::Allowed,
        super::Part::Body,
    )
    .run(&e, &extra);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].path, "$.a",
        "an extra key under equality is a mismatch even in responses"
    );
}
