//! Pacticipants, versions, branches and tags.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::BrokerError;
use crate::extract::{param, Body, Params};
use crate::hal;
use crate::links::Links;
use crate::state::AppState;
use crate::store::{LatestFilter, PacticipantPatch, VersionWrite};

type Reply = Result<(StatusCode, Json<Value>), BrokerError>;

/// Pacticipant fields clients send (POST, PUT, PATCH).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PacticipantBody {
    name: Option<String>,
    display_name: Option<String>,
    main_branch: Option<String>,
    repository_url: Option<String>,
}

impl PacticipantBody {
    fn patch(self) -> PacticipantPatch {
        PacticipantPatch {
            display_name: self.display_name,
            main_branch: self.main_branch,
            repository_url: self.repository_url,
        }
    }
}

/// A name from a path or body: present and not blank.
pub(crate) fn required(field: &str, value: Option<String>) -> Result<String, BrokerError> {
    match value {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(BrokerError::invalid(
            field,
            "is required and cannot be blank",
        )),
    }
}

/// `GET /pacticipants`.
pub(crate) async fn list(
    State(state): State<AppState>,
    links: Links,
) -> Result<Json<Value>, BrokerError> {
    let all = state.query(|s| s.pacticipants()).await?;
    let items: Vec<Value> = all.iter().map(|p| hal::pacticipant(&links, p)).collect();
    Ok(Json(json!({
        "_embedded": {"pacticipants": items},
        "_links": {"self": links.link(&["pacticipants"])},
    })))
}

/// `POST /pacticipants`.
pub(crate) async fn create(
    State(state): State<AppState>,
    links: Links,
    Body(body): Body<PacticipantBody>,
) -> Reply {
    let name = required("name", body.name.clone())?;
    let (p, created) = state
        .query(move |s| s.upsert_pacticipant(&name, &body.patch()))
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(hal::pacticipant(&links, &p))))
}

/// `GET /pacticipants/{p}`.
pub(crate) async fn get(
    State(state): State<AppState>,
    links: Links,
    Params(name): Params<String>,
) -> Reply {
    let (found, labels) = state
        .query({
            let name = name.clone();
            move |s| Ok((s.pacticipant(&name)?, s.labels_of(&name)?))
        })
        .await?;
    let p = found.ok_or_else(|| BrokerError::NotFound(format!("pacticipant '{name}'")))?;
    let mut value = hal::pacticipant(&links, &p);
    value["_embedded"] = json!({"labels": labels.iter().map(|l| json!({
        "name": l,
        "_links": {"self": links.link(&["pacticipants", &p.name, "labels", l])},
    })).collect::<Vec<_>>()});
    Ok((StatusCode::OK, Json(value)))
}

/// `PUT` / `PATCH /pacticipants/{p}`: create or update.
pub(crate) async fn upsert(
    State(state): State<AppState>,
    links: Links,
    Params(name): Params<String>,
    Body(body): Body<PacticipantBody>,
) -> Reply {
    let (p, created) = state
        .query(move |s| s.upsert_pacticipant(&name, &body.patch()))
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(hal::pacticipant(&links, &p))))
}

/// `DELETE /pacticipants/{p}`.
pub(crate) async fn delete(State(state): State<AppState>, Params(name): Params<String>) -> Reply {
    let deleted = state
        .query({
            let name = name.clone();
            move |s| s.delete_pacticipant(&name)
        })
        .await?;
    if !deleted {
        return Err(BrokerError::NotFound(format!("pacticipant '{name}'")));
    }
    Ok((
        StatusCode::OK,
        Json(json!({"message": format!("deleted pacticipant '{name}'")})),
    ))
}

/// `GET /pacticipants/{p}/versions`.
pub(crate) async fn versions(
    State(state): State<AppState>,
    links: Links,
    Params(name): Params<String>,
) -> Reply {
    let (found, versions, environments) = state
        .query({
            let name = name.clone();
            move |s| Ok((s.pacticipant(&name)?, s.versions(&name)?, s.environments()?))
        })
        .await?;
    if found.is_none() {
        return Err(BrokerError::NotFound(format!("pacticipant '{name}'")));
    }
    let items: Vec<Value> = versions
        .iter()
        .map(|v| hal::version(&links, v, &environments))
        .collect();
    Ok((
        StatusCode::OK,
        Json(json!({
            "_embedded": {"versions": items},
            "_links": {"self": links.link(&["pacticipants", &name, "versions"])},
        })),
    ))
}

/// `GET /pacticipants/{p}/versions/{v}`.
pub(crate) async fn get_version(
    State(state): State<AppState>,
    links: Links,
    Params((name, number)): Params<(String, String)>,
) -> Reply {
    let (found, environments) = state
        .query({
            let (n, v) = (name.clone(), number.clone());
            move |s| Ok((s.version(&n, &v)?, s.environments()?))
        })
        .await?;
    let v = found.ok_or_else(|| {
        BrokerError::NotFound(format!("version '{number}' of pacticipant '{name}'"))
    })?;
    Ok((
        StatusCode::OK,
        Json(hal::version(&links, &v, &environments)),
    ))
}

/// Version fields clients send with `PUT /pacticipants/{p}/versions/{v}`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct VersionBody {
    build_url: Option<String>,
    branch: Option<String>,
    #[serde(default)]
    tags: Vec<TagBody>,
}

/// A tag as `{"name": ...}`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TagBody {
    name: String,
}

/// `PUT /pacticipants/{p}/versions/{v}`.
pub(crate) async fn put_version(
    State(state): State<AppState>,
    links: Links,
    Params((pacticipant, number)): Params<(String, String)>,
    Body(body): Body<VersionBody>,
) -> Reply {
    let write = VersionWrite {
        pacticipant,
        number,
        branch: body.branch,
        tags: body.tags.into_iter().map(|t| t.name).collect(),
        build_url: body.build_url,
    };
    version_write(state, links, write).await
}

async fn version_write(state: AppState, links: Links, write: VersionWrite) -> Reply {
    let ((v, created), environments) = state
        .query(move |s| Ok((s.upsert_version(&write)?, s.environments()?)))
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(hal::version(&links, &v, &environments))))
}

/// `GET /pacticipants/{p}/latest-version[/{tag}]`.
pub(crate) async fn latest_version(
    State(state): State<AppState>,
    links: Links,
    Params(params): Params<Vec<(String, String)>>,
) -> Reply {
    let get = |key: &str| param(&params, key);
    let name = get("pacticipant").unwrap_or_default();
    let filter = get("tag").map_or(LatestFilter::Any, LatestFilter::Tag);
    let what = match &filter {
        LatestFilter::Tag(t) => format!("latest version of pacticipant '{name}' with tag '{t}'"),
        _ => format!("latest version of pacticipant '{name}'"),
    };
    let (found, environments) = state
        .query({
            let name = name.clone();
            move |s| Ok((s.latest_version(&name, &filter)?, s.environments()?))
        })
        .await?;
    let v = found.ok_or(BrokerError::NotFound(what))?;
    Ok((
        StatusCode::OK,
        Json(hal::version(&links, &v, &environments)),
    ))
}

/// `PUT /pacticipants/{p}/versions/{v}/tags/{t}`.
pub(crate) async fn put_tag(
    State(state): State<AppState>,
    links: Links,
    Params((pacticipant, number, tag)): Params<(String, String, String)>,
) -> Reply {
    let write = VersionWrite {
        pacticipant: pacticipant.clone(),
        number: number.clone(),
        tags: vec![tag.clone()],
        ..VersionWrite::default()
    };
    let had = state
        .query({
            let (p, n, t) = (pacticipant.clone(), number.clone(), tag.clone());
            move |s| {
                let before = s.version(&p, &n)?.is_some_and(|v| v.tags.contains(&t));
                s.upsert_version(&write)?;
                Ok(before)
            }
        })
        .await?;
    let status = if had {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(hal::tag(&links, &pacticipant, &number, &tag))))
}

/// `GET /pacticipants/{p}/versions/{v}/tags/{t}`.
pub(crate) async fn get_tag(
    State(state): State<AppState>,
    links: Links,
    Params((pacticipant, number, tag)): Params<(String, String, String)>,
) -> Reply {
    let found = state
        .query({
            let (p, n) = (pacticipant.clone(), number.clone());
            move |s| s.version(&p, &n)
        })
        .await?;
    match found {
        Some(v) if v.tags.contains(&tag) => Ok((
            StatusCode::OK,
            Json(hal::tag(&links, &pacticipant, &number, &tag)),
        )),
        _ => Err(BrokerError::NotFound(format!(
            "tag '{tag}' on version '{number}' of pacticipant '{pacticipant}'"
        ))),
    }
}

/// `PUT /pacticipants/{p}/branches/{b}/versions/{v}`.
pub(crate) async fn put_branch_version(
    State(state): State<AppState>,
    links: Links,
    Params((pacticipant, branch, number)): Params<(String, String, String)>,
) -> Reply {
    let write = VersionWrite {
        pacticipant: pacticipant.clone(),
        number: number.clone(),
        branch: Some(branch.clone()),
        ..VersionWrite::default()
    };
    let had = state
        .query({
            let (p, n, b) = (pacticipant.clone(), number.clone(), branch.clone());
            move |s| {
                let before = s.version(&p, &n)?.is_some_and(|v| v.branches.contains(&b));
                s.upsert_version(&write)?;
                Ok(before)
            }
        })
        .await?;
    let status = if had {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(json!({
            "name": branch,
            "_links": {
                "self": links.link(&["pacticipants", &pacticipant, "branches", &branch, "versions", &number]),
                "pb:version": links.link(&["pacticipants", &pacticipant, "versions", &number]),
                "pb:branch": links.link(&["pacticipants", &pacticipant, "branches", &branch]),
            }
        })),
    ))
}

/// `GET /pacticipants/{p}/branches/{b}`.
pub(crate) async fn get_branch(
    State(state): State<AppState>,
    links: Links,
    Params((pacticipant, branch)): Params<(String, String)>,
) -> Reply {
    let heads = state
        .query({
            let p = pacticipant.clone();
            move |s| s.branch_heads(&p)
        })
        .await?;
    let head = heads
        .into_iter()
        .find(|h| h.branch == branch)
        .ok_or_else(|| {
            BrokerError::NotFound(format!("branch '{branch}' of pacticipant '{pacticipant}'"))
        })?;
    Ok((
        StatusCode::OK,
        Json(json!({
            "name": head.branch,
            "createdAt": head.created_at,
            "_links": {"self": links.link(&["pacticipants", &pacticipant, "branches", &branch])},
        })),
    ))
}

/// `DELETE /pacticipants/{p}/branches/{b}`.
pub(crate) async fn delete_branch(
    State(state): State<AppState>,
    Params((pacticipant, branch)): Params<(String, String)>,
) -> Reply {
    let deleted = state
        .query({
            let (p, b) = (pacticipant.clone(), branch.clone());
            move |s| s.delete_branch(&p, &b)
        })
        .await?;
    if !deleted {
        return Err(BrokerError::NotFound(format!(
            "branch '{branch}' of pacticipant '{pacticipant}'"
        )));
    }
    Ok((
        StatusCode::OK,
        Json(json!({"message": format!("deleted branch '{branch}'")})),
    ))
}
