//! A compact line diff of expected vs actual bodies for reports.

use similar::{ChangeTag, TextDiff};

use crate::model::BodyContent;

/// Lines of context kept around each change.
const CONTEXT: usize = 2;

/// A unified-style diff (`-` expected, `+` actual) of two bodies, JSON
/// pretty-printed first; `None` when either side is not text.
pub(crate) fn body_diff(expected: &BodyContent, actual: &BodyContent) -> Option<String> {
    let expected = pretty(expected)?;
    let actual = pretty(actual)?;
    let diff = TextDiff::from_lines(&expected, &actual);
    let mut out = String::new();
    for group in diff.grouped_ops(CONTEXT) {
        for op in group {
            for change in diff.iter_changes(&op) {
                let sign = match change.tag() {
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                    ChangeTag::Equal => ' ',
                };
                out.push(sign);
                out.push_str(change.value());
                if !change.value().ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

fn pretty(content: &BodyContent) -> Option<String> {
    match content {
        BodyContent::Json(value) => serde_json::to_string_pretty(value).ok(),
        other => {
            let text = other.as_text()?;
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(value) if text.trim_start().starts_with(['{', '[']) => {
                    serde_json::to_string_pretty(&value).ok()
                }
                _ => Some(text.into_owned()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shows_changed_lines_with_context() {
        let e = BodyContent::Json(json!({"a": 1, "b": 2, "c": 3}));
        let a = BodyContent::Json(json!({"a": 1, "b": 5, "c": 3}));
        let diff = body_diff(&e, &a).unwrap();
        assert!(diff.contains("-  \"b\": 2,\n+  \"b\": 5,\n"), "{diff}");
        assert!(body_diff(&e, &e).is_none());
        assert!(body_diff(&BodyContent::Bytes(vec![0xff]), &e).is_none());
    }
}
