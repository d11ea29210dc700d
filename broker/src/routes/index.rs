//! `GET /` (the HAL index) and `GET /health`.

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::error::BrokerError;
use crate::links::Links;
use crate::state::AppState;

/// The index: every relation and template variable Pact clients use.
pub(crate) async fn index(links: Links) -> Json<Value> {
    let t = |path: &str, title: &str| links.template(path, title);
    let l = |path: &str, title: &str| json!({"href": links.raw(path), "title": title});
    Json(json!({"_links": {
        "self": l("/", "Index"),
        "pb:publish-contracts": l("/contracts/publish", "Publish contracts"),
        "pb:publish-pact": t("/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}", "Publish a pact"),
        "pb:latest-pact-versions": l("/pacts/latest", "Latest pact versions"),
        "pb:provider-pacts-for-verification": t("/pacts/provider/{provider}/for-verification", "Pact versions to be verified for the specified provider"),
        "beta:provider-pacts-for-verification": t("/pacts/provider/{provider}/for-verification", "DEPRECATED - please use pb:provider-pacts-for-verification"),
        "pb:latest-provider-pacts": t("/pacts/provider/{provider}/latest", "Latest pacts by provider"),
        "pb:latest-provider-pacts-with-tag": t("/pacts/provider/{provider}/latest/{tag}", "Latest pacts for provider with the specified tag"),
        "pb:pacticipants": l("/pacticipants", "Pacticipants"),
        "pb:pacticipant": t("/pacticipants/{pacticipant}", "Fetch pacticipant by name"),
        "pb:pacticipant-version": t("/pacticipants/{pacticipant}/versions/{version}", "Get, create or delete a pacticipant version"),
        "pb:pacticipant-version-tag": t("/pacticipants/{pacticipant}/versions/{version}/tags/{tag}", "Get, create or delete a tag for a pacticipant version"),
        "pb:pacticipant-branch": t("/pacticipants/{pacticipant}/branches/{branch}", "Get or delete a pacticipant branch"),
        "pb:pacticipant-branch-version": t("/pacticipants/{pacticipant}/branches/{branch}/versions/{version}", "Get or add/create a pacticipant version for a branch"),
        "pb:latest-version": t("/pacticipants/{pacticipant}/latest-version", "Latest pacticipant version"),
        "pb:latest-tagged-version": t("/pacticipants/{pacticipant}/latest-version/{tag}", "Latest pacticipant version with the specified tag"),
        "pb:environments": l("/environments", "Environments"),
        "pb:environment": t("/environments/{uuid}", "Environment"),
        "pb:can-i-deploy-pacticipant-version-to-environment": t("/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}", "Determine if an application version can be safely deployed to an environment"),
        "pb:matrix": l("/matrix", "The matrix of verification results"),
        "pb:webhooks": l("/webhooks", "Webhooks"),
        "pb:webhook": t("/webhooks/{uuid}", "Webhook"),
        "pb:webhook-dead-letters": l("/webhooks/dead-letters", "Webhook executions that ran out of retries"),
        "pb:labels": l("/labels", "Labels"),
        "pb:pacticipants-with-label": t("/pacticipants/label/{label}", "Pacticipants with the specified label"),
        "curies": [{"name": "pb", "href": links.raw("/doc/{rel}?context=index"), "templated": true}],
    }}))
}

/// Liveness and database check, with the schema version the database
/// was migrated to.
pub(crate) async fn health(State(state): State<AppState>) -> Result<Json<Value>, BrokerError> {
    let version = state
        .query(|store| {
            store.health()?;
            store.schema_version()
        })
        .await?;
    Ok(Json(
        json!({"status": "ok", "database": "ok", "schemaVersion": version}),
    ))
}
