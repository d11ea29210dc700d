//! Which events a publication or a verification result raises.

use super::{contract_context, with_verification, Context, Event};
use crate::links::Links;
use crate::store::{
    ContractStatus, DeploymentFilter, DeploymentKind, LatestFilter, Pact, PublishOutcome, Store,
    StoreResult, Verification,
};

fn event(name: &'static str, mut context: Context) -> Event {
    context.set("eventName", name.to_owned());
    Event { name, context }
}

fn pact_url(links: &Links, pact: &Pact) -> String {
    let c = &pact.content;
    links.url(&[
        "pacts",
        "provider",
        &c.provider,
        "consumer",
        &c.consumer,
        "pact-version",
        &c.sha,
    ])
}

/// The events of a publication: `contract_published` per contract,
/// `contract_content_changed` when the content differs from the
/// publication it is compared with, and
/// `contract_requiring_verification_published` per provider version
/// (main-branch head, deployed or released) that has not verified it.
/// Nothing is computed when no webhook exists.
pub(crate) fn for_publication(
    store: &dyn Store,
    links: &Links,
    outcome: &PublishOutcome,
) -> StoreResult<Vec<Event>> {
    if store.webhooks()?.is_empty() {
        return Ok(Vec::new());
    }
    let version = &outcome.version;
    let consumer = version.pacticipant.as_str();
    let mut events = Vec::new();
    for (provider, status) in &outcome.contracts {
        let Some(pact) = store.pact_for_version(provider, consumer, &version.number)? else {
            continue;
        };
        let context = contract_context(consumer, provider, version, &pact_url(links, &pact));
        events.push(event("contract_published", context.clone()));
        if *status != ContractStatus::Unchanged && content_changed(store, &pact)? {
            events.push(event("contract_content_changed", context.clone()));
        }
        for (number, branch) in unverified_targets(store, provider, pact.content.id)? {
            let mut context = context.clone();
            context.set("providerVersionNumber", number);
            context.set("providerVersionBranch", branch);
            events.push(event("contract_requiring_verification_published", context));
        }
    }
    Ok(events)
}

/// Compared with the latest earlier publication carrying each of the
/// version's tags (a first publication for a tag counts as changed), or
/// for an untagged version with the previous publication.
fn content_changed(store: &dyn Store, pact: &Pact) -> StoreResult<bool> {
    let c = &pact.content;
    let rows = store.provider_pacts(&c.provider, Some(&c.consumer))?;
    let this = pact.consumer_version.id;
    let earlier: Vec<_> = rows.iter().take_while(|r| r.version_id != this).collect();
    let tags = &pact.consumer_version.tags;
    if tags.is_empty() {
        return Ok(earlier.last().is_none_or(|prev| prev.sha != c.sha));
    }
    Ok(tags.iter().any(|tag| {
        earlier
            .iter()
            .rev()
            .find(|r| r.tags.contains(tag))
            .is_none_or(|prev| prev.sha != c.sha)
    }))
}

/// Provider versions that should verify this content: the main-branch
/// head and every currently deployed or released version, without a
/// verification of it yet. Returns (number, branch).
fn unverified_targets(
    store: &dyn Store,
    provider: &str,
    content_id: i64,
) -> StoreResult<Vec<(String, String)>> {
    let mut targets: Vec<(String, String)> = Vec::new();
    if let Some(main) = store.pacticipant(provider)?.and_then(|p| p.main_branch) {
        if let Some(head) = store.latest_version(provider, &LatestFilter::Branch(main.clone()))? {
            targets.push((head.number, main));
        }
    }
    for kind in [DeploymentKind::Deployed, DeploymentKind::Released] {
        let filter = DeploymentFilter {
            kind,
            environment: None,
            pacticipant: Some(provider.to_owned()),
            version: None,
        };
        for d in store.current_deployments(&filter)? {
            if !targets.iter().any(|(n, _)| *n == d.version) {
                targets.push((d.version, String::new()));
            }
        }
    }
    if targets.is_empty() {
        return Ok(targets);
    }
    let verified = store.verifications_of(&[content_id])?;
    targets.retain(|(number, _)| !verified.iter().any(|v| v.provider_version == *number));
    Ok(targets)
}

/// The events of a verification result: `provider_verification_published`
/// and `_succeeded` or `_failed`.
pub(crate) fn for_verification(
    links: &Links,
    pact: &Pact,
    verification: &Verification,
    result_url: &str,
) -> Vec<Event> {
    let c = &pact.content;
    let context = contract_context(
        &c.consumer,
        &c.provider,
        &pact.consumer_version,
        &pact_url(links, pact),
    );
    let context = with_verification(context, verification, result_url);
    let outcome = if verification.success {
        "provider_verification_succeeded"
    } else {
        "provider_verification_failed"
    };
    vec![
        event("provider_verification_published", context.clone()),
        event(outcome, context),
    ]
}
