//! The JSON the control server answers with: mock servers, the requests
//! they received, and their reports.

use serde_json::{json, Value};

use super::super::mock::MockServer;
use super::super::report::{Exchange, MockReport, Outcome};
use crate::model::HttpRequest;
use crate::stub::MismatchSummary;

/// A mock server: its id, port, URL, consumer and provider.
pub(super) fn summary(id: u64, mock: &MockServer) -> Value {
    let contract = mock.contract();
    json!({
        "id": id,
        "port": mock.local_addr().port(),
        "url": mock.base_url(),
        "consumer": contract.consumer.name,
        "provider": contract.provider.name,
        "interactions": contract.interactions.len(),
    })
}

/// One received request and what became of it.
pub(super) fn exchange(exchange: &Exchange) -> Value {
    let mut value = request(&exchange.request);
    let (outcome, interaction, mismatches) = match &exchange.outcome {
        Outcome::Matched { interaction } => ("matched", Some(interaction), Vec::new()),
        Outcome::Mismatched {
            interaction,
            result,
        } => {
            let list = result
                .mismatches
                .iter()
                .map(|m| serde_json::to_value(MismatchSummary::from(m)).unwrap_or(Value::Null))
                .collect();
            ("mismatched", Some(interaction), list)
        }
        Outcome::Unexpected => ("unexpected", None, Vec::new()),
    };
    value["outcome"] = json!(outcome);
    if let Some(interaction) = interaction {
        value["interaction"] = json!(interaction);
    }
    if !mismatches.is_empty() {
        value["mismatches"] = Value::Array(mismatches);
    }
    value
}

fn request(request: &HttpRequest) -> Value {
    let headers: serde_json::Map<String, Value> = request
        .headers
        .iter()
        .map(|(name, values)| (name.to_owned(), json!(values.join(", "))))
        .collect();
    let bytes = request.body.to_bytes();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    let mut value = json!({
        "method": request.method,
        "path": request.path,
        "headers": headers,
    });
    let query = request.query.to_query_string();
    if !query.is_empty() {
        value["query"] = json!(query);
    }
    if !body.is_null() {
        value["body"] = body;
    }
    value
}

/// A verification: `ok`, the interactions missed, the problem requests,
/// and the report text the DSL would print.
pub(super) fn report(report: &MockReport) -> Value {
    let missed: Vec<Value> = report
        .missed
        .iter()
        .map(|(description, method, path)| {
            json!({"description": description, "method": method, "path": path})
        })
        .collect();
    let mut value = json!({
        "ok": report.is_ok(),
        "missed": missed,
        "problems": report.problems.iter().map(exchange).collect::<Vec<_>>(),
    });
    if !report.is_ok() {
        value["report"] = json!(report.to_string());
    }
    value
}
