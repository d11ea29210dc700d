//! The Pact compatibility suite (`tests/data/pact-compat`): Gherkin
//! features run against treaty's matcher and generators.
//!
//! Scenarios of features whose area treaty has not built yet are counted as
//! pending and named, and so are single scenarios of owned features listed
//! in `PENDING_SCENARIOS` (with the reason) and those tagged `@wip`; in a
//! feature treaty owns, a step without a definition is a failure. Prints
//! `pact-compat: N passed, M failed, K pending`.

mod authoring;
mod broker;
mod fixtures;
mod generators;
mod http_consumer;
mod http_provider;
mod matching;
mod message_consumer;
mod message_provider;
mod stand_in;
mod steps;
mod verifier;
mod wording;
mod world;

use std::path::{Path, PathBuf};

use gherkin::{Feature, GherkinEnv};

use steps::StepRegistry;
use world::World;

/// Features treaty runs, relative to `features/`.
const OWNED: &[&str] = &[
    "V1/http_consumer.feature",
    "V1/http_provider.feature",
    "V2/http_consumer.feature",
    "V2/http_provider.feature",
    "V3/generators.feature",
    "V3/http_consumer.feature",
    "V3/http_generators.feature",
    "V3/http_matching.feature",
    "V3/http_provider.feature",
    "V3/matching_rules.feature",
    "V3/message_consumer.feature",
    "V3/message_provider.feature",
    "V4/generators.feature",
    "V4/http_consumer.feature",
    "V4/http_provider.feature",
    "V4/matching_rules.feature",
    "V4/message_consumer.feature",
    "V4/message_provider.feature",
    "V4/synchronous_message_consumer.feature",
    "V4/v4.feature",
];

/// Scenarios of owned features that wait for another area: (feature,
/// text in the scenario name, why).
const PENDING_SCENARIOS: &[(&str, &str, &str)] = &[];

/// Why a scenario of an owned feature is not run, if it is not.
fn pending_reason(feature: &str, scenario: &gherkin::Scenario) -> Option<&'static str> {
    if scenario.tags.iter().any(|t| t == "wip") {
        return Some("tagged @wip upstream");
    }
    PENDING_SCENARIOS
        .iter()
        .find(|(f, name, _)| *f == feature && scenario.name.contains(name))
        .map(|(_, _, why)| *why)
}

fn suite_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/pact-compat")
}

fn feature_files() -> Vec<String> {
    let mut files = Vec::new();
    for version in ["V1", "V2", "V3", "V4"] {
        let dir = suite_root().join("features").join(version);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".feature"))
            .collect();
        names.sort();
        files.extend(names.into_iter().map(|n| format!("{version}/{n}")));
    }
    files
}

/// Runs one scenario (background first); `Err` names the failing step.
fn run_scenario(
    registry: &StepRegistry,
    feature: &Feature,
    scenario: &gherkin::Scenario,
    version: &str,
) -> Result<(), String> {
    let mut world = World::new(version);
    let background = feature.background.iter().flat_map(|b| &b.steps);
    for step in background.chain(&scenario.steps) {
        registry
            .run(&mut world, step)
            .map_err(|e| format!("step `{} {}`: {e}", step.keyword.trim(), step.value))?;
    }
    Ok(())
}

#[test]
fn pact_compatibility_suite() {
    let registry = StepRegistry::new();
    let (mut passed, mut failures, mut pending) = (0, Vec::new(), Vec::new());
    for rel in feature_files() {
        let path = suite_root().join("features").join(&rel);
        let feature = Feature::parse_path(&path, GherkinEnv::default())
            .unwrap_or_else(|e| panic!("cannot parse {rel}: {e}"));
        let count = feature.scenarios.len();
        if !OWNED.contains(&rel.as_str()) {
            pending.push((rel, count));
            continue;
        }
        let version = &rel[..2];
        for scenario in &feature.scenarios {
            if let Some(why) = pending_reason(&rel, scenario) {
                pending.push((format!("{rel} / {}: {why}", scenario.name), 1));
                continue;
            }
            match run_scenario(&registry, &feature, scenario, version) {
                Ok(()) => passed += 1,
                Err(why) => failures.push(format!("{rel} / {}: {why}", scenario.name)),
            }
        }
    }
    for failure in &failures {
        eprintln!("FAIL {failure}");
    }
    let pending_count: usize = pending.iter().map(|(_, n)| n).sum();
    for (what, n) in &pending {
        if what.contains(" / ") {
            println!("pending: {what}");
        } else {
            println!("pending: {what} ({n} scenarios, area not built yet)");
        }
    }
    println!(
        "pact-compat: {passed} passed, {} failed, {pending_count} pending",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} pact-compat scenarios failed",
        failures.len()
    );
    assert_eq!(
        passed + pending_count,
        190,
        "every scenario of the suite must be counted"
    );
}
