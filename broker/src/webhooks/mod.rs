//! Webhooks: definitions, the events that trigger them, templating, the
//! target allow-list, and the delivery queue.
//!
//! A triggering request (publish, verification result) renders every
//! matching webhook's request for its event and queues it in the database
//! ([`crate::store::Store::enqueue_deliveries`]) before it answers, with
//! what triggered it (the pact's consumer version and content, the
//! verification result); the [`worker`] sends queued requests in the
//! background, checking each against the [`allow::AllowList`], retrying
//! with back-off and moving them to the dead-letter list when retries run
//! out. Because the queue is in the database, deliveries survive a
//! restart, and every attempt's log can be read through the API.
//!
//! Secrets (passwords, headers whose name contains `authorization` or
//! `token`, and URL query values in execution logs) are stored, used when
//! sending, and never echoed back.

pub mod allow;
pub(crate) mod definition;
pub(crate) mod events;
mod template;
pub mod worker;

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::state::AppState;
use crate::store::{NewDelivery, Store, StoreResult, Trigger};

pub(crate) use template::Context;

/// The events a webhook can subscribe to.
pub(crate) const EVENTS: &[&str] = &[
    "contract_published",
    "contract_content_changed",
    "contract_requiring_verification_published",
    "provider_verification_published",
    "provider_verification_succeeded",
    "provider_verification_failed",
];

/// One event that happened: its name, template parameters and what
/// triggered it.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    pub(crate) name: &'static str,
    pub(crate) context: Context,
    pub(crate) trigger: Trigger,
}

/// The labels of an event's consumer and provider.
#[derive(Debug, Default)]
pub(crate) struct Labels {
    pub(crate) consumer: Vec<String>,
    pub(crate) provider: Vec<String>,
}

/// Queues the deliveries of every enabled webhook matching these events
/// (same consumer and provider by name or label, or unrestricted). Returns
/// how many were queued. Cheap when no webhook exists.
pub(crate) fn enqueue(store: &dyn Store, events: &[Event]) -> StoreResult<usize> {
    if events.is_empty() {
        return Ok(0);
    }
    let hooks = store.webhooks()?;
    if hooks.is_empty() {
        return Ok(0);
    }
    let mut known: HashMap<String, Vec<String>> = HashMap::new();
    let mut labels_of = |name: Option<&str>| -> StoreResult<Vec<String>> {
        let name = name.unwrap_or_default();
        if let Some(labels) = known.get(name) {
            return Ok(labels.clone());
        }
        let labels = store.labels_of(name)?;
        known.insert(name.to_owned(), labels.clone());
        Ok(labels)
    };
    let mut deliveries = Vec::new();
    for event in events {
        let mut context = event.context.clone();
        let labels = Labels {
            consumer: labels_of(context.get("consumerName"))?,
            provider: labels_of(context.get("providerName"))?,
        };
        context.set("consumerLabels", labels.consumer.join(", "));
        context.set("providerLabels", labels.provider.join(", "));
        for hook in &hooks {
            if definition::matches(&hook.definition, event.name, &context, &labels) {
                deliveries.push(NewDelivery {
                    webhook_uuid: hook.uuid.clone(),
                    event: event.name.to_owned(),
                    request: template::render(&hook.definition["request"], &context),
                    trigger: event.trigger,
                });
            }
        }
    }
    if !deliveries.is_empty() {
        store.enqueue_deliveries(&deliveries)?;
    }
    Ok(deliveries.len())
}

/// [`enqueue`] from a handler, after its write succeeded. A failure to
/// queue is logged, not returned: the triggering write did happen.
pub(crate) async fn trigger(state: &AppState, events: Vec<Event>) {
    if events.is_empty() {
        return;
    }
    match state.query(move |store| enqueue(store, &events)).await {
        Ok(0) => {}
        Ok(queued) => {
            tracing::debug!(queued, "webhook deliveries queued");
            state.webhook_wake.notify_one();
        }
        Err(error) => tracing::error!(%error, "could not queue webhook deliveries"),
    }
}

/// Queues the events of a publication. Runs before the answer is sent,
/// so an acknowledged publication has its deliveries in the database;
/// they are sent afterwards by the worker.
pub(crate) async fn trigger_publication(
    state: &AppState,
    links: crate::links::Links,
    outcome: crate::store::PublishOutcome,
) {
    let events = state
        .query(move |store| events::for_publication(store, &links, &outcome))
        .await;
    match events {
        Ok(events) => trigger(state, events).await,
        Err(error) => tracing::error!(%error, "could not compute webhook events"),
    }
}

/// Template parameters common to contract events.
pub(crate) fn contract_context(
    consumer: &str,
    provider: &str,
    version: &crate::store::Version,
    pact_url: &str,
) -> Context {
    let mut params = BTreeMap::new();
    params.insert("consumerName", consumer.to_owned());
    params.insert("providerName", provider.to_owned());
    params.insert("consumerVersionNumber", version.number.clone());
    params.insert(
        "consumerVersionBranch",
        version.branches.last().cloned().unwrap_or_default(),
    );
    params.insert("consumerVersionTags", version.tags.join(", "));
    params.insert("pactUrl", pact_url.to_owned());
    Context::new(params)
}

/// Adds the provider-version parameters of a verification.
pub(crate) fn with_verification(
    mut context: Context,
    verification: &crate::store::Verification,
    result_url: &str,
) -> Context {
    let ok = verification.success;
    let pick = |yes: &str, no: &str| if ok { yes } else { no }.to_owned();
    context.set(
        "providerVersionNumber",
        verification.provider_version.clone(),
    );
    context.set(
        "providerVersionBranch",
        verification
            .provider_branches
            .last()
            .cloned()
            .unwrap_or_default(),
    );
    context.set("providerVersionTags", verification.provider_tags.join(", "));
    context.set("verificationResultUrl", result_url.to_owned());
    context.set(
        "buildUrl",
        verification.build_url.clone().unwrap_or_default(),
    );
    context.set("githubVerificationStatus", pick("success", "failure"));
    context.set("bitbucketVerificationStatus", pick("SUCCESSFUL", "FAILED"));
    context.set("gitlabVerificationStatus", pick("success", "failed"));
    context.set("azureDevOpsVerificationStatus", pick("succeeded", "failed"));
    context
}

/// Renders a webhook's request template for a context.
pub(crate) fn render_request(request: &Value, context: &Context) -> Value {
    template::render(request, context)
}

/// A rendered request as shown in execution records: secrets masked,
/// and the URL without credentials or query values.
pub(crate) fn redact_sent(request: &Value) -> Value {
    let mut out = definition::redact_request(request);
    if let Some(url) = request["url"].as_str() {
        out["url"] = Value::String(definition::redact_url(url));
    }
    out
}
