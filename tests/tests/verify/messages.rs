//! Message interactions, fetched from the provider's message endpoint.

use serde_json::{json, Value};
use treaty_core::verify::{Outcome, Verdict};
use treaty_tests::server::TestServer;
use treaty_tests::users::{app, Break};

use super::contracts::{contract, locations, options, run};

pub(super) fn user_created() -> Value {
    json!({
        "type": "Asynchronous/Messages",
        "description": "a user created event",
        "contents": {"content": {"id": 1, "name": "Alice"}, "contentType": "application/json", "encoded": false},
        "metadata": {"topic": "users", "contentType": "application/json"},
        "matchingRules": {"body": {"$.id": {"combine": "AND", "matchers": [{"match": "integer"}]}}}
    })
}

pub(super) fn price_quote() -> Value {
    json!({
        "type": "Synchronous/Messages",
        "description": "a price quote",
        "request": {"contents": {"content": {"qty": 3}, "contentType": "application/json", "encoded": false}},
        "response": [{"contents": {"content": {"total": 6}, "contentType": "application/json", "encoded": false}}]
    })
}

#[test]
fn async_and_sync_messages_pass() {
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let report = run(
        vec![contract("worker", vec![user_created(), price_quote()])],
        options(&server.url),
    );
    assert_eq!(report.verdict(), Verdict::Passed, "{report:#?}");
    let kinds: Vec<&str> = report.interactions().map(|(_, i)| i.kind).collect();
    assert_eq!(kinds, ["Asynchronous/Messages", "Synchronous/Messages"]);
}

#[test]
fn a_wrong_message_fails_at_its_path() {
    let (router, _) = app(Break::Message);
    let server = TestServer::serve(router);
    let report = run(
        vec![contract("worker", vec![user_created()])],
        options(&server.url),
    );
    let (_, message) = report.interactions().next().unwrap();
    assert_eq!(locations(&message.outcome), ["$.body.id"]);
}

#[test]
fn wrong_metadata_and_unknown_messages_fail() {
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let mut wrong_topic = user_created();
    wrong_topic["metadata"]["topic"] = "accounts".into();
    let mut unknown = user_created();
    unknown["description"] = "a message nobody sends".into();
    let report = run(
        vec![contract("worker", vec![wrong_topic, unknown])],
        options(&server.url),
    );
    let all: Vec<_> = report
        .interactions()
        .map(|(_, i)| locations(&i.outcome))
        .collect();
    assert_eq!(all, [vec!["$.metadata.topic"], vec!["$.status"]]);
}

#[test]
fn a_sync_answer_passes_when_it_matches_any_expected_response() {
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let response = |total: i64| json!({"contents": {"content": {"total": total}, "contentType": "application/json", "encoded": false}});
    let mut either = price_quote();
    either["response"] = json!([response(7), response(6)]);
    let mut neither = price_quote();
    neither["description"] = "a price quote, again".into();
    neither["response"] = json!([response(7), response(8)]);
    // The provider answers every "a price quote..." with a total of 6.
    let report = run(
        vec![contract("worker", vec![either, neither])],
        options(&server.url),
    );
    let outcomes: Vec<_> = report.interactions().map(|(_, i)| &i.outcome).collect();
    assert!(matches!(outcomes[0], Outcome::Passed), "{:?}", outcomes[0]);
    let messages: Vec<String> = match outcomes[1] {
        Outcome::Failed { mismatches, .. } => {
            mismatches.iter().map(|m| m.message.clone()).collect()
        }
        other => panic!("expected a failure, got {other:?}"),
    };
    assert!(
        messages[0].contains("matched none of the 2 expected responses")
            && messages[0].contains("response 1"),
        "{messages:?}"
    );
    assert_eq!(locations(outcomes[1]), ["$.body", "$.body.total"]);
}
