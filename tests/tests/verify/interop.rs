//! The pact-python fixtures (`tests/data/pact-python/`) verify against the
//! interop provider (`tests/interop/provider.py`), and fail when it is
//! broken. Needs the venv (`$TREATY_VENV` or `.venv`): fails without it.

use treaty_core::verify::{Source, StateChangeOptions, Verdict, VerifyOptions};
use treaty_tests::python::{root, InteropProvider};

use super::contracts::run;

fn verify_fixtures(provider: &InteropProvider) -> treaty_core::verify::VerificationReport {
    let dir = root().join("tests/data/pact-python");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let contracts = runtime
        .block_on(treaty_core::verify::load(&[Source::Directory(dir)]))
        .expect("fixtures load");
    let mut options = VerifyOptions::new(&provider.url);
    let mut state = StateChangeOptions::new(format!("{}/_pact/state", provider.url));
    state.teardown = true;
    options.state_change = Some(state);
    run(contracts, options)
}

#[test]
fn pact_python_contracts_pass_against_the_interop_provider() {
    let provider = InteropProvider::start(&[]);
    let report = verify_fixtures(&provider);
    let summary = report.summary();
    assert_eq!(report.verdict(), Verdict::Passed, "{report:#?}");
    assert_eq!(report.contracts.len(), 3);
    assert!(summary.total >= 15, "{summary:?}");
    assert_eq!(summary.passed, summary.total);
}

#[test]
fn pact_python_contracts_fail_against_a_broken_interop_provider() {
    let provider = InteropProvider::start(&["--break", "status"]);
    let report = verify_fixtures(&provider);
    assert_eq!(report.verdict(), Verdict::Failed);
    let failed: Vec<_> = report
        .interactions()
        .filter(|(_, i)| i.outcome.is_problem())
        .map(|(_, i)| i.description.clone())
        .collect();
    assert!(!failed.is_empty());
    assert!(failed.iter().all(|d| d.contains("greeting")), "{failed:?}");
}
