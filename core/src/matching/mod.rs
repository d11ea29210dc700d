//! The matching engine: compares an actual request, response or message
//! with what a contract expects, under the contract's matching rules.
//!
//! Mismatches are data ([`Mismatch`]), each with the part and path where it
//! was found, the values, and a sentence; callers render them their way.

mod binary;
mod body;
mod diff;
mod doc;
#[cfg(test)]
mod edge_tests;
mod form;
mod http;
mod json;
mod memo;
mod message;
mod mismatch;
mod multipart;
mod select;
mod sniff;
mod value;
mod view;
mod xml;

#[cfg(feature = "stub")]
pub(crate) use diff::body_diff;
pub use mismatch::{MatchResult, Mismatch, Part};

use crate::model::{
    Body, Category, ContentType, Headers, HttpRequest, HttpResponse, MatchingRules, Message,
};
use json::ExtraKeys;

/// Compares a received request with an expected one. Unexpected body fields
/// are mismatches: a provider must not get data it does not expect.
pub fn match_request(expected: &HttpRequest, actual: &HttpRequest) -> MatchResult {
    compare_request(expected, actual, true)
}

/// [`match_request`] without the body diff, for callers that compare many
/// interactions and report few (a stub server looking for a match).
pub fn match_request_without_diff(expected: &HttpRequest, actual: &HttpRequest) -> MatchResult {
    compare_request(expected, actual, false)
}

fn compare_request(expected: &HttpRequest, actual: &HttpRequest, diff: bool) -> MatchResult {
    let rules = &expected.matching_rules;
    let mut mismatches = Vec::new();
    mismatches.extend(http::method(&expected.method, &actual.method));
    mismatches.extend(http::path(&expected.path, &actual.path, rules));
    mismatches.extend(http::query(&expected.query, &actual.query, rules));
    mismatches.extend(http::headers(&expected.headers, &actual.headers, rules));
    let bodies = (
        &expected.body,
        &expected.headers,
        &actual.body,
        &actual.headers,
    );
    let (body, body_diff) = http_body(bodies, rules, ExtraKeys::Forbidden, diff);
    mismatches.extend(body);
    MatchResult {
        mismatches,
        body_diff,
    }
}

/// Compares a received response with an expected one. Extra body fields
/// are fine: a consumer ignores what it does not read.
pub fn match_response(expected: &HttpResponse, actual: &HttpResponse) -> MatchResult {
    let rules = &expected.matching_rules;
    let mut mismatches = http::status(expected.status, actual.status, rules);
    mismatches.extend(http::headers(&expected.headers, &actual.headers, rules));
    let bodies = (
        &expected.body,
        &expected.headers,
        &actual.body,
        &actual.headers,
    );
    let (body, body_diff) = http_body(bodies, rules, ExtraKeys::Allowed, true);
    mismatches.extend(body);
    MatchResult {
        mismatches,
        body_diff,
    }
}

/// Compares a received message with an expected one (contents and
/// metadata).
pub fn match_message(expected: &Message, actual: &Message) -> MatchResult {
    let rules = &expected.matching_rules;
    let (mut mismatches, body_diff) = body::compare(&body::BodyComparison {
        expected: &expected.contents,
        actual: &actual.contents,
        expected_type: expected.contents.content_type().cloned(),
        actual_type: actual.contents.content_type().cloned(),
        rules: rules.category(Category::Body),
        extra_keys: ExtraKeys::Allowed,
        diff: true,
    });
    mismatches.extend(message::metadata(
        &expected.metadata,
        &actual.metadata,
        rules,
    ));
    MatchResult {
        mismatches,
        body_diff,
    }
}

/// Compares HTTP bodies, each typed by its headers (or what it declares).
fn http_body(
    (expected, expected_headers, actual, actual_headers): (&Body, &Headers, &Body, &Headers),
    rules: &MatchingRules,
    extra_keys: ExtraKeys,
    diff: bool,
) -> (Vec<Mismatch>, Option<String>) {
    body::compare(&body::BodyComparison {
        expected,
        actual,
        expected_type: content_type(expected, expected_headers),
        actual_type: content_type(actual, actual_headers),
        rules: rules.category(Category::Body),
        extra_keys,
        diff,
    })
}

/// The content type of a body: the header when there is one, else what the
/// body declares.
fn content_type(body: &Body, headers: &Headers) -> Option<ContentType> {
    headers
        .first("Content-Type")
        .and_then(ContentType::parse)
        .or_else(|| body.content_type().cloned())
}
