//! HAL representations of the broker's resources, with the relation names
//! and fields Pact clients read.

use serde_json::{json, Map, Value};

use crate::content::interaction_id;
use crate::links::Links;
use crate::store::{
    Deployment, DeploymentKind, Environment, Pact, Pacticipant, Verification, Version,
};

/// A pacticipant resource.
pub(crate) fn pacticipant(links: &Links, p: &Pacticipant) -> Value {
    let name = p.name.as_str();
    let base = links.url(&["pacticipants", name]);
    json!({
        "name": name,
        "displayName": p.display_name.clone().unwrap_or_else(|| name.to_owned()),
        "mainBranch": p.main_branch,
        "repositoryUrl": p.repository_url,
        "createdAt": p.created_at,
        "updatedAt": p.updated_at,
        "_links": {
            "self": {"href": base, "name": name, "title": "Pacticipant"},
            "pb:versions": {"href": format!("{base}/versions")},
            "pb:version": {"href": format!("{base}/versions/{{version}}"), "templated": true},
            "pb:version-tag": {"href": format!("{base}/versions/{{version}}/tags/{{tag}}"), "templated": true},
            "pb:branch-version": {"href": format!("{base}/branches/{{branch}}/versions/{{version}}"), "templated": true},
            "pb:branch": {"href": format!("{base}/branches/{{branch}}"), "templated": true},
            "pb:latest-version": {"href": format!("{base}/latest-version")},
            "pb:latest-tagged-version": {"href": format!("{base}/latest-version/{{tag}}"), "templated": true},
            "pb:label": {"href": format!("{base}/labels/{{label}}"), "templated": true, "title": "Add, read or remove a label"},
        }
    })
}

/// A version resource; `environments` feed the record-deployment links.
pub(crate) fn version(links: &Links, v: &Version, environments: &[Environment]) -> Value {
    let (p, n) = (v.pacticipant.as_str(), v.number.as_str());
    let record = |kind: &str| -> Vec<Value> {
        environments
            .iter()
            .map(|e| {
                json!({
                    "name": e.name,
                    "title": format!("Record {kind} to {}", e.display_name.as_deref().unwrap_or(&e.name)),
                    "href": links.url(&["pacticipants", p, "versions", n, &format!("{kind}-versions"), "environment", &e.uuid]),
                })
            })
            .collect()
    };
    json!({
        "number": n,
        "buildUrl": v.build_url,
        "createdAt": v.created_at,
        "_embedded": {
            "branchVersions": v.branches.iter().map(|b| json!({
                "name": b,
                "_links": {"self": links.link(&["pacticipants", p, "branches", b, "versions", n])},
            })).collect::<Vec<_>>(),
            "tags": v.tags.iter().map(|t| tag(links, p, n, t)).collect::<Vec<_>>(),
        },
        "_links": {
            "self": {"href": links.url(&["pacticipants", p, "versions", n]), "name": n, "title": "Version"},
            "pb:pacticipant": {"href": links.url(&["pacticipants", p]), "name": p, "title": "Pacticipant"},
            "pb:tag": {"href": format!("{}/tags/{{tag}}", links.url(&["pacticipants", p, "versions", n])), "templated": true},
            "pb:record-deployment": record("deployed"),
            "pb:record-release": record("released"),
        }
    })
}

/// A tag resource.
pub(crate) fn tag(links: &Links, pacticipant: &str, version: &str, name: &str) -> Value {
    json!({
        "name": name,
        "_links": {
            "self": {"href": links.url(&["pacticipants", pacticipant, "versions", version, "tags", name]), "name": name, "title": "Tag"},
            "pb:version": {"href": links.url(&["pacticipants", pacticipant, "versions", version]), "name": version},
        }
    })
}

/// An environment resource.
pub(crate) fn environment(links: &Links, e: &Environment) -> Value {
    let base = links.url(&["environments", &e.uuid]);
    json!({
        "uuid": e.uuid,
        "name": e.name,
        "displayName": e.display_name.clone().unwrap_or_else(|| e.name.clone()),
        "production": e.production,
        "contacts": e.contacts,
        "createdAt": e.created_at,
        "updatedAt": e.updated_at,
        "_links": {
            "self": {"href": base, "name": e.name, "title": "Environment"},
            "pb:currently-deployed-deployed-versions": {"href": format!("{base}/deployed-versions/currently-deployed"), "title": "Versions currently deployed"},
            "pb:currently-supported-released-versions": {"href": format!("{base}/released-versions/currently-supported"), "title": "Versions released and supported"},
            "pb:environments": {"href": links.url(&["environments"])},
        }
    })
}

/// A deployed or released version resource.
pub(crate) fn deployment(links: &Links, d: &Deployment) -> Value {
    let (kind, flag, ended) = match d.kind {
        DeploymentKind::Deployed => ("deployed-versions", "currentlyDeployed", "undeployedAt"),
        DeploymentKind::Released => ("released-versions", "currentlySupported", "supportEndedAt"),
    };
    let mut value = json!({
        "uuid": d.uuid,
        flag: d.current,
        "createdAt": d.created_at,
        ended: d.ended_at,
        "_embedded": {
            "pacticipant": {"name": d.pacticipant, "_links": {"self": links.link(&["pacticipants", &d.pacticipant])}},
            "version": {"number": d.version, "_links": {"self": links.link(&["pacticipants", &d.pacticipant, "versions", &d.version])}},
            "environment": {"uuid": d.environment_uuid, "name": d.environment_name, "_links": {"self": links.link(&["environments", &d.environment_uuid])}},
        },
        "_links": {
            "self": links.link(&[kind, &d.uuid]),
            "pb:environment": {"href": links.url(&["environments", &d.environment_uuid]), "name": d.environment_name},
        }
    });
    if d.kind == DeploymentKind::Deployed {
        value["applicationInstance"] = json!(d.application_instance);
        value["target"] = json!(d.application_instance);
    }
    value
}

/// A pact by its consumer version.
pub(crate) fn pact_url(links: &Links, pact: &Pact) -> String {
    let (c, v) = (&pact.content, &pact.consumer_version);
    links.url(&[
        "pacts",
        "provider",
        &c.provider,
        "consumer",
        &c.consumer,
        "version",
        &v.number,
    ])
}

/// The permalink of content, optionally with selection metadata.
pub(crate) fn pact_version_url(links: &Links, pact: &Pact, metadata: Option<&str>) -> String {
    let c = &pact.content;
    let mut segments = vec![
        "pacts",
        "provider",
        &c.provider,
        "consumer",
        &c.consumer,
        "pact-version",
        &c.sha,
    ];
    if let Some(m) = metadata {
        segments.extend(["metadata", m]);
    }
    links.url(&segments)
}

/// A pact document with `_id`s and the links verifiers follow. `self_url`
/// is the URL it was fetched by.
pub(crate) fn pact(links: &Links, pact: &Pact, self_url: String, metadata: Option<&str>) -> Value {
    let mut document: Value =
        serde_json::from_str(&pact.content.document).unwrap_or_else(|_| json!({}));
    for key in ["interactions", "messages"] {
        if let Some(items) = document.get_mut(key).and_then(Value::as_array_mut) {
            for item in items {
                let id = interaction_id(item);
                if let Some(map) = item.as_object_mut() {
                    map.entry("_id").or_insert(Value::String(id));
                }
            }
        }
    }
    let c = &pact.content;
    let v = &pact.consumer_version;
    // Results published through this link are for this consumer version.
    let selected = crate::metadata::for_consumer_version(v.id);
    let permalink = pact_version_url(links, pact, Some(metadata.unwrap_or(&selected)));
    let pact_url = pact_url(links, pact);
    let mut pact_links = Map::new();
    pact_links.insert(
        "self".into(),
        json!({"href": self_url, "name": pact_title(pact), "title": "Pact"}),
    );
    pact_links.insert("pb:consumer".into(), json!({"href": links.url(&["pacticipants", &c.consumer]), "name": c.consumer, "title": "Consumer"}));
    pact_links.insert("pb:provider".into(), json!({"href": links.url(&["pacticipants", &c.provider]), "name": c.provider, "title": "Provider"}));
    pact_links.insert("pb:consumer-version".into(), json!({"href": links.url(&["pacticipants", &c.consumer, "versions", &v.number]), "name": v.number, "title": "Consumer version"}));
    pact_links.insert("pb:pact-version".into(), json!({"href": pact_version_url(links, pact, None), "name": c.sha, "title": "Pact content"}));
    pact_links.insert("pb:latest-pact-version".into(), json!({"href": links.url(&["pacts", "provider", &c.provider, "consumer", &c.consumer, "latest"]), "title": "Latest version of this pact"}));
    pact_links.insert("pb:publish-verification-results".into(), json!({"href": format!("{permalink}/verification-results"), "title": "Publish verification results"}));
    pact_links.insert("pb:triggered-webhooks".into(), json!({"href": format!("{pact_url}/triggered-webhooks"), "title": "Webhooks triggered by the publication of this pact"}));
    pact_links.insert("pb:webhook-status".into(), json!({"href": links.url(&["pacts", "provider", &c.provider, "consumer", &c.consumer, "webhooks", "status"]), "title": "Webhook executions of the latest pact of this integration"}));
    pact_links.insert("pb:tag-version".into(), json!({"href": format!("{}/tags/{{tag}}", links.url(&["pacticipants", &c.consumer, "versions", &v.number])), "templated": true}));
    if let Some(map) = document.as_object_mut() {
        map.insert("createdAt".into(), json!(pact.published_at));
        map.insert("_links".into(), Value::Object(pact_links));
    }
    document
}

/// "Pact between Foo (1.0.0) and Bar".
pub(crate) fn pact_title(pact: &Pact) -> String {
    format!(
        "Pact between {} ({}) and {}",
        pact.content.consumer, pact.consumer_version.number, pact.content.provider
    )
}

/// A verification result resource.
pub(crate) fn verification(links: &Links, pact: &Pact, v: &Verification) -> Value {
    let permalink = pact_version_url(links, pact, None);
    json!({
        "providerName": v.provider,
        "providerApplicationVersion": v.provider_version,
        "success": v.success,
        "verificationDate": v.created_at,
        "buildUrl": v.build_url,
        "testResults": v.test_results,
        "verifiedBy": v.verified_by,
        "_links": {
            "self": {"href": format!("{permalink}/verification-results/{}", v.id), "title": "Verification result"},
            "pb:pact-version": {"href": permalink, "title": "Pact"},
            "pb:provider-version": {"href": links.url(&["pacticipants", &v.provider, "versions", &v.provider_version]), "name": v.provider_version},
            "pb:triggered-webhooks": {"href": format!("{permalink}/verification-results/{}/triggered-webhooks", v.id), "title": "Webhooks triggered by this verification result"},
        }
    })
}
