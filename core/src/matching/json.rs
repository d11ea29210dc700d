//! Comparing JSON documents under matching rules.

use serde_json::Value;

use super::memo::{memo_for, Memo};
use super::mismatch::{show, show_typed, type_name, Mismatch, Part};
use super::select::{render, select, Seg, Selected, Walk};
use super::value::{apply, apply_rules, values_equal, Strings};
use super::view::{Json, View};
use crate::model::{ArrayVariant, Matcher, RuleCategory};

/// Documents nested deeper than this are reported, not recursed into (the
/// JSON reader stops at the same depth).
const MAX_DEPTH: usize = 128;

/// Whether an actual object may have keys the expected one lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExtraKeys {
    /// Requests: the provider must not receive fields it does not expect.
    Forbidden,
    /// Responses and messages: consumers ignore fields they do not read.
    Allowed,
}

/// Compares JSON values, collecting mismatches.
pub(crate) struct JsonComparison<'r> {
    rules: Option<&'r RuleCategory>,
    /// The rules for each place compared.
    walk: Walk<'r>,
    /// Made when a template first serves again (`None` until then); holds
    /// `None` when the rules allow no memo.
    memo: Option<Option<Memo<'r>>>,
    /// Above zero while actual elements are compared with a template that
    /// serves again (past the expected examples): the rules of its nodes
    /// are then remembered, not walked to again for every element.
    reusing: usize,
    extra_keys: ExtraKeys,
    part: Part,
    pub(crate) mismatches: Vec<Mismatch>,
}

impl<'r> JsonComparison<'r> {
    pub(crate) fn new(rules: Option<&'r RuleCategory>, extra_keys: ExtraKeys, part: Part) -> Self {
        JsonComparison {
            rules,
            walk: Walk::new(rules),
            memo: None,
            reusing: 0,
            extra_keys,
            part,
            mismatches: Vec::new(),
        }
    }

    /// Compares two whole documents.
    pub(crate) fn run<'v>(
        mut self,
        expected: impl Json<'v>,
        actual: impl Json<'v>,
    ) -> Vec<Mismatch> {
        let mut segs = Vec::new();
        self.compare(&mut segs, expected, actual);
        self.mismatches
    }

    fn mismatch<'e, 'a>(
        &mut self,
        segs: &[Seg<'_>],
        expected: Option<impl Json<'e>>,
        actual: Option<impl Json<'a>>,
        message: String,
    ) {
        self.mismatches.push(Mismatch::new(
            self.part,
            render(segs),
            expected.map(Json::to_value),
            actual.map(Json::to_value),
            message,
        ));
    }

    fn compare<'v, E: Json<'v>, A: Json<'v>>(
        &mut self,
        segs: &mut Vec<Seg<'v>>,
        expected: E,
        actual: A,
    ) {
        if segs.len() > MAX_DEPTH {
            let message =
                format!("document nests deeper than {MAX_DEPTH} levels; not compared further");
            self.mismatch(segs, None::<E>, None::<A>, message);
            return;
        }
        let rules = self.rules;
        let memo = match self.reusing {
            0 => None,
            _ => self.memo.get_or_insert_with(|| memo_for(rules)).as_mut(),
        };
        // The walk is left alone while a template serves again with a
        // memo: it is back at the template's array when the memo is left.
        let selected = match memo {
            Some(memo) => *memo
                .entry(expected.address())
                .or_insert_with(|| select(rules, segs)),
            None => self.walk.select(segs),
        };
        match selected {
            Some(selected) => self.compare_with_rules(segs, expected, actual, selected),
            None => self.compare_plain(segs, expected, actual),
        }
    }

    fn compare_plain<'v, E: Json<'v>, A: Json<'v>>(
        &mut self,
        segs: &mut Vec<Seg<'v>>,
        expected: E,
        actual: A,
    ) {
        match (expected.view(), actual.view()) {
            (View::Object(e), View::Object(a)) => self.compare_keys(segs, e, a),
            (View::Array(e), View::Array(a)) => self.compare_strict_list(segs, e, a),
            _ if values_equal(expected, actual) => {}
            _ if type_name(expected) != type_name(actual)
                && !(expected.is_number() && actual.is_number()) =>
            {
                let message = format!(
                    "Type mismatch: Expected {} to be the same type as {}",
                    show_typed(actual),
                    show_typed(expected)
                );
                self.mismatch(segs, Some(expected), Some(actual), message);
            }
            _ => {
                let message = format!(
                    "Expected {} to be equal to {}",
                    show_typed(actual),
                    show_typed(expected)
                );
                self.mismatch(segs, Some(expected), Some(actual), message);
            }
        }
    }

    fn compare_with_rules<'v, E: Json<'v>, A: Json<'v>>(
        &mut self,
        segs: &mut Vec<Seg<'v>>,
        expected: E,
        actual: A,
        selected: Selected<'r>,
    ) {
        let failures = apply_rules(
            selected.rules,
            expected,
            actual,
            selected.exact,
            Strings::Strict,
        );
        let failed = !failures.is_empty();
        for message in failures {
            self.mismatch(segs, Some(expected), Some(actual), message);
        }
        let matchers = &selected.rules.matchers;
        let equality = matchers.iter().all(|m| *m == Matcher::Equality);
        match (expected.view(), actual.view()) {
            (View::Array(e), View::Array(a))
                if !failed
                    || !matchers
                        .iter()
                        .any(|m| matches!(m, Matcher::ArrayContains(_))) =>
            {
                let contains = matchers.iter().find_map(|m| match m {
                    Matcher::ArrayContains(variants) if selected.exact => Some(variants),
                    _ => None,
                });
                match contains {
                    Some(variants) => self.array_contains(segs, e, a, variants),
                    None if equality => self.compare_strict_list(segs, e, a),
                    None => self.compare_loose_list(segs, e, a),
                }
            }
            (View::Object(e), View::Object(a)) => {
                if selected.exact {
                    self.each_key(segs, matchers, a);
                }
                let by_value = selected.exact
                    && matchers.iter().any(|m| {
                        matches!(
                            m,
                            Matcher::Values | Matcher::EachKey(_) | Matcher::EachValue(_)
                        )
                    });
                if by_value {
                    self.compare_values(segs, e, a);
                } else {
                    self.compare_keys(segs, e, a);
                }
            }
            _ => {}
        }
    }

    fn compare_keys<'v, E: Json<'v>, A: Json<'v>>(
        &mut self,
        segs: &mut Vec<Seg<'v>>,
        expected: E,
        actual: A,
    ) {
        // Both sides list their entries sorted by key: one pass over each
        // finds the actual entry of every expected key.
        let mut rest = actual.entries().peekable();
        for (key, e) in expected.entries() {
            while rest.next_if(|(k, _)| *k < key).is_some() {}
            let found = rest.next_if(|(k, _)| *k == key).map(|(_, a)| a);
            segs.push(Seg::Key(key));
            match found {
                Some(a) => self.compare(segs, e, a),
                None => {
                    let message = format!(
                        "Expected key '{key}' with value {} but it was missing",
                        show(e)
                    );
                    self.mismatch(segs, Some(e), None::<A>, message);
                }
            }
            segs.pop();
        }
        if self.extra_keys == ExtraKeys::Forbidden {
            for (key, a) in actual.entries().filter(|(k, _)| expected.get(k).is_none()) {
                segs.push(Seg::Key(key));
                let message = format!("Unexpected key '{key}' with value {}", show(a));
                self.mismatch(segs, None::<E>, Some(a), message);
                segs.pop();
            }
        }
    }

    /// Values, eachKey, eachValue: every actual entry is compared with the
    /// expected entry of the same key, or the first expected entry.
    fn compare_values<'v, E: Json<'v>, A: Json<'v>>(
        &mut self,
        segs: &mut Vec<Seg<'v>>,
        expected: E,
        actual: A,
    ) {
        let first = expected.entries().next().map(|(_, v)| v);
        for (key, a) in actual.entries() {
            let Some(template) = expected.get(key).or(first) else {
                continue;
            };
            segs.push(Seg::Key(key));
            self.compare(segs, template, a);
            segs.pop();
        }
    }

    fn each_key<'v, A: Json<'v>>(
        &mut self,
        segs: &mut Vec<Seg<'v>>,
        matchers: &[Matcher],
        actual: A,
    ) {
        for matcher in matchers {
            let Matcher::EachKey(each) = matcher else {
                continue;
            };
            for (key, _) in actual.entries() {
                let key_value = Value::String(key.to_owned());
                for m in &each.rules {
                    if let Err(message) = apply(m, &key_value, &key_value, true, Strings::Strict) {
                        segs.push(Seg::Key(key));
                        self.mismatch(segs, None::<A>, Some(&key_value), message);
                        segs.pop();
                    }
                }
            }
        }
    }

    fn compare_strict_list<'v, E: Json<'v>, A: Json<'v>>(
        &mut self,
        segs: &mut Vec<Seg<'v>>,
        expected: E,
        actual: A,
    ) {
        if expected.len() != actual.len() {
            let message = format!(
                "Expected a list of {} element{} but received {} element{}",
                expected.len(),
                plural(expected.len()),
                actual.len(),
                plural(actual.len())
            );
            self.mismatch(segs, Some(expected), Some(actual), message);
        }
        for (i, (e, a)) in expected.elements().zip(actual.elements()).enumerate() {
            segs.push(Seg::Index(i));
            self.compare(segs, e, a);
            segs.pop();
        }
    }

    /// Under a type-like rule: each actual element against the expected
    /// element at its index, or the first one (the template).
    fn compare_loose_list<'v, E: Json<'v>, A: Json<'v>>(
        &mut self,
        segs: &mut Vec<Seg<'v>>,
        expected: E,
        actual: A,
    ) {
        let Some(first) = expected.element(0) else {
            return;
        };
        for (i, a) in actual.elements().enumerate() {
            segs.push(Seg::Index(i));
            match expected.element(i) {
                Some(e) => self.compare(segs, e, a),
                None => {
                    self.reusing += 1;
                    self.compare(segs, first, a);
                    self.reusing -= 1;
                }
            }
            segs.pop();
        }
    }

    fn array_contains<'v, E: Json<'v>, A: Json<'v>>(
        &mut self,
        segs: &mut Vec<Seg<'v>>,
        expected: E,
        actual: A,
        variants: &[ArrayVariant],
    ) {
        for variant in variants {
            let Some(template) = expected.element(variant.index) else {
                let message = format!(
                    "arrayContains variant {} has no example element",
                    variant.index
                );
                self.mismatch(segs, None::<E>, None::<A>, message);
                continue;
            };
            let found = actual.elements().any(|a| {
                JsonComparison::new(Some(&variant.rules), self.extra_keys, self.part)
                    .run(template, a)
                    .is_empty()
            });
            if !found {
                let message = format!(
                    "Variant at index {} ({}) was not found in the actual list",
                    variant.index,
                    template.to_value()
                );
                self.mismatch(segs, Some(template), None::<A>, message);
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocPath, Pattern};
    use serde_json::json;

    fn rules(list: &[(&str, Matcher)]) -> RuleCategory {
        let mut c = RuleCategory::default();
        for (p, m) in list {
            c.add(DocPath::parse(p).unwrap(), m.clone());
        }
        c
    }

    fn run(rules: &RuleCategory, extra: ExtraKeys, e: Value, a: Value) -> Vec<String> {
        JsonComparison::new(Some(rules), extra, Part::Body)
            .run(&e, &a)
            .into_iter()
            .map(|m| format!("{} {}", m.path, m.message))
            .collect()
    }

    /// Rule selection remembered per template node (see `memo`) must give
    /// what selecting afresh gives: with index-specific rules and by-value
    /// rules (memo off) and without (memo on).
    #[test]
    fn remembered_rule_choices_agree_with_fresh_ones() {
        let element = |i: usize| json!({"sku": format!("SKU-{i}"), "qty": i});
        let actual: Vec<Value> = (0..50).map(element).collect();
        let mut broken = actual.clone();
        broken[37]["sku"] = json!("sku-37");
        broken[2]["qty"] = json!("2");
        let e = json!({"lines": [element(1)]});
        let each_like = [
            ("$.lines", Matcher::MinType(1)),
            (
                "$.lines[*].sku",
                Matcher::Regex(Pattern::new("SKU-\\d+").unwrap()),
            ),
        ];
        let r = rules(&each_like);
        assert!(memo_for(Some(&r)).is_some());
        assert_eq!(
            run(&r, ExtraKeys::Allowed, e.clone(), json!({"lines": broken})),
            [
                "$.lines[2].qty Type mismatch: Expected '2' (String) to be the same type as 1 (Integer)",
                "$.lines[37].sku Expected 'sku-37' to match 'SKU-\\d+'"
            ]
        );
        // A rule for one index: element 2 must be a string there, the
        // others keep the template's integer type.
        let mut by_index = each_like.to_vec();
        by_index.push((
            "$.lines[2].qty",
            Matcher::Regex(Pattern::new("\\d+").unwrap()),
        ));
        let r = rules(&by_index);
        assert!(memo_for(Some(&r)).is_none());
        let mut fixed = actual.clone();
        fixed[2]["qty"] = json!("2");
        assert!(run(&r, ExtraKeys::Allowed, e.clone(), json!({"lines": fixed})).is_empty());
        // By-value rules compare actual keys with one template.
        let r = rules(&[
            ("$", Matcher::Values),
            ("$.special", Matcher::Regex(Pattern::new("x+").unwrap())),
        ]);
        assert!(memo_for(Some(&r)).is_none());
        let found = run(
            &r,
            ExtraKeys::Allowed,
            json!({"a": "b"}),
            json!({"a": "q", "special": "y"}),
        );
        assert_eq!(found, ["$.special Expected 'y' to match 'x+'"]);
    }

    #[test]
    fn extra_keys_depend_on_direction() {
        let none = RuleCategory::default();
        assert!(run(
            &none,
            ExtraKeys::Allowed,
            json!({"a": 1}),
            json!({"a": 1, "b": 2})
        )
        .is_empty());
        assert_eq!(
            run(
                &none,
                ExtraKeys::Forbidden,
                json!({"a": 1}),
                json!({"a": 1, "b": 2})
            ),
            ["$.b Unexpected key 'b' with value 2"]
        );
    }

    #[test]
    fn type_rules_cascade_and_loosen_lists() {
        let r = rules(&[("$.items", Matcher::MinType(1))]);
        let e = json!({"items": [{"id": 1, "name": "a"}]});
        assert!(run(
            &r,
            ExtraKeys::Allowed,
            e.clone(),
            json!({"items": [{"id": 2, "name": "b"}, {"id": 3, "name": "c"}]})
        )
        .is_empty());
        assert_eq!(
            run(
                &r,
                ExtraKeys::Allowed,
                e.clone(),
                json!({"items": [{"id": "x", "name": "b"}]})
            ),
            ["$.items[0].id Type mismatch: Expected 'x' (String) to be the same type as 1 (Integer)"]
        );
        assert_eq!(
            run(&r, ExtraKeys::Allowed, e, json!({"items": []})),
            ["$.items Expected [] (size 0) to have minimum size of 1"]
        );
    }

    #[test]
    fn deep_nesting_is_reported_not_overflowed() {
        let mut deep = json!(1);
        for _ in 0..300 {
            deep = json!([deep]);
        }
        let mismatches =
            JsonComparison::new(None, ExtraKeys::Allowed, Part::Body).run(&deep, &deep);
        assert!(mismatches[0].message.contains("nests deeper"));
    }
}
