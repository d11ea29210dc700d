//! Which events a publication or a verification result raises.

use super::{contract_context, with_verification, Context, Event};
use crate::hal::pact_version_url;
use crate::links::Links;
use crate::store::{
    ContractStatus, DeploymentFilter, DeploymentKind, LatestFilter, Pact, PublishOutcome, Store,
    StoreResult, Trigger, Verification,
};

fn event(name: &'static str, mut context: Context, trigger: Trigger) -> Event {
    context.set("eventName", name.to_owned());
    Event {
        name,
        context,
        trigger,
    }
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
        let context = contract_context(
            consumer,
            provider,
            version,
            &pact_version_url(links, &pact, None),
        );
        let trigger = Trigger {
            consumer_version_id: Some(version.id),
            content_id: Some(pact.content.id),
            verification_id: None,
        };
        events.push(event("contract_published", context.clone(), trigger));
        if *status != ContractStatus::Unchanged && content_changed(store, &pact)? {
            events.push(event("contract_content_changed", context.clone(), trigger));
        }
        for (number, branch) in unverified_targets(store, provider, pact.content.id)? {
            let mut context = context.clone();
            context.set("providerVersionNumber", number);
            context.set("providerVersionBranch", branch);
            events.push(event(
                "contract_requiring_verification_published",
                context,
                trigger,
            ));
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
/// and `_succeeded` or `_failed`, once per result. `pact` is the content
/// as published by the consumer version the result was for.
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
        &pact_version_url(links, pact, None),
    );
    let context = with_verification(context, verification, result_url);
    let trigger = Trigger {
        consumer_version_id: Some(pact.consumer_version.id),
        content_id: Some(c.id),
        verification_id: Some(verification.id),
    };
    let outcome = if verification.success {
        "provider_verification_succeeded"
    } else {
        "provider_verification_failed"
    };
    vec![
        event("provider_verification_published", context.clone(), trigger),
        event(outcome, context, trigger),
    ]
}

/// A sample event for testing a webhook: its first event, for the newest
/// latest pact it matches, or carrying only the webhook's own consumer
/// and provider names when it matches none.
pub(crate) fn sample(
    store: &dyn Store,
    links: &Links,
    definition: &serde_json::Value,
) -> StoreResult<Event> {
    let subscribed = definition["events"][0]["name"].as_str().unwrap_or_default();
    let name = super::EVENTS
        .iter()
        .copied()
        .find(|e| *e == subscribed)
        .unwrap_or("contract_published");
    for row in store.latest_pacts()?.iter().rev() {
        let mut names = Context::default();
        names.set("consumerName", row.consumer.clone());
        names.set("providerName", row.provider.clone());
        let labels = super::Labels {
            consumer: store.labels_of(&row.consumer)?,
            provider: store.labels_of(&row.provider)?,
        };
        if !super::definition::matches(definition, name, &names, &labels) {
            continue;
        }
        if let Some(pact) =
            store.pact_for_version(&row.provider, &row.consumer, &row.version_number)?
        {
            let c = &pact.content;
            let context = contract_context(
                &c.consumer,
                &c.provider,
                &pact.consumer_version,
                &pact_version_url(links, &pact, None),
            );
            return Ok(event(name, context, Trigger::default()));
        }
    }
    let mut context = Context::default();
    for (side, param) in [("consumer", "consumerName"), ("provider", "providerName")] {
        if let Some(name) = definition[side]["name"].as_str() {
            context.set(param, name.to_owned());
        }
    }
    Ok(event(name, context, Trigger::default()))
}
