//! Filters: by consumer, description, state, no state, and a given set.

use std::collections::HashSet;

use regex::Regex;
use treaty_core::verify::{Filter, InteractionRef};
use treaty_tests::server::TestServer;
use treaty_tests::users::{app, Break};

use super::contracts::{contract, create_user, get_user, health, options, run};

/// The interactions a filter selects out of three; the report counts the
/// others as left out.
fn selected(filter: Filter) -> Vec<String> {
    let (router, _) = app(Break::Nothing);
    let server = TestServer::serve(router);
    let mut opts = options(&server.url);
    opts.filter = filter;
    let contracts = vec![
        contract("web", vec![get_user(), health()]),
        contract("mobile", vec![create_user()]),
    ];
    let report = run(contracts, opts);
    let selected: Vec<String> = report
        .interactions()
        .map(|(c, i)| format!("{}: {}", c.consumer, i.description))
        .collect();
    assert_eq!(report.summary().filtered_out, 3 - selected.len());
    selected
}

#[test]
fn each_filter_selects_its_interactions() {
    let by_consumer = Filter {
        consumers: vec!["mobile".into()],
        ..Filter::default()
    };
    assert_eq!(selected(by_consumer), ["mobile: create a user"]);
    let by_description = Filter {
        description: Some(Regex::new("^(get|create)").unwrap()),
        ..Filter::default()
    };
    assert_eq!(
        selected(by_description),
        ["web: get user 42", "mobile: create a user"]
    );
    let by_state = Filter {
        state: Some(Regex::new("user exists").unwrap()),
        ..Filter::default()
    };
    assert_eq!(selected(by_state), ["web: get user 42"]);
    let no_state = Filter {
        no_state: true,
        ..Filter::default()
    };
    assert_eq!(
        selected(no_state),
        ["web: health check", "mobile: create a user"]
    );
    let only = Filter {
        only: Some(HashSet::from([InteractionRef {
            consumer: "web".into(),
            description: "health check".into(),
        }])),
        ..Filter::default()
    };
    assert_eq!(selected(only), ["web: health check"]);
}
