//! Why a request matched nothing: the interactions closest to it, ranked by
//! how much of the request they accept, each with its mismatches and a
//! short body diff. This is the body of the stub's 404.

use serde::Serialize;
use serde_json::Value;

use super::index::{path_may_match, StubInteraction, StubSet};
use crate::matching::{body_diff, match_request_without_diff, MatchResult, Mismatch, Part};
use crate::model::HttpRequest;

/// How many interactions are compared in full: the nearest by path (see
/// [`StubSet`]), pre-ranked on method and path.
const SHORTLIST: usize = 12;
/// Lines of body diff kept per interaction.
const DIFF_LINES: usize = 20;

/// The explanation of a request that matched no interaction.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// A one-line summary.
    pub error: String,
    /// The request, as received.
    pub request: RequestSummary,
    /// How many interactions are loaded.
    pub interactions: usize,
    /// The closest interactions, closest first.
    pub closest: Vec<NearMiss>,
}

/// The parts of a request an explanation repeats.
#[derive(Debug, Clone, Serialize)]
pub struct RequestSummary {
    /// The method.
    pub method: String,
    /// The path.
    pub path: String,
    /// The query string, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
}

/// An interaction that almost matched, and why it did not.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NearMiss {
    /// The interaction's description.
    pub description: String,
    /// The contract's consumer.
    pub consumer: String,
    /// The contract's provider.
    pub provider: String,
    /// The file or URL it came from.
    pub source: String,
    /// Its provider states.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provider_states: Vec<String>,
    /// The method it expects.
    pub method: String,
    /// The path it expects.
    pub path: String,
    /// What did not match.
    pub mismatches: Vec<MismatchSummary>,
    /// A short diff of expected (`-`) and received (`+`) bodies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
}

/// One mismatch, located.
#[derive(Debug, Clone, Serialize)]
pub struct MismatchSummary {
    /// Where: `$.path`, `$.headers.Accept`, `$.body.items[0].id` ...
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// The expected value, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Value>,
    /// The received value, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Value>,
}

impl From<&Mismatch> for MismatchSummary {
    fn from(m: &Mismatch) -> MismatchSummary {
        MismatchSummary {
            location: m.location(),
            message: m.message.clone(),
            expected: m.expected.clone(),
            actual: m.actual.clone(),
        }
    }
}

/// Explains a miss with at most `limit` closest interactions.
pub fn explain(set: &StubSet, request: &HttpRequest, limit: usize) -> Explanation {
    let mut shortlist: Vec<(i64, &StubInteraction)> = set
        .nearest(&request.path, SHORTLIST)
        .into_iter()
        .map(|i| (closeness(i, request), i))
        .collect();
    shortlist.sort_by_key(|(score, i)| (-score, i.id));
    shortlist.truncate(SHORTLIST);
    let mut compared: Vec<(i64, &StubInteraction, MatchResult)> = shortlist
        .into_iter()
        .map(|(score, i)| (score, i, match_request_without_diff(&i.request, request)))
        .collect();
    compared.sort_by_key(|(score, i, result)| (distance(result), -score, i.id));
    compared.truncate(limit);
    Explanation {
        error: format!("no interaction matched {} {}", request.method, request.path),
        request: RequestSummary {
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.raw.clone().filter(|q| !q.is_empty()),
        },
        interactions: set.len(),
        closest: compared
            .into_iter()
            .map(|(_, i, r)| near_miss(i, with_diff(r, i, request)))
            .collect(),
    }
}

/// Adds the body diff to a comparison made without one (only the closest
/// few are diffed).
fn with_diff(mut result: MatchResult, i: &StubInteraction, request: &HttpRequest) -> MatchResult {
    if result.mismatches.iter().any(|m| m.part == Part::Body) {
        if let (Some(expected), Some(actual)) = (i.request.body.content(), request.body.content()) {
            result.body_diff = body_diff(expected, actual);
        }
    }
    result
}

/// A cheap guess at how close an interaction is, from method and path.
fn closeness(interaction: &StubInteraction, request: &HttpRequest) -> i64 {
    let expected = &interaction.request;
    let method = i64::from(expected.method.eq_ignore_ascii_case(&request.method));
    let patterned = expected
        .matching_rules
        .category(crate::model::Category::Path)
        .is_some();
    let same_path = if patterned {
        path_may_match(expected, &request.path)
    } else {
        expected.path == request.path
    };
    let common = expected
        .path
        .split('/')
        .zip(request.path.split('/'))
        .take_while(|(x, y)| x == y)
        .count() as i64;
    let depth = |p: &str| p.matches('/').count() as i64;
    let length_gap = (depth(&expected.path) - depth(&request.path)).abs();
    i64::from(same_path) * 1000 + common * 10 + method * 5 - length_gap
}

/// Orders comparisons: a wrong path is farthest, then a wrong method, then
/// the number of mismatches.
fn distance(result: &MatchResult) -> (bool, bool, usize) {
    let has = |part| result.mismatches.iter().any(|m| m.part == part);
    (has(Part::Path), has(Part::Method), result.mismatches.len())
}

fn near_miss(interaction: &StubInteraction, result: MatchResult) -> NearMiss {
    NearMiss {
        description: interaction.description.clone(),
        consumer: interaction.consumer.to_string(),
        provider: interaction.provider.to_string(),
        source: interaction.origin.to_string(),
        provider_states: interaction.provider_states.clone(),
        method: interaction.request.method.clone(),
        path: interaction.request.path.clone(),
        mismatches: result
            .mismatches
            .iter()
            .map(MismatchSummary::from)
            .collect(),
        diff: result.body_diff.map(|d| shorten(&d)),
    }
}

fn shorten(diff: &str) -> String {
    let lines: Vec<&str> = diff.lines().collect();
    if lines.len() <= DIFF_LINES {
        return diff.to_owned();
    }
    let mut out = lines[..DIFF_LINES].join("\n");
    out.push_str(&format!("\n… {} more lines", lines.len() - DIFF_LINES));
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::Body;
    use crate::stub::testing::set_of;

    #[test]
    fn ranks_the_interaction_with_the_fewest_mismatches_first() {
        let set = set_of(json!([
            {"description": "other path", "request": {"method": "POST", "path": "/orders"},
             "response": {"status": 200}},
            {"description": "same path, other body", "request": {"method": "POST", "path": "/items",
              "body": {"name": "x", "qty": 1}}, "response": {"status": 201}},
            {"description": "same path, other method", "request": {"method": "GET", "path": "/items"},
             "response": {"status": 200}}
        ]));
        let request = HttpRequest {
            method: "POST".into(),
            path: "/items".into(),
            body: Body::json(json!({"name": "x", "qty": 2})),
            ..HttpRequest::default()
        };
        let e = explain(&set, &request, 2);
        let names: Vec<&str> = e.closest.iter().map(|n| n.description.as_str()).collect();
        assert_eq!(names, ["same path, other body", "same path, other method"]);
        let first = &e.closest[0];
        assert_eq!(first.mismatches[0].location, "$.body.qty");
        assert!(first.diff.as_deref().unwrap().contains("-  \"qty\": 1"));
        assert_eq!(e.closest[1].mismatches[0].location, "$.method");
        assert_eq!(e.interactions, 3);
    }

    #[test]
    fn long_diffs_are_cut() {
        let diff: String = (0..50).map(|i| format!("+{i}\n")).collect();
        let short = shorten(&diff);
        assert_eq!(short.lines().count(), DIFF_LINES + 1);
        assert!(short.ends_with("30 more lines"));
    }
}
