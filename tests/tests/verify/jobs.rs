//! Concurrency: `jobs: 4` gives the same report as `jobs: 1`.

use serde_json::{json, Value};
use treaty_core::verify::Outcome;
use treaty_tests::server::TestServer;
use treaty_tests::users::{app, Break};

use super::contracts::{contract, get_user, health, options, outcomes, run};

/// Stateless interactions, some failing.
fn many() -> Vec<Value> {
    (0..24)
        .map(|i| {
            let mut h = health();
            h["description"] = format!("health {i}").into();
            if i % 5 == 0 {
                h["response"]["status"] = json!(201);
            }
            h
        })
        .collect()
}

#[test]
fn four_jobs_give_the_same_results_as_one() {
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let mut reports = Vec::new();
    for jobs in [1, 4] {
        let mut opts = options(&server.url);
        opts.state_change = None;
        opts.jobs = jobs;
        reports.push(outcomes(&run(vec![contract("web", many())], opts)));
    }
    assert_eq!(reports[0], reports[1]);
    let failed = reports[0]
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Failed { .. }))
        .count();
    assert_eq!(failed, 5);
}

#[test]
fn fail_fast_skips_the_rest() {
    let (router, _) = app(Break::Status);
    let server = TestServer::serve(router);
    let mut opts = options(&server.url);
    opts.fail_fast = true;
    let report = run(vec![contract("web", vec![get_user(), health()])], opts);
    let all = outcomes(&report);
    assert!(matches!(all[0].1, Outcome::Failed { .. }));
    assert!(matches!(all[1].1, Outcome::Skipped { .. }), "{all:?}");
}
