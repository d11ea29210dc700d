//! `GET /matrix`, `GET /can-i-deploy` and its path forms (a branch head to
//! an environment, a tagged version to a tag).

use axum::extract::{RawQuery, State};
use axum::Json;
use serde_json::{json, Value};

use crate::error::BrokerError;
use crate::extract::Params;
use crate::links::Links;
use crate::matrix::{self, Decision, MatrixQuery, Row, Status, Target, VersionSelector};
use crate::rack::RackQuery;
use crate::state::AppState;

fn truthy(value: Option<&str>) -> bool {
    value == Some("true")
}

fn selector(
    fields: &std::collections::BTreeMap<String, String>,
    index: usize,
) -> Result<VersionSelector, BrokerError> {
    let get = |k: &str| fields.get(k).filter(|v| !v.is_empty()).cloned();
    let pacticipant = get("pacticipant")
        .ok_or_else(|| BrokerError::invalid(format!("q[{index}][pacticipant]"), "is required"))?;
    Ok(VersionSelector {
        pacticipant,
        version: get("version"),
        latest: truthy(fields.get("latest").map(String::as_str)),
        tag: get("tag"),
        branch: get("branch"),
        main_branch: truthy(fields.get("mainBranch").map(String::as_str)),
        environment: get("environment"),
    })
}

fn target(q: &RackQuery) -> Target {
    let get = |k: &str| q.get(k).filter(|v| !v.is_empty()).map(str::to_owned);
    if let Some(env) = get("environment") {
        Target::Environment(env)
    } else if let (Some(tag), true) = (get("tag"), truthy(q.get("latest"))) {
        Target::Tag(tag)
    } else if truthy(q.get("mainBranch")) {
        Target::MainBranch
    } else if truthy(q.get("latest")) {
        Target::Latest
    } else {
        Target::None
    }
}

fn ignores(q: &RackQuery) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = q
        .list("ignore")
        .into_iter()
        .map(|p| (p.to_owned(), None))
        .collect();
    for fields in q.objects("ignore") {
        if let Some(p) = fields.get("pacticipant") {
            out.push((
                p.clone(),
                fields.get("version").filter(|v| !v.is_empty()).cloned(),
            ));
        }
    }
    out
}

/// `GET /matrix?q[][pacticipant]=...`.
pub(crate) async fn matrix(
    State(state): State<AppState>,
    links: Links,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, BrokerError> {
    let q = RackQuery::parse(raw.as_deref().unwrap_or(""));
    let selectors = q
        .objects("q")
        .iter()
        .enumerate()
        .map(|(i, f)| selector(f, i))
        .collect::<Result<Vec<_>, _>>()?;
    if selectors.is_empty() {
        return Err(BrokerError::invalid(
            "q",
            "at least one selector q[][pacticipant] is required",
        ));
    }
    let query = MatrixQuery {
        selectors,
        target: target(&q),
        ignore: ignores(&q),
    };
    let decision = state.run(move |s| matrix::evaluate(s, &query)).await?;
    Ok(Json(render(&links, &decision)))
}

/// `GET /can-i-deploy?pacticipant=Foo&version=1&environment=production`
/// (or `to=TAG`).
pub(crate) async fn can_i_deploy(
    State(state): State<AppState>,
    links: Links,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, BrokerError> {
    let q = RackQuery::parse(raw.as_deref().unwrap_or(""));
    let get = |k: &str| q.get(k).filter(|v| !v.is_empty()).map(str::to_owned);
    let pacticipant =
        get("pacticipant").ok_or_else(|| BrokerError::invalid("pacticipant", "is required"))?;
    let target = match (get("environment"), get("to")) {
        (Some(env), None) => Target::Environment(env),
        (None, Some(tag)) => Target::Tag(tag),
        _ => {
            return Err(BrokerError::invalid(
                "environment",
                "give exactly one of environment and to",
            ))
        }
    };
    let version = get("version");
    let selector = VersionSelector {
        pacticipant,
        latest: version.is_none(),
        version,
        tag: get("tag"),
        branch: get("branch"),
        ..VersionSelector::default()
    };
    let query = MatrixQuery {
        selectors: vec![selector],
        target,
        ignore: ignores(&q),
    };
    let decision = state.run(move |s| matrix::evaluate(s, &query)).await?;
    Ok(Json(render(&links, &decision)))
}

/// `GET /pacticipants/{p}/branches/{b}/latest-version/can-i-deploy/to-environment/{e}`:
/// the head of a branch to an environment.
pub(crate) async fn branch_to_environment(
    State(state): State<AppState>,
    links: Links,
    Params((pacticipant, branch, environment)): Params<(String, String, String)>,
) -> Result<Json<Value>, BrokerError> {
    let selector = VersionSelector {
        pacticipant,
        latest: true,
        branch: Some(branch),
        ..VersionSelector::default()
    };
    fixed(state, links, selector, Target::Environment(environment)).await
}

/// `GET /pacticipants/{p}/latest-version/{tag}/can-i-deploy/to/{to}`: the
/// latest version with a tag to the versions with another tag (legacy).
pub(crate) async fn tag_to_tag(
    State(state): State<AppState>,
    links: Links,
    Params((pacticipant, tag, to)): Params<(String, String, String)>,
) -> Result<Json<Value>, BrokerError> {
    let selector = VersionSelector {
        pacticipant,
        latest: true,
        tag: Some(tag),
        ..VersionSelector::default()
    };
    fixed(state, links, selector, Target::Tag(to)).await
}

/// can-i-deploy for one selector and target taken from the path.
async fn fixed(
    state: AppState,
    links: Links,
    selector: VersionSelector,
    target: Target,
) -> Result<Json<Value>, BrokerError> {
    let query = MatrixQuery {
        selectors: vec![selector],
        target,
        ignore: Vec::new(),
    };
    let decision = state.run(move |s| matrix::evaluate(s, &query)).await?;
    Ok(Json(render(&links, &decision)))
}

fn render(links: &Links, d: &Decision) -> Value {
    let count = |s: Status| {
        d.rows
            .iter()
            .filter(|r| !r.ignored && r.status == s)
            .count()
    };
    let ignored = d.rows.iter().filter(|r| r.ignored).count();
    let mut notices: Vec<Value> = d
        .warnings
        .iter()
        .map(|w| json!({"type": "warning", "text": w}))
        .collect();
    for r in &d.rows {
        let kind = match (r.ignored, r.status) {
            (true, _) => "info",
            (_, Status::Success) => "success",
            (_, Status::Failed) => "error",
            (_, Status::Unknown) => "warning",
        };
        let text = if r.ignored {
            format!("{} (ignored)", r.reason)
        } else {
            r.reason.clone()
        };
        notices.push(json!({"type": kind, "text": text}));
    }
    let summary_type = match d.deployable {
        Some(true) => "success",
        Some(false) => "error",
        None => "warning",
    };
    notices.insert(0, json!({"type": summary_type, "text": d.reason.clone()}));
    json!({
        "summary": {
            "deployable": d.deployable,
            "reason": d.reason,
            "success": count(Status::Success),
            "failed": count(Status::Failed),
            "unknown": count(Status::Unknown),
            "ignored": ignored,
        },
        "notices": notices,
        "matrix": d.rows.iter().map(|r| row(links, r)).collect::<Vec<_>>(),
    })
}

fn row(links: &Links, r: &Row) -> Value {
    let cv = &r.consumer_version;
    let pact_url = links.url(&[
        "pacts",
        "provider",
        &r.provider,
        "consumer",
        &r.consumer,
        "version",
        &cv.number,
    ]);
    let provider_version = r.provider_version.as_ref().map(|pv| json!({
        "number": pv.number, "branch": pv.branches.last(), "branches": pv.branches.iter().map(|b| json!({"name": b})).collect::<Vec<_>>(), "tags": pv.tags.iter().map(|t| json!({"name": t})).collect::<Vec<_>>(),
        "_links": {"self": links.link(&["pacticipants", &r.provider, "versions", &pv.number])},
    }));
    let verification = r.verification.as_ref().map(|v| json!({
        "success": v.success,
        "verifiedAt": v.created_at,
        "providerVersion": v.provider_version,
        "_links": {"self": {"href": format!("{}/verification-results/{}", links.url(&["pacts", "provider", &r.provider, "consumer", &r.consumer, "pact-version", &r.pact.sha]), v.id)}},
    }));
    let mut value = json!({
        "consumer": {"name": r.consumer, "version": {
            "number": cv.number, "branch": cv.branches.last(), "branches": cv.branches.iter().map(|b| json!({"name": b})).collect::<Vec<_>>(), "tags": cv.tags.iter().map(|t| json!({"name": t})).collect::<Vec<_>>(),
            "_links": {"self": links.link(&["pacticipants", &r.consumer, "versions", &cv.number])},
        }},
        "provider": {"name": r.provider, "version": provider_version},
        "pact": {"createdAt": r.pact.published_at, "_links": {"self": {"href": pact_url}}},
        "verificationResult": verification,
        "status": match r.status { Status::Success => "success", Status::Failed => "failed", Status::Unknown => "unknown" },
        "reason": r.reason,
    });
    if r.ignored {
        value["ignored"] = json!(true);
    }
    value
}
