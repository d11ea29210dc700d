//! Provider states: setup and teardown calls, parameters, values that fill
//! `ProviderState` generators, failures.

use serde_json::{json, Value};
use treaty_core::verify::{ErrorKind, Outcome, Verdict};
use treaty_tests::server::TestServer;
use treaty_tests::users::{app, Break};

use super::contracts::{contract, get_user, health, options, run};

/// `GET /users/${id}` where the id comes from the state change, the name
/// from the state's parameters.
fn get_created_user() -> Value {
    let mut interaction = get_user();
    interaction["description"] = "get the user the state created".into();
    interaction["providerStates"] = json!([{"name": "a user exists", "params": {"name": "Bob"}}]);
    interaction["request"]["path"] = "/users/1".into();
    interaction["request"]["generators"] =
        json!({"path": {"type": "ProviderState", "expression": "/users/${id}"}});
    interaction["response"]["body"]["content"]["name"] = "Bob".into();
    interaction
}

#[test]
fn values_from_the_state_change_fill_generators_and_params_are_sent() {
    let (router, seen) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let report = run(
        vec![contract("web", vec![get_created_user()])],
        options(&server.url),
    );
    assert_eq!(report.verdict(), Verdict::Passed, "{report:#?}");
    let calls = seen.state_calls.lock().unwrap();
    assert_eq!(
        *calls,
        [
            json!({"state": "a user exists", "params": {"name": "Bob"}, "action": "setup"}),
            json!({"state": "a user exists", "params": {"name": "Bob"}, "action": "teardown"}),
        ]
    );
}

#[test]
fn an_interaction_without_state_gets_an_empty_state_call() {
    let (router, seen) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let mut opts = options(&server.url);
    opts.state_change.as_mut().unwrap().teardown = false;
    run(vec![contract("web", vec![health()])], opts);
    let calls = seen.state_calls.lock().unwrap();
    assert_eq!(
        *calls,
        [json!({"state": "", "params": {}, "action": "setup"})]
    );
}

#[test]
fn states_can_be_sent_as_query_parameters() {
    let (router, seen) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let mut opts = options(&server.url);
    opts.state_change.as_mut().unwrap().as_query = true;
    let report = run(vec![contract("web", vec![get_user()])], opts);
    assert_eq!(report.verdict(), Verdict::Passed, "{report:#?}");
    let calls = seen.state_calls.lock().unwrap();
    assert_eq!(
        calls[0],
        json!({"state": "a user exists", "action": "setup", "name": "Alice"})
    );
}

#[test]
fn a_failing_state_change_is_an_error_and_skips_teardown() {
    let (router, seen) = app(Break::StateChange);
    let server = TestServer::serve(router);
    let report = run(
        vec![contract("web", vec![get_user()])],
        options(&server.url),
    );
    let (_, user) = report.interactions().next().unwrap();
    let Outcome::Error { kind, message } = &user.outcome else {
        panic!("expected an error: {user:#?}");
    };
    assert_eq!(*kind, ErrorKind::StateChangeFailed);
    assert!(message.contains("400"), "{message}");
    assert_eq!(report.verdict(), Verdict::Infrastructure);
    assert_eq!(seen.state_calls.lock().unwrap().len(), 1, "no teardown");
}

#[test]
fn states_without_a_state_change_url_are_warned_about() {
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let mut opts = options(&server.url);
    opts.state_change = None;
    let report = run(vec![contract("web", vec![get_user()])], opts);
    let (_, user) = report.interactions().next().unwrap();
    assert!(user.warnings[0].contains("a user exists"), "{user:#?}");
    // Without the state the user does not exist.
    assert!(matches!(user.outcome, Outcome::Failed { .. }));
}

#[test]
fn a_state_change_that_answers_5xx_is_tried_again() {
    let (router, seen) = app(Break::StateChangeFlaky);
    let server = TestServer::serve(router);
    let report = run(
        vec![contract("web", vec![get_user()])],
        options(&server.url),
    );
    assert_eq!(report.verdict(), Verdict::Passed, "{report:#?}");
    let calls = seen.state_calls.lock().unwrap();
    let actions: Vec<&str> = calls
        .iter()
        .map(|c| c["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["setup", "setup", "teardown"]);
}

#[test]
fn a_state_change_that_keeps_failing_gives_up_and_says_how_often_it_tried() {
    let (router, seen) = app(Break::StateChangeUnavailable);
    let server = TestServer::serve(router);
    let mut opts = options(&server.url);
    opts.state_change.as_mut().unwrap().retries = 1;
    let report = run(vec![contract("web", vec![get_user()])], opts);
    let (_, user) = report.interactions().next().unwrap();
    let Outcome::Error { kind, message } = &user.outcome else {
        panic!("expected an error: {user:#?}");
    };
    assert_eq!(*kind, ErrorKind::StateChangeFailed);
    assert!(
        message.contains("503") && message.contains("after 2 tries"),
        "{message}"
    );
    assert_eq!(seen.state_calls.lock().unwrap().len(), 2);
}
