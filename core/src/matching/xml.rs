//! Comparing XML documents under matching rules.

use super::mismatch::{Mismatch, Part};
use crate::model::{BodyContent, RuleCategory};

/// Compares two XML bodies.
pub(crate) fn compare(
    expected: &BodyContent,
    actual: &BodyContent,
    _rules: Option<&RuleCategory>,
) -> Vec<Mismatch> {
    let e = expected.as_text().unwrap_or_default();
    let a = actual.as_text().unwrap_or_default();
    if e == a {
        Vec::new()
    } else {
        vec![Mismatch::new(
            Part::Body,
            "$",
            None,
            None,
            "XML bodies differ",
        )]
    }
}
