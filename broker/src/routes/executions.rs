//! Webhook executions (deliveries): per webhook
//! (`GET /webhooks/{uuid}/deliveries`), the dead letters
//! (`GET /webhooks/dead-letters`), one with its attempt logs
//! (`GET /triggered-webhooks/{uuid}/logs`), and the Pact Broker's
//! `triggered-webhooks` of a pact and of a verification result. Each shows
//! the Pact Broker's status (`not_run`, `retrying`, `success`, `failure`),
//! attempts made and remaining, and every attempt's redacted log.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::error::BrokerError;
use crate::extract::Params;
use crate::links::Links;
use crate::state::AppState;
use crate::store::{Delivery, DeliveryFilter, DeliveryStatus, Pact};
use crate::webhooks;

/// Renders executions: links, and how many attempts a delivery gets.
struct View<'a> {
    links: &'a Links,
    attempts: u32,
}

impl<'a> View<'a> {
    fn new(state: &AppState, links: &'a Links) -> View<'a> {
        let retries = u32::try_from(state.webhook_settings.backoff.len()).unwrap_or(u32::MAX);
        View {
            links,
            attempts: retries.saturating_add(1),
        }
    }

    /// A delivery as the Pact Broker shows a triggered webhook, plus its
    /// attempt logs and redacted request.
    fn delivery(&self, d: &Delivery) -> Value {
        let links = self.links;
        let total = self.attempts;
        let pending = d.status == DeliveryStatus::Pending;
        let request = webhooks::redact_sent(&d.request);
        let name = format!(
            "{} {}",
            request["method"].as_str().unwrap_or("POST"),
            request["url"].as_str().unwrap_or_default()
        );
        let logs = links.url(&["triggered-webhooks", &d.uuid, "logs"]);
        json!({
            "uuid": d.uuid,
            "name": name,
            "webhookUuid": d.webhook_uuid,
            "eventName": d.event,
            "status": status_word(d),
            "attemptsMade": d.attempts,
            "attemptsRemaining": if pending { total.saturating_sub(d.attempts) } else { 0 },
            "nextAttemptAt": if pending { json!(d.next_attempt_at) } else { Value::Null },
            "triggeredAt": d.created_at,
            "logs": d.log,
            "request": request,
            "_links": {
                "pb:webhook": {"href": links.url(&["webhooks", &d.webhook_uuid]), "title": "Webhook"},
                "pb:logs": {"href": logs, "title": "Webhook execution logs", "name": name},
            },
        })
    }

    /// Deliveries as a HAL list under `key`.
    fn listing(&self, key: &str, list: &[Delivery], self_href: String) -> Value {
        let links = self.links;
        let items: Vec<Value> = list.iter().map(|d| self.delivery(d)).collect();
        json!({
            "summary": summary(list),
            "_embedded": {key: items},
            "_links": {
                "self": {"href": self_href},
                "pb:dead-letters": {"href": links.url(&["webhooks", "dead-letters"]), "title": "Executions that ran out of retries"},
            },
        })
    }
}

/// The Pact Broker's word for where a delivery is.
fn status_word(d: &Delivery) -> &'static str {
    match d.status {
        DeliveryStatus::Pending if d.attempts == 0 => "not_run",
        DeliveryStatus::Pending => "retrying",
        DeliveryStatus::Succeeded => "success",
        DeliveryStatus::Dead => "failure",
    }
}

/// Counts per status, as the Pact Broker's webhook status resource has.
fn summary(list: &[Delivery]) -> Value {
    let count = |word: &str| list.iter().filter(|d| status_word(d) == word).count();
    json!({
        "successful": count("success"),
        "failed": count("failure"),
        "retrying": count("retrying"),
        "notRun": count("not_run"),
    })
}

/// `GET /webhooks/{uuid}/deliveries`: newest first.
pub(crate) async fn deliveries(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
) -> Result<Json<Value>, BrokerError> {
    let filter = DeliveryFilter {
        webhook: Some(uuid.clone()),
        ..DeliveryFilter::default()
    };
    let list = state.query(move |s| s.deliveries(&filter)).await?;
    let href = links.url(&["webhooks", &uuid, "deliveries"]);
    Ok(Json(View::new(&state, &links).listing(
        "deliveries",
        &list,
        href,
    )))
}

/// `GET /webhooks/dead-letters`: deliveries whose retries ran out.
pub(crate) async fn dead_letters(
    State(state): State<AppState>,
    links: Links,
) -> Result<Json<Value>, BrokerError> {
    let filter = DeliveryFilter {
        status: Some(DeliveryStatus::Dead),
        ..DeliveryFilter::default()
    };
    let list = state.query(move |s| s.deliveries(&filter)).await?;
    let href = links.url(&["webhooks", "dead-letters"]);
    Ok(Json(View::new(&state, &links).listing(
        "deliveries",
        &list,
        href,
    )))
}

/// `GET /triggered-webhooks/{uuid}/logs`: every attempt of one delivery.
pub(crate) async fn logs(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
) -> Result<Json<Value>, BrokerError> {
    let wanted = uuid.clone();
    let delivery = state
        .query(move |s| s.delivery(&wanted))
        .await?
        .ok_or_else(|| BrokerError::NotFound(format!("triggered webhook '{uuid}'")))?;
    let mut value = View::new(&state, &links).delivery(&delivery);
    value["_links"]["self"] = json!({"href": links.url(&["triggered-webhooks", &uuid, "logs"])});
    Ok(Json(value))
}

/// `GET /pacts/provider/{p}/consumer/{c}/version/{v}/triggered-webhooks`:
/// the deliveries triggered by this pact's publication and by
/// verification results for it.
pub(crate) async fn for_pact(
    State(state): State<AppState>,
    links: Links,
    Params((provider, consumer, number)): Params<(String, String, String)>,
) -> Result<Json<Value>, BrokerError> {
    let pact = state
        .query(move |s| s.pact_for_version(&provider, &consumer, &number))
        .await?
        .ok_or_else(|| BrokerError::NotFound("pact with that consumer version".into()))?;
    let url = crate::hal::pact_url(&links, &pact);
    triggered_by(&state, &links, pact, format!("{url}/triggered-webhooks")).await
}

/// `GET /pacts/provider/{p}/consumer/{c}/webhooks/status`: the deliveries
/// the latest pact of an integration triggered, with counts per status.
pub(crate) async fn status(
    State(state): State<AppState>,
    links: Links,
    Params((provider, consumer)): Params<(String, String)>,
) -> Result<Json<Value>, BrokerError> {
    let self_href = links.url(&[
        "pacts", "provider", &provider, "consumer", &consumer, "webhooks", "status",
    ]);
    let pact = state
        .query(move |s| {
            let rows = s.provider_pacts(&provider, Some(&consumer))?;
            match rows.last() {
                Some(row) => s.pact_for_version(&provider, &consumer, &row.version_number),
                None => Ok(None),
            }
        })
        .await?
        .ok_or_else(|| BrokerError::NotFound("pact between these pacticipants".into()))?;
    triggered_by(&state, &links, pact, self_href).await
}

/// The deliveries a pact (consumer version and content) triggered.
async fn triggered_by(
    state: &AppState,
    links: &Links,
    pact: Pact,
    self_href: String,
) -> Result<Json<Value>, BrokerError> {
    let filter = DeliveryFilter {
        consumer_version_id: Some(pact.consumer_version.id),
        content_id: Some(pact.content.id),
        ..DeliveryFilter::default()
    };
    let list = state.query(move |s| s.deliveries(&filter)).await?;
    let mut value = View::new(state, links).listing("triggeredWebhooks", &list, self_href);
    value["_links"]["pb:pact-version"] = json!({"href": crate::hal::pact_url(links, &pact), "title": "Pact", "name": crate::hal::pact_title(&pact)});
    Ok(Json(value))
}

/// `GET .../pact-version/{sha}/verification-results/{id}/triggered-webhooks`.
pub(crate) async fn for_verification(
    State(state): State<AppState>,
    links: Links,
    Params((provider, consumer, sha, id)): Params<(String, String, String, String)>,
) -> Result<Json<Value>, BrokerError> {
    let what = format!("verification result '{id}' for pact version '{sha}'");
    let id: i64 = id
        .parse()
        .map_err(|_| BrokerError::NotFound(what.clone()))?;
    let (pact, verification, list) = state
        .query({
            let (p, c, h) = (provider.clone(), consumer.clone(), sha.clone());
            move |s| {
                let filter = DeliveryFilter {
                    verification_id: Some(id),
                    ..DeliveryFilter::default()
                };
                Ok((
                    s.pact_by_sha(&p, &c, &h)?,
                    s.verification(id)?,
                    s.deliveries(&filter)?,
                ))
            }
        })
        .await?;
    match (pact, verification) {
        (Some(pact), Some(v)) if v.content_id == pact.content.id => {
            let result = crate::hal::verification(&links, &pact, &v);
            let result = result["_links"]["self"]["href"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let mut value = View::new(&state, &links).listing(
                "triggeredWebhooks",
                &list,
                format!("{result}/triggered-webhooks"),
            );
            value["_links"]["pb:verification-result"] =
                json!({"href": result, "title": "Verification result"});
            Ok(Json(value))
        }
        _ => Err(BrokerError::NotFound(what)),
    }
}
