//! Message interactions, fetched from the provider's message endpoint.

use serde_json::{json, Value};
use treaty_core::verify::Verdict;
use treaty_tests::server::TestServer;
use treaty_tests::users::{app, Break};

use super::contracts::{contract, locations, options, run};

fn user_created() -> Value {
    json!({
        "type": "Asynchronous/Messages",
        "description": "a user created event",
        "contents": {"content": {"id": 1, "name": "Alice"}, "contentType": "application/json", "encoded": false},
        "metadata": {"topic": "users", "contentType": "application/json"},
        "matchingRules": {"body": {"$.id": {"combine": "AND", "matchers": [{"match": "integer"}]}}}
    })
}

fn price_quote() -> Value {
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
