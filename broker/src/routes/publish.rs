//! Publishing: `POST /contracts/publish` and the older
//! `PUT|PATCH /pacts/provider/{p}/consumer/{c}/version/{v}`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};

use super::pacticipants::required;
use crate::content::{self, ContentError, Normalised};
use crate::error::BrokerError;
use crate::extract::{Body, Params, Text};
use crate::hal;
use crate::links::Links;
use crate::state::AppState;
use crate::store::{ContractStatus, ContractWrite, Publication, Replace, Store, VersionWrite};

/// The body of `POST /contracts/publish`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PublishBody {
    pacticipant_name: Option<String>,
    pacticipant_version_number: Option<String>,
    branch: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    build_url: Option<String>,
    #[serde(default)]
    contracts: Vec<ContractBody>,
}

/// One contract of a publication.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ContractBody {
    consumer_name: Option<String>,
    provider_name: Option<String>,
    specification: Option<String>,
    content_type: Option<String>,
    content: Option<String>,
    on_conflict: Option<String>,
}

/// A contract checked against its envelope.
struct Checked {
    normalised: Normalised,
    text: String,
    merge: bool,
    overwrite: bool,
}

fn check_contract(consumer: &str, index: usize, c: ContractBody) -> Result<Checked, BrokerError> {
    let field = |name: &str| format!("contracts[{index}].{name}");
    if c.specification.as_deref().unwrap_or("pact") != "pact" {
        return Err(BrokerError::invalid(
            field("specification"),
            "must be 'pact'",
        ));
    }
    if !c
        .content_type
        .as_deref()
        .unwrap_or("application/json")
        .starts_with("application/json")
    {
        return Err(BrokerError::invalid(
            field("contentType"),
            "must be application/json",
        ));
    }
    let encoded = required(&field("content"), c.content)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| BrokerError::invalid(field("content"), "must be base64"))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| BrokerError::invalid(field("content"), "must be UTF-8 JSON"))?;
    let normalised = content::normalise(&text)
        .map_err(|e| BrokerError::invalid(field("content"), e.to_string()))?;
    let consumer_name = c.consumer_name.unwrap_or_else(|| consumer.to_owned());
    if consumer_name != consumer || normalised.consumer != consumer {
        return Err(BrokerError::invalid(
            field("consumerName"),
            format!(
                "must match pacticipantName '{consumer}' and the consumer name in the pact ('{}')",
                normalised.consumer
            ),
        ));
    }
    if let Some(provider) = &c.provider_name {
        if *provider != normalised.provider {
            return Err(BrokerError::invalid(
                field("providerName"),
                format!(
                    "'{provider}' does not match the provider name in the pact ('{}')",
                    normalised.provider
                ),
            ));
        }
    }
    let on_conflict = c.on_conflict.unwrap_or_default();
    Ok(Checked {
        normalised,
        text,
        merge: on_conflict == "merge",
        overwrite: on_conflict == "overwrite",
    })
}

/// `POST /contracts/publish`.
pub(crate) async fn publish_contracts(
    State(state): State<AppState>,
    links: Links,
    Body(body): Body<PublishBody>,
) -> Result<(StatusCode, Json<Value>), BrokerError> {
    let consumer = required("pacticipantName", body.pacticipant_name)?;
    let number = required("pacticipantVersionNumber", body.pacticipant_version_number)?;
    if body.contracts.is_empty() {
        return Err(BrokerError::invalid(
            "contracts",
            "at least one contract is required",
        ));
    }
    let checked = body
        .contracts
        .into_iter()
        .enumerate()
        .map(|(i, c)| check_contract(&consumer, i, c))
        .collect::<Result<Vec<_>, _>>()?;
    let version = VersionWrite {
        pacticipant: consumer.clone(),
        number: number.clone(),
        branch: body.branch,
        tags: body.tags,
        build_url: body.build_url,
    };
    // The Pact Broker refuses changed content unless told otherwise; the
    // Rust CLI sends "overwrite" by default, which we honour as asked.
    let outcome = state
        .run(move |s| publish_checked(s, version, checked))
        .await?;
    let response = publish_response(&links, &outcome);
    crate::webhooks::trigger_publication(&state, links, outcome).await;
    Ok((StatusCode::OK, Json(response)))
}

/// Stores checked contracts; merges are computed against the stored
/// content and applied only if it has not changed meanwhile.
fn publish_checked(
    store: &dyn Store,
    version: VersionWrite,
    checked: Vec<Checked>,
) -> Result<crate::store::PublishOutcome, BrokerError> {
    let mut contracts = Vec::with_capacity(checked.len());
    for c in checked {
        let provider = c.normalised.provider.clone();
        let (normalised, replace) = if c.merge {
            match store.pact_for_version(&provider, &version.pacticipant, &version.number)? {
                Some(existing) => {
                    let merged =
                        content::merge(&existing.content.document, &c.text).map_err(merge_error)?;
                    (merged, Replace::IfCurrent(existing.content.sha))
                }
                None => (c.normalised, Replace::Never),
            }
        } else {
            (
                c.normalised,
                if c.overwrite {
                    Replace::Always
                } else {
                    Replace::Never
                },
            )
        };
        contracts.push(ContractWrite {
            provider,
            sha: normalised.sha,
            document: normalised.document,
            replace,
        });
    }
    Ok(store.publish(&Publication { version, contracts })?)
}

fn merge_error(error: ContentError) -> BrokerError {
    match error {
        ContentError::MergeClash(_) => BrokerError::Conflict(error.to_string()),
        other => BrokerError::invalid("content", other.to_string()),
    }
}

fn publish_response(links: &Links, outcome: &crate::store::PublishOutcome) -> Value {
    let v = &outcome.version;
    let (p, n) = (v.pacticipant.as_str(), v.number.as_str());
    let mut notices = vec![json!({"type": "info", "text": version_notice(outcome)})];
    let mut contracts = Vec::new();
    for (provider, status) in &outcome.contracts {
        let text = match status {
            ContractStatus::Created => format!("Pact published for {p} version {n} and provider {provider}."),
            ContractStatus::Unchanged => format!("Pact for {p} version {n} and provider {provider} is unchanged: it was already published with the same content."),
            ContractStatus::Replaced => format!("Pact for {p} version {n} and provider {provider} was replaced with new content."),
        };
        notices.push(json!({"type": if *status == ContractStatus::Replaced { "warning" } else { "success" }, "text": text}));
        contracts.push(json!({
            "href": links.url(&["pacts", "provider", provider, "consumer", p, "version", n]),
            "name": format!("Pact between {p} ({n}) and {provider}"),
            "title": "Pact",
        }));
    }
    let logs: Vec<Value> = notices.iter().map(|n| json!({"level": n["type"], "message": n["text"], "deprecationWarning": "Replaced by notices"})).collect();
    json!({
        "notices": notices,
        "logs": logs,
        "_embedded": {
            "pacticipant": {"name": p, "_links": {"self": links.link(&["pacticipants", p])}},
            "version": {"number": n, "_links": {"self": {"href": links.url(&["pacticipants", p, "versions", n]), "name": n, "title": "Version"}}},
        },
        "_links": {
            "pb:pacticipant": {"href": links.url(&["pacticipants", p]), "name": p, "title": "Pacticipant"},
            "pb:pacticipant-version": {"href": links.url(&["pacticipants", p, "versions", n]), "name": n, "title": "Pacticipant version"},
            "pb:pacticipant-version-tags": v.tags.iter().map(|t| json!({"href": links.url(&["pacticipants", p, "versions", n, "tags", t]), "name": t, "title": "Tag"})).collect::<Vec<_>>(),
            "pb:contracts": contracts,
        }
    })
}

fn version_notice(outcome: &crate::store::PublishOutcome) -> String {
    let v = &outcome.version;
    let verb = if outcome.version_created {
        "Created"
    } else {
        "Updated"
    };
    let mut text = format!("{verb} {} version {}", v.pacticipant, v.number);
    if !v.branches.is_empty() {
        text.push_str(&format!(" with branch {}", v.branches.join(", ")));
    }
    if !v.tags.is_empty() {
        text.push_str(&format!(" and tags {}", v.tags.join(", ")));
    }
    text
}

/// `PUT` (replace: refused if different) or `PATCH` (merge) of a pact at
/// `/pacts/provider/{p}/consumer/{c}/version/{v}`.
async fn put_or_patch(
    state: AppState,
    links: Links,
    (provider, consumer, number): (String, String, String),
    text: String,
    merge: bool,
) -> Result<(StatusCode, Json<Value>), BrokerError> {
    let normalised =
        content::normalise(&text).map_err(|e| BrokerError::invalid("body", e.to_string()))?;
    if normalised.consumer != consumer || normalised.provider != provider {
        return Err(BrokerError::invalid(
            "body",
            format!("the pact is between '{}' and '{}', not '{consumer}' and '{provider}' as the path says", normalised.consumer, normalised.provider),
        ));
    }
    let checked = Checked {
        normalised,
        text,
        merge,
        overwrite: false,
    };
    let version = VersionWrite {
        pacticipant: consumer.clone(),
        number: number.clone(),
        ..VersionWrite::default()
    };
    let (outcome, pact) = state
        .run(move |s| {
            let outcome = publish_checked(s, version, vec![checked])?;
            let pact = s.pact_for_version(&provider, &consumer, &number)?;
            Ok((
                outcome,
                pact.ok_or_else(|| BrokerError::NotFound("the pact just published".into()))?,
            ))
        })
        .await?;
    let created = outcome
        .contracts
        .first()
        .is_some_and(|(_, s)| *s == ContractStatus::Created);
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let self_url = links.url(&[
        "pacts",
        "provider",
        &pact.content.provider,
        "consumer",
        &pact.content.consumer,
        "version",
        &pact.consumer_version.number,
    ]);
    let response = hal::pact(&links, &pact, self_url, None);
    crate::webhooks::trigger_publication(&state, links, outcome).await;
    Ok((status, Json(response)))
}

/// `PUT /pacts/provider/{p}/consumer/{c}/version/{v}`.
pub(crate) async fn put_pact(
    State(state): State<AppState>,
    links: Links,
    Params(path): Params<(String, String, String)>,
    Text(text): Text,
) -> Result<(StatusCode, Json<Value>), BrokerError> {
    put_or_patch(state, links, path, text, false).await
}

/// `PATCH /pacts/provider/{p}/consumer/{c}/version/{v}`: merge.
pub(crate) async fn patch_pact(
    State(state): State<AppState>,
    links: Links,
    Params(path): Params<(String, String, String)>,
    Text(text): Text,
) -> Result<(StatusCode, Json<Value>), BrokerError> {
    put_or_patch(state, links, path, text, true).await
}
