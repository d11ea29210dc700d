//! Webhooks: `GET|POST /webhooks`, `POST /webhooks/provider/{p}/consumer/{c}`,
//! `GET|PUT|DELETE /webhooks/{uuid}`, `POST /webhooks/{uuid}/execute`;
//! their executions: `GET /webhooks/{uuid}/deliveries`, the dead-letter
//! list `GET /webhooks/dead-letters`, `GET /triggered-webhooks/{uuid}/logs`,
//! and the Pact Broker's `triggered-webhooks` of a pact and of a
//! verification result. Secrets never appear in answers.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::error::BrokerError;
use crate::extract::{Body, Params};
use crate::links::Links;
use crate::state::AppState;
use crate::store::{Delivery, DeliveryFilter, DeliveryStatus, Webhook};
use crate::webhooks::{self, definition, worker};

fn webhook_json(links: &Links, hook: &Webhook) -> Value {
    let mut value = definition::redact(&hook.definition);
    value["uuid"] = json!(hook.uuid);
    value["createdAt"] = json!(hook.created_at);
    value["updatedAt"] = json!(hook.updated_at);
    value["_links"] = json!({
        "self": {"href": links.url(&["webhooks", &hook.uuid]), "title": hook.definition["description"]},
        "pb:execute": {"href": links.url(&["webhooks", &hook.uuid, "execute"]), "title": "Send the webhook once, with the latest matching pact, and show the result"},
        "pb:deliveries": {"href": links.url(&["webhooks", &hook.uuid, "deliveries"]), "title": "Recent executions of this webhook, with their status and attempt logs"},
        "pb:dead-letters": {"href": links.url(&["webhooks", "dead-letters"]), "title": "Executions of any webhook that ran out of retries"},
        "pb:webhooks": {"href": links.url(&["webhooks"]), "title": "All webhooks"},
    });
    value
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

/// A delivery as the Pact Broker shows a triggered webhook, plus its
/// attempt logs and redacted request.
pub(crate) fn delivery_json(state: &AppState, links: &Links, d: &Delivery) -> Value {
    let total = state.webhook_settings.backoff.len() as u32 + 1;
    let pending = d.status == DeliveryStatus::Pending;
    let request = webhooks::redact_sent(&d.request);
    let name = d
        .log
        .last()
        .map(|l| l.request.clone())
        .unwrap_or_else(|| format!("{} webhook", d.event));
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

fn created(links: &Links, hook: &Webhook, was_created: bool) -> Response {
    let value = webhook_json(links, hook);
    let status = if was_created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let location = links.url(&["webhooks", &hook.uuid]);
    (status, [(header::LOCATION, location)], Json(value)).into_response()
}

/// `GET /webhooks`.
pub(crate) async fn list(
    State(state): State<AppState>,
    links: Links,
) -> Result<Json<Value>, BrokerError> {
    let hooks = state.query(|s| s.webhooks()).await?;
    let summaries: Vec<Value> = hooks
        .iter()
        .map(|h| json!({"href": links.url(&["webhooks", &h.uuid]), "title": h.definition["description"]}))
        .collect();
    let embedded: Vec<Value> = hooks.iter().map(|h| webhook_json(&links, h)).collect();
    Ok(Json(json!({
        "_links": {"self": {"href": links.url(&["webhooks"]), "title": "Webhooks"}, "pb:webhooks": summaries,
                   "pb:dead-letters": {"href": links.url(&["webhooks", "dead-letters"]), "title": "Webhook deliveries that ran out of retries"}},
        "_embedded": {"webhooks": embedded},
    })))
}

async fn save(
    state: &AppState,
    links: &Links,
    uuid: String,
    body: &Value,
) -> Result<Response, BrokerError> {
    let stored = definition::validate(body, &state.webhook_settings.allow)?;
    let (hook, was_created) = state.query(move |s| s.put_webhook(&uuid, &stored)).await?;
    Ok(created(links, &hook, was_created))
}

/// `POST /webhooks`.
pub(crate) async fn create(
    State(state): State<AppState>,
    links: Links,
    Body(body): Body<Value>,
) -> Result<Response, BrokerError> {
    save(&state, &links, uuid::Uuid::new_v4().to_string(), &body).await
}

/// `POST /webhooks/provider/{provider}/consumer/{consumer}`.
pub(crate) async fn create_for(
    State(state): State<AppState>,
    links: Links,
    Params((provider, consumer)): Params<(String, String)>,
    Body(mut body): Body<Value>,
) -> Result<Response, BrokerError> {
    if !body.is_object() {
        return Err(BrokerError::invalid("body", "must be a JSON object"));
    }
    body["provider"] = json!({"name": provider});
    body["consumer"] = json!({"name": consumer});
    save(&state, &links, uuid::Uuid::new_v4().to_string(), &body).await
}

/// `GET /webhooks/{uuid}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
) -> Result<Json<Value>, BrokerError> {
    let wanted = uuid.clone();
    let hook = state
        .query(move |s| s.webhook(&wanted))
        .await?
        .ok_or_else(|| BrokerError::NotFound(format!("webhook with uuid '{uuid}'")))?;
    Ok(Json(webhook_json(&links, &hook)))
}

/// `PUT /webhooks/{uuid}`: create or replace.
pub(crate) async fn put(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
    Body(body): Body<Value>,
) -> Result<Response, BrokerError> {
    if uuid.is_empty()
        || uuid.len() > 64
        || !uuid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(BrokerError::invalid(
            "uuid",
            "must be letters, digits, '-' or '_' (at most 64)",
        ));
    }
    save(&state, &links, uuid, &body).await
}

/// `DELETE /webhooks/{uuid}`.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Params(uuid): Params<String>,
) -> Result<StatusCode, BrokerError> {
    let wanted = uuid.clone();
    if state.query(move |s| s.delete_webhook(&wanted)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(BrokerError::NotFound(format!("webhook with uuid '{uuid}'")))
    }
}

/// `POST /webhooks/{uuid}/execute`: sends the webhook once, rendered
/// with the latest pact it matches (or only the webhook's own names when
/// none does), and answers with the attempt's log. Nothing is queued or
/// retried.
pub(crate) async fn execute(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
) -> Result<Json<Value>, BrokerError> {
    let (hook, event) = state
        .run({
            let links = links.clone();
            let uuid = uuid.clone();
            move |s| {
                let hook = s
                    .webhook(&uuid)?
                    .ok_or_else(|| BrokerError::NotFound(format!("webhook with uuid '{uuid}'")))?;
                let event = webhooks::events::sample(s, &links, &hook.definition)?;
                Ok((hook, event))
            }
        })
        .await?;
    let request = webhooks::render_request(&hook.definition["request"], &event.context);
    let settings = &state.webhook_settings;
    let client = worker::client(settings)
        .map_err(|e| BrokerError::Internal(crate::store::StoreError::Backend(Box::new(e))))?;
    let log = worker::execute(&client, &settings.allow, &request).await;
    Ok(Json(json!({
        "success": log.success,
        "eventName": event.name,
        "request": webhooks::redact_sent(&request),
        "logs": [log],
        "_links": {"pb:webhook": {"href": links.url(&["webhooks", &hook.uuid]), "title": "Webhook"}},
    })))
}

/// Deliveries as a HAL list under `key`.
fn listing(
    state: &AppState,
    links: &Links,
    key: &str,
    list: &[Delivery],
    self_href: String,
) -> Value {
    let items: Vec<Value> = list
        .iter()
        .map(|d| delivery_json(state, links, d))
        .collect();
    json!({
        "summary": summary(list),
        "_embedded": {key: items},
        "_links": {
            "self": {"href": self_href},
            "pb:dead-letters": {"href": links.url(&["webhooks", "dead-letters"]), "title": "Executions that ran out of retries"},
        },
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
    Ok(Json(listing(&state, &links, "deliveries", &list, href)))
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
    Ok(Json(listing(&state, &links, "deliveries", &list, href)))
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
    let mut value = delivery_json(&state, &links, &delivery);
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
    let list = state
        .run({
            let (p, c, n) = (provider.clone(), consumer.clone(), number.clone());
            move |s| {
                let pact = s.pact_for_version(&p, &c, &n)?.ok_or_else(|| {
                    BrokerError::NotFound(format!(
                        "pact between consumer '{c}' version '{n}' and provider '{p}'"
                    ))
                })?;
                Ok(s.deliveries(&DeliveryFilter {
                    consumer_version_id: Some(pact.consumer_version.id),
                    content_id: Some(pact.content.id),
                    ..DeliveryFilter::default()
                })?)
            }
        })
        .await?;
    let pact = links.url(&[
        "pacts", "provider", &provider, "consumer", &consumer, "version", &number,
    ]);
    let mut value = listing(
        &state,
        &links,
        "triggeredWebhooks",
        &list,
        format!("{pact}/triggered-webhooks"),
    );
    value["_links"]["pb:pact"] = json!({"href": pact, "title": "Pact"});
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
            let mut value = listing(
                &state,
                &links,
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
