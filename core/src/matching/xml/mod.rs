//! Comparing XML documents under matching rules, with Pact's semantics:
//!
//! - elements are compared by name, namespace-aware (the namespace URI
//!   counts, the prefix does not), then by attributes, child elements and
//!   text;
//! - attributes are compared by name and value; text is the element's own
//!   text (CDATA included), trimmed;
//! - expected attributes and child elements must be present; unexpected
//!   ones are mismatches in requests only ([`ExtraKeys`]);
//! - children with different names may come in any order; children with
//!   the same name are compared in order, unless a type matcher applies to
//!   them: then their count is free (within `min`/`max`) and each is
//!   compared with the first expected one, the template;
//! - a rule on an element applies to its text (a regex on
//!   `$.a.favouriteColour` matches the colour), as does a rule on
//!   `...#text`; rules cascade to everything below, as for JSON.
//!
//! Where rules are looked up is explained in [`place`].

mod children;
mod place;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use roxmltree::{Document, Node, ParsingOptions};
use serde_json::Value;

use super::json::ExtraKeys;
use super::mismatch::{Mismatch, Part};
use super::select::Selected;
use super::value::{apply_rules, Strings};
use crate::model::{BodyContent, RuleCategory};
use place::Step;

/// Elements nested deeper than this are reported, not recursed into.
const MAX_DEPTH: usize = 128;

/// Compares two XML bodies. `extra_keys` says whether attributes and
/// elements the expected body lacks are allowed.
pub(crate) fn compare(
    expected: &BodyContent,
    actual: &BodyContent,
    rules: Option<&RuleCategory>,
    extra_keys: ExtraKeys,
) -> Vec<Mismatch> {
    let (expected_text, actual_text) = (expected.as_text(), actual.as_text());
    let expected_doc = parse(expected_text.as_deref());
    let actual_doc = parse(actual_text.as_deref());
    let (expected_doc, actual_doc) = match (expected_doc, actual_doc) {
        (Ok(e), Ok(a)) => (e, a),
        (e, a) => {
            let failures = [("expected", e.err()), ("actual", a.err())];
            return failures
                .into_iter()
                .filter_map(|(side, reason)| {
                    let message =
                        format!("The {side} body could not be parsed as XML: {}", reason?);
                    Some(Mismatch::new(Part::Body, "$", None, None, message))
                })
                .collect();
        }
    };
    let mut comparison = XmlComparison {
        rules,
        extra_keys,
        mismatches: Vec::new(),
    };
    comparison.root(expected_doc.root_element(), actual_doc.root_element());
    comparison.mismatches
}

fn parse(text: Option<&str>) -> Result<Document<'_>, String> {
    let text = text.ok_or("it is not UTF-8 text")?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err("the body is empty".into());
    }
    let options = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, options).map_err(|e| e.to_string())
}

/// An element of either document.
type Element<'d> = Node<'d, 'd>;

/// Compares documents, collecting mismatches.
struct XmlComparison<'r> {
    rules: Option<&'r RuleCategory>,
    extra_keys: ExtraKeys,
    mismatches: Vec<Mismatch>,
}

/// What a compared value is, for messages.
#[derive(Clone, Copy)]
enum Subject<'d> {
    Attribute(&'d str),
    Text,
}

impl<'r> XmlComparison<'r> {
    fn mismatch(
        &mut self,
        place: &[Step<'_>],
        expected: Option<&str>,
        actual: Option<&str>,
        message: String,
    ) {
        self.mismatches.push(Mismatch::new(
            Part::Body,
            place::render(place),
            expected.map(|e| Value::String(e.to_owned())),
            actual.map(|a| Value::String(a.to_owned())),
            message,
        ));
    }

    /// Compares two elements already known to have the same name.
    fn element<'d>(
        &mut self,
        place: &mut Vec<Step<'d>>,
        expected: Element<'d>,
        actual: Element<'d>,
    ) {
        if place.len() > MAX_DEPTH {
            let message = format!(
                "The document nests deeper than {MAX_DEPTH} elements; not compared further"
            );
            self.mismatch(place, None, None, message);
            return;
        }
        self.attributes(place, expected, actual);
        self.children(place, expected, actual);
        self.text(place, expected, actual);
    }

    fn attributes<'d>(
        &mut self,
        place: &mut Vec<Step<'d>>,
        expected: Element<'d>,
        actual: Element<'d>,
    ) {
        for attribute in expected.attributes() {
            let qname = attribute_qname(expected, &attribute);
            place.push(Step::Attribute {
                qname,
                local: attribute.name(),
            });
            let found = actual
                .attributes()
                .find(|a| a.name() == attribute.name() && a.namespace() == attribute.namespace());
            match found {
                Some(found) => {
                    let selected = place::select(self.rules, place);
                    let subject = Subject::Attribute(qname);
                    self.value(place, subject, selected, attribute.value(), found.value());
                }
                None => {
                    let message = format!(
                        "Expected attribute @{qname}='{}' but it was missing",
                        attribute.value()
                    );
                    self.mismatch(place, Some(attribute.value()), None, message);
                }
            }
            place.pop();
        }
        if self.extra_keys == ExtraKeys::Forbidden {
            self.unexpected_attributes(place, expected, actual);
        }
    }

    fn unexpected_attributes<'d>(
        &mut self,
        place: &mut Vec<Step<'d>>,
        expected: Element<'d>,
        actual: Element<'d>,
    ) {
        for attribute in actual.attributes() {
            let known = expected
                .attributes()
                .any(|e| e.name() == attribute.name() && e.namespace() == attribute.namespace());
            if known {
                continue;
            }
            let qname = attribute_qname(actual, &attribute);
            place.push(Step::Attribute {
                qname,
                local: attribute.name(),
            });
            let message = format!("Unexpected attribute @{qname}='{}'", attribute.value());
            self.mismatch(place, None, Some(attribute.value()), message);
            place.pop();
        }
    }

    /// Compares the element's own text. Rules inherited from above are not
    /// applied to the (empty) text of an element that only holds elements.
    fn text<'d>(&mut self, place: &mut Vec<Step<'d>>, expected: Element<'d>, actual: Element<'d>) {
        let (e, a) = (own_text(expected), own_text(actual));
        place.push(Step::Text);
        let selected = place::select(self.rules, place);
        let container = expected.children().any(|n| n.is_element());
        let skip = selected.is_some_and(|s| !s.exact) && container && e.is_empty();
        if !skip {
            self.value(place, Subject::Text, selected, &e, &a);
        }
        place.pop();
    }

    /// Compares an attribute value or a text under the selected rules, or
    /// by equality when none applies.
    fn value(
        &mut self,
        place: &[Step<'_>],
        subject: Subject<'_>,
        selected: Option<Selected<'_>>,
        expected: &str,
        actual: &str,
    ) {
        let Some(selected) = selected else {
            if expected != actual {
                let message = inequality(subject, expected, actual);
                self.mismatch(place, Some(expected), Some(actual), message);
            }
            return;
        };
        let (e, a) = (Value::String(expected.into()), Value::String(actual.into()));
        let failures = apply_rules(selected.rules, &e, &a, selected.exact, Strings::Coerce);
        for message in failures {
            self.mismatch(place, Some(expected), Some(actual), message);
        }
    }
}

fn inequality(subject: Subject<'_>, expected: &str, actual: &str) -> String {
    match subject {
        Subject::Attribute(name) => {
            format!("Expected @{name}='{expected}' but received @{name}='{actual}'")
        }
        Subject::Text if actual.is_empty() => {
            format!(
                "Expected text '{}' but the element has none",
                truncate(expected)
            )
        }
        Subject::Text if expected.is_empty() => {
            format!("Expected no text but received '{}'", truncate(actual))
        }
        Subject::Text => format!(
            "Expected text '{}' but received '{}'",
            truncate(expected),
            truncate(actual)
        ),
    }
}

/// The element's own text (text and CDATA children, not descendants'),
/// trimmed.
fn own_text(element: Element<'_>) -> String {
    let text: String = element
        .children()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    text.trim().to_owned()
}

/// An element's name as written in its document (`fn:favouriteNumber`).
fn element_qname<'d>(element: Element<'d>) -> &'d str {
    let input = element.document().input_text();
    let start = element.range().start + 1;
    let rest = input.get(start..).unwrap_or_default();
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    let written = &rest[..end];
    if written.ends_with(element.tag_name().name()) {
        written
    } else {
        element.tag_name().name()
    }
}

/// An attribute's name as written (`names:name`).
fn attribute_qname<'d>(element: Element<'d>, attribute: &roxmltree::Attribute<'d, 'd>) -> &'d str {
    let input = element.document().input_text();
    match input.get(attribute.range_qname()) {
        Some(written) if written.ends_with(attribute.name()) => written,
        _ => attribute.name(),
    }
}

/// The element's source text, for mismatch values.
fn source<'d>(element: Element<'d>) -> &'d str {
    let input = element.document().input_text();
    input.get(element.range()).unwrap_or_default()
}

/// Text cut to 80 characters for messages.
fn truncate(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]).into(),
        None => text.into(),
    }
}
