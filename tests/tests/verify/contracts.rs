//! Contracts for the tests, built as V4 JSON and read with treaty's reader.

use serde_json::{json, Value};
use treaty_core::read::read_contract;
use treaty_core::verify::{
    verify, LoadedContract, Outcome, StateChangeOptions, VerificationReport, VerifyOptions,
};

/// A V4 contract between `consumer` and `users-api`.
pub(crate) fn contract(consumer: &str, interactions: Vec<Value>) -> LoadedContract {
    LoadedContract {
        origin: format!("{consumer}.json"),
        contract: read_contract(&contract_json(consumer, interactions)).expect("valid contract"),
    }
}

pub(crate) fn contract_json(consumer: &str, interactions: Vec<Value>) -> Value {
    json!({
        "consumer": {"name": consumer},
        "provider": {"name": "users-api"},
        "interactions": interactions,
        "metadata": {"pactSpecification": {"version": "4.0"}}
    })
}

/// `GET /users/42` in state "a user exists", with type rules on the body.
pub(crate) fn get_user() -> Value {
    json!({
        "type": "Synchronous/HTTP",
        "description": "get user 42",
        "providerStates": [{"name": "a user exists", "params": {"name": "Alice"}}],
        "request": {"method": "GET", "path": "/users/42"},
        "response": {
            "status": 200,
            "headers": {"X-Version": ["1"]},
            "body": {"content": {"id": 42, "name": "Alice", "age": 1, "tags": ["x"]},
                     "contentType": "application/json", "encoded": false},
            "matchingRules": {"body": {
                "$.age": {"combine": "AND", "matchers": [{"match": "integer"}]},
                "$.tags": {"combine": "AND", "matchers": [{"match": "type", "min": 1}]}
            }}
        }
    })
}

/// `GET /health` without a state, answering text.
pub(crate) fn health() -> Value {
    json!({
        "type": "Synchronous/HTTP",
        "description": "health check",
        "request": {"method": "GET", "path": "/health"},
        "response": {"status": 200,
            "body": {"content": "ok", "contentType": "text/plain", "encoded": false}}
    })
}

/// `POST /users` with a JSON body, answering 201.
pub(crate) fn create_user() -> Value {
    json!({
        "type": "Synchronous/HTTP",
        "description": "create a user",
        "request": {"method": "POST", "path": "/users",
            "headers": {"Content-Type": ["application/json"]},
            "body": {"content": {"name": "Carol"}, "contentType": "application/json", "encoded": false}},
        "response": {"status": 201,
            "body": {"content": {"id": 1, "name": "Carol"}, "contentType": "application/json", "encoded": false},
            "matchingRules": {"body": {"$.id": {"combine": "AND", "matchers": [{"match": "integer"}]}}}}
    })
}

/// Options for the users app at `url` with its state-change endpoint.
pub(crate) fn options(url: &str) -> VerifyOptions {
    let mut options = VerifyOptions::new(url);
    let mut state = StateChangeOptions::new(format!("{url}/_state"));
    state.teardown = true;
    options.state_change = Some(state);
    options.message_url = Some(format!("{url}/_message"));
    options
}

/// Runs a verification on a fresh runtime.
pub(crate) fn run(contracts: Vec<LoadedContract>, options: VerifyOptions) -> VerificationReport {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime
        .block_on(verify(contracts, options))
        .expect("verification runs")
}

/// The outcomes by description, for assertions.
pub(crate) fn outcomes(report: &VerificationReport) -> Vec<(String, Outcome)> {
    report
        .interactions()
        .map(|(_, i)| (i.description.clone(), i.outcome.clone()))
        .collect()
}

/// The locations of the mismatches of a failed outcome.
pub(crate) fn locations(outcome: &Outcome) -> Vec<String> {
    match outcome {
        Outcome::Failed { mismatches, .. } => mismatches.iter().map(|m| m.location()).collect(),
        other => panic!("expected a failure, got {other:?}"),
    }
}
