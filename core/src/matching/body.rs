//! Comparing bodies: dispatch on the content type, then JSON, XML, form,
//! text or binary comparison; a line diff for the report.

use std::borrow::Cow;

use serde_json::Value;

use super::diff;
use super::doc::Doc;
use super::json::{ExtraKeys, JsonComparison};
use super::mismatch::{Mismatch, Part};
use super::select::{select_exact, Seg};
use super::value::{apply_rules, Strings};
use super::view::Json as _;
use super::{binary, form, multipart, sniff, xml};
use crate::model::{Body, BodyContent, ContentType, RuleCategory};

/// What kind of content a body is, for choosing how to compare it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Xml,
    Form,
    Multipart,
    Text,
    Binary,
}

fn kind_of(content_type: Option<&ContentType>, content: Option<&BodyContent>) -> Kind {
    match content_type {
        Some(ct) if ct.is_json() => Kind::Json,
        Some(ct) if ct.is_xml() => Kind::Xml,
        Some(ct) if ct.is_form() => Kind::Form,
        Some(ct) if ct.is_multipart() => Kind::Multipart,
        Some(ct) if ct.is_text() => Kind::Text,
        Some(_) => Kind::Binary,
        None => match content {
            Some(BodyContent::Json(_)) => Kind::Json,
            Some(BodyContent::Bytes(_)) => Kind::Binary,
            Some(BodyContent::Text(text)) => kind_of(
                ContentType::parse(sniff::detect(text.as_bytes())).as_ref(),
                None,
            ),
            None => Kind::Text,
        },
    }
}

/// The inputs of a body comparison.
pub(crate) struct BodyComparison<'a> {
    pub(crate) expected: &'a Body,
    pub(crate) actual: &'a Body,
    /// The expected side's content type (body wrapper or header).
    pub(crate) expected_type: Option<ContentType>,
    /// The actual side's content type (header, body, or sniffed).
    pub(crate) actual_type: Option<ContentType>,
    pub(crate) rules: Option<&'a RuleCategory>,
    pub(crate) extra_keys: ExtraKeys,
    /// Whether to diff the bodies when they differ.
    pub(crate) diff: bool,
}

/// Mismatches and, when the bodies differ, a diff.
pub(crate) fn compare(c: &BodyComparison<'_>) -> (Vec<Mismatch>, Option<String>) {
    let expected_content = match c.expected {
        Body::Missing => return (Vec::new(), None),
        Body::Null | Body::Empty => return (compare_empty(c.actual), None),
        Body::Present { content, .. } => content,
    };
    let kind = kind_of(c.expected_type.as_ref(), Some(expected_content));
    let empty = BodyContent::Bytes(Vec::new());
    let actual_content = c.actual.content().unwrap_or(&empty);
    if c.actual.is_present() {
        let actual_kind = kind_of(c.actual_type.as_ref(), Some(actual_content));
        if actual_kind != kind && !(kind == Kind::Text && actual_kind != Kind::Binary) {
            let message = format!(
                "Expected a body of type '{}' but received '{}'",
                c.expected_type
                    .as_ref()
                    .map(ContentType::essence)
                    .unwrap_or_default(),
                c.actual_type
                    .as_ref()
                    .map(ContentType::essence)
                    .unwrap_or_default(),
            );
            return (
                vec![Mismatch::new(Part::BodyType, "$", None, None, message)],
                None,
            );
        }
    }
    let mismatches = match kind {
        Kind::Json => compare_json(c, expected_content, actual_content),
        Kind::Xml => xml::compare(expected_content, actual_content, c.rules, c.extra_keys),
        Kind::Form => form::compare(expected_content, actual_content, c.rules, c.extra_keys),
        Kind::Multipart => multipart::compare(
            c.expected_type.as_ref(),
            expected_content,
            c.actual_type.as_ref(),
            actual_content,
            c.rules,
            c.extra_keys,
        ),
        Kind::Text => compare_text(c.rules, expected_content, actual_content),
        Kind::Binary => binary::compare(
            "$",
            &c.expected_type
                .as_ref()
                .map(ContentType::essence)
                .unwrap_or_else(|| "application/octet-stream".into()),
            select_exact(c.rules, &[] as &[Seg<'_>]),
            &expected_content.to_bytes(),
            &actual_content.to_bytes(),
        ),
    };
    let diff = (c.diff && !mismatches.is_empty())
        .then(|| diff::body_diff(expected_content, actual_content))
        .flatten();
    (mismatches, diff)
}

fn compare_empty(actual: &Body) -> Vec<Mismatch> {
    match actual.content() {
        Some(content) if !content.to_bytes().is_empty() => {
            let shown = content
                .as_text()
                .map(|t| t.into_owned())
                .unwrap_or_else(|| "binary data".into());
            vec![Mismatch::new(
                Part::Body,
                "$",
                None,
                Some(Value::String(shown.clone())),
                format!("Expected an empty body but received '{}'", truncate(&shown)),
            )]
        }
        _ => Vec::new(),
    }
}

fn truncate(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]).into(),
        None => text.into(),
    }
}

/// A JSON body: serde_json's tree when it was parsed already, else the
/// text read into a [`Doc`], which costs less than a tree.
enum Parsed<'a> {
    Tree(&'a Value),
    Doc(Doc<'a>),
}

fn parse(content: &BodyContent) -> Result<Parsed<'_>, String> {
    let parsed = match content {
        BodyContent::Json(value) => return Ok(Parsed::Tree(value)),
        BodyContent::Text(text) if !text.is_empty() => Doc::parse_str(text),
        BodyContent::Bytes(bytes) if !bytes.is_empty() => Doc::parse(bytes),
        _ => return Err("the body is empty".into()),
    };
    parsed.map(Parsed::Doc).map_err(|e| e.to_string())
}

fn compare_json(
    c: &BodyComparison<'_>,
    expected: &BodyContent,
    actual: &BodyContent,
) -> Vec<Mismatch> {
    let expected = match parse(expected) {
        Ok(parsed) => parsed,
        Err(e) => {
            return vec![Mismatch::new(
                Part::Body,
                "$",
                None,
                None,
                format!("The expected body is not valid JSON: {e}"),
            )]
        }
    };
    let actual = match parse(actual) {
        Ok(parsed) => parsed,
        Err(e) => {
            let expected = match &expected {
                Parsed::Tree(value) => (*value).clone(),
                Parsed::Doc(doc) => doc.root().to_value(),
            };
            return vec![Mismatch::new(
                Part::Body,
                "$",
                Some(expected),
                None,
                format!("Expected a JSON body but {e}"),
            )];
        }
    };
    let comparison = JsonComparison::new(c.rules, c.extra_keys, Part::Body);
    match (&expected, &actual) {
        (Parsed::Tree(e), Parsed::Tree(a)) => comparison.run(*e, *a),
        (Parsed::Tree(e), Parsed::Doc(a)) => comparison.run(*e, a.root()),
        (Parsed::Doc(e), Parsed::Tree(a)) => comparison.run(e.root(), *a),
        (Parsed::Doc(e), Parsed::Doc(a)) => comparison.run(e.root(), a.root()),
    }
}

fn compare_text(
    rules: Option<&RuleCategory>,
    expected: &BodyContent,
    actual: &BodyContent,
) -> Vec<Mismatch> {
    let expected_text = expected.as_text().unwrap_or_default();
    let actual_text = actual.as_text().unwrap_or_default();
    let (e, a) = (
        Value::String(expected_text.into_owned()),
        Value::String(actual_text.into_owned()),
    );
    match select_exact(rules, &[] as &[Seg<'_>]) {
        Some(list) => apply_rules(list, &e, &a, true, Strings::Strict)
            .into_iter()
            .map(|message| {
                Mismatch::new(Part::Body, "$", Some(e.clone()), Some(a.clone()), message)
            })
            .collect(),
        None if e == a => Vec::new(),
        None => vec![Mismatch::new(
            Part::Body,
            "$",
            Some(e.clone()),
            Some(a.clone()),
            format!(
                "Expected body '{}' to be equal to '{}'",
                truncate(a.as_str().unwrap_or("")),
                truncate(e.as_str().unwrap_or(""))
            ),
        )],
    }
}
