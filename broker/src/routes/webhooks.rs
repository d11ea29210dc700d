//! Webhooks: `GET|POST /webhooks`, `GET|POST /webhooks/provider/{p}/consumer/{c}`,
//! `GET|PUT|DELETE /webhooks/{uuid}`, `POST /webhooks/{uuid}/execute` and
//! `POST /webhooks/execute` (an unsaved definition); their executions are
//! in `executions`. Secrets never appear in answers.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::error::BrokerError;
use crate::extract::{Body, Params};
use crate::links::Links;
use crate::state::AppState;
use crate::store::Webhook;
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
    let href = links.url(&["webhooks"]);
    Ok(Json(list_json(&links, &hooks, &href, "Webhooks")))
}

/// `GET /webhooks/provider/{provider}/consumer/{consumer}`: the webhooks
/// defined for exactly that integration (by name).
pub(crate) async fn list_for(
    State(state): State<AppState>,
    links: Links,
    Params((provider, consumer)): Params<(String, String)>,
) -> Result<Json<Value>, BrokerError> {
    let hooks = state.query(|s| s.webhooks()).await?;
    let named = |hook: &Webhook, role: &str, name: &str| {
        hook.definition[role]["name"].as_str() == Some(name)
    };
    let hooks: Vec<Webhook> = hooks
        .into_iter()
        .filter(|h| named(h, "provider", &provider) && named(h, "consumer", &consumer))
        .collect();
    let href = links.url(&["webhooks", "provider", &provider, "consumer", &consumer]);
    let title = format!("Webhooks for the pact between {consumer} and {provider}");
    Ok(Json(list_json(&links, &hooks, &href, &title)))
}

fn list_json(links: &Links, hooks: &[Webhook], href: &str, title: &str) -> Value {
    let summaries: Vec<Value> = hooks
        .iter()
        .map(|h| json!({"href": links.url(&["webhooks", &h.uuid]), "title": h.definition["description"]}))
        .collect();
    let embedded: Vec<Value> = hooks.iter().map(|h| webhook_json(links, h)).collect();
    json!({
        "_links": {"self": {"href": href, "title": title}, "pb:webhooks": summaries,
                   "pb:dead-letters": {"href": links.url(&["webhooks", "dead-letters"]), "title": "Webhook deliveries that ran out of retries"}},
        "_embedded": {"webhooks": embedded},
    })
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
    let wanted = uuid.clone();
    let hook = state
        .query(move |s| s.webhook(&wanted))
        .await?
        .ok_or_else(|| BrokerError::NotFound(format!("webhook with uuid '{uuid}'")))?;
    let mut answer = send_once(&state, &links, hook.definition).await?;
    answer["_links"] =
        json!({"pb:webhook": {"href": links.url(&["webhooks", &hook.uuid]), "title": "Webhook"}});
    Ok(Json(answer))
}

/// `POST /webhooks/execute`: [`execute`] for a definition that is not
/// saved (validated as if it were being created).
pub(crate) async fn execute_unsaved(
    State(state): State<AppState>,
    links: Links,
    Body(body): Body<Value>,
) -> Result<Json<Value>, BrokerError> {
    let definition = definition::validate(&body, &state.webhook_settings.allow)?;
    Ok(Json(send_once(&state, &links, definition).await?))
}

/// Renders a definition for a sample event, sends it once and describes
/// the attempt.
async fn send_once(
    state: &AppState,
    links: &Links,
    definition: Value,
) -> Result<Value, BrokerError> {
    let (definition, event) = state
        .run({
            let links = links.clone();
            move |s| {
                let event = webhooks::events::sample(s, &links, &definition)?;
                Ok((definition, event))
            }
        })
        .await?;
    let request = webhooks::render_request(&definition["request"], &event.context);
    let settings = &state.webhook_settings;
    let client = worker::client(settings)
        .map_err(|e| BrokerError::Internal(crate::store::StoreError::Backend(Box::new(e))))?;
    let log = worker::execute(&client, &settings.allow, &request).await;
    Ok(json!({
        "success": log.success,
        "eventName": event.name,
        "request": webhooks::redact_sent(&request),
        "logs": [log],
    }))
}
