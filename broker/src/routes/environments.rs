//! Environments, and recording deployments and releases.

use axum::extract::{Query, State};
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
use crate::state::AppState;
use crate::store::{DeploymentFilter, DeploymentKind, DeploymentWrite, EnvironmentWrite};

fn created(value: Value) -> Response {
    let location = value["_links"]["self"]["href"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut response = (StatusCode::CREATED, Json(value)).into_response();
    if let Ok(location) = location.parse() {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// Environment fields clients send.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EnvironmentBody {
    name: Option<String>,
    display_name: Option<String>,
    production: Option<bool>,
    #[serde(default)]
    contacts: Value,
}

impl EnvironmentBody {
    fn check(self) -> Result<EnvironmentWrite, BrokerError> {
        let name = required("name", self.name)?;
        if name.chars().any(char::is_whitespace) {
            return Err(BrokerError::invalid(
                "name",
                "cannot contain spaces or new lines",
            ));
        }
        let production = self.production.ok_or_else(|| {
            BrokerError::invalid("production", "is required and must be true or false")
        })?;
        let contacts = if self.contacts.is_null() {
            json!([])
        } else {
            self.contacts
        };
        Ok(EnvironmentWrite {
            name,
            display_name: self.display_name,
            production,
            contacts,
        })
    }
}

/// `GET /environments[?name=...]`.
pub(crate) async fn list(
    State(state): State<AppState>,
    links: Links,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, BrokerError> {
    let all = state.query(|s| s.environments()).await?;
    let name = param(&query, "name");
    let shown: Vec<_> = all
        .iter()
        .filter(|e| name.as_ref().is_none_or(|n| *n == e.name))
        .collect();
    Ok(Json(json!({
        "_embedded": {"environments": shown.iter().map(|e| hal::environment(&links, e)).collect::<Vec<_>>()},
        "_links": {
            "self": links.link(&["environments"]),
            "pb:environments": shown.iter().map(|e| json!({"name": e.name, "href": links.url(&["environments", &e.uuid])})).collect::<Vec<_>>(),
        },
    })))
}

/// `POST /environments`.
pub(crate) async fn create(
    State(state): State<AppState>,
    links: Links,
    Body(body): Body<EnvironmentBody>,
) -> Result<Response, BrokerError> {
    let write = body.check()?;
    let e = state.query(move |s| s.create_environment(&write)).await?;
    Ok(created(hal::environment(&links, &e)))
}

/// `GET /environments/{uuid}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
) -> Result<Json<Value>, BrokerError> {
    let found = state
        .query({
            let u = uuid.clone();
            move |s| s.environment(&u)
        })
        .await?;
    let e =
        found.ok_or_else(|| BrokerError::NotFound(format!("environment with uuid '{uuid}'")))?;
    Ok(Json(hal::environment(&links, &e)))
}

/// `PUT /environments/{uuid}`.
pub(crate) async fn update(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
    Body(body): Body<EnvironmentBody>,
) -> Result<Json<Value>, BrokerError> {
    let write = body.check()?;
    let e = state
        .query(move |s| s.update_environment(&uuid, &write))
        .await?;
    Ok(Json(hal::environment(&links, &e)))
}

/// `DELETE /environments/{uuid}`.
pub(crate) async fn delete(
    State(state): State<AppState>,
    Params(uuid): Params<String>,
) -> Result<Json<Value>, BrokerError> {
    let deleted = state
        .query({
            let u = uuid.clone();
            move |s| s.delete_environment(&u)
        })
        .await?;
    if !deleted {
        return Err(BrokerError::NotFound(format!(
            "environment with uuid '{uuid}'"
        )));
    }
    Ok(Json(
        json!({"message": format!("deleted environment '{uuid}'")}),
    ))
}

/// Body of a record-deployment request.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DeploymentBody {
    application_instance: Option<String>,
    target: Option<String>,
}

async fn record(
    state: AppState,
    links: Links,
    kind: DeploymentKind,
    (pacticipant, version, environment): (String, String, String),
    instance: Option<String>,
) -> Result<Response, BrokerError> {
    let write = DeploymentWrite {
        pacticipant,
        version,
        environment,
        application_instance: instance.filter(|i| !i.is_empty()),
    };
    let d = state
        .query(move |s| match kind {
            DeploymentKind::Deployed => s.record_deployment(&write),
            DeploymentKind::Released => s.record_release(&write),
        })
        .await?;
    Ok(created(hal::deployment(&links, &d)))
}

/// `POST /pacticipants/{p}/versions/{v}/deployed-versions/environment/{uuid}`.
pub(crate) async fn record_deployment(
    State(state): State<AppState>,
    links: Links,
    Params(path): Params<(String, String, String)>,
    Body(body): Body<DeploymentBody>,
) -> Result<Response, BrokerError> {
    record(
        state,
        links,
        DeploymentKind::Deployed,
        path,
        body.application_instance.or(body.target),
    )
    .await
}

/// `POST /pacticipants/{p}/versions/{v}/released-versions/environment/{uuid}`.
pub(crate) async fn record_release(
    State(state): State<AppState>,
    links: Links,
    Params(path): Params<(String, String, String)>,
) -> Result<Response, BrokerError> {
    record(state, links, DeploymentKind::Released, path, None).await
}

async fn current(
    state: AppState,
    links: Links,
    kind: DeploymentKind,
    uuid: String,
    query: Vec<(String, String)>,
) -> Result<Json<Value>, BrokerError> {
    let get = |k: &str| {
        query
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let filter = DeploymentFilter {
        kind,
        environment: Some(uuid.clone()),
        pacticipant: get("pacticipant"),
        version: get("version"),
    };
    let (env, list) = state
        .query({
            let u = uuid.clone();
            move |s| Ok((s.environment(&u)?, s.current_deployments(&filter)?))
        })
        .await?;
    env.ok_or_else(|| BrokerError::NotFound(format!("environment with uuid '{uuid}'")))?;
    let key = if kind == DeploymentKind::Deployed {
        "deployedVersions"
    } else {
        "releasedVersions"
    };
    let items: Vec<Value> = list.iter().map(|d| hal::deployment(&links, d)).collect();
    Ok(Json(
        json!({"_embedded": {key: items}, "_links": {"self": links.link(&["environments", &uuid])}}),
    ))
}

/// `GET /environments/{uuid}/deployed-versions/currently-deployed`.
pub(crate) async fn currently_deployed(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, BrokerError> {
    current(state, links, DeploymentKind::Deployed, uuid, query).await
}

/// `GET /environments/{uuid}/released-versions/currently-supported`.
pub(crate) async fn currently_supported(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Json<Value>, BrokerError> {
    current(state, links, DeploymentKind::Released, uuid, query).await
}

/// Body of a PATCH on a deployed or released version.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EndBody {
    currently_deployed: Option<bool>,
    currently_supported: Option<bool>,
}

async fn get_or_end(
    state: AppState,
    links: Links,
    kind: DeploymentKind,
    uuid: String,
    end: Option<bool>,
) -> Result<Json<Value>, BrokerError> {
    if end == Some(true) {
        return Err(BrokerError::Unprocessable("a version can only be marked as no longer deployed or supported here; record a new deployment or release instead".into()));
    }
    let d = state
        .query({
            let u = uuid.clone();
            move |s| match end {
                Some(false) => s.end_deployment(kind, &u).map(Some),
                _ => s.deployment(kind, &u),
            }
        })
        .await?
        .ok_or_else(|| BrokerError::NotFound(format!("deployed or released version '{uuid}'")))?;
    Ok(Json(hal::deployment(&links, &d)))
}

/// `GET /deployed-versions/{uuid}`.
pub(crate) async fn get_deployed(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
) -> Result<Json<Value>, BrokerError> {
    get_or_end(state, links, DeploymentKind::Deployed, uuid, None).await
}

/// `PATCH /deployed-versions/{uuid}` with `{"currentlyDeployed": false}`.
pub(crate) async fn patch_deployed(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
    Body(body): Body<EndBody>,
) -> Result<Json<Value>, BrokerError> {
    get_or_end(
        state,
        links,
        DeploymentKind::Deployed,
        uuid,
        body.currently_deployed,
    )
    .await
}

/// `GET /released-versions/{uuid}`.
pub(crate) async fn get_released(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
) -> Result<Json<Value>, BrokerError> {
    get_or_end(state, links, DeploymentKind::Released, uuid, None).await
}

/// `PATCH /released-versions/{uuid}` with `{"currentlySupported": false}`.
pub(crate) async fn patch_released(
    State(state): State<AppState>,
    links: Links,
    Params(uuid): Params<String>,
    Body(body): Body<EndBody>,
) -> Result<Json<Value>, BrokerError> {
    get_or_end(
        state,
        links,
        DeploymentKind::Released,
        uuid,
        body.currently_supported,
    )
    .await
}
