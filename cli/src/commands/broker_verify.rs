//! `treaty verify --broker-url U --provider P`: fetch the pacts the broker
//! selects for the provider, verify them with the engine, report pending
//! and WIP failures as warnings (with the broker's notices), and publish
//! the results to each pact's link.

use anyhow::{anyhow, bail, Context};
use serde_json::{json, Value};
use treaty_core::broker_client::{
    BrokerClient, PactForVerification, PactsForVerificationRequest, VerificationResult,
    VersionUpdate,
};
use treaty_core::read::parse_contract;
use treaty_core::verify::{verify, InteractionReport, LoadedContract, Outcome, VerificationReport};

use super::connect::{client, failed};
use super::verify::{finish, options};
use crate::args::VerifyArgs;
use crate::broker_args::VerifyBrokerArgs;
use crate::exit::Exit;

/// A pact fetched for verification: what the broker said about it, and
/// the document (whose links take the result).
struct Fetched {
    pact: PactForVerification,
    doc: Value,
}

pub(crate) fn run(args: &VerifyArgs, url: &str) -> anyhow::Result<Exit> {
    let b = &args.broker;
    let provider = b.provider.clone().ok_or_else(|| {
        anyhow!("--broker-url needs --provider NAME (the provider's name in the broker)")
    })?;
    let client = client(url, &b.auth)?;
    let request = PactsForVerificationRequest {
        provider: provider.clone(),
        selectors: selectors(b)?,
        provider_branch: b.provider_branch.clone(),
        provider_tags: b.provider_tags.clone(),
        include_pending: b.enable_pending,
        include_wip_since: b.include_wip_pacts_since.clone(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let fetched = runtime.block_on(fetch(&client, &request))?;
    if fetched.is_empty() {
        bail!("the broker at {url} selected no pact for {provider}; check --provider and the consumer version selectors");
    }
    let contracts = fetched
        .iter()
        .map(contract)
        .collect::<anyhow::Result<Vec<_>>>()?;
    for f in &fetched {
        announce(f);
    }
    let report = runtime.block_on(verify(contracts, options(args)?))?;
    let outcomes: Vec<(usize, Outcomes)> = fetched
        .iter()
        .enumerate()
        .filter_map(|(i, f)| outcomes_of(&report, f).map(|o| (i, o)))
        .collect();
    for (i, outcomes) in &outcomes {
        after(&fetched[*i], outcomes.success, b.publish);
    }
    if b.publish {
        runtime.block_on(publish(&client, b, &provider, &fetched, &outcomes))?;
    }
    finish(args, &report)
}

async fn fetch(
    client: &BrokerClient,
    request: &PactsForVerificationRequest,
) -> anyhow::Result<Vec<Fetched>> {
    let pacts = client
        .pacts_for_verification(request)
        .await
        .map_err(failed("fetch the pacts to verify"))?;
    let mut out = Vec::new();
    for pact in pacts {
        let doc = client
            .get(&pact.href)
            .await
            .map_err(failed("fetch a pact"))?;
        out.push(Fetched { pact, doc });
    }
    Ok(out)
}

/// The pact as a contract; every interaction of a pending pact is pending.
fn contract(f: &Fetched) -> anyhow::Result<LoadedContract> {
    let mut contract = parse_contract(&f.doc.to_string())
        .with_context(|| format!("the pact at {} is not a valid contract", f.pact.href))?;
    if f.pact.pending {
        for interaction in &mut contract.interactions {
            interaction.pending = true;
        }
    }
    Ok(LoadedContract {
        origin: f.pact.href.clone(),
        contract,
    })
}

/// Whether every interaction of this pact passed (`None`: it was filtered out).
/// How one pact's verification went, as published to the broker.
struct Outcomes {
    success: bool,
    /// `testResults`: one entry per interaction, with its mismatches or
    /// error, in the shape the Pact verifier publishes.
    test_results: Value,
}

fn outcomes_of(report: &VerificationReport, f: &Fetched) -> Option<Outcomes> {
    let contract = report.contracts.iter().find(|c| c.origin == f.pact.href)?;
    let success = contract
        .interactions
        .iter()
        .all(|i| !i.outcome.is_problem());
    let test_results = contract.interactions.iter().map(test_result).collect();
    Some(Outcomes {
        success,
        test_results,
    })
}

fn test_result(interaction: &InteractionReport) -> Value {
    let mut entry = json!({
        "interactionDescription": interaction.description,
        "success": !interaction.outcome.is_problem(),
    });
    match &interaction.outcome {
        Outcome::Failed { mismatches, .. } => {
            entry["mismatches"] = mismatches
                .iter()
                .map(|m| json!({"attribute": m.part.as_str(), "identifier": m.location(), "description": m.message}))
                .collect();
        }
        Outcome::Error { message, .. } => entry["exceptions"] = json!([{"message": message}]),
        Outcome::Skipped { reason } => entry["exceptions"] = json!([{"message": reason}]),
        Outcome::Passed => {}
    }
    entry
}

/// Why the pact is verified (stderr: stdout may be JSON).
fn announce(f: &Fetched) {
    let kind = match (f.pact.wip, f.pact.pending) {
        (true, _) => " [WIP, pending]",
        (false, true) => " [pending]",
        _ => "",
    };
    eprintln!(
        "treaty: verifying {} ({}){kind}",
        f.pact.href, f.pact.description
    );
    for n in f
        .pact
        .notices
        .iter()
        .filter(|n| n.kind == "before_verification")
    {
        eprintln!("  {}", n.text);
    }
}

/// The broker's notices for the outcome; a failed pending pact is a warning.
fn after(f: &Fetched, ok: bool, published: bool) {
    if !ok && f.pact.pending {
        eprintln!(
            "treaty: WARNING: the pending pact {} failed; this does not fail the build",
            f.pact.href
        );
    }
    let when = format!("after_verification:success_{ok}_published_{published}");
    for n in f.pact.notices.iter().filter(|n| n.kind == when) {
        eprintln!("  {}", n.text);
    }
}

async fn publish(
    client: &BrokerClient,
    b: &VerifyBrokerArgs,
    provider: &str,
    fetched: &[Fetched],
    outcomes: &[(usize, Outcomes)],
) -> anyhow::Result<()> {
    let version = b
        .provider_version
        .clone()
        .context("--publish needs --provider-version")?;
    if b.provider_branch.is_some() || !b.provider_tags.is_empty() {
        let update = VersionUpdate {
            pacticipant: provider.to_owned(),
            version: version.clone(),
            branch: b.provider_branch.clone(),
            tags: b.provider_tags.clone(),
            build_url: None,
        };
        client
            .create_or_update_version(&update)
            .await
            .map_err(failed("record the provider version's branch and tags"))?;
    }
    for (i, outcome) in outcomes {
        let result = VerificationResult {
            success: outcome.success,
            provider_version: version.clone(),
            build_url: b.build_url.clone(),
            test_results: Some(outcome.test_results.clone()),
        };
        client
            .publish_result(&fetched[*i].doc, &result)
            .await
            .map_err(failed("publish the verification result"))?;
    }
    let results = crate::render::count(outcomes.len(), "verification result");
    eprintln!("treaty: published {results} for {provider} version {version}");
    Ok(())
}

/// The consumer version selectors: JSON ones, then the shortcut flags.
fn selectors(b: &VerifyBrokerArgs) -> anyhow::Result<Vec<Value>> {
    let mut out = Vec::new();
    for text in &b.selectors {
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) => out.extend(items),
            Ok(object @ Value::Object(_)) => out.push(object),
            _ => bail!("--consumer-version-selectors `{text}` is not a JSON object or array of objects (like '{{\"mainBranch\": true}}')"),
        }
    }
    out.extend(
        b.consumer_version_branch
            .iter()
            .map(|branch| json!({"branch": branch})),
    );
    out.extend(
        b.consumer_version_tags
            .iter()
            .map(|tag| json!({"tag": tag, "latest": true})),
    );
    if b.main_branch {
        out.push(json!({"mainBranch": true}));
    }
    if b.matching_branch {
        out.push(json!({"matchingBranch": true}));
    }
    if b.deployed_or_released {
        out.push(json!({"deployedOrReleased": true}));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use treaty_core::matching::{Mismatch, Part};

    use super::*;

    fn report(outcome: Outcome) -> InteractionReport {
        InteractionReport {
            description: "get an order".into(),
            kind: "Synchronous/HTTP",
            provider_states: Vec::new(),
            pending: false,
            comments: Vec::new(),
            test_name: None,
            outcome,
            warnings: Vec::new(),
            duration: Duration::ZERO,
        }
    }

    #[test]
    fn test_results_carry_each_interaction_with_its_mismatches_or_error() {
        assert_eq!(
            test_result(&report(Outcome::Passed)),
            json!({"interactionDescription": "get an order", "success": true})
        );
        let mismatch = Mismatch::new(Part::Body, "$.id", None, None, "Expected 1 to be a string");
        let failed = report(Outcome::Failed {
            mismatches: vec![mismatch],
            body_diff: None,
        });
        assert_eq!(
            test_result(&failed),
            json!({"interactionDescription": "get an order", "success": false, "mismatches": [
                {"attribute": "body", "identifier": "$.body.id", "description": "Expected 1 to be a string"}
            ]})
        );
        let error = report(Outcome::Error {
            kind: treaty_core::verify::ErrorKind::Timeout,
            message: "no answer".into(),
        });
        assert_eq!(
            test_result(&error)["exceptions"],
            json!([{"message": "no answer"}])
        );
    }
}
