//! Steps shared by the HTTP and message verifier features: running the
//! verification against the stand-in provider and checking its results,
//! state-change calls, comments and pending errors.

use std::sync::Arc;

use gherkin::Table;
use serde_json::Value;
use treaty_core::matching::Part;
use treaty_core::model::{Contract, Interaction};
use treaty_core::verify::{
    verify, ErrorKind, InteractionReport, LoadedContract, Outcome, StateChangeOptions, Verdict,
    VerificationReport, VerifyOptions,
};
use treaty_tests::server::TestServer;

use super::fixtures;
use super::stand_in::{self, StandIn};
use super::steps::Handler;
use super::world::World;

/// The verifier part of a scenario's world.
#[derive(Default)]
pub(crate) struct VerifyWorld {
    /// The Background's HTTP interactions, numbered from 1.
    pub(crate) table: Vec<Interaction>,
    pub(crate) stand_in: StandIn,
    pub(crate) contracts: Vec<Contract>,
    pub(crate) state_callback: bool,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) ran: Option<(Arc<StandIn>, VerificationReport)>,
    /// Fake brokers the pacts are fetched from ("via a Pact broker").
    pub(crate) brokers: Vec<super::broker::FakeBroker>,
    /// Publish results to the brokers.
    pub(crate) publish: bool,
}

pub(crate) const STEPS: &[(&str, Handler)] = &[
    ("a provider state callback is configured", |w, _, _| {
        w.verify.state_callback = true;
        Ok(())
    }),
    (
        "a provider state callback is configured, but will return a failure",
        |w, _, _| {
            w.verify.state_callback = true;
            w.verify.stand_in.state_fails = true;
            Ok(())
        },
    ),
    ("the verification is run", run),
    (
        "the verification will be successful",
        |w, _, _| match report(w)?.verdict() {
            Verdict::Passed => Ok(()),
            other => Err(format!("verdict {other:?}: {:#?}", report(w)?)),
        },
    ),
    (
        "the verification will NOT be successful",
        |w, _, _| match report(w)?.verdict() {
            Verdict::Passed => Err("the verification passed".into()),
            _ => Ok(()),
        },
    ),
    (
        r#"the verification results will contain a "([^"]*)" error"#,
        |w, p, _| has_error(w, &p[0], false),
    ),
    (r#"there will be a pending "([^"]*)" error"#, |w, p, _| {
        has_error(w, &p[0], true)
    }),
    (
        "the provider state callback will be called before the verification is run",
        |w, _, _| called(w, "setup", None, None),
    ),
    (
        "the provider state callback will be called after the verification is run",
        |w, _, _| called(w, "teardown", None, None),
    ),
    (
        r#"the provider state callback will receive a setup call with "([^"]*)" as the provider state parameter"#,
        |w, p, _| called(w, "setup", Some(&p[0]), None),
    ),
    (
        r#"the provider state callback will receive a teardown call "([^"]*)" as the provider state parameter"#,
        |w, p, _| called(w, "teardown", Some(&p[0]), None),
    ),
    (
        r#"the provider state callback will receive a setup call with "([^"]*)" and the following parameters:"#,
        |w, p, t| called(w, "setup", Some(&p[0]), Some(params(t)?)),
    ),
    (
        r#"the provider state callback will receive a teardown call "([^"]*)" and the following parameters:"#,
        |w, p, t| called(w, "teardown", Some(&p[0]), Some(params(t)?)),
    ),
    (
        "the provider state callback will NOT receive a teardown call",
        |w, _, _| match called(w, "teardown", None, None) {
            Ok(()) => Err("a teardown call was made".into()),
            Err(_) => Ok(()),
        },
    ),
    (
        r#"a warning will be displayed that there was no provider state callback configured for provider state "([^"]*)""#,
        |w, p, _| {
            let warned = report(w)?
                .interactions()
                .flat_map(|(_, i)| &i.warnings)
                .any(|m| m.contains(&format!("'{}'", p[0])));
            warned.then_some(()).ok_or("no such warning".into())
        },
    ),
    (
        r#"the comment "([^"]*)" will have been printed to the console"#,
        |w, p, _| first(w, |i| i.comments.contains(&p[0]), "no such comment"),
    ),
    (
        r#"the "([^"]*)" will displayed as the original test name"#,
        |w, p, _| {
            first(
                w,
                |i| i.test_name.as_deref() == Some(&p[0]),
                "no such test name",
            )
        },
    ),
];

/// Adds a one-interaction pact (consumer `c_N`, provider `p`).
pub(crate) fn add_pact(w: &mut World, interaction: Interaction) {
    let n = w.verify.contracts.len() + 1;
    let mut contract = Contract::new(format!("c_{n}"), "p");
    contract.spec_version = w.version;
    contract.interactions.push(interaction);
    w.verify.contracts.push(contract);
}

fn run(w: &mut World, _: &[String], _: Option<&Table>) -> Result<(), String> {
    let stand_in = Arc::new(std::mem::take(&mut w.verify.stand_in));
    let server = TestServer::serve(stand_in::app(stand_in.clone()));
    let mut options = VerifyOptions::new(&server.url);
    options.headers = w.verify.headers.clone();
    options.message_url = Some(format!("{}/_message", server.url));
    if w.verify.state_callback {
        let mut state = StateChangeOptions::new(format!("{}/_state", server.url));
        state.teardown = true;
        options.state_change = Some(state);
    }
    let mut contracts: Vec<LoadedContract> = w
        .verify
        .contracts
        .iter()
        .enumerate()
        .map(|(i, contract)| LoadedContract {
            origin: format!("pact {}", i + 1),
            contract: contract.clone(),
        })
        .collect();
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let fetched = runtime.block_on(super::broker::fetch(&w.verify.brokers))?;
    contracts.extend(fetched.iter().map(|(c, _)| c.clone()));
    let report = runtime
        .block_on(verify(contracts, options))
        .map_err(|e| e.to_string())?;
    if w.verify.publish {
        runtime.block_on(super::broker::publish(&w.verify.brokers, &fetched, &report))?;
    }
    drop(server);
    w.verify.ran = Some((stand_in, report));
    Ok(())
}

pub(crate) fn report(w: &World) -> Result<&VerificationReport, String> {
    w.verify
        .ran
        .as_ref()
        .map(|(_, r)| r)
        .ok_or_else(|| "the verification has not run".into())
}

pub(crate) fn stand_in(w: &World) -> Result<&StandIn, String> {
    w.verify
        .ran
        .as_ref()
        .map(|(s, _)| s.as_ref())
        .ok_or_else(|| "the verification has not run".into())
}

fn first(
    w: &World,
    test: impl Fn(&InteractionReport) -> bool,
    missing: &str,
) -> Result<(), String> {
    let found = report(w)?.interactions().any(|(_, i)| test(i));
    found.then_some(()).ok_or_else(|| missing.to_owned())
}

/// The suite's error categories, as found in treaty's report.
fn has_error(w: &World, category: &str, pending: bool) -> Result<(), String> {
    let parts: &[Part] = match category {
        "Response status did not match" => &[Part::Status],
        "Headers had differences" => &[Part::Header],
        "Body had differences" => &[Part::Body, Part::BodyType],
        "Metadata had differences" => &[Part::Metadata],
        "State change request failed" => &[],
        other => return Err(format!("unknown error category {other}")),
    };
    let matches = |i: &InteractionReport| match &i.outcome {
        Outcome::Failed { mismatches, .. } => mismatches.iter().any(|m| parts.contains(&m.part)),
        Outcome::Error { kind, .. } => parts.is_empty() && *kind == ErrorKind::StateChangeFailed,
        _ => false,
    };
    let report = report(w)?;
    let found = report
        .interactions()
        .any(|(_, i)| i.pending == pending && matches(i));
    found
        .then_some(())
        .ok_or_else(|| format!("no {category} error in {report:#?}"))
}

fn params(table: Option<&Table>) -> Result<Value, String> {
    let rows = fixtures::rows(table)?;
    let row = rows.first().ok_or("empty parameter table")?;
    let mut out = serde_json::Map::new();
    for (name, cell) in row {
        let value = serde_json::from_str(cell).map_err(|e| format!("bad JSON {cell}: {e}"))?;
        out.insert(name.clone(), value);
    }
    Ok(Value::Object(out))
}

fn called(
    w: &World,
    action: &str,
    state: Option<&str>,
    params: Option<Value>,
) -> Result<(), String> {
    let calls = stand_in(w)?.state_calls.lock().unwrap().clone();
    let found = calls.iter().any(|c| {
        c["action"] == action
            && state.is_none_or(|s| c["state"] == s)
            && params.as_ref().is_none_or(|p| &c["params"] == p)
    });
    found
        .then_some(())
        .ok_or_else(|| format!("no such {action} call in {calls:?}"))
}
