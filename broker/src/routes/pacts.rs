//! Reading pacts: by consumer version, by content, latest per provider,
//! and the list of latest pacts.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::error::BrokerError;
use crate::extract::{param, Params};
use crate::hal;
use crate::links::Links;
use crate::state::AppState;
use crate::store::PactRow;

/// `GET /pacts/provider/{p}/consumer/{c}/version/{v}`.
pub(crate) async fn by_version(
    State(state): State<AppState>,
    links: Links,
    Params((provider, consumer, number)): Params<(String, String, String)>,
) -> Result<Json<Value>, BrokerError> {
    let found = state
        .query({
            let (p, c, n) = (provider.clone(), consumer.clone(), number.clone());
            move |s| s.pact_for_version(&p, &c, &n)
        })
        .await?;
    let pact = found.ok_or_else(|| {
        BrokerError::NotFound(format!(
            "pact between consumer '{consumer}' version '{number}' and provider '{provider}'"
        ))
    })?;
    let url = links.url(&[
        "pacts", "provider", &provider, "consumer", &consumer, "version", &number,
    ]);
    Ok(Json(hal::pact(&links, &pact, url, None)))
}

/// `GET /pacts/provider/{p}/consumer/{c}/pact-version/{sha}[/metadata/{m}]`.
pub(crate) async fn by_sha(
    State(state): State<AppState>,
    links: Links,
    Params(params): Params<Vec<(String, String)>>,
) -> Result<Json<Value>, BrokerError> {
    let get = |key: &str| param(&params, key).unwrap_or_default();
    let (provider, consumer, sha, metadata) = (
        get("provider"),
        get("consumer"),
        get("sha"),
        param(&params, "metadata"),
    );
    let found = state
        .query({
            let (p, c, h) = (provider.clone(), consumer.clone(), sha.clone());
            move |s| s.pact_by_sha(&p, &c, &h)
        })
        .await?;
    let pact = found.ok_or_else(|| {
        BrokerError::NotFound(format!(
            "pact version '{sha}' between consumer '{consumer}' and provider '{provider}'"
        ))
    })?;
    let url = hal::pact_version_url(&links, &pact, metadata.as_deref());
    Ok(Json(hal::pact(&links, &pact, url, metadata.as_deref())))
}

/// `GET /pacts/provider/{p}/consumer/{c}/latest[/{tag}]`.
pub(crate) async fn latest_for_consumer(
    State(state): State<AppState>,
    links: Links,
    Params(params): Params<Vec<(String, String)>>,
) -> Result<Json<Value>, BrokerError> {
    let get = |key: &str| param(&params, key);
    let (provider, consumer, tag) = (
        get("provider").unwrap_or_default(),
        get("consumer").unwrap_or_default(),
        get("tag"),
    );
    let rows = state
        .query({
            let (p, c) = (provider.clone(), consumer.clone());
            move |s| s.provider_pacts(&p, Some(&c))
        })
        .await?;
    let row = rows
        .iter()
        .rev()
        .find(|r| tag.as_ref().is_none_or(|t| r.tags.contains(t)));
    let Some(row) = row else {
        let tagged = tag.map(|t| format!(" with tag '{t}'")).unwrap_or_default();
        return Err(BrokerError::NotFound(format!(
            "latest pact{tagged} between consumer '{consumer}' and provider '{provider}'"
        )));
    };
    let (p, c, n) = (
        provider.clone(),
        consumer.clone(),
        row.version_number.clone(),
    );
    let pact = state
        .query(move |s| s.pact_for_version(&p, &c, &n))
        .await?
        .ok_or_else(|| {
            BrokerError::NotFound(format!("pact between '{consumer}' and '{provider}'"))
        })?;
    let url = links.url(&[
        "pacts",
        "provider",
        &provider,
        "consumer",
        &consumer,
        "version",
        &pact.consumer_version.number,
    ]);
    Ok(Json(hal::pact(&links, &pact, url, None)))
}

fn pact_summary(links: &Links, row: &PactRow) -> Value {
    let url = links.url(&[
        "pacts",
        "provider",
        &row.provider,
        "consumer",
        &row.consumer,
        "version",
        &row.version_number,
    ]);
    json!({
        "href": url,
        "name": format!("Pact between {} ({}) and {}", row.consumer, row.version_number, row.provider),
        "title": format!("Pact between {} ({}) and {}", row.consumer, row.version_number, row.provider),
    })
}

/// `GET /pacts/provider/{p}/latest[/{tag}]`: the latest pact of each
/// consumer, under both `pb:pacts` and the deprecated `pacts` the Rust
/// verifier reads.
pub(crate) async fn latest_for_provider(
    State(state): State<AppState>,
    links: Links,
    Params(params): Params<Vec<(String, String)>>,
) -> Result<Json<Value>, BrokerError> {
    let get = |key: &str| param(&params, key);
    let (provider, tag) = (get("provider").unwrap_or_default(), get("tag"));
    let rows = state
        .query({
            let p = provider.clone();
            move |s| {
                if s.pacticipant(&p)?.is_none() {
                    return Err(crate::store::StoreError::NotFound(format!(
                        "provider '{p}'"
                    )));
                }
                s.provider_pacts(&p, None)
            }
        })
        .await?;
    let mut latest: Vec<&PactRow> = Vec::new();
    for row in rows.iter().rev() {
        let wanted = tag.as_ref().is_none_or(|t| row.tags.contains(t));
        if wanted && !latest.iter().any(|r| r.consumer == row.consumer) {
            latest.push(row);
        }
    }
    latest.reverse();
    let pacts: Vec<Value> = latest.iter().map(|r| pact_summary(&links, r)).collect();
    let self_segments: Vec<&str> = match &tag {
        Some(t) => vec!["pacts", "provider", &provider, "latest", t],
        None => vec!["pacts", "provider", &provider, "latest"],
    };
    Ok(Json(json!({
        "_links": {
            "self": links.link(&self_segments),
            "provider": {"href": links.url(&["pacticipants", &provider]), "name": provider},
            "pb:provider": {"href": links.url(&["pacticipants", &provider]), "name": provider},
            "pb:pacts": pacts,
            "pacts": pacts,
        }
    })))
}

/// `GET /pacts/latest`: the latest pact of every integration.
pub(crate) async fn latest_all(
    State(state): State<AppState>,
    links: Links,
) -> Result<Json<Value>, BrokerError> {
    let rows = state.query(|s| s.latest_pacts()).await?;
    let pacts: Vec<Value> = rows
        .iter()
        .map(|r| json!({
            "createdAt": r.published_at,
            "_embedded": {
                "consumer": {"name": r.consumer, "_links": {"self": links.link(&["pacticipants", &r.consumer])}, "_embedded": {"version": {"number": r.version_number}}},
                "provider": {"name": r.provider, "_links": {"self": links.link(&["pacticipants", &r.provider])}},
            },
            "_links": {"self": [
                {"href": links.url(&["pacts", "provider", &r.provider, "consumer", &r.consumer, "latest"])},
                pact_summary(&links, r),
            ]},
        }))
        .collect();
    // `pact stub --broker-url` follows `_links["pb:pacts"]`; the CLI lists `pacts`.
    let hrefs: Vec<Value> = rows.iter().map(|r| pact_summary(&links, r)).collect();
    Ok(Json(json!({
        "_links": {"self": links.link(&["pacts", "latest"]), "pb:pacts": hrefs},
        "pacts": pacts,
    })))
}
