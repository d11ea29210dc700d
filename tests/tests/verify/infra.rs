//! A provider that does not answer is an infrastructure error, told apart
//! from a wrong answer: refused, hanging past the timeout, resetting.

use std::time::{Duration, Instant};

use treaty_core::verify::{verify, ErrorKind, Outcome, Verdict, VerifyError, VerifyOptions};
use treaty_tests::server::{Misbehaviour, TestServer};

use super::contracts::{contract, health, run};

fn error_kind(url: &str, timeout: Duration) -> (ErrorKind, String) {
    let mut options = VerifyOptions::new(url);
    options.request_timeout = timeout;
    let report = run(vec![contract("web", vec![health()])], options);
    assert_eq!(report.verdict(), Verdict::Infrastructure);
    let outcome = report.interactions().next().unwrap().1.outcome.clone();
    match outcome {
        Outcome::Error { kind, message } => (kind, message),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn a_provider_that_is_down_is_unreachable() {
    let url = TestServer::closed_port_url();
    let (kind, message) = error_kind(&url, Duration::from_secs(5));
    assert_eq!(kind, ErrorKind::ProviderUnreachable);
    assert!(message.contains(&url), "{message}");
}

#[test]
fn a_provider_that_hangs_times_out() {
    let server = TestServer::misbehaving(Misbehaviour::Hang);
    let started = Instant::now();
    let (kind, _) = error_kind(&server.url, Duration::from_millis(300));
    assert_eq!(kind, ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_provider_that_resets_connections_is_told_apart() {
    let server = TestServer::misbehaving(Misbehaviour::Reset);
    let (kind, message) = error_kind(&server.url, Duration::from_secs(5));
    assert_eq!(kind, ErrorKind::ConnectionReset, "{message}");
}

#[test]
fn connections_the_provider_closes_after_answering_are_not_reused() {
    let server = TestServer::misbehaving(Misbehaviour::AnswerThenClose);
    for jobs in [1, 4] {
        let mut options = VerifyOptions::new(&server.url);
        options.jobs = jobs;
        let report = run(vec![contract("web", vec![health(); 40])], options);
        let failed: Vec<_> = report
            .interactions()
            .filter(|(_, i)| i.outcome != Outcome::Passed)
            .map(|(_, i)| format!("{:?}", i.outcome))
            .collect();
        assert!(failed.is_empty(), "--jobs {jobs}: {failed:?}");
        assert_eq!(report.summary().passed, 40);
    }
}

#[test]
fn waiting_for_a_provider_that_never_comes_gives_up() {
    let url = TestServer::closed_port_url();
    let mut options = VerifyOptions::new(url);
    options.wait_for_provider = Some(Duration::from_millis(300));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let result = runtime.block_on(verify(vec![contract("web", vec![health()])], options));
    assert!(matches!(result, Err(VerifyError::ProviderNotReady { .. })));
}

#[test]
fn waiting_for_a_provider_that_is_up_returns_at_once() {
    let (router, _) = treaty_tests::users::app(Default::default());
    let server = TestServer::serve(router);
    let mut options = VerifyOptions::new(&server.url);
    options.wait_for_provider = Some(Duration::from_secs(30));
    let started = Instant::now();
    let report = run(vec![contract("web", vec![health()])], options);
    assert_eq!(report.verdict(), Verdict::Passed);
    assert!(started.elapsed() < Duration::from_secs(5));
}
