//! Contracts kept as text (`load_lazy` + `verify_lazy`, what `treaty
//! verify` runs) give the report that contracts loaded whole give, over
//! several batches of interactions, with filters, fail-fast and jobs, for
//! HTTP and message interactions.

use regex::Regex;
use serde_json::{json, Value};
use treaty_core::verify::{
    load, load_lazy, verify, verify_lazy, Filter, Outcome, Source, VerificationReport,
    VerifyOptions,
};
use treaty_tests::server::TestServer;
use treaty_tests::users::{app, Break};

use super::contracts::{contract_json, get_user, health, options};
use super::messages::{price_quote, user_created};

/// 600 interactions (several batches): health checks, one in seven
/// failing, and a few stateful ones.
fn interactions() -> Vec<Value> {
    (0..600)
        .map(|i| {
            let mut item = if i % 100 == 3 { get_user() } else { health() };
            item["description"] = format!("interaction {i}").into();
            if i % 7 == 0 {
                item["response"]["status"] = json!(201);
            }
            item
        })
        .collect()
}

/// Both reports of `contract`, durations zeroed.
fn both(contract: Value, options: &VerifyOptions) -> (VerificationReport, VerificationReport) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("web.json");
    let text = contract.to_string();
    std::fs::write(&path, text).unwrap();
    let sources = [Source::File(path)];
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let whole = runtime.block_on(async {
        let contracts = load(&sources).await.unwrap();
        verify(contracts, options.clone()).await.unwrap()
    });
    let lazy = runtime.block_on(async {
        let contracts = load_lazy(&sources).await.unwrap();
        verify_lazy(contracts, options.clone()).await.unwrap()
    });
    (zeroed(whole), zeroed(lazy))
}

fn zeroed(mut report: VerificationReport) -> VerificationReport {
    report.duration = Default::default();
    for c in &mut report.contracts {
        for i in &mut c.interactions {
            i.duration = Default::default();
        }
    }
    report
}

#[test]
fn batches_report_what_the_whole_contract_reports() {
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let mut opts = options(&server.url);
    opts.jobs = 4;
    let (whole, lazy) = both(contract_json("web", interactions()), &opts);
    assert_eq!(lazy, whole);
    let s = lazy.summary();
    assert_eq!((s.total, s.failed), (600, 86));
}

#[test]
fn filters_and_fail_fast_apply_across_batches() {
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let mut opts = options(&server.url);
    opts.filter = Filter {
        description: Some(Regex::new("^interaction [0-9]*[13579]$").unwrap()),
        ..Filter::default()
    };
    let (whole, lazy) = both(contract_json("web", interactions()), &opts);
    assert_eq!(lazy, whole);
    assert_eq!(lazy.summary().filtered_out, 300);

    opts.fail_fast = true;
    opts.filter = Filter::default();
    let (whole, lazy) = both(contract_json("web", interactions()), &opts);
    assert_eq!(lazy, whole);
    let outcomes: Vec<&Outcome> = lazy.interactions().map(|(_, i)| &i.outcome).collect();
    assert!(matches!(outcomes[0], Outcome::Failed { .. }));
    assert!(outcomes[1..]
        .iter()
        .all(|o| matches!(o, Outcome::Skipped { .. })));
}

#[test]
fn a_consumer_filtered_out_counts_all_its_interactions() {
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let mut opts = options(&server.url);
    opts.filter.consumers = vec!["mobile".into()];
    let (whole, lazy) = both(contract_json("web", interactions()), &opts);
    assert_eq!(lazy, whole);
    assert!(lazy.contracts.is_empty());
    assert_eq!(lazy.summary().filtered_out, 600);
}

/// Message contents and synchronous responses stay text until verified;
/// passing and failing, the report is the one the whole contract gives.
#[test]
fn messages_report_what_the_whole_contract_reports() {
    for broken in [Break::Nothing, Break::Message] {
        let (router, _) = app(broken);
        let server = TestServer::serve(router);
        // The test provider knows one event by its description, and price
        // quotes by the start of theirs.
        let messages = (0..300)
            .map(|i| match i % 2 {
                0 => user_created(),
                _ => {
                    let mut quote = price_quote();
                    quote["description"] = format!("a price quote {i}").into();
                    quote
                }
            })
            .collect();
        let (whole, lazy) = both(contract_json("worker", messages), &options(&server.url));
        assert_eq!(lazy, whole);
        let failed = lazy.summary().failed;
        assert_eq!(failed, if broken == Break::Message { 150 } else { 0 });
    }
}
