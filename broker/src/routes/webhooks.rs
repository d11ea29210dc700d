//! Webhooks: `GET|POST /webhooks`, `POST /webhooks/provider/{p}/consumer/{c}`,
//! `GET|PUT|DELETE /webhooks/{uuid}`, `POST /webhooks/{uuid}/execute`,
//! `GET /webhooks/{uuid}/deliveries` and the dead-letter list
//! `GET /webhooks/dead-letters`. Secrets never appear in answers.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::error::BrokerError;
use crate::extract::{Body, Params};
use crate::links::Links;
use crate::state::AppState;
use crate::store::{Delivery, DeliveryStatus, Webhook};
use crate::webhooks::{self, definition};

fn webhook_json(links: &Links, hook: &Webhook) -> Value {
    let mut value = definition::redact(&hook.definition);
    value["uuid"] = json!(hook.uuid);
    value["createdAt"] = json!(hook.created_at);
    value["updatedAt"] = json!(hook.updated_at);
    value["_links"] = json!({
        "self": {"href": links.url(&["webhooks", &hook.uuid]), "title": hook.definition["description"]},
        "pb:execute": {"href": links.url(&["webhooks", &hook.uuid, "execute"]), "title": "Test the execution of the webhook"},
        "pb:deliveries": {"href": links.url(&["webhooks", &hook.uuid, "deliveries"]), "title": "Deliveries of this webhook"},
        "pb:webhooks": {"href": links.url(&["webhooks"]), "title": "All webhooks"},
    });
    value
}

fn delivery_json(links: &Links, d: &Delivery) -> Value {
    json!({
        "uuid": d.uuid,
        "webhookUuid": d.webhook_uuid,
        "event": d.event,
        "status": d.status.as_str(),
        "attempts": d.attempts,
        "nextAttemptAt": if d.status == DeliveryStatus::Pending { json!(d.next_attempt_at) } else { Value::Null },
        "logs": d.log,
        "request": webhooks::redact_request(&d.request),
        "createdAt": d.created_at,
        "_links": {"pb:webhook": {"href": links.url(&["webhooks", &d.webhook_uuid])}},
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
    let stored = definition::validate(body)?;
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

/// `POST /webhooks/{uuid}/execute`: queue a test delivery now, with the
/// webhook's consumer and provider names as the only parameters.
pub(crate) async fn execute(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
) -> Result<Response, BrokerError> {
    let wanted = uuid.clone();
    let hook = state
        .query(move |s| s.webhook(&wanted))
        .await?
        .ok_or_else(|| BrokerError::NotFound(format!("webhook with uuid '{uuid}'")))?;
    let mut context = webhooks::Context::default();
    for (side, param) in [("consumer", "consumerName"), ("provider", "providerName")] {
        if let Some(name) = hook.definition[side]["name"].as_str() {
            context.set(param, name.to_owned());
        }
    }
    let event = hook.definition["events"][0]["name"]
        .as_str()
        .unwrap_or("contract_published");
    let event = webhooks::EVENTS
        .iter()
        .copied()
        .find(|e| *e == event)
        .unwrap_or("contract_published");
    context.set("eventName", event.to_owned());
    let delivery = crate::store::NewDelivery {
        webhook_uuid: hook.uuid.clone(),
        event: event.to_owned(),
        request: webhooks::render_request(&hook.definition["request"], &context),
    };
    state
        .query(move |s| s.enqueue_deliveries(&[delivery]))
        .await?;
    state.webhook_wake.notify_one();
    let href = links.url(&["webhooks", &hook.uuid, "deliveries"]);
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"queued": true, "_links": {"pb:deliveries": {"href": href}}})),
    )
        .into_response())
}

/// `GET /webhooks/{uuid}/deliveries`: newest first.
pub(crate) async fn deliveries(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
) -> Result<Json<Value>, BrokerError> {
    let list = state
        .query(move |s| s.deliveries(None, Some(&uuid)))
        .await?;
    let items: Vec<Value> = list.iter().map(|d| delivery_json(&links, d)).collect();
    Ok(Json(
        json!({"_embedded": {"deliveries": items}, "_links": {"self": {"href": links.url(&["webhooks"])}}}),
    ))
}

/// `GET /webhooks/dead-letters`: deliveries whose retries ran out.
pub(crate) async fn dead_letters(
    State(state): State<AppState>,
    links: Links,
) -> Result<Json<Value>, BrokerError> {
    let list = state
        .query(|s| s.deliveries(Some(DeliveryStatus::Dead), None))
        .await?;
    let items: Vec<Value> = list.iter().map(|d| delivery_json(&links, d)).collect();
    Ok(Json(json!({
        "_embedded": {"deliveries": items},
        "_links": {"self": {"href": links.url(&["webhooks", "dead-letters"]), "title": "Dead letters"}},
    })))
}
