//! `GET /openapi.json`: an OpenAPI 3.0 description of the HTTP API, built
//! from one table of operations (path template, method, summary, whether
//! it writes). Path parameters come from the `{name}` segments.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Map, Value};

use crate::state::AppState;

/// (path, method, tag, summary, writes).
const OPERATIONS: &[(&str, &str, &str, &str, bool)] = &[
    ("/", "get", "index", "HAL index: every relation Pact clients follow", false),
    ("/health", "get", "operations", "Liveness and database check, with the schema version (never needs credentials)", false),
    ("/metrics", "get", "operations", "Prometheus metrics: requests, latencies, database size, webhook queue depth", false),
    ("/openapi.json", "get", "operations", "This document", false),
    ("/pacticipants", "get", "pacticipants", "List pacticipants", false),
    ("/pacticipants", "post", "pacticipants", "Create a pacticipant", true),
    ("/pacticipants/{pacticipant}", "get", "pacticipants", "A pacticipant", false),
    ("/pacticipants/{pacticipant}", "put", "pacticipants", "Create or update a pacticipant", true),
    ("/pacticipants/{pacticipant}", "patch", "pacticipants", "Update a pacticipant (mainBranch, displayName, repositoryUrl)", true),
    ("/pacticipants/{pacticipant}", "delete", "pacticipants", "Delete a pacticipant and everything under it", true),
    ("/pacticipants/{pacticipant}/labels/{label}", "get", "labels", "A label of a pacticipant", false),
    ("/pacticipants/{pacticipant}/labels/{label}", "put", "labels", "Label a pacticipant (201 when new)", true),
    ("/pacticipants/{pacticipant}/labels/{label}", "delete", "labels", "Remove a label", true),
    ("/pacticipants/label/{label}", "get", "labels", "The pacticipants carrying a label", false),
    ("/labels", "get", "labels", "Every label in use", false),
    ("/pacticipants/{pacticipant}/versions", "get", "versions", "Versions, newest first", false),
    ("/pacticipants/{pacticipant}/versions/{version}", "get", "versions", "A version with branches, tags and record-deployment/release links per environment", false),
    ("/pacticipants/{pacticipant}/versions/{version}", "put", "versions", "Create a version", true),
    ("/pacticipants/{pacticipant}/latest-version", "get", "versions", "The newest version", false),
    ("/pacticipants/{pacticipant}/latest-version/{tag}", "get", "versions", "The newest version with a tag", false),
    ("/pacticipants/{pacticipant}/versions/{version}/tags/{tag}", "get", "versions", "A tag", false),
    ("/pacticipants/{pacticipant}/versions/{version}/tags/{tag}", "put", "versions", "Tag a version", true),
    ("/pacticipants/{pacticipant}/branches/{branch}", "get", "versions", "A branch", false),
    ("/pacticipants/{pacticipant}/branches/{branch}", "delete", "versions", "Delete a branch (not its versions)", true),
    ("/pacticipants/{pacticipant}/branches/{branch}/versions/{version}", "put", "versions", "Put a version on a branch", true),
    ("/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/{environment}", "post", "environments", "Record a deployment", true),
    ("/pacticipants/{pacticipant}/versions/{version}/released-versions/environment/{environment}", "post", "environments", "Record a release", true),
    ("/contracts/publish", "post", "pacts", "Publish contracts for a consumer version (branch, tags, contracts)", true),
    ("/pacts/latest", "get", "pacts", "The latest pact of every integration", false),
    ("/pacts/provider/{provider}/consumer/{consumer}/version/{version}", "get", "pacts", "The pact a consumer version published", false),
    ("/pacts/provider/{provider}/consumer/{consumer}/version/{version}", "put", "pacts", "Publish a pact (older API)", true),
    ("/pacts/provider/{provider}/consumer/{consumer}/version/{version}", "patch", "pacts", "Merge interactions into a pact (older API)", true),
    ("/pacts/provider/{provider}/consumer/{consumer}/latest", "get", "pacts", "The latest pact of an integration", false),
    ("/pacts/provider/{provider}/consumer/{consumer}/latest/{tag}", "get", "pacts", "The latest pact with a tag", false),
    ("/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}", "get", "pacts", "A pact by content hash", false),
    ("/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/metadata/{metadata}", "get", "pacts", "A pact by content hash, as pacts-for-verification links it (the metadata names the selected consumer versions)", false),
    ("/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/verification-results", "post", "verifications", "Publish a verification result", true),
    ("/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/metadata/{metadata}/verification-results", "post", "verifications", "Publish a verification result for the consumer versions the metadata names", true),
    ("/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/verification-results/{id}", "get", "verifications", "A verification result", false),
    ("/pacts/provider/{provider}/consumer/{consumer}/pact-version/{sha}/verification-results/{id}/triggered-webhooks", "get", "webhooks", "Webhook executions a verification result triggered, with status and attempt logs", false),
    ("/pacts/provider/{provider}/consumer/{consumer}/version/{version}/triggered-webhooks", "get", "webhooks", "Webhook executions a pact triggered (publication and verification events), with status and attempt logs", false),
    ("/pacts/provider/{provider}/consumer/{consumer}/webhooks/status", "get", "webhooks", "Webhook executions the latest pact of an integration triggered, with counts per status", false),
    ("/pacts/provider/{provider}/latest", "get", "pacts", "The latest pacts for a provider", false),
    ("/pacts/provider/{provider}/latest/{tag}", "get", "pacts", "The latest pacts for a provider with a tag", false),
    ("/pacts/provider/{provider}/for-verification", "get", "verifications", "Pacts for verification with the default selectors", false),
    ("/pacts/provider/{provider}/for-verification", "post", "verifications", "Pacts for verification: consumer version selectors, pending and WIP (read-only)", false),
    ("/environments", "get", "environments", "List environments", false),
    ("/environments", "post", "environments", "Create an environment", true),
    ("/environments/{uuid}", "get", "environments", "An environment", false),
    ("/environments/{uuid}", "put", "environments", "Replace an environment", true),
    ("/environments/{uuid}", "delete", "environments", "Delete an environment", true),
    ("/environments/{uuid}/deployed-versions/currently-deployed", "get", "environments", "Currently deployed versions (?pacticipant=)", false),
    ("/environments/{uuid}/released-versions/currently-supported", "get", "environments", "Currently supported releases (?pacticipant=)", false),
    ("/deployed-versions/{uuid}", "get", "environments", "A deployed version", false),
    ("/deployed-versions/{uuid}", "patch", "environments", "Record undeployment: {\"currentlyDeployed\": false}", true),
    ("/released-versions/{uuid}", "get", "environments", "A released version", false),
    ("/released-versions/{uuid}", "patch", "environments", "Record support ended: {\"currentlySupported\": false}", true),
    ("/matrix", "get", "matrix", "The matrix (Rack-style q[][pacticipant]=..&q[][version]=..)", false),
    ("/can-i-deploy", "get", "matrix", "Can a version be deployed to an environment (?pacticipant=&version=&environment=)", false),
    ("/pacticipants/{pacticipant}/branches/{branch}/latest-version/can-i-deploy/to-environment/{environment}", "get", "matrix", "Can the head of a branch be deployed to an environment", false),
    ("/pacticipants/{pacticipant}/latest-version/{tag}/can-i-deploy/to/{to}", "get", "matrix", "Can the latest version with a tag be deployed with the versions carrying another tag", false),
    ("/webhooks", "get", "webhooks", "List webhooks (secrets redacted)", false),
    ("/webhooks", "post", "webhooks", "Create a webhook (the target must pass the allow-list: --webhook-scheme-allow, --webhook-method-allow, --webhook-host-allow)", true),
    ("/webhooks/provider/{provider}/consumer/{consumer}", "get", "webhooks", "The webhooks defined for an integration (secrets redacted)", false),
    ("/webhooks/provider/{provider}/consumer/{consumer}", "post", "webhooks", "Create a webhook for an integration", true),
    ("/webhooks/dead-letters", "get", "webhooks", "Deliveries whose retries ran out", false),
    ("/webhooks/execute", "post", "webhooks", "Send an unsaved webhook definition once with the latest matching pact; answers with the attempt's log", true),
    ("/webhooks/{uuid}", "get", "webhooks", "A webhook (secrets redacted)", false),
    ("/webhooks/{uuid}", "put", "webhooks", "Create or replace a webhook", true),
    ("/webhooks/{uuid}", "delete", "webhooks", "Delete a webhook", true),
    ("/webhooks/{uuid}/execute", "post", "webhooks", "Send the webhook once with the latest matching pact; answers with the attempt's log", true),
    ("/webhooks/{uuid}/deliveries", "get", "webhooks", "Executions of a webhook, newest first: status (not_run, retrying, success, failure), attempts, logs", false),
    ("/triggered-webhooks/{uuid}/logs", "get", "webhooks", "One execution with the log of every attempt (secrets redacted)", false),
];

fn parameters(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect()
}

fn operation(tag: &str, summary: &str, writes: bool, path: &str) -> Value {
    let mut responses = json!({
        "default": {"description": "An error: {\"message\", \"errors\"}", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
    });
    let ok = if writes {
        "Done (HAL JSON)"
    } else {
        "HAL JSON"
    };
    responses["200"] = json!({"description": ok, "content": {"application/hal+json": {}}});
    let mut op = json!({
        "tags": [tag], "summary": summary, "parameters": parameters(path), "responses": responses,
        "x-treaty-needs": if writes { "read-write" } else { "read" },
    });
    if writes {
        op["requestBody"] = json!({"required": false, "content": {"application/json": {}}});
    }
    op
}

/// The OpenAPI document.
pub(crate) fn document() -> Value {
    let mut paths = Map::new();
    for (path, method, tag, summary, writes) in OPERATIONS {
        let entry = paths.entry(*path).or_insert_with(|| json!({}));
        entry[*method] = operation(tag, summary, *writes, path);
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "treaty broker",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Contract broker compatible with the Pact Broker HTTP API. With authentication on, \
                send Authorization: Bearer <token> or Basic credentials; writes need a read-write credential.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}, "basic": {"type": "http", "scheme": "basic"}},
            "schemas": {"Error": {"type": "object", "properties": {
                "message": {"type": "string"}, "field": {"type": "string"},
                "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            }, "required": ["message"]}},
        },
        "security": [{"bearer": []}, {"basic": []}, {}],
    })
}

/// `GET /openapi.json`.
pub(crate) async fn openapi(State(_): State<AppState>) -> Json<Value> {
    Json(document())
}
