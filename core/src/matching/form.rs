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
                format!(
                    "Expected form post parameter '{name}' to be {e_values:?} but was {a_values:?}"
                ),
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
