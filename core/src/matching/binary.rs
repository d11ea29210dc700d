//! Comparing bodies (or multipart parts) that are bytes, not text.

use super::mismatch::{Mismatch, Part};
use super::sniff;
use crate::model::{Combine, Matcher, RuleList};

/// Bytes shown of each side when they differ.
const SHOWN: usize = 32;

/// Compares bytes: under rules (contentType, notEmpty, equality) when
/// there are some, else byte for byte.
pub(crate) fn compare(
    path: &str,
    content_type: &str,
    rules: Option<&RuleList>,
    expected: &[u8],
    actual: &[u8],
) -> Vec<Mismatch> {
    let Some(list) = rules else {
        if expected == actual {
            return Vec::new();
        }
        let message = format!(
            "Actual body [{}] is not equal to the expected body [{}]",
            describe(content_type, actual),
            describe(content_type, expected)
        );
        return vec![Mismatch::new(Part::Body, path, None, None, message)];
    };
    let mut failures = Vec::new();
    for matcher in &list.matchers {
        match check(matcher, expected, actual) {
            None if list.combine == Combine::Or => return Vec::new(),
            None => {}
            Some(message) => failures.push(Mismatch::new(Part::Body, path, None, None, message)),
        }
    }
    failures
}

fn check(matcher: &Matcher, expected: &[u8], actual: &[u8]) -> Option<String> {
    match matcher {
        Matcher::ContentType(expected_type) => {
            let detected = sniff::detect(actual);
            (!sniff::same_essence(detected, expected_type)).then(|| {
                format!("Expected binary contents to have content type '{expected_type}' but detected contents was '{detected}'")
            })
        }
        Matcher::NotEmpty => actual
            .is_empty()
            .then(|| "Expected [] (0 bytes) to not be empty".to_owned()),
        Matcher::Equality => (expected != actual).then(|| {
            format!(
                "Expected {} bytes equal to the example's {} bytes",
                actual.len(),
                expected.len()
            )
        }),
        Matcher::Regex(pattern) => {
            let text = String::from_utf8_lossy(actual);
            (!pattern.is_match(&text))
                .then(|| format!("Expected the body to match '{}'", pattern.as_str()))
        }
        _ => None,
    }
}

fn describe(content_type: &str, bytes: &[u8]) -> String {
    let hex: String = bytes
        .iter()
        .take(SHOWN)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{content_type}, {} bytes, starting with {hex}", bytes.len())
}
