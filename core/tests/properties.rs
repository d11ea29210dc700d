//! Property tests: the reader never panics and locates every problem, paths
//! and queries round-trip through their text forms, matching is reflexive,
//! type rules accept same-shaped documents and pinpoint a changed type,
//! requests (only) reject unexpected keys, and writing a contract that was
//! read is a fixed point.
//!
//! Case counts are kept moderate so the suite stays quick on two cores.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};
use treaty_core::matching::{match_message, match_request, match_response, Part};
use treaty_core::model::{
    Body, Category, ContentType, DocPath, Headers, HttpRequest, HttpResponse, Matcher, Message,
    PathToken, Query, SpecVersion, GENERATOR_NAMES, MATCHER_NAMES,
};
use treaty_core::read::{parse_contract, read_contract, read_message, read_request, read_response};
use treaty_core::write::write_contract;

/// `n` cases, unless `PROPTEST_CASES` asks for another number (for a
/// longer hunt: `PROPTEST_CASES=5000 cargo test --test properties`).
fn cases(n: u32) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = n;
    }
    config
}

// ---------------------------------------------------------------------------
// Strategies: text, keys and JSON documents.
// ---------------------------------------------------------------------------

/// Text that tends to break things: unicode of every kind, quotes,
/// backslashes, separators of paths, queries and header lists.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        "[a-z0-9]{0,8}",
        "\\PC{0,10}",
        "[ ,;=&%+'\"\\\\\\[\\].$*#@:/?a-c]{0,10}",
        prop::sample::select(vec![
            "😀",
            "👩‍👩‍👧",
            "e\u{301}",
            "é",
            "שלום",
            "مرحبا",
            "\u{202e}abc",
            "a\u{0}b",
            "%zz",
            "%E2%82%AC",
            "a,b",
            "\"quoted, with comma\"",
            "Tue, 15 Nov 1994 08:12:31 GMT",
        ])
        .prop_map(str::to_owned),
    ]
    .boxed()
}

/// Object keys: mostly identifiers, sometimes anything.
fn key() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[a-z][a-z0-9_]{0,5}",
        1 => text(),
        1 => prop::sample::select(vec![
            "", "100", "0", "a b", "it's", "a\\", "a\\'b", "a.b", "a[0]", "*", "$", "ünï",
            "ns:tag", "@id", "#text", "😀",
        ])
        .prop_map(str::to_owned),
    ]
    .boxed()
}

/// A float that reads back from its own JSON text unchanged.
fn float() -> BoxedStrategy<Value> {
    (any::<i32>(), -20i32..20)
        .prop_map(|(mantissa, exp)| {
            serde_json::from_str(&format!("{mantissa}.5e{exp}")).expect("a finite float")
        })
        .boxed()
}

fn scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        float(),
        prop::sample::select(vec![
            json!(u64::MAX),
            json!(i64::MIN),
            json!(1e308),
            json!(-1e308),
            json!(5e-324),
            json!(0.0),
            json!(1.0),
        ]),
        text().prop_map(Value::from),
    ]
    .boxed()
}

/// A JSON document a few levels deep.
fn json_value() -> BoxedStrategy<Value> {
    scalar()
        .prop_recursive(4, 48, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map(key(), inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
        .boxed()
}

fn json_object() -> BoxedStrategy<Value> {
    prop::collection::btree_map(key(), json_value(), 0..5)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
        .boxed()
}

// ---------------------------------------------------------------------------
// Strategies: pact-shaped documents, valid or with junk mixed in.
// ---------------------------------------------------------------------------

/// `valid`, or (when `junk`) now and then any JSON at all.
fn or_junk(valid: BoxedStrategy<Value>, junk: bool) -> BoxedStrategy<Value> {
    if junk {
        prop_oneof![8 => valid, 1 => json_value()].boxed()
    } else {
        valid
    }
}

fn pick(items: &[&'static str]) -> BoxedStrategy<Value> {
    prop::sample::select(items.to_vec())
        .prop_map(Value::from)
        .boxed()
}

/// An object from optional fields: each present or not.
fn object_of(fields: Vec<(&'static str, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    let parts: Vec<BoxedStrategy<Option<(String, Value)>>> = fields
        .into_iter()
        .map(|(name, strategy)| {
            prop::option::of(strategy.prop_map(move |v| (name.to_owned(), v))).boxed()
        })
        .collect();
    parts
        .prop_map(|entries| Value::Object(entries.into_iter().flatten().collect()))
        .boxed()
}

fn regex_source(junk: bool) -> BoxedStrategy<Value> {
    let valid = pick(&[
        "\\d+",
        "[a-z]+",
        "a|b",
        "\\w+",
        "\\Q.*\\E",
        "(?i)abc",
        "[0-9]{2,3}",
        ".*",
        "x",
    ]);
    if junk {
        prop_oneof![
            3 => valid,
            1 => pick(&["(", "a)|(b", "[", "\\", "*", "(?<=a)b", "a{99999}{99999}"]),
            1 => "[a-z\\\\()|*+?{}\\[\\]^$.0-9QE]{0,10}".prop_map(Value::from),
        ]
        .boxed()
    } else {
        valid
    }
}

fn date_format(junk: bool) -> BoxedStrategy<Value> {
    let valid = pick(&[
        "yyyy-MM-dd",
        "HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
        "EEE, dd MMM yyyy HH:mm:ss z",
        "dd/MM/yy",
        "h:mm a",
        "[yyyy]",
    ]);
    if junk {
        prop_oneof![
            2 => valid,
            1 => "[yMdDHhKkmsSnNaEezZXxOVGQqLcuwWFAgBpv' \\[\\]:-]{0,14}".prop_map(Value::from),
        ]
        .boxed()
    } else {
        valid
    }
}

fn size_bound(junk: bool) -> BoxedStrategy<Value> {
    let valid = (0u64..4).prop_map(Value::from).boxed();
    if junk {
        prop_oneof![
            3 => valid,
            1 => pick(&["2", "x", "-1"]),
            1 => prop::sample::select(vec![json!(-1), json!(1.5), json!(u64::MAX), json!(null)]),
        ]
        .boxed()
    } else {
        valid
    }
}

fn body_path(junk: bool) -> BoxedStrategy<Value> {
    let valid = prop_oneof![
        pick(&[
            "$",
            "$.a",
            "$.items[*].id",
            "$['odd key']",
            "$.a[0]",
            "$.*",
            "$.ünï",
            "$.a.#text"
        ]),
        prop::collection::vec(key(), 0..3).prop_map(|keys| {
            let path = keys.iter().fold(DocPath::root(), |p, k| p.join(k));
            Value::from(path.as_str())
        }),
    ]
    .boxed();
    if junk {
        prop_oneof![
            4 => valid,
            1 => pick(&["a.b", "$.", "$[x]", "$['a'", "$[1", "$x", ""]),
            1 => text().prop_map(Value::from),
        ]
        .boxed()
    } else {
        valid
    }
}

/// One matcher definition; `depth` bounds nesting (eachKey, arrayContains).
fn matcher_def(depth: u32, junk: bool) -> BoxedStrategy<Value> {
    let simple = prop_oneof![
        pick(&[
            "equality", "type", "integer", "decimal", "number", "boolean", "null", "values",
            "semver", "notEmpty",
        ])
        .prop_map(|m| json!({ "match": m })),
        regex_source(junk).prop_map(|r| json!({"match": "regex", "regex": r})),
        (size_bound(junk), size_bound(junk)).prop_map(|(min, max)| {
            let (low, span) = (min.as_u64().unwrap_or(0), max.as_u64().unwrap_or(0));
            json!({"match": "type", "min": min, "max": low.saturating_add(span)})
        }),
        size_bound(junk).prop_map(|min| json!({"match": "type", "min": min})),
        size_bound(junk).prop_map(|max| json!({"match": "type", "max": max})),
        text().prop_map(|v| json!({"match": "include", "value": v})),
        (
            pick(&["date", "time", "timestamp", "datetime"]),
            date_format(junk)
        )
            .prop_map(|(m, f)| json!({"match": m, "format": f})),
        pick(&["date", "time", "datetime"]).prop_map(|m| json!({ "match": m })),
        pick(&["image/jpeg", "application/json", "text/plain"])
            .prop_map(|v| json!({"match": "contentType", "value": v})),
        prop_oneof![
            pick(&[
                "success",
                "error",
                "info",
                "redirect",
                "clientError",
                "serverError"
            ]),
            Just(json!([200, 201])),
        ]
        .prop_map(|s| json!({"match": "statusCode", "status": s})),
    ];
    let strategy = if depth == 0 {
        simple.boxed()
    } else {
        let nested = prop::collection::vec(matcher_def(depth - 1, junk), 0..3);
        prop_oneof![
            4 => simple,
            1 => (pick(&["eachKey", "eachValue"]), nested.clone())
                .prop_map(|(m, rules)| json!({"match": m, "rules": rules})),
            1 => prop::collection::vec(
                (0u64..3, rule_category(depth - 1, junk)),
                0..3,
            )
            .prop_map(|variants| {
                let variants: Vec<Value> = variants
                    .into_iter()
                    .map(|(index, rules)| json!({"index": index, "rules": rules}))
                    .collect();
                json!({"match": "arrayContains", "variants": variants})
            }),
        ]
        .boxed()
    };
    if junk {
        prop_oneof![
            6 => strategy,
            1 => (prop_oneof![pick(MATCHER_NAMES), text().prop_map(Value::from)], json_object())
                .prop_map(|(name, mut fields)| {
                    fields["match"] = name;
                    fields
                }),
            1 => json_value(),
        ]
        .boxed()
    } else {
        strategy
    }
}

/// `{"combine": ..., "matchers": [...]}` or a lone matcher.
fn rule_list(depth: u32, junk: bool) -> BoxedStrategy<Value> {
    let combine = or_junk(pick(&["AND", "OR"]), junk);
    prop_oneof![
        3 => (prop::option::of(combine), prop::collection::vec(matcher_def(depth, junk), 0..3))
            .prop_map(|(combine, matchers)| {
                let mut list = json!({ "matchers": matchers });
                if let Some(combine) = combine {
                    list["combine"] = combine;
                }
                list
            }),
        1 => matcher_def(depth, junk),
    ]
    .boxed()
}

/// A body rule category: paths to rule lists.
fn rule_category(depth: u32, junk: bool) -> BoxedStrategy<Value> {
    prop::collection::vec((body_path(junk), rule_list(depth, junk)), 0..3)
        .prop_map(|entries| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.as_str().unwrap_or("$").to_owned(), v))
                    .collect(),
            )
        })
        .boxed()
}

fn named_rules(junk: bool) -> BoxedStrategy<Value> {
    prop::collection::btree_map(key(), rule_list(1, junk), 0..3)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
        .boxed()
}

fn matching_rules(junk: bool) -> BoxedStrategy<Value> {
    let grouped = object_of(vec![
        ("body", rule_category(2, junk)),
        ("content", rule_category(1, junk)),
        ("header", named_rules(junk)),
        ("query", named_rules(junk)),
        ("metadata", named_rules(junk)),
        ("path", rule_list(0, junk)),
        ("status", rule_list(0, junk)),
    ]);
    let flat = prop::collection::vec(
        (
            prop_oneof![
                body_path(false).prop_map(|p| format!(
                    "$.body{}",
                    p.as_str().unwrap_or("$").trim_start_matches('$')
                )),
                key().prop_map(|k| DocPath::root().join("headers").join(&k).to_string()),
                key().prop_map(|k| DocPath::root().join("query").join(&k).to_string()),
                Just("$.path".to_owned()),
                Just("$.status".to_owned()),
            ],
            matcher_def(1, junk),
        ),
        0..3,
    )
    .prop_map(|entries| Value::Object(entries.into_iter().collect()));
    let valid = prop_oneof![3 => grouped, 1 => flat].boxed();
    if junk {
        prop_oneof![
            6 => valid,
            1 => prop::collection::btree_map(text(), json_value(), 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
        .boxed()
    } else {
        valid
    }
}

fn generator_def(junk: bool) -> BoxedStrategy<Value> {
    let valid = prop_oneof![
        (-5i64..5, 0i64..10)
            .prop_map(|(min, span)| json!({"type": "RandomInt", "min": min, "max": min + span})),
        (pick(&["RandomDecimal", "RandomHexadecimal"]), 1u64..12)
            .prop_map(|(t, d)| json!({"type": t, "digits": d})),
        (0u64..12).prop_map(|n| json!({"type": "RandomString", "size": n})),
        Just(json!({"type": "RandomBoolean"})),
        regex_source(false).prop_map(|r| json!({"type": "Regex", "regex": r})),
        pick(&[
            "simple",
            "lower-case-hyphenated",
            "upper-case-hyphenated",
            "URN"
        ])
        .prop_map(|f| json!({"type": "Uuid", "format": f})),
        (
            pick(&["Date", "Time", "DateTime"]),
            prop::option::of(date_format(false)),
            prop::option::of(pick(&["+ 1 day", "today", "now - 2 hours"])),
        )
            .prop_map(|(t, format, expression)| {
                let mut g = json!({ "type": t });
                if let Some(f) = format {
                    g["format"] = f;
                }
                if let Some(e) = expression {
                    g["expression"] = e;
                }
                g
            }),
        pick(&["${id}", "/users/${id}"])
            .prop_map(|e| json!({"type": "ProviderState", "expression": e})),
        Just(json!({
            "type": "MockServerURL",
            "example": "http://localhost:8080/a",
            "regex": ".*(/a)$"
        })),
    ]
    .boxed();
    if junk {
        prop_oneof![
            6 => valid,
            1 => (prop_oneof![pick(GENERATOR_NAMES), text().prop_map(Value::from)], json_object())
                .prop_map(|(name, mut fields)| {
                    fields["type"] = name;
                    fields
                }),
            1 => json_value(),
        ]
        .boxed()
    } else {
        valid
    }
}

fn generators(junk: bool) -> BoxedStrategy<Value> {
    let keyed = |paths: BoxedStrategy<Value>| {
        prop::collection::vec((paths, generator_def(junk)), 0..3)
            .prop_map(|entries| {
                Value::Object(
                    entries
                        .into_iter()
                        .map(|(k, v)| (k.as_str().unwrap_or("$").to_owned(), v))
                        .collect(),
                )
            })
            .boxed()
    };
    let valid = object_of(vec![
        ("body", keyed(body_path(junk))),
        ("header", keyed(key().prop_map(Value::from).boxed())),
        ("query", keyed(key().prop_map(Value::from).boxed())),
        ("path", generator_def(junk)),
        ("status", generator_def(junk)),
    ]);
    or_junk(valid, junk)
}

fn header_map(junk: bool) -> BoxedStrategy<Value> {
    let value = prop_oneof![
        text().prop_map(Value::from),
        prop::collection::vec(text().prop_map(Value::from), 0..3).prop_map(Value::Array),
    ];
    let valid = prop::collection::btree_map(key(), or_junk(value.boxed(), junk), 0..3)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
        .boxed();
    or_junk(valid, junk)
}

fn query_value(junk: bool) -> BoxedStrategy<Value> {
    let valid = prop_oneof![
        text().prop_map(Value::from),
        header_map(false),
        Just(Value::Null),
    ]
    .boxed();
    or_junk(valid, junk)
}

fn body_value(junk: bool) -> BoxedStrategy<Value> {
    let valid = prop_oneof![
        3 => json_value(),
        1 => (
            json_value(),
            prop::option::of(pick(&[
                "application/json",
                "text/plain",
                "application/xml",
                "application/octet-stream",
                "application/x-www-form-urlencoded",
            ])),
            prop::option::of(prop_oneof![
                Just(json!(false)),
                Just(json!("json")),
                Just(json!("base64")),
            ]),
        )
            .prop_map(|(content, content_type, encoded)| {
                let mut wrapper = json!({ "content": content });
                if let Some(ct) = content_type {
                    wrapper["contentType"] = ct;
                }
                if let Some(e) = encoded {
                    wrapper["encoded"] = e;
                }
                wrapper
            }),
        1 => pick(&["", "aGVsbG8=", "<a x='1'>t</a>", "a=1&b=2", "{\"a\": 1}"]),
    ]
    .boxed();
    or_junk(valid, junk)
}

fn request(junk: bool) -> BoxedStrategy<Value> {
    or_junk(
        object_of(vec![
            ("method", or_junk(pick(&["GET", "post", "PUT"]), junk)),
            ("path", or_junk(text().prop_map(Value::from).boxed(), junk)),
            ("query", query_value(junk)),
            ("headers", header_map(junk)),
            ("body", body_value(junk)),
            ("matchingRules", matching_rules(junk)),
            ("generators", generators(junk)),
        ]),
        junk,
    )
}

fn response(junk: bool) -> BoxedStrategy<Value> {
    let status = prop_oneof![(100u64..600).prop_map(Value::from), Just(json!(200))];
    or_junk(
        object_of(vec![
            ("status", or_junk(status.boxed(), junk)),
            ("headers", header_map(junk)),
            ("body", body_value(junk)),
            ("matchingRules", matching_rules(junk)),
            ("generators", generators(junk)),
        ]),
        junk,
    )
}

fn metadata_map(junk: bool) -> BoxedStrategy<Value> {
    let valid = prop_oneof![
        json_object(),
        pick(&["application/json", "text/plain"]).prop_map(|ct| json!({ "contentType": ct })),
    ]
    .boxed();
    or_junk(valid, junk)
}

fn message(junk: bool) -> BoxedStrategy<Value> {
    object_of(vec![
        ("contents", body_value(junk)),
        ("metadata", metadata_map(junk)),
        ("matchingRules", matching_rules(junk)),
        ("generators", generators(junk)),
    ])
}

fn provider_states(junk: bool) -> BoxedStrategy<Value> {
    let state = prop_oneof![
        text().prop_map(|name| json!({ "name": name })),
        (text(), json_object()).prop_map(|(name, params)| json!({"name": name, "params": params})),
    ];
    or_junk(
        prop::collection::vec(or_junk(state.boxed(), junk), 0..3)
            .prop_map(Value::Array)
            .boxed(),
        junk,
    )
}

fn interaction(junk: bool) -> BoxedStrategy<Value> {
    let description = or_junk(text().prop_map(Value::from).boxed(), junk);
    let common = move || {
        object_of(vec![
            ("providerStates", provider_states(junk)),
            ("key", text().prop_map(Value::from).boxed()),
            (
                "pending",
                or_junk(any::<bool>().prop_map(Value::from).boxed(), junk),
            ),
            ("comments", json_object()),
            ("_id", text().prop_map(Value::from).boxed()),
        ])
    };
    let http = (
        description.clone(),
        prop::option::of(Just(json!("Synchronous/HTTP"))),
        request(junk),
        response(junk),
        common(),
    )
        .prop_map(|(description, kind, request, response, mut out)| {
            out["description"] = description;
            if let Some(kind) = kind {
                out["type"] = kind;
            }
            out["request"] = request;
            out["response"] = response;
            out
        });
    let async_message = (
        description.clone(),
        prop::option::of(Just(json!("Asynchronous/Messages"))),
        message(junk),
        common(),
    )
        .prop_map(|(description, kind, message, mut out)| {
            if let (Value::Object(out), Value::Object(message)) = (&mut out, message) {
                out.extend(message);
            }
            out["description"] = description;
            if let Some(kind) = kind {
                out["type"] = kind;
            }
            out
        });
    let sync_message = (
        description,
        message(junk),
        prop::collection::vec(message(junk), 0..3),
        common(),
    )
        .prop_map(|(description, request, responses, mut out)| {
            out["description"] = description;
            out["type"] = json!("Synchronous/Messages");
            out["request"] = request;
            out["response"] = Value::Array(responses);
            out
        });
    let valid = prop_oneof![3 => http, 1 => async_message, 1 => sync_message].boxed();
    if junk {
        prop_oneof![
            8 => valid,
            1 => json_object().prop_map(|mut o| {
                o["type"] = json!("Synchronous/Unknown");
                o
            }),
            1 => json_value(),
        ]
        .boxed()
    } else {
        valid
    }
}

/// A contract document: valid throughout, or with junk here and there.
fn pact(junk: bool) -> BoxedStrategy<Value> {
    let pacticipant = prop_oneof![
        text().prop_map(|name| json!({ "name": name })),
        (text(), text()).prop_map(|(name, extra)| json!({"name": name, "extra": extra})),
    ];
    let version = prop_oneof![
        pick(&["1.0.0", "1.1.0", "2.0.0", "3.0.0", "4.0"])
            .prop_map(|v| json!({"pactSpecification": {"version": v}})),
        Just(json!({})),
    ];
    (
        or_junk(pacticipant.clone().boxed(), junk),
        or_junk(pacticipant.boxed(), junk),
        prop::option::of(prop::collection::vec(interaction(junk), 0..3)),
        or_junk(version.boxed(), junk),
        prop::option::of(json_value()),
    )
        .prop_map(|(consumer, provider, interactions, metadata, extra)| {
            let mut out = json!({"consumer": consumer, "provider": provider, "metadata": metadata});
            if let Some(interactions) = interactions {
                out["interactions"] = Value::Array(interactions);
            }
            if let Some(extra) = extra {
                out["x-extra"] = extra;
            }
            out
        })
        .boxed()
}

// ---------------------------------------------------------------------------
// The reader.
// ---------------------------------------------------------------------------

/// A problem's pointer names a value of the input, or a missing member of
/// one (`/consumer` when there is no consumer).
fn assert_located(input: &Value, problems: &[treaty_core::read::Problem]) {
    for problem in problems {
        let pointer = problem.pointer.as_str();
        let parent = pointer.rfind('/').map(|i| &pointer[..i]);
        let found = input.pointer(pointer).is_some()
            || parent.is_some_and(|p| input.pointer(p).is_some_and(Value::is_object));
        assert!(
            found,
            "problem `{problem}` points outside the input {input}"
        );
    }
}

fn versions() -> impl Strategy<Value = SpecVersion> {
    prop::sample::select(vec![
        SpecVersion::V1,
        SpecVersion::V1_1,
        SpecVersion::V2,
        SpecVersion::V3,
        SpecVersion::V4,
    ])
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn reader_never_panics_on_any_json(doc in json_value(), version in versions()) {
        if let Err(e) = read_contract(&doc) {
            assert_located(&doc, &e.problems);
        }
        for result in [
            read_request(&doc, version).map(drop),
            read_response(&doc, version).map(drop),
            read_message(&doc, version).map(drop),
        ] {
            if let Err(e) = result {
                assert_located(&doc, &e.problems);
            }
        }
    }

    #[test]
    fn reader_never_panics_on_pact_shaped_junk(doc in pact(true)) {
        if let Err(e) = read_contract(&doc) {
            prop_assert!(!e.problems.is_empty());
            assert_located(&doc, &e.problems);
        }
    }

    #[test]
    fn reader_never_panics_on_text(text in "\\PC{0,40}") {
        let _ = parse_contract(&text);
    }
}

/// Writing a contract that was read, then reading and writing it again,
/// gives the same text (V4 always, V3 when the contract fits V3).
fn assert_fixed_point(contract: &treaty_core::model::Contract) {
    for version in [SpecVersion::V4, SpecVersion::V3] {
        let Ok(first) = write_contract(contract, version) else {
            assert_eq!(version, SpecVersion::V3, "V4 can write every contract");
            continue;
        };
        let reread = parse_contract(&first)
            .unwrap_or_else(|e| panic!("{version} output does not read back: {e}\n{first}"));
        let second = write_contract(&reread, version).expect("a re-read contract writes");
        assert_eq!(first, second, "{version} write is not a fixed point");
    }
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn write_read_write_is_a_fixed_point(doc in pact(false)) {
        if let Ok(contract) = read_contract(&doc) {
            assert_fixed_point(&contract);
        }
    }

    #[test]
    fn write_read_write_is_a_fixed_point_with_junk(doc in pact(true)) {
        if let Ok(contract) = read_contract(&doc) {
            assert_fixed_point(&contract);
        }
    }
}

/// The valid pact strategy must produce contracts the reader accepts, or
/// the fixed-point property above tests little.
#[test]
fn valid_pacts_are_mostly_accepted() {
    let mut runner = TestRunner::deterministic();
    let strategy = pact(false);
    let (mut accepted, total) = (0, 64);
    let mut rejections = Vec::new();
    for _ in 0..total {
        let doc = strategy.new_tree(&mut runner).unwrap().current();
        match read_contract(&doc) {
            Ok(_) => accepted += 1,
            Err(e) => rejections.push(e.to_string()),
        }
    }
    assert!(
        accepted * 4 >= total * 3,
        "only {accepted} of {total} accepted: {rejections:#?}"
    );
}

// ---------------------------------------------------------------------------
// Paths and queries.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Step {
    Field(String),
    Index(usize),
    Star,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        prop_oneof![
            3 => key().prop_map(Step::Field),
            1 => (0usize..1000).prop_map(Step::Index),
            1 => Just(Step::Star),
        ],
        0..6,
    )
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn path_parse_never_panics(source in prop_oneof![
        "\\PC{0,20}",
        "\\$[.\\[\\]'\"*\\\\0-9a-z ]{0,20}",
    ]) {
        if let Ok(path) = DocPath::parse(&source) {
            prop_assert_eq!(path.tokens().first(), Some(&PathToken::Root));
            prop_assert_eq!(path.as_str(), source.as_str());
        }
    }

    #[test]
    fn joined_paths_reparse_to_the_same_tokens(steps in steps()) {
        let mut path = DocPath::root();
        let mut tokens = vec![PathToken::Root];
        for step in &steps {
            match step {
                Step::Field(name) => {
                    path = path.join(name);
                    tokens.push(PathToken::Field(name.clone()));
                }
                Step::Index(i) => {
                    path = path.join_index(*i);
                    tokens.push(PathToken::Index(*i));
                }
                Step::Star => {
                    path = path.join_star_index();
                    tokens.push(PathToken::StarIndex);
                }
            }
        }
        prop_assert_eq!(path.tokens(), tokens.as_slice());
        let reparsed = DocPath::parse(path.as_str());
        prop_assert!(reparsed.is_ok(), "`{}` does not parse: {:?}", path, reparsed);
        let reparsed = reparsed.unwrap();
        prop_assert_eq!(reparsed.tokens(), tokens.as_slice());
    }

    #[test]
    fn query_parse_never_panics_and_is_stable(raw in prop_oneof![
        "\\PC{0,30}",
        "[a-c=&%+0-9A-Fz ]{0,30}",
    ]) {
        let query = Query::parse(&raw);
        let again = Query::parse(&query.to_query_string());
        prop_assert_eq!(again.params, query.params);
    }

    #[test]
    fn query_params_round_trip(pairs in prop::collection::vec((text(), text()), 0..6)) {
        let mut query = Query::default();
        for (name, value) in &pairs {
            query.append(name.clone(), value.clone());
        }
        let parsed = Query::parse(&query.to_query_string());
        prop_assert_eq!(parsed.params, query.params);
    }
}

// ---------------------------------------------------------------------------
// Matching is reflexive.
// ---------------------------------------------------------------------------

fn xml_text() -> BoxedStrategy<String> {
    // XML 1.0 has no control characters but tab, newline and return.
    let escape = |s: &str| {
        s.replace(
            |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r'),
            "",
        )
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
    };
    prop::collection::vec(("[a-z]{1,4}", text(), text()), 0..4)
        .prop_map(move |children| {
            let mut out = String::from("<root>");
            for (name, attr, content) in children {
                out.push_str(&format!(
                    "<{name} attr=\"{}\">{}</{name}>",
                    escape(&attr),
                    escape(&content)
                ));
            }
            out.push_str("</root>");
            out
        })
        .boxed()
}

/// A body and the `Content-Type` it goes with.
fn body() -> BoxedStrategy<(Body, Option<&'static str>)> {
    prop_oneof![
        Just((Body::Missing, None)),
        Just((Body::Null, None)),
        Just((Body::Empty, None)),
        json_value().prop_map(|v| (Body::json(v), Some("application/json"))),
        text().prop_map(|t| (
            Body::text(t, "text/plain"),
            Some("text/plain; charset=utf-8")
        )),
        xml_text().prop_map(|t| (Body::text(t, "application/xml"), Some("application/xml"))),
        prop::collection::vec((text(), text()), 1..4).prop_map(|pairs| {
            let mut q = Query::default();
            for (k, v) in pairs {
                q.append(k, v);
            }
            let ct = "application/x-www-form-urlencoded";
            (Body::text(q.to_query_string(), ct), Some(ct))
        }),
        prop::collection::vec(any::<u8>(), 1..16).prop_map(|bytes| {
            let ct = "application/octet-stream";
            (Body::from_bytes(bytes, ContentType::parse(ct)), Some(ct))
        }),
    ]
    .boxed()
}

fn header_name() -> BoxedStrategy<String> {
    prop_oneof![
        pick(&[
            "Accept",
            "accept",
            "Cache-Control",
            "Date",
            "Expires",
            "X-Json",
            "Vary",
            "If-Match",
            "Accept-Language",
            "Link",
            "Set-Cookie",
        ])
        .prop_map(|v| v.as_str().unwrap().to_owned()),
        "[A-Za-z][A-Za-z0-9-]{0,10}",
    ]
    .boxed()
}

fn headers_with(content_type: Option<&str>) -> BoxedStrategy<Headers> {
    let content_type = content_type.map(str::to_owned);
    prop::collection::vec((header_name(), text()), 0..5)
        .prop_map(move |pairs| {
            let mut headers: Headers = pairs
                .into_iter()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("content-type"))
                .collect();
            if let Some(ct) = &content_type {
                headers.insert("Content-Type", vec![ct.clone()]);
            }
            headers
        })
        .boxed()
}

fn query() -> BoxedStrategy<Query> {
    (prop::collection::vec((text(), text()), 0..5), any::<bool>())
        .prop_map(|(pairs, raw)| {
            let mut query = Query::default();
            for (k, v) in pairs {
                query.append(k, v);
            }
            if raw {
                query.raw = Some(query.to_query_string());
            }
            query
        })
        .boxed()
}

fn http_request() -> BoxedStrategy<HttpRequest> {
    (
        pick(&["GET", "POST", "delete"]),
        text(),
        query(),
        body().prop_flat_map(|(body, ct)| (Just(body), headers_with(ct))),
    )
        .prop_map(|(method, path, query, (body, headers))| HttpRequest {
            method: method.as_str().unwrap().to_owned(),
            path: format!("/{path}"),
            query,
            headers,
            body,
            ..HttpRequest::default()
        })
        .boxed()
}

fn http_response() -> BoxedStrategy<HttpResponse> {
    (
        100u16..600,
        body().prop_flat_map(|(body, ct)| (Just(body), headers_with(ct))),
    )
        .prop_map(|(status, (body, headers))| HttpResponse {
            status,
            headers,
            body,
            ..HttpResponse::default()
        })
        .boxed()
}

fn message_strategy() -> BoxedStrategy<Message> {
    (body(), json_object())
        .prop_map(|((contents, ct), metadata)| {
            let mut metadata = match metadata {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            metadata.retain(|k, _| {
                !k.eq_ignore_ascii_case("contentType") && !k.eq_ignore_ascii_case("content-type")
            });
            if let Some(ct) = ct {
                metadata.insert("contentType".into(), json!(ct));
            }
            Message {
                contents,
                metadata,
                ..Message::default()
            }
        })
        .boxed()
}

/// The request as a server would receive it: the query parsed from the
/// URL, the body read from its bytes under its header.
fn off_the_wire(request: &HttpRequest) -> HttpRequest {
    let mut actual = request.clone();
    actual.query = Query::parse(&request.query.to_query_string());
    if request.query.raw.is_none() {
        actual.query.raw = None;
    }
    if request.body.is_present() {
        let content_type = request
            .headers
            .first("Content-Type")
            .and_then(ContentType::parse);
        actual.body = Body::from_bytes(request.body.to_bytes().into_owned(), content_type);
    }
    actual
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn requests_match_themselves(request in http_request()) {
        let result = match_request(&request, &request);
        prop_assert!(result.is_match(), "{:?}", result.mismatches);
        let received = off_the_wire(&request);
        let result = match_request(&request, &received);
        prop_assert!(result.is_match(), "{:?} vs {:?}", result.mismatches, received);
    }

    #[test]
    fn responses_match_themselves(response in http_response()) {
        let result = match_response(&response, &response);
        prop_assert!(result.is_match(), "{:?}", result.mismatches);
    }

    #[test]
    fn messages_match_themselves(message in message_strategy()) {
        let result = match_message(&message, &message);
        prop_assert!(result.is_match(), "{:?}", result.mismatches);
    }
}

// ---------------------------------------------------------------------------
// Type rules and unexpected keys.
// ---------------------------------------------------------------------------

/// A tiny deterministic generator for choices made inside a property.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The same document with every scalar replaced by another of its type.
fn same_shape(value: &Value, rng: &mut Rng) -> Value {
    match value {
        Value::Null => Value::Null,
        Value::Bool(_) => Value::Bool(rng.next() % 2 == 0),
        Value::Number(_) if rng.next() % 2 == 0 => json!(rng.next() as i64),
        Value::Number(_) => json!((rng.next() % 1000) as f64 / 8.0),
        Value::String(_) => Value::String(format!("s{}", rng.next() % 97)),
        Value::Array(items) => Value::Array(items.iter().map(|v| same_shape(v, rng)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), same_shape(v, rng)))
                .collect(),
        ),
    }
}

/// The places of a document's scalars (or of its objects), as tokens.
fn places(value: &Value, objects: bool, at: &mut Vec<PathToken>, out: &mut Vec<Vec<PathToken>>) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(PathToken::Index(i));
                places(item, objects, at, out);
                at.pop();
            }
        }
        Value::Object(map) => {
            if objects {
                out.push(at.clone());
            }
            for (k, item) in map {
                at.push(PathToken::Field(k.clone()));
                places(item, objects, at, out);
                at.pop();
            }
        }
        _ if !objects => out.push(at.clone()),
        _ => {}
    }
}

fn at_place<'v>(value: &'v mut Value, place: &[PathToken]) -> &'v mut Value {
    place.iter().fold(value, |v, token| match token {
        PathToken::Field(k) => &mut v[k.as_str()],
        PathToken::Index(i) => &mut v[*i],
        _ => unreachable!("places hold fields and indices"),
    })
}

/// A scalar of another JSON type than `value`.
fn other_type(value: &Value, rng: &mut Rng) -> Value {
    let candidates = [
        json!(null),
        json!(true),
        json!(7),
        json!("text"),
        json!([]),
        json!({}),
    ];
    loop {
        let candidate = &candidates[rng.below(candidates.len())];
        let same = std::mem::discriminant(candidate) == std::mem::discriminant(value);
        if !same {
            return candidate.clone();
        }
    }
}

fn request_with_rule(body: Value, rule: Option<Matcher>) -> HttpRequest {
    let mut request = HttpRequest {
        method: "POST".into(),
        body: Body::json(body),
        ..HttpRequest::default()
    };
    request
        .headers
        .insert("Content-Type", vec!["application/json".into()]);
    if let Some(rule) = rule {
        request
            .matching_rules
            .add(Category::Body, DocPath::root(), rule);
    }
    request
}

fn response_like(request: &HttpRequest) -> HttpResponse {
    HttpResponse {
        headers: request.headers.clone(),
        body: request.body.clone(),
        matching_rules: request.matching_rules.clone(),
        ..HttpResponse::default()
    }
}

/// The tokens a rendered mismatch path stands for.
fn tokens_of(rendered: &str) -> Vec<PathToken> {
    DocPath::parse(rendered)
        .unwrap_or_else(|e| panic!("mismatch path `{rendered}` does not parse: {e}"))
        .tokens()
        .to_vec()
}

fn with_root(place: &[PathToken]) -> Vec<PathToken> {
    std::iter::once(PathToken::Root)
        .chain(place.iter().cloned())
        .collect()
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn type_rule_accepts_same_shaped_documents(doc in json_value(), seed in 1u64..) {
        let actual = same_shape(&doc, &mut Rng(seed));
        let expected = request_with_rule(doc, Some(Matcher::Type));
        let mut received = expected.clone();
        received.body = Body::json(actual);
        let result = match_request(&expected, &received);
        prop_assert!(result.is_match(), "{:?}", result.mismatches);
        let result = match_response(&response_like(&expected), &response_like(&received));
        prop_assert!(result.is_match(), "{:?}", result.mismatches);
    }

    #[test]
    fn type_rule_pinpoints_one_changed_type(doc in json_value(), seed in 1u64..) {
        let mut rng = Rng(seed);
        let mut scalars = Vec::new();
        places(&doc, false, &mut Vec::new(), &mut scalars);
        prop_assume!(!scalars.is_empty());
        let place = &scalars[rng.below(scalars.len())];
        let mut actual = same_shape(&doc, &mut rng);
        let target = at_place(&mut actual, place);
        *target = other_type(target, &mut rng);
        let expected = request_with_rule(doc, Some(Matcher::Type));
        let mut received = expected.clone();
        received.body = Body::json(actual);
        for mismatches in [
            match_request(&expected, &received).mismatches,
            match_response(&response_like(&expected), &response_like(&received)).mismatches,
        ] {
            prop_assert_eq!(mismatches.len(), 1, "{:?}", mismatches);
            prop_assert_eq!(mismatches[0].part, Part::Body);
            prop_assert_eq!(tokens_of(&mismatches[0].path), with_root(place));
        }
    }

    #[test]
    fn unexpected_keys_fail_requests_only(
        doc in json_object(),
        seed in 1u64..,
        typed in any::<bool>(),
    ) {
        let mut rng = Rng(seed);
        let mut objects = Vec::new();
        places(&doc, true, &mut Vec::new(), &mut objects);
        let place = &objects[rng.below(objects.len())];
        let mut actual = doc.clone();
        let target = at_place(&mut actual, place);
        let extra = (0..)
            .map(|n| format!("extra{n}"))
            .find(|k| target.get(k).is_none())
            .unwrap();
        target[extra.as_str()] = json!("surprise");
        let rule = typed.then_some(Matcher::Type);
        let expected = request_with_rule(doc.clone(), rule);
        let mut received = expected.clone();
        received.body = Body::json(actual.clone());
        let mismatches = match_request(&expected, &received).mismatches;
        prop_assert_eq!(mismatches.len(), 1, "{:?}", mismatches);
        prop_assert!(mismatches[0].message.contains("Unexpected key"), "{}", mismatches[0]);
        let mut path = place.clone();
        path.push(PathToken::Field(extra));
        prop_assert_eq!(tokens_of(&mismatches[0].path), with_root(&path));
        let result = match_response(&response_like(&expected), &response_like(&received));
        prop_assert!(result.is_match(), "{:?}", result.mismatches);
        let message = Message {
            contents: Body::json(doc),
            ..Message::default()
        };
        let actual_message = Message {
            contents: Body::json(actual),
            ..Message::default()
        };
        let result = match_message(&message, &actual_message);
        prop_assert!(result.is_match(), "{:?}", result.mismatches);
    }
}
