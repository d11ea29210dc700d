//! The matrix and can-i-deploy (section 5 of the broker notes).
//!
//! Rows are computed from every integration of the specified versions,
//! never truncated. With a target (an environment, a tag, the latest or the
//! main branch), each integration where the specified application is the
//! consumer needs a successful verification between its pact and every
//! provider version in the target; where it is the provider, every
//! consumer version in the target that has a pact with it needs one from
//! the specified version. Environment targets are checked per co-resident
//! version whatever `latestby` says, so an incompatible older version
//! still deployed is not hidden.

use std::collections::HashMap;

use crate::error::BrokerError;
use crate::store::{
    DeploymentFilter, DeploymentKind, LatestFilter, PactRow, Store, Verification, Version,
};

/// Which versions of a pacticipant a selector names.
#[derive(Debug, Clone, Default)]
pub(crate) struct VersionSelector {
    /// The pacticipant.
    pub(crate) pacticipant: String,
    /// An exact version number.
    pub(crate) version: Option<String>,
    /// The latest (optionally with `tag`).
    pub(crate) latest: bool,
    /// A tag.
    pub(crate) tag: Option<String>,
    /// The head of a branch.
    pub(crate) branch: Option<String>,
    /// The head of the main branch.
    pub(crate) main_branch: bool,
    /// The versions in an environment.
    pub(crate) environment: Option<String>,
}

/// Where the specified versions are going.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// No target: show what is known.
    None,
    /// Currently deployed or released in this environment.
    Environment(String),
    /// The latest version with this tag.
    Tag(String),
    /// The latest version.
    Latest,
    /// The head of the main branch.
    MainBranch,
}

/// A matrix or can-i-deploy query.
#[derive(Debug, Clone)]
pub(crate) struct MatrixQuery {
    /// The specified versions.
    pub(crate) selectors: Vec<VersionSelector>,
    /// The target.
    pub(crate) target: Target,
    /// Pacticipants (and optionally versions) whose rows do not count.
    pub(crate) ignore: Vec<(String, Option<String>)>,
}

/// What a row says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Verified successfully for exactly these versions.
    Success,
    /// The verification for these versions failed.
    Failed,
    /// No result for these versions.
    Unknown,
}

/// One integration between two versions.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Consumer name.
    pub(crate) consumer: String,
    /// Consumer version.
    pub(crate) consumer_version: Version,
    /// Provider name.
    pub(crate) provider: String,
    /// Provider version, when one is concerned.
    pub(crate) provider_version: Option<Version>,
    /// The publication.
    pub(crate) pact: PactRow,
    /// The latest verification for exactly these versions.
    pub(crate) verification: Option<Verification>,
    /// The outcome of the row.
    pub(crate) status: Status,
    /// Why, in words.
    pub(crate) reason: String,
    /// Matched an ignore selector.
    pub(crate) ignored: bool,
}

/// The decision.
#[derive(Debug, Clone)]
pub(crate) struct Decision {
    /// true, false, or None for unknown.
    pub(crate) deployable: Option<bool>,
    /// The reason, in words.
    pub(crate) reason: String,
    /// The rows, all of them.
    pub(crate) rows: Vec<Row>,
    /// Extra notices (warnings).
    pub(crate) warnings: Vec<String>,
}

/// Resolves the selectors, builds the rows and decides.
pub(crate) fn evaluate(store: &dyn Store, query: &MatrixQuery) -> Result<Decision, BrokerError> {
    let mut specified = Vec::new();
    let mut missing = Vec::new();
    for selector in &query.selectors {
        let found = resolve(store, selector)?;
        if found.is_empty() {
            missing.push(describe(selector));
        }
        specified.push(found);
    }
    let mut warnings = Vec::new();
    if query.target == Target::None && query.selectors.len() == 1 {
        warnings.push("It is recommended to specify the environment into which you are deploying. Without the environment, this result will not be accurate.".to_owned());
    }
    let mut rows = if specified.len() > 1 {
        between(store, &specified)?
    } else {
        let versions = specified.into_iter().flatten().collect::<Vec<_>>();
        let mut rows = Vec::new();
        for v in &versions {
            rows.extend(as_consumer(store, v, &query.target)?);
            rows.extend(as_provider(store, v, &query.target)?);
        }
        rows
    };
    for row in &mut rows {
        row.ignored = query.ignore.iter().any(|(name, version)| {
            let hit = |n: &str, v: Option<&Version>| {
                n == name
                    && version
                        .as_ref()
                        .is_none_or(|want| v.is_some_and(|v| v.number == *want))
            };
            hit(&row.consumer, Some(&row.consumer_version))
                || hit(&row.provider, row.provider_version.as_ref())
        });
    }
    Ok(decide(rows, missing, warnings))
}

fn describe(s: &VersionSelector) -> String {
    match (&s.version, &s.tag, &s.branch, &s.environment) {
        (Some(v), ..) => format!("No version with number {v} exists for {}", s.pacticipant),
        (_, Some(t), ..) => format!("No version of {} with tag {t} exists", s.pacticipant),
        (_, _, Some(b), _) => format!("No version of {} from branch {b} exists", s.pacticipant),
        (.., Some(e)) => format!("No version of {} is currently in {e}", s.pacticipant),
        _ if s.main_branch => format!(
            "No version of {} from the main branch exists",
            s.pacticipant
        ),
        _ => format!("No version of {} exists", s.pacticipant),
    }
}

/// The versions a selector names.
fn resolve(store: &dyn Store, s: &VersionSelector) -> Result<Vec<Version>, BrokerError> {
    let p = s.pacticipant.as_str();
    if let Some(number) = &s.version {
        return Ok(store.version(p, number)?.into_iter().collect());
    }
    if let Some(env) = &s.environment {
        return in_environment(store, p, env);
    }
    let filter = if let Some(tag) = &s.tag {
        if !s.latest {
            return Ok(store.versions_with_tag(p, tag)?);
        }
        LatestFilter::Tag(tag.clone())
    } else if let Some(branch) = &s.branch {
        LatestFilter::Branch(branch.clone())
    } else if s.main_branch {
        match store.pacticipant(p)?.and_then(|p| p.main_branch) {
            Some(main) => LatestFilter::Branch(main),
            None => return Ok(Vec::new()),
        }
    } else if s.latest {
        LatestFilter::Any
    } else {
        // A pacticipant alone names all its versions, as in the Pact Broker.
        return Ok(store.versions(p)?);
    };
    Ok(store.latest_version(p, &filter)?.into_iter().collect())
}

/// Versions of a pacticipant deployed or released (and supported) in an
/// environment named `env`.
fn in_environment(
    store: &dyn Store,
    pacticipant: &str,
    env: &str,
) -> Result<Vec<Version>, BrokerError> {
    let Some(environment) = store.environment_by_name(env)? else {
        return Err(BrokerError::NotFound(format!("environment '{env}'")));
    };
    let mut versions: Vec<Version> = Vec::new();
    for kind in [DeploymentKind::Deployed, DeploymentKind::Released] {
        let filter = DeploymentFilter {
            kind,
            environment: Some(environment.uuid.clone()),
            pacticipant: Some(pacticipant.to_owned()),
            version: None,
        };
        for d in store.current_deployments(&filter)? {
            if !versions.iter().any(|v| v.number == d.version) {
                versions.extend(store.version(pacticipant, &d.version)?);
            }
        }
    }
    Ok(versions)
}

/// The counterpart versions in the target.
fn counterparts(
    store: &dyn Store,
    pacticipant: &str,
    target: &Target,
) -> Result<Vec<Version>, BrokerError> {
    let selector = VersionSelector {
        pacticipant: pacticipant.to_owned(),
        latest: true,
        tag: match target {
            Target::Tag(t) => Some(t.clone()),
            _ => None,
        },
        main_branch: *target == Target::MainBranch,
        environment: match target {
            Target::Environment(e) => Some(e.clone()),
            _ => None,
        },
        ..VersionSelector::default()
    };
    resolve(store, &selector)
}

fn target_words(target: &Target) -> String {
    match target {
        Target::Environment(e) => format!("currently in {e}"),
        Target::Tag(t) => format!("with tag {t}"),
        Target::MainBranch => "from the main branch".to_owned(),
        Target::Latest | Target::None => "at all".to_owned(),
    }
}

/// Rows where `v` is the consumer: one per provider version in the target
/// (or one unknown row when the provider has none there).
fn as_consumer(store: &dyn Store, v: &Version, target: &Target) -> Result<Vec<Row>, BrokerError> {
    let pacts = store.pacts_of_version(v.id)?;
    let ids: Vec<i64> = pacts.iter().map(|p| p.content_id).collect();
    let verifications = store.verifications_of(&ids)?;
    let mut rows = Vec::new();
    for pact in pacts {
        let of: Vec<&Verification> = verifications
            .iter()
            .filter(|r| r.content_id == pact.content_id && r.provider == pact.provider)
            .collect();
        let providers = if *target == Target::None {
            newest_verifier(store, &of)?
        } else {
            counterparts(store, &pact.provider, target)?
        };
        if providers.is_empty() {
            rows.push(unknown_counterpart(v.clone(), pact, target, &of));
            continue;
        }
        for pv in providers {
            rows.push(row(v.clone(), pact.clone(), pv, &of));
        }
    }
    Ok(rows)
}

/// Rows where `v` is the provider: one per consumer version in the target
/// that has a pact with it (consumers not in the target are not required).
fn as_provider(store: &dyn Store, v: &Version, target: &Target) -> Result<Vec<Row>, BrokerError> {
    let mut rows = Vec::new();
    for consumer in store.consumers_of(&v.pacticipant)? {
        let versions = if *target == Target::None {
            latest_only(store, &consumer)?
        } else {
            counterparts(store, &consumer, target)?
        };
        for cv in versions {
            let pacts: Vec<PactRow> = store
                .pacts_of_version(cv.id)?
                .into_iter()
                .filter(|p| p.provider == v.pacticipant)
                .collect();
            let ids: Vec<i64> = pacts.iter().map(|p| p.content_id).collect();
            let verifications = store.verifications_of(&ids)?;
            for pact in pacts {
                let of: Vec<&Verification> = verifications
                    .iter()
                    .filter(|r| r.content_id == pact.content_id && r.provider == pact.provider)
                    .collect();
                rows.push(row(cv.clone(), pact, v.clone(), &of));
            }
        }
    }
    Ok(rows)
}

fn latest_only(store: &dyn Store, pacticipant: &str) -> Result<Vec<Version>, BrokerError> {
    Ok(store
        .latest_version(pacticipant, &LatestFilter::Any)?
        .into_iter()
        .collect())
}

/// Without a target: the newest provider version that verified the pact.
fn newest_verifier(store: &dyn Store, of: &[&Verification]) -> Result<Vec<Version>, BrokerError> {
    match of.iter().max_by_key(|r| r.id) {
        Some(r) => Ok(store
            .version_by_id(r.provider_version_id)?
            .into_iter()
            .collect()),
        None => Ok(Vec::new()),
    }
}

/// Rows between explicitly specified versions of several pacticipants.
fn between(store: &dyn Store, specified: &[Vec<Version>]) -> Result<Vec<Row>, BrokerError> {
    let all: Vec<&Version> = specified.iter().flatten().collect();
    let by_id: HashMap<i64, &Version> = all.iter().map(|v| (v.id, *v)).collect();
    let mut rows = Vec::new();
    for consumer in &all {
        let pacts = store.pacts_of_version(consumer.id)?;
        let ids: Vec<i64> = pacts.iter().map(|p| p.content_id).collect();
        let verifications = store.verifications_of(&ids)?;
        for pact in pacts {
            for provider in by_id.values().filter(|p| p.pacticipant == pact.provider) {
                let of: Vec<&Verification> = verifications
                    .iter()
                    .filter(|r| r.content_id == pact.content_id && r.provider == pact.provider)
                    .collect();
                rows.push(row(
                    (*consumer).clone(),
                    pact.clone(),
                    (*provider).clone(),
                    &of,
                ));
            }
        }
    }
    Ok(rows)
}

fn row(cv: Version, pact: PactRow, pv: Version, of: &[&Verification]) -> Row {
    let exact = of
        .iter()
        .filter(|r| r.provider_version_id == pv.id)
        .max_by_key(|r| r.id)
        .map(|r| (*r).clone());
    let between = format!(
        "version {} of {} and version {} of {}",
        cv.number, pact.consumer, pv.number, pact.provider
    );
    let (status, reason) = match &exact {
        Some(r) if r.success => (
            Status::Success,
            format!("The pact between {between} was verified successfully"),
        ),
        Some(_) => (
            Status::Failed,
            format!("The verification for the pact between {between} failed"),
        ),
        None if of.is_empty() => (
            Status::Unknown,
            format!(
                "There is no verified pact between {between}: {} has never verified this pact",
                pact.provider
            ),
        ),
        None => {
            let mut others: Vec<&str> = of.iter().map(|r| r.provider_version.as_str()).collect();
            others.dedup();
            (Status::Unknown, format!("There is no verified pact between {between}: the pact was verified only by other versions of {} ({})", pact.provider, others.join(", ")))
        }
    };
    Row {
        consumer: pact.consumer.clone(),
        consumer_version: cv,
        provider: pact.provider.clone(),
        provider_version: Some(pv),
        pact,
        verification: exact,
        status,
        reason,
        ignored: false,
    }
}

fn unknown_counterpart(cv: Version, pact: PactRow, target: &Target, of: &[&Verification]) -> Row {
    let reason = match target {
        Target::Environment(e) => format!(
            "There is no verified pact between version {} of {} and a version of {} currently in {e} (no version of {} is currently recorded as deployed/released in this environment)",
            cv.number, pact.consumer, pact.provider, pact.provider
        ),
        Target::None if of.is_empty() => format!("There is no verified pact between version {} of {} and {}: {} has never verified this pact", cv.number, pact.consumer, pact.provider, pact.provider),
        other => format!("There is no verified pact between version {} of {} and a version of {} {} (no such version of {} exists)", cv.number, pact.consumer, pact.provider, target_words(other), pact.provider),
    };
    Row {
        consumer: pact.consumer.clone(),
        consumer_version: cv,
        provider: pact.provider.clone(),
        provider_version: None,
        pact,
        verification: None,
        status: Status::Unknown,
        reason,
        ignored: false,
    }
}

fn decide(rows: Vec<Row>, missing: Vec<String>, warnings: Vec<String>) -> Decision {
    let counted = || rows.iter().filter(|r| !r.ignored);
    let failed: Vec<&str> = counted()
        .filter(|r| r.status == Status::Failed)
        .map(|r| r.reason.as_str())
        .collect();
    let unknown: Vec<&str> = counted()
        .filter(|r| r.status == Status::Unknown)
        .map(|r| r.reason.as_str())
        .collect();
    let (deployable, reason) = if !missing.is_empty() || !failed.is_empty() {
        let mut reasons = missing.clone();
        reasons.extend(failed.iter().map(|s| (*s).to_owned()));
        (Some(false), reasons.join("; "))
    } else if !unknown.is_empty() {
        (None, unknown.join("; "))
    } else if rows.is_empty() {
        (Some(true), "There are no missing dependencies".to_owned())
    } else {
        (
            Some(true),
            "All required verification results are published and successful".to_owned(),
        )
    };
    Decision {
        deployable,
        reason,
        rows,
        warnings,
    }
}
