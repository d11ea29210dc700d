//! HTTP interactions: passing, and each kind of mismatch at its path.

use treaty_core::verify::{Outcome, Verdict};
use treaty_tests::server::TestServer;
use treaty_tests::users::{app, Break};

use super::contracts::{contract, create_user, get_user, health, locations, options, run};

fn verify_against(broken: Break) -> treaty_core::verify::VerificationReport {
    let (router, _) = app(broken);
    let server = TestServer::serve(router);
    let contracts = vec![contract("web", vec![get_user(), health(), create_user()])];
    run(contracts, options(&server.url))
}

#[test]
fn a_provider_that_answers_right_passes() {
    let report = verify_against(Break::Nothing);
    let summary = report.summary();
    assert_eq!((summary.total, summary.passed), (3, 3), "{report:#?}");
    assert_eq!(report.verdict(), Verdict::Passed);
}

#[test]
fn a_wrong_body_type_fails_at_its_path_with_a_diff() {
    let report = verify_against(Break::NameType);
    let (_, user) = report.interactions().next().unwrap();
    assert_eq!(locations(&user.outcome), ["$.body.name"]);
    let Outcome::Failed { body_diff, .. } = &user.outcome else {
        unreachable!()
    };
    assert!(body_diff.as_deref().is_some_and(|d| d.contains("123")));
    assert_eq!(report.verdict(), Verdict::Failed);
    assert_eq!(report.summary().passed, 2);
}

#[test]
fn a_wrong_status_fails_at_status() {
    let report = verify_against(Break::Status);
    let (_, user) = report.interactions().next().unwrap();
    assert!(locations(&user.outcome).contains(&"$.status".to_owned()));
}

#[test]
fn a_wrong_header_fails_at_the_header() {
    let report = verify_against(Break::Header);
    let (_, user) = report.interactions().next().unwrap();
    assert_eq!(locations(&user.outcome), ["$.headers.X-Version"]);
}

#[test]
fn a_failing_pending_interaction_does_not_fail_the_run() {
    let (router, _) = app(Break::Status);
    let server = TestServer::serve(router);
    let mut pending = get_user();
    pending["pending"] = true.into();
    let report = run(
        vec![contract("web", vec![pending, health()])],
        options(&server.url),
    );
    assert_eq!(report.summary().pending_failures, 1);
    assert_eq!(report.verdict(), Verdict::Passed);
}

#[test]
fn custom_headers_are_sent_and_replace_the_contracts() {
    let (router, seen) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let mut opts = options(&server.url);
    opts.headers = vec![("Authorization".into(), "Bearer t0k3n".into())];
    let report = run(vec![contract("web", vec![get_user()])], opts);
    assert_eq!(report.verdict(), Verdict::Passed);
    let headers = seen.headers.lock().unwrap();
    assert_eq!(headers[0]["authorization"], "Bearer t0k3n");
}

#[test]
fn a_base_path_is_prefixed() {
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(axum::Router::new().nest("/api", router));
    let mut opts = options(&format!("{}/api", server.url));
    opts.state_change = None;
    let report = run(vec![contract("web", vec![health()])], opts);
    assert_eq!(report.verdict(), Verdict::Passed, "{report:#?}");
}
