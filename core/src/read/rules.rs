//! Matching rules and generators: V2's flat form keyed by path expression
//! (`$.body.items`, `$.headers.Accept`), and the V3/V4 form grouped by
//! category with `combine` and lists of matchers.

use serde_json::{Map, Value};

use super::problem::Reader;
use crate::model::{
    ArrayVariant, Category, Combine, DocPath, Generator, Generators, Matcher, MatcherError,
    MatchingRules, RuleCategory, RuleList,
};

pub(crate) fn matching_rules(reader: &mut Reader, value: Option<&Value>) -> MatchingRules {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return MatchingRules::default();
    };
    reader.at("matchingRules", |r| {
        let Some(obj) = value.as_object() else {
            r.problem(
                "matchingRules must be an object",
                "write \"matchingRules\": {\"body\": {...}}",
            );
            return MatchingRules::default();
        };
        if obj.keys().any(|k| k.starts_with('$')) {
            flat_rules(r, obj)
        } else {
            grouped_rules(r, obj)
        }
    })
}

/// V2: `{"$.body.a": {"match": "type"}, "$.headers.X": {...}}`.
fn flat_rules(reader: &mut Reader, obj: &Map<String, Value>) -> MatchingRules {
    let mut rules = MatchingRules::default();
    for (key, def) in obj {
        reader.at(key, |r| {
            let Some((category, path)) = split_flat_key(r, key) else {
                return;
            };
            if let Some(list) = rule_list(r, def) {
                rules
                    .category_mut(category)
                    .rules
                    .entry(path)
                    .or_default()
                    .matchers
                    .extend(list.matchers);
            }
        });
    }
    rules
}

/// Splits `$.body.a.b` into (body, `$.a.b`), `$.headers.X` into (header, X).
fn split_flat_key(reader: &mut Reader, key: &str) -> Option<(Category, DocPath)> {
    let parsed = match DocPath::parse(key) {
        Ok(p) => p,
        Err(e) => {
            reader.problem(
                e.to_string(),
                "write paths like $.body.items[*].id or $.headers.Accept",
            );
            return None;
        }
    };
    let tokens = parsed.tokens();
    let Some(crate::model::PathToken::Field(first)) = tokens.get(1) else {
        reader.problem(
            format!("`{key}` names no part of the request or response"),
            "start with $.body, $.headers, $.query or $.path",
        );
        return None;
    };
    let Some(category) = Category::parse(first) else {
        reader.problem(
            format!("unknown part `{first}` in `{key}`"),
            "start with $.body, $.headers, $.query, $.path or $.status",
        );
        return None;
    };
    if category == Category::Body {
        let prefix = format!("$.{first}");
        let rest = key.strip_prefix(&prefix).unwrap_or("");
        return match DocPath::parse(&format!("${rest}")) {
            Ok(path) => Some((category, path)),
            Err(e) => {
                reader.problem(e.to_string(), "write paths like $.body.items[*].id");
                None
            }
        };
    }
    if category.is_unkeyed() {
        return Some((category, DocPath::whole()));
    }
    match tokens.get(2) {
        Some(crate::model::PathToken::Field(name)) => Some((category, DocPath::name(name))),
        _ => {
            reader.problem(
                format!("`{key}` needs a name after `{first}`"),
                format!("write $.{first}.NAME"),
            );
            None
        }
    }
}

/// V3/V4: `{"body": {"$.a": {"combine": "AND", "matchers": [...]}}, "path": {...}}`.
fn grouped_rules(reader: &mut Reader, obj: &Map<String, Value>) -> MatchingRules {
    let mut rules = MatchingRules::default();
    for (name, value) in obj {
        reader.at(name, |r| {
            let Some(category) = Category::parse(name) else {
                r.problem(
                    format!("unknown matching rule category `{name}`"),
                    "use body, header, query, path, status or metadata",
                );
                return;
            };
            let read = category_rules(r, category, value);
            let target = rules.category_mut(category);
            for (key, list) in read.rules {
                target.rules.insert(key, list);
            }
        });
    }
    rules
}

fn category_rules(reader: &mut Reader, category: Category, value: &Value) -> RuleCategory {
    let mut out = RuleCategory::default();
    let Some(obj) = value.as_object() else {
        reader.problem(
            "a rule category must be an object",
            "write {\"KEY\": {\"matchers\": [...]}}",
        );
        return out;
    };
    if category.is_unkeyed() && (obj.contains_key("matchers") || obj.contains_key("match")) {
        if let Some(list) = rule_list(reader, value) {
            out.rules.insert(DocPath::whole(), list);
        }
        return out;
    }
    for (key, def) in obj {
        reader.at(key, |r| {
            let Some(path) = rule_key(r, category, key) else {
                return;
            };
            if let Some(list) = rule_list(r, def) {
                out.rules.insert(path, list);
            }
        });
    }
    out
}

fn rule_key(reader: &mut Reader, category: Category, key: &str) -> Option<DocPath> {
    match category {
        Category::Body => match DocPath::parse(key) {
            Ok(path) => Some(path),
            Err(e) => {
                reader.problem(e.to_string(), "write body paths like $.items[*].id");
                None
            }
        },
        c if c.is_unkeyed() => Some(DocPath::whole()),
        _ => Some(DocPath::name(key)),
    }
}

/// `{"combine": "OR", "matchers": [...]}` or a lone matcher object.
pub(crate) fn rule_list(reader: &mut Reader, def: &Value) -> Option<RuleList> {
    let Some(obj) = def.as_object() else {
        reader.problem(
            "a rule must be an object",
            "write {\"matchers\": [{\"match\": \"type\"}]}",
        );
        return None;
    };
    let Some(matchers) = obj.get("matchers") else {
        return matcher(reader, obj).map(RuleList::single);
    };
    let combine = match obj.get("combine").and_then(Value::as_str) {
        None => Combine::And,
        Some(c) if c.eq_ignore_ascii_case("and") => Combine::And,
        Some(c) if c.eq_ignore_ascii_case("or") => Combine::Or,
        Some(other) => {
            reader.at("combine", |r| {
                r.problem(
                    format!("unknown combine `{other}`"),
                    "use \"AND\" or \"OR\"",
                )
            });
            Combine::And
        }
    };
    let Some(items) = matchers.as_array() else {
        reader.at("matchers", |r| {
            r.problem(
                "matchers must be an array",
                "write \"matchers\": [{\"match\": \"type\"}]",
            )
        });
        return None;
    };
    let matchers = reader.at("matchers", |r| {
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                r.at(i, |r| match item.as_object() {
                    Some(def) => matcher(r, def),
                    None => {
                        r.problem("a matcher must be an object", "write {\"match\": \"type\"}");
                        None
                    }
                })
            })
            .collect()
    });
    Some(RuleList { matchers, combine })
}

fn matcher(reader: &mut Reader, def: &Map<String, Value>) -> Option<Matcher> {
    let mut nested = Vec::new();
    let result = Matcher::from_json(def, &mut |variant| {
        let mut sub = Reader::new(reader.version);
        let v = array_variant(&mut sub, variant);
        nested.extend(sub.finish(()).err().map(|e| e.problems).unwrap_or_default());
        v
    });
    for problem in nested {
        reader.problem(problem.message, problem.hint);
    }
    match result {
        Ok(m) => Some(m),
        Err(MatcherError { message, hint }) => {
            reader.problem(message, hint);
            None
        }
    }
}

fn array_variant(reader: &mut Reader, value: &Value) -> Result<ArrayVariant, MatcherError> {
    let bad = || MatcherError {
        message: "an arrayContains variant needs an `index` and `rules`".into(),
        hint: "write {\"index\": 0, \"rules\": {\"$.id\": {\"matchers\": [...]}}}".into(),
    };
    let obj = value.as_object().ok_or_else(bad)?;
    let index = obj.get("index").and_then(Value::as_u64).ok_or_else(bad)? as usize;
    let rules = match obj.get("rules") {
        Some(rules) => category_rules(reader, Category::Body, rules),
        None => RuleCategory::default(),
    };
    let generators = match obj.get("generators") {
        Some(Value::Object(gens)) => gens
            .iter()
            .filter_map(|(k, g)| Some((DocPath::parse(k).ok()?, generator(reader, g)?)))
            .collect(),
        _ => Vec::new(),
    };
    Ok(ArrayVariant {
        index,
        rules,
        generators,
    })
}

pub(crate) fn generators(reader: &mut Reader, value: Option<&Value>) -> Generators {
    let mut out = Generators::default();
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return out;
    };
    reader.at("generators", |r| {
        let Some(obj) = value.as_object() else {
            r.problem(
                "generators must be an object",
                "write \"generators\": {\"body\": {...}}",
            );
            return;
        };
        for (name, gens) in obj {
            r.at(name, |r| {
                let Some(category) = Category::parse(name) else {
                    r.problem(
                        format!("unknown generator category `{name}`"),
                        "use body, header, query, path, status or metadata",
                    );
                    return;
                };
                let Some(gens) = gens.as_object() else {
                    r.problem("must be an object", "write {\"KEY\": {\"type\": ...}}");
                    return;
                };
                if category.is_unkeyed() {
                    if let Some(g) = generator(r, &Value::Object(gens.clone())) {
                        out.add(category, DocPath::whole(), g);
                    }
                    return;
                }
                for (key, def) in gens {
                    r.at(key, |r| {
                        let Some(path) = rule_key(r, category, key) else {
                            return;
                        };
                        if let Some(g) = generator(r, def) {
                            out.add(category, path, g);
                        }
                    });
                }
            });
        }
    });
    out
}

fn generator(reader: &mut Reader, def: &Value) -> Option<Generator> {
    let Some(obj) = def.as_object() else {
        reader.problem(
            "a generator must be an object",
            "write {\"type\": \"RandomInt\"}",
        );
        return None;
    };
    match Generator::from_json(obj) {
        Ok(g) => Some(g),
        Err(MatcherError { message, hint }) => {
            reader.problem(message, hint);
            None
        }
    }
}
