//! Provider verification: pacts for verification (selectors, pending,
//! WIP) and publishing verification results.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::pacticipants::required;
use crate::error::BrokerError;
use crate::extract::{param, Body, Params};
use crate::hal;
use crate::links::Links;
use crate::selection::{self, Chosen, Inputs, VerificationRequest};
use crate::state::AppState;
use crate::store::{NewVerification, Pact, Store, StoreResult, Verification, VersionWrite};

/// `GET /pacts/provider/{p}/for-verification`: clients GET it first for
/// its `self` link, then POST their selectors there.
pub(crate) async fn for_verification_get(
    links: Links,
    Params(provider): Params<String>,
) -> Json<Value> {
    Json(
        json!({"_links": {"self": {"href": links.url(&["pacts", "provider", &provider, "for-verification"]), "title": "Pacts to be verified"}}}),
    )
}

/// `POST /pacts/provider/{p}/for-verification`.
pub(crate) async fn for_verification(
    State(state): State<AppState>,
    links: Links,
    Params(provider): Params<String>,
    Body(request): Body<VerificationRequest>,
) -> Result<Json<Value>, BrokerError> {
    for (index, selector) in request.consumer_version_selectors.iter().enumerate() {
        selector.validate(index)?;
    }
    let p = provider.clone();
    let entries = state.run(move |s| compute(s, &p, &request)).await?;
    let pacts: Vec<Value> = entries
        .iter()
        .map(|e| entry_json(&links, &provider, e))
        .collect();
    Ok(Json(json!({
        "_embedded": {"pacts": pacts},
        "_links": {"self": {"href": links.url(&["pacts", "provider", &provider, "for-verification"]), "title": "Pacts to be verified"}},
    })))
}

/// A pact to verify, with its pending status.
struct Entry {
    chosen: Chosen,
    pending: Option<bool>,
    branch: Option<String>,
}

fn compute(
    store: &dyn Store,
    provider: &str,
    request: &VerificationRequest,
) -> Result<Vec<Entry>, BrokerError> {
    let rows = store.provider_pacts(provider, None)?;
    let mut heads = HashMap::new();
    for row in &rows {
        if !heads.contains_key(&row.consumer) {
            heads.insert(row.consumer.clone(), store.branch_heads(&row.consumer)?);
        }
    }
    let inputs = Inputs { rows, heads };
    let mut chosen = selection::select(request, &inputs);
    let branch = request.provider_version_branch.clone();
    let wants_wip = branch.is_some() || !request.provider_version_tags.is_empty();
    if let (Some(since), true) = (&request.include_wip_pacts_since, wants_wip) {
        chosen.extend(selection::wip_candidates(&inputs, since, &chosen));
    }
    let ids: Vec<i64> = chosen.iter().map(|c| c.row.content_id).collect();
    let verifications = store.verifications_of(&ids)?;
    let created = match &branch {
        Some(b) => store.branch_created_at(provider, b)?,
        None => None,
    };
    let mut tags = Vec::new();
    for tag in &request.provider_version_tags {
        tags.push((tag.clone(), store.tag_created_at(provider, tag)?));
    }
    // Pending status only when asked for (as in the Pact Broker): a client
    // that does not know about pending must see failures fail its build.
    // WIP pacts are pending whatever was asked.
    let include_pending = request.include_pending_status.unwrap_or(false);
    let mut entries = Vec::new();
    for c in chosen {
        let of: Vec<&Verification> = verifications
            .iter()
            .filter(|v| v.content_id == c.row.content_id && v.provider == provider)
            .collect();
        let pending = selection::is_pending(
            &of,
            branch.as_deref().map(|b| (b, created.as_deref())),
            &tags,
        );
        if c.wip && !pending {
            continue;
        }
        entries.push(Entry {
            pending: (include_pending || c.wip).then_some(pending || c.wip),
            chosen: c,
            branch: branch.clone(),
        });
    }
    Ok(entries)
}

/// The metadata describing a selection.
fn metadata(chosen: &Chosen) -> String {
    if chosen.wip {
        crate::metadata::wip()
    } else {
        crate::metadata::for_consumer_version(chosen.row.version_id)
    }
}

fn entry_json(links: &Links, provider: &str, e: &Entry) -> Value {
    let row = &e.chosen.row;
    let meta = metadata(&e.chosen);
    let url = links.url(&[
        "pacts",
        "provider",
        provider,
        "consumer",
        &row.consumer,
        "pact-version",
        &row.sha,
        "metadata",
        &meta,
    ]);
    let name = format!(
        "Pact between {} ({}) and {provider}",
        row.consumer, row.version_number
    );
    let mut notices = vec![json!({"when": "before_verification", "text": format!(
        "The pact at {url} is being verified because the pact content belongs to the consumer version matching the following criteria:\n    * {}",
        e.chosen.reasons.join("\n    * "))})];
    let line = e.branch.as_ref().map_or_else(
        || format!("any version of {provider}"),
        |b| format!("a version of {provider} from branch '{b}'"),
    );
    let mut props = json!({"notices": []});
    if let Some(pending) = e.pending {
        props["pending"] = json!(pending);
        let text = if pending {
            format!("This pact is in pending state for this version of {provider} because a successful verification result for {line} has not yet been published. If this verification fails, it will not cause the overall build to fail. Read more at https://docs.pact.io/go/pending")
        } else {
            format!("This pact has previously been successfully verified by {line}. If this verification fails, it will fail the build. Read more at https://docs.pact.io/go/pending")
        };
        notices.push(json!({"when": "before_verification", "text": text}));
        notices.push(json!({"when": "after_verification:success_false_published_false", "text": if pending { format!("This pact is still in pending state for {provider} as the failed verification results were not published.") } else { "This verification failed and fails the build.".to_owned() }}));
        notices.push(json!({"when": "after_verification:success_true_published_true", "text": format!("This pact is no longer in pending state for {line}, as a successful verification result was published.")}));
    }
    if e.chosen.wip {
        props["wip"] = json!(true);
        notices.push(json!({"when": "before_verification", "text": format!("This pact is being verified because it is a work in progress pact: {}. It is pending, so a failure will not fail the build.", e.chosen.reasons.join("; "))}));
    }
    props["notices"] = Value::Array(notices);
    json!({
        "shortDescription": if e.chosen.wip { "WIP".to_owned() } else { e.chosen.reasons.join(", ") },
        "verificationProperties": props,
        "_links": {"self": {"href": url, "name": name}},
    })
}

/// The body of a verification result.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ResultBody {
    provider_application_version: Option<String>,
    success: Option<bool>,
    build_url: Option<String>,
    #[serde(default)]
    test_results: Value,
    #[serde(default)]
    verified_by: Value,
}

/// `POST .../pact-version/{sha}[/metadata/{m}]/verification-results`.
pub(crate) async fn publish_result(
    State(state): State<AppState>,
    links: Links,
    Params(params): Params<Vec<(String, String)>>,
    Body(body): Body<ResultBody>,
) -> Result<Response, BrokerError> {
    let get = |key: &str| param(&params, key);
    let (provider, consumer, sha) = (
        get("provider").unwrap_or_default(),
        get("consumer").unwrap_or_default(),
        get("sha").unwrap_or_default(),
    );
    let number = required(
        "providerApplicationVersion",
        body.provider_application_version,
    )?;
    let success = body
        .success
        .ok_or_else(|| BrokerError::invalid("success", "is required and must be true or false"))?;
    let metadata = get("metadata");
    let wip = crate::metadata::is_wip(metadata.as_deref());
    let selected_by = crate::metadata::consumer_versions(metadata.as_deref());
    let (pact, verification) = state
        .run(move |s| {
            let newest = s.pact_by_sha(&provider, &consumer, &sha)?.ok_or_else(|| {
                BrokerError::NotFound(format!(
                    "pact version '{sha}' between consumer '{consumer}' and provider '{provider}'"
                ))
            })?;
            let pact = verified_for(s, newest, &selected_by)?;
            let new = NewVerification {
                content_id: pact.content.id,
                provider_version: VersionWrite {
                    pacticipant: provider,
                    number,
                    ..VersionWrite::default()
                },
                success,
                build_url: body.build_url,
                test_results: if body.test_results.is_null() {
                    json!([])
                } else {
                    body.test_results
                },
                verified_by: if body.verified_by.is_null() {
                    json!({})
                } else {
                    body.verified_by
                },
                wip,
            };
            Ok((pact.clone(), s.record_verification(&new)?))
        })
        .await?;
    let value = hal::verification(&links, &pact, &verification);
    let location = value["_links"]["self"]["href"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let events = crate::webhooks::events::for_verification(&links, &pact, &verification, &location);
    crate::webhooks::trigger(&state, events).await;
    let mut response = (StatusCode::CREATED, Json(value)).into_response();
    if let Ok(location) = location.parse() {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The pact a verification was for: the newest of the consumer versions
/// the metadata names that published this content, else the newest
/// publication of the content.
fn verified_for(store: &dyn Store, newest: Pact, selected_by: &[i64]) -> StoreResult<Pact> {
    let mut best: Option<Pact> = None;
    // Metadata lists a handful of versions; a crafted one cannot make
    // this loop long.
    for id in selected_by.iter().take(64) {
        let Some(version) = store.version_by_id(*id)? else {
            continue;
        };
        let c = &newest.content;
        if version.pacticipant != c.consumer {
            continue;
        }
        let pact = store.pact_for_version(&c.provider, &c.consumer, &version.number)?;
        if let Some(pact) = pact.filter(|p| p.content.id == c.id) {
            if best
                .as_ref()
                .is_none_or(|b| b.consumer_version.id < pact.consumer_version.id)
            {
                best = Some(pact);
            }
        }
    }
    Ok(best.unwrap_or(newest))
}

/// `GET .../pact-version/{sha}/verification-results/{id}`.
pub(crate) async fn get_result(
    State(state): State<AppState>,
    links: Links,
    Params(params): Params<Vec<(String, String)>>,
) -> Result<Json<Value>, BrokerError> {
    let get = |key: &str| param(&params, key).unwrap_or_default();
    let (provider, consumer, sha, id) = (get("provider"), get("consumer"), get("sha"), get("id"));
    let what = format!("verification result '{id}' for pact version '{sha}'");
    let not_found = move || BrokerError::NotFound(what);
    let id: i64 = id.parse().map_err(|_| not_found.clone()())?;
    let (pact, verification) = state
        .run(move |s| {
            Ok((
                s.pact_by_sha(&provider, &consumer, &sha)?,
                s.verification(id)?,
            ))
        })
        .await?;
    match (pact, verification) {
        (Some(pact), Some(v)) if v.content_id == pact.content.id => {
            Ok(Json(hal::verification(&links, &pact, &v)))
        }
        _ => Err(not_found()),
    }
}
