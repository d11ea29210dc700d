//! Comparing `application/x-www-form-urlencoded` bodies as parameters.
//! Rules are keyed like body paths: `$.name` applies to parameter `name`.

use serde_json::Value;

use super::json::ExtraKeys;
use super::mismatch::{Mismatch, Part};
use super::select::{render, select, Seg};
use super::value::{apply_rules, Strings};
use crate::model::{BodyContent, Query, RuleCategory};

pub(crate) fn compare(
    expected: &BodyContent,
    actual: &BodyContent,
    rules: Option<&RuleCategory>,
    extra_keys: ExtraKeys,
) -> Vec<Mismatch> {
    let expected = Query::parse(&expected.as_text().unwrap_or_default());
    let actual = Query::parse(&actual.as_text().unwrap_or_default());
    let mut out = Vec::new();
    for (name, e_values) in &expected.params {
        let segs = [Seg::Key(name)];
        let path = render(&segs);
        let Some(a_values) = actual.get(name) else {
            out.push(Mismatch::new(
                Part::Body,
                path,
                None,
                None,
                format!("Expected form post parameter '{name}' but was missing"),
            ));
            continue;
        };
        let template = Value::String(e_values.first().cloned().unwrap_or_default());
        if let Some(selected) = select(rules, &segs) {
            for a in a_values {
                let a = Value::String(a.clone());
                for message in apply_rules(
                    selected.rules,
                    &template,
                    &a,
                    selected.exact,
                    Strings::Coerce,
                ) {
                    out.push(Mismatch::new(
                        Part::Body,
                        path.clone(),
                        Some(template.clone()),
                        Some(a.clone()),
                        message,
                    ));
                }
            }
        } else if e_values.as_slice() != a_values {
            out.push(Mismatch::new(
                Part::Body,
                path,
                Some(Value::from(e_values.clone())),
                Some(Value::from(a_values.to_vec())),
                differing_values(name, e_values, a_values),
            ));
        }
    }
    if extra_keys == ExtraKeys::Forbidden {
        for (name, values) in actual
            .params
            .iter()
            .filter(|(n, _)| expected.get(n).is_none())
        {
            out.push(Mismatch::new(
                Part::Body,
                render(&[Seg::Key(name)]),
                None,
                Some(Value::from(values.clone())),
                format!("Unexpected form post parameter '{name}' received"),
            ));
        }
    }
    out
}

fn differing_values(name: &str, expected: &[String], actual: &[String]) -> String {
    match expected.iter().zip(actual).find(|(e, a)| e != a) {
        Some((e, a)) if expected.len() == actual.len() => {
            format!("Expected form post parameter '{name}' with value '{e}' but was '{a}'")
        }
        _ => format!(
            "Expected form post parameter '{name}' with values {expected:?} but was {actual:?}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(expected: &str, actual: &str, extra: ExtraKeys) -> Vec<String> {
        let (e, a) = (
            BodyContent::Text(expected.into()),
            BodyContent::Text(actual.into()),
        );
        compare(&e, &a, None, extra)
            .into_iter()
            .map(|m| format!("{} {}", m.path, m.message))
            .collect()
    }

    #[test]
    fn compares_parameters_in_any_order() {
        assert!(run("a=1&b=2", "b=2&a=1", ExtraKeys::Forbidden).is_empty());
        assert_eq!(
            run("a=1&c=3", "a=1&c=33", ExtraKeys::Forbidden),
            ["$.c Expected form post parameter 'c' with value '3' but was '33'"]
        );
        assert_eq!(
            run("a=1", "a=1&d=4", ExtraKeys::Forbidden),
            ["$.d Unexpected form post parameter 'd' received"]
        );
        assert!(run("a=1", "a=1&d=4", ExtraKeys::Allowed).is_empty());
    }
}
