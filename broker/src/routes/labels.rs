//! Pacticipant labels: `PUT|GET|DELETE /pacticipants/{p}/labels/{l}`,
//! `GET /pacticipants/label/{l}` and `GET /labels`. Webhooks can be
//! scoped to the pacticipants carrying a label.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::error::BrokerError;
use crate::extract::Params;
use crate::hal;
use crate::links::Links;
use crate::state::AppState;

type Reply = Result<(StatusCode, Json<Value>), BrokerError>;

fn label_json(links: &Links, pacticipant: &str, label: &str) -> Value {
    json!({
        "name": label,
        "_links": {
            "self": {"href": links.url(&["pacticipants", pacticipant, "labels", label]), "title": "Label", "name": label},
            "pb:pacticipant": {"href": links.url(&["pacticipants", pacticipant]), "title": "Pacticipant", "name": pacticipant},
            "pb:labelled": {"href": links.url(&["pacticipants", "label", label]), "title": format!("Pacticipants labelled {label}")},
        },
    })
}

/// `PUT /pacticipants/{p}/labels/{l}`: 201 when new, 200 when present.
pub(crate) async fn put(
    State(state): State<AppState>,
    links: Links,
    Params((pacticipant, label)): Params<(String, String)>,
) -> Reply {
    if label.trim().is_empty() {
        return Err(BrokerError::invalid("label", "cannot be blank"));
    }
    let created = state
        .query({
            let (p, l) = (pacticipant.clone(), label.clone());
            move |s| s.add_label(&p, &l)
        })
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(label_json(&links, &pacticipant, &label))))
}

/// `GET /pacticipants/{p}/labels/{l}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    links: Links,
    Params((pacticipant, label)): Params<(String, String)>,
) -> Reply {
    let labels = state
        .query({
            let p = pacticipant.clone();
            move |s| s.labels_of(&p)
        })
        .await?;
    if !labels.contains(&label) {
        return Err(BrokerError::NotFound(format!(
            "label '{label}' on pacticipant '{pacticipant}'"
        )));
    }
    Ok((
        StatusCode::OK,
        Json(label_json(&links, &pacticipant, &label)),
    ))
}

/// `DELETE /pacticipants/{p}/labels/{l}`.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Params((pacticipant, label)): Params<(String, String)>,
) -> Result<StatusCode, BrokerError> {
    let removed = state
        .query({
            let (p, l) = (pacticipant.clone(), label.clone());
            move |s| s.remove_label(&p, &l)
        })
        .await?;
    if removed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(BrokerError::NotFound(format!(
            "label '{label}' on pacticipant '{pacticipant}'"
        )))
    }
}

/// `GET /pacticipants/label/{l}`: the pacticipants carrying a label.
pub(crate) async fn labelled(
    State(state): State<AppState>,
    links: Links,
    Params(label): Params<String>,
) -> Reply {
    let found = state
        .query({
            let l = label.clone();
            move |s| s.labelled(&l)
        })
        .await?;
    let items: Vec<Value> = found.iter().map(|p| hal::pacticipant(&links, p)).collect();
    Ok((
        StatusCode::OK,
        Json(json!({
            "_embedded": {"pacticipants": items},
            "_links": {"self": links.link(&["pacticipants", "label", &label])},
        })),
    ))
}

/// `GET /labels`: every label in use.
pub(crate) async fn all(State(state): State<AppState>, links: Links) -> Reply {
    let names = state.query(|s| s.labels()).await?;
    let items: Vec<Value> = names
        .iter()
        .map(|name| {
            json!({"name": name, "_links": {"pb:labelled": links.link(&["pacticipants", "label", name])}})
        })
        .collect();
    Ok((
        StatusCode::OK,
        Json(json!({"_embedded": {"labels": items}, "_links": {"self": links.link(&["labels"])}})),
    ))
}
